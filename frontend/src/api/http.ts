import { ApiError, isPasswordChangeRequired } from "./errors";

const TOKEN_KEY = "sms.token";

/**
 * Where the bearer token lives: this tab's sessionStorage, so it ends with the tab and never sits
 * on disk for the next user of a shared school computer (older builds kept it in localStorage).
 */
export const tokenStore = {
  get(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set(token: string): void {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  clear(): void {
    sessionStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(TOKEN_KEY);
  },
};
// A token an older build left on disk is dropped the first time this build loads.
localStorage.removeItem(TOKEN_KEY);

type Handler = () => void;
let onUnauthorized: Handler = () => undefined;
let onPasswordChangeRequired: Handler = () => undefined;

/** The app installs what a 401 does (clear the session, go to the login page). */
export function setUnauthorizedHandler(handler: Handler): void {
  onUnauthorized = handler;
}

/** The app installs what a 403 password_change_required does (go to the change-password page). */
export function setPasswordChangeHandler(handler: Handler): void {
  onPasswordChangeRequired = handler;
}

// Their 401 is an answer to show (a wrong password) or moot (the session is ending anyway).
const OWN_401 = ["/api/v1/auth/login", "/api/v1/auth/logout"];

/** Called for every response: a 401 anywhere but logging in or out ends the session. */
export function noticeUnauthorized(response: Response): void {
  if (response.status === 401 && !OWN_401.some((path) => response.url.includes(path))) {
    tokenStore.clear();
    onUnauthorized();
  }
}

/** Called for every failed call: the password change an account owes comes before anything else. */
export function noticeError(error: ApiError): ApiError {
  if (isPasswordChangeRequired(error)) onPasswordChangeRequired();
  return error;
}

export function authHeaders(): Record<string, string> {
  const token = tokenStore.get();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** The origin the API is served from (the page's own: FastAPI serves both, Vite proxies in dev). */
export function apiOrigin(): string {
  return window.location.origin;
}

/** Fetch a file with the bearer token and hand it to the browser as a download. */
export async function downloadFile(path: string, fallbackName: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(apiOrigin() + path, { headers: authHeaders() });
  } catch {
    throw ApiError.network();
  }
  noticeUnauthorized(response);
  if (!response.ok) {
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    throw noticeError(ApiError.fromResponse(response.status, parsed));
  }
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = decodeURIComponent(name);
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
