import type { T } from "../../i18n/I18nProvider";

/**
 * Reasons set by SMS's own tools, worded in the reader's language; a reason an admin typed is
 * shown as typed. The migration tool's reason is backend/transfer/source_guard.py REASON.
 */
const KNOWN = {
  "moving to PostgreSQL": "maintenance.reason.move",
  maintenance: "maintenance.reason.maintenance",
} as const;

export function reasonText(reason: string | null | undefined, t: T): string {
  if (!reason) return t("maintenance.reason.maintenance");
  const key = KNOWN[reason as keyof typeof KNOWN];
  return key ? t(key) : reason;
}

/** The banner's headline: the move has its own sentence, any other reason is quoted. */
export function headline(reason: string | null | undefined, t: T): string {
  return reason === "moving to PostgreSQL"
    ? t("maintenance.banner.moving")
    : t("maintenance.banner.title", { reason: reasonText(reason, t) });
}
