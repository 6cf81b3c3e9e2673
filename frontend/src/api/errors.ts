/** The one place that turns what the API (or the network) said into words for a person. */
import type { MessageKey } from "../i18n/en";
import type { components } from "./schema";
import { en } from "../i18n/en";
import type { T } from "../i18n/I18nProvider";
import { pluralKey } from "../i18n/plural";
import { formatDate } from "../lib/dates";
import { formatDateTime } from "../lib/format";

export type FieldErrors = Record<string, string>;

export type ErrorKind =
  "network" | "validation" | "conflict" | "auth" | "forbidden" | "not_found" | "server" | "other";

// FastAPI's 422 item, as the generated client names it, with the code and params SMS adds to each
// (backend/api/error_codes.py); Partial because a body is never trusted.
type ValidationItem = Partial<components["schemas"]["ValidationError"]> & {
  code?: unknown;
  params?: unknown;
};

/** A coded refusal: the stable name and the values its message shows. */
export interface Coded {
  code: string;
  params: Params;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function kindOf(status: number): ErrorKind {
  if (status === 0) return "network";
  if (status === 422) return "validation";
  if (status === 409) return "conflict";
  if (status === 401) return "auth";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status >= 500) return "server";
  return "other";
}

/** Pydantic prefixes custom messages; a person does not need to see that. */
function cleanMessage(msg: string): string {
  return msg.replace(/^(Value error|Assertion failed), /, "");
}

export class ApiError extends Error {
  readonly status: number;
  readonly kind: ErrorKind;
  /** The field the API blamed (409 conflicts and other {detail, field} bodies). */
  readonly field: string | null;
  /** Per-field messages: 422 validation errors, or the conflicting field of a 409. */
  readonly fieldErrors: FieldErrors;
  /** The API's own sentence, when it sent one. */
  readonly detail: string | null;
  /** The stable name of the error ("login_throttled"), which the catalogue words; null when none. */
  readonly code: string | null;
  /** The values the coded message shows ({retry_after_seconds: 30}). */
  readonly params: Params;
  /** The code of each field's 422 item, by the same names as fieldErrors, so words can replace the validator's. */
  readonly fieldCodes: Record<string, Coded>;

