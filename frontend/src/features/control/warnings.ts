import type { T } from "../../i18n/I18nProvider";
import { formatDateTime } from "../../lib/format";
import { pluralKey } from "../../i18n/plural";
import type { HealthWarning } from "./useHealth";

/**
 * A health warning in the reader's language, from its code and parameters. A code this build does
 * not know (a newer server) keeps the server's English words.
 */
export function translateWarning(
  warning: HealthWarning,
  t: T,
  locale: string,
): { message: string; action: string } {
  const fallback = { message: warning.message, action: warning.action };
  switch (warning.code) {
    case "schema_behind":
      return {
        message: t("warning.schema_behind.message", {
          current: warning.params.current ?? t("health.none"),
          head: warning.params.head,
        }),
        action: t("warning.schema_behind.action"),
      };
    case "no_recent_backup": {
      const { age_hours, max_age_hours } = warning.params;
      return {
        message:
          age_hours === null
            ? t("warning.no_recent_backup.never")
            : t(pluralKey("warning.no_recent_backup.stale", max_age_hours, locale), { hours: max_age_hours }),
        action: t("warning.no_recent_backup.action"),
      };
    }
    case "settings_ignored": {
      const { variables } = warning.params;
      return {
        message: t(pluralKey("warning.settings_ignored.message", variables.length, locale), {
          names: variables.join(", "),
        }),
        action: t("warning.settings_ignored.action"),
      };
    }
    case "sqlite_in_production":
      return {
        message: t("warning.sqlite_in_production.message"),
        action: t("warning.sqlite_in_production.action"),
      };
    case "unreachable":
      return { message: t("warning.unreachable.message"), action: t("warning.unreachable.action") };
    case "not_writable": {
      const { reason, path } = warning.params;
      return {
        message: t(`warning.not_writable.${reason}`, { path: path ?? "" }),
        action: t("warning.not_writable.action"),
      };
    }
    case "read_only_mode": {
      const { reason, since, set_by } = warning.params;
      return {
        message: t("warning.read_only_mode.message", {
          reason: reason ?? "",
          since: since ? formatDateTime(since, locale) : "",
          set_by: set_by ?? "",
        }),
        action: t("warning.read_only_mode.action"),
      };
    }
    case "disk_full":
      return {
        message: t("warning.disk_full.message", { time: formatDateTime(warning.params.seen_at, locale) }),
        action: t("warning.disk_full.action"),
      };
  }
  return fallback;
}
