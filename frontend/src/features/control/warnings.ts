import type { T } from "../../i18n/I18nProvider";
import type { HealthReport, HealthWarning } from "./types";

/** The warning codes backend/db/health.py sends; anything else is shown in the server's own words. */
const KNOWN = ["sqlite_in_production", "schema_behind", "no_recent_backup", "settings_ignored", "unreachable"] as const;
type KnownCode = (typeof KNOWN)[number];

const isKnown = (code: string): code is KnownCode => (KNOWN as readonly string[]).includes(code);

// The resolver names the ignored variables in its sentence; the translation keeps the names.
const VARIABLE = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g;

/** A health warning in the reader's language, by its stable code. */
export function translateWarning(warning: HealthWarning, report: HealthReport, t: T): { message: string; action: string } {
  if (!isKnown(warning.code)) return { message: warning.message, action: warning.action };
  switch (warning.code) {
    case "schema_behind":
      return {
        message: t("warning.schema_behind.message", {
          current: report.schema?.current ?? t("health.none"),
          head: report.schema?.head ?? "?",
        }),
        action: t("warning.schema_behind.action"),
      };
    case "no_recent_backup": {
      const never = report.backup?.age_hours === null || report.backup?.age_hours === undefined;
      return {
        message: t(never ? "warning.no_recent_backup.never" : "warning.no_recent_backup.stale"),
        action: t("warning.no_recent_backup.action"),
      };
    }
    case "settings_ignored": {
      const names = (warning.message.match(VARIABLE) ?? []).filter((name) => name !== "DATABASE_ENGINE");
      if (names.length === 0) return { message: warning.message, action: t("warning.settings_ignored.action") };
      return {
        message: t("warning.settings_ignored.message", { names: names.join(", ") }),
        action: t("warning.settings_ignored.action"),
      };
    }
    case "sqlite_in_production":
      return { message: t("warning.sqlite_in_production.message"), action: t("warning.sqlite_in_production.action") };
    case "unreachable":
      return { message: t("warning.unreachable.message"), action: t("warning.unreachable.action") };
  }
}
