import { ApiError } from "./errors";

const TOKEN_KEY = "sms.token";

/** Where the bearer token lives between page loads. */
export const tokenStore = {
  get(): string | null {
    return localStorage.getItem(TOKEN_KEY);
  },
  set(token: string): void {
    localStorage.setItem(TOKEN_KEY, token);
  },
  clear(): void {
    localStorage.removeItem(TOKEN_KEY);
  },
};

type UnauthorizedHandler = () => void;
let onUnauthorized: UnauthorizedHandler = () => undefined;

/** The app installs what a 401 does (clear the session, go to the login page). */
export function setUnauthorizedHandler(handler: UnauthorizedHandler): void {
  onUnauthorized = handler;
}

/** Called for every response: a 401 anywhere but the login call ends the session. */
export function noticeUnauthorized(response: Response): void {
  if (response.status === 401 && !response.url.includes("/api/v1/auth/login")) {
    tokenStore.clear();
    onUnauthorized();
  }
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
    throw ApiError.fromResponse(response.status, parsed);
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
