import type { ReactNode } from "react";
import { describeError } from "../api/errors";
import { useI18n, useT } from "../i18n/I18nProvider";

export type Tone = "ok" | "warn" | "fail" | "info" | "neutral";

export function Badge({
  tone = "neutral",
  large,
  children,
}: {
  tone?: Tone;
  large?: boolean;
  children: ReactNode;
}) {
  const cls = ["badge", tone !== "neutral" && `badge-${tone}`, large && "badge-lg"].filter(Boolean).join(" ");
  return <span className={cls}>{children}</span>;
}

type AlertTone = "error" | "warn" | "info" | "ok";

export function Alert({
  tone,
  title,
  children,
}: {
  tone: AlertTone;
  title?: ReactNode;
  children?: ReactNode;
}) {
  // Errors interrupt (role=alert); everything else is announced politely.
  return (
    <div className={`alert alert-${tone}`} role={tone === "error" ? "alert" : "status"}>
      {title && <div className="alert-title">{title}</div>}
      {children && (typeof children === "string" ? <p>{children}</p> : children)}
    </div>
  );
}

/** The message for a failed query or mutation, worded by the one error translator. */
export function ErrorAlert({ error, title }: { error: unknown; title?: ReactNode }) {
  const words = useI18n();
  if (!error) return null;
  return (
    <Alert tone="error" title={title ?? describeError(error, words)}>
      {title ? describeError(error, words) : undefined}
    </Alert>
  );
}

export function Loading({ label }: { label?: string }) {
  const t = useT();
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label ?? t("common.loading")}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

/** Whether a record (a student, a course) is active, as a badge. */
export function ActiveBadge({ active }: { active: boolean }) {
  const t = useT();
  return (
    <Badge tone={active ? "ok" : "neutral"}>{active ? t("students.active") : t("students.inactive")}</Badge>
  );
}