  constructor(
    status: number,
    detail: string | null,
    field: string | null,
    fieldErrors: FieldErrors,
    {
      code = null,
      params = {},
      fieldCodes = {},
    }: { code?: string | null; params?: Params; fieldCodes?: Record<string, Coded> } = {},
  ) {
    super(detail ?? `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.kind = kindOf(status);
    this.detail = detail;
    this.field = field;
    this.fieldErrors = fieldErrors;
    this.code = code;
    this.params = params;
    this.fieldCodes = fieldCodes;
  }

  static network(): ApiError {
    return new ApiError(0, null, null, {});
  }

  static fromResponse(status: number, body: unknown): ApiError {
    const fieldErrors: FieldErrors = {};
    const fieldCodes: Record<string, Coded> = {};
    let detail: string | null = null;
    let field: string | null = null;
    let code: string | null = null;
    let params: Params = {};
    if (isRecord(body)) {
      if (typeof body.code === "string" && body.code) code = body.code;
      if (isRecord(body.params)) params = body.params;
      if (Array.isArray(body.detail)) {
        for (const item of body.detail as ValidationItem[]) {
          const loc = (item.loc ?? []).filter((part) => part !== "body");
          const name = loc.length > 0 ? String(loc[loc.length - 1]) : "";
          const key = loc.map(String).join(".") || name;
          const msg = cleanMessage(item.msg ?? "");
          // Keep the first message per field and also index it by the full path for nested fields.
          if (name && !(name in fieldErrors)) fieldErrors[name] = msg;
          if (key && key !== name && !(key in fieldErrors)) fieldErrors[key] = msg;
          if (typeof item.code === "string" && item.code) {
            const coded = { code: item.code, params: isRecord(item.params) ? item.params : {} };
            if (name && !(name in fieldCodes)) fieldCodes[name] = coded;
            if (key && key !== name && !(key in fieldCodes)) fieldCodes[key] = coded;
            if (!name && code === null) ({ code, params } = coded);
          }
          if (!name) detail = detail ?? msg;
        }
      } else if (typeof body.detail === "string") {
        detail = body.detail;
      }
      if (typeof body.field === "string" && body.field) {
        field = body.field;
        if (detail) fieldErrors[field] = detail;
      }
    } else if (typeof body === "string" && body.trim() && !body.trimStart().startsWith("<")) {
      detail = body.trim();
    }
    return new ApiError(status, detail, field, fieldErrors, { code, params, fieldCodes });
  }
}

export type Params = Record<string, unknown>;

/** What wording needs: the catalogue of the reader's language and its locale (for plural forms). */
export interface Words {
  t: T;
  locale: string;
}

type KindMessage = "network" | "validation" | "server" | "forbidden" | "notFound" | "auth" | "unknown";

/** Codes whose message has a plural form: the count's parameter name. */
const PLURAL_CODES: Record<string, string> = { login_throttled: "retry_after_seconds" };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** The message's values as the reader writes them: an ISO date (and time) through Intl in their language. */
function vars(params: Params, locale: string): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === "string" && ISO_DATE.test(value)) out[name] = formatDate(value, locale);
    else if (typeof value === "string" && ISO_DATE_TIME.test(value))
      out[name] = formatDateTime(value, locale);
    else if (typeof value === "number" || typeof value === "string") out[name] = value;
    else if (Array.isArray(value)) out[name] = value.join(", ");
  }
  return out;
}

/**
 * The reader's sentence for an error code and its parameters (`errors.code.<code>` in the
 * catalogue, placeholders named as the parameters), or null for a code this build does not know.
 * The client-side checks word their refusals through here too, so both say the same.
 */
export function codeMessage(code: string, params: Params, { t, locale }: Words): string | null {
  const countName = PLURAL_CODES[code];
  if (countName !== undefined) {
    const count = Number(params[countName] ?? 0);
    return t(pluralKey(`errors.code.${code}`, count, locale) as MessageKey, vars(params, locale));
  }
  const key = `errors.code.${code}`;
  return key in en ? t(key as MessageKey, vars(params, locale)) : null;
}

function coded(error: ApiError, words: Words): string | null {
  return error.code === null ? null : codeMessage(error.code, error.params, words);
}

/**
 * The API's own sentence (for a refusal this build has no words for), unless it tells a person to
 * call the API ("POST /api/v1/courses/11/restore"): nobody reading the web app should be told that.
 */
function readable(text: string | null | undefined): string | null {
  return text && !text.includes("/api/") ? text : null;
}

/** One sentence for the top of a form or page: by code when the catalogue knows it. */
export function describeError(error: unknown, words: Words): string {
  const { t } = words;
  const general = (kind: KindMessage) => t(`errors.${kind}`);
  if (!(error instanceof ApiError)) return general("unknown");
  const byCode = coded(error, words);
  if (byCode !== null) return byCode;
  const detail = readable(error.detail);
  switch (error.kind) {
    case "network":
      return general("network");
    case "validation":
      return detail ?? general("validation");
    case "server":
      return general("server");
    case "forbidden":
      return detail ?? general("forbidden");
    case "not_found":
      return detail ?? general("notFound");
    case "auth":
      return detail ?? general("auth");
    default:
      return detail ?? general("unknown");
  }
}

/** The message for one form field, if the API blamed it (worded by code when words are given). */
export function fieldError(error: unknown, name: string, words?: Words): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const text = error.fieldErrors[name];
  const sentence =
    text === undefined ? undefined : (readable(text) ?? (words ? describeError(error, words) : undefined));
  if (words && error.field === name) return coded(error, words) ?? sentence;
  const item = error.fieldCodes[name];
  if (words && item) return codeMessage(item.code, item.params, words) ?? sentence;
  return sentence;
}

/** True when the API says this account must choose a new password before anything else. */
export function isPasswordChangeRequired(error: unknown): boolean {
  return error instanceof ApiError && error.code === "password_change_required";
}
