/** The one place that turns what the API (or the network) said into words for a person. */

export type FieldErrors = Record<string, string>;

export type ErrorKind =
  "network" | "validation" | "conflict" | "auth" | "forbidden" | "not_found" | "server" | "other";

interface ValidationItem {
  loc?: (string | number)[];
  msg?: string;
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

  constructor(status: number, detail: string | null, field: string | null, fieldErrors: FieldErrors) {
    super(detail ?? `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.kind = kindOf(status);
    this.detail = detail;
    this.field = field;
    this.fieldErrors = fieldErrors;
  }

  static network(): ApiError {
    return new ApiError(0, null, null, {});
  }

  static fromResponse(status: number, body: unknown): ApiError {
    const fieldErrors: FieldErrors = {};
    let detail: string | null = null;
    let field: string | null = null;
    if (isRecord(body)) {
      if (Array.isArray(body.detail)) {
        for (const item of body.detail as ValidationItem[]) {
          const loc = (item.loc ?? []).filter((part) => part !== "body");
          const name = loc.length > 0 ? String(loc[loc.length - 1]) : "";
          const key = loc.map(String).join(".") || name;
          const msg = cleanMessage(item.msg ?? "");
          // Keep the first message per field and also index it by the full path for nested fields.
          if (name && !(name in fieldErrors)) fieldErrors[name] = msg;
          if (key && key !== name && !(key in fieldErrors)) fieldErrors[key] = msg;
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
    return new ApiError(status, detail, field, fieldErrors);
  }
}

export type Translate = (key: ErrorMessageKey) => string;
export type ErrorMessageKey =
  | "errors.network"
  | "errors.validation"
  | "errors.server"
  | "errors.forbidden"
  | "errors.notFound"
  | "errors.auth"
  | "errors.unknown";

/** One sentence for the top of a form or page. */
export function describeError(error: unknown, t: Translate): string {
  if (!(error instanceof ApiError)) return t("errors.unknown");
  switch (error.kind) {
    case "network":
      return t("errors.network");
    case "validation":
      return error.detail ?? t("errors.validation");
    case "server":
      return t("errors.server");
    case "forbidden":
      return error.detail ?? t("errors.forbidden");
    case "not_found":
      return error.detail ?? t("errors.notFound");
    case "auth":
      return error.detail ?? t("errors.auth");
    default:
      return error.detail ?? t("errors.unknown");
  }
}

/** The message for one form field, if the API blamed it. */
export function fieldError(error: unknown, name: string): string | undefined {
  return error instanceof ApiError ? error.fieldErrors[name] : undefined;
}
