import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, type ReactNode } from "react";
import { WriteGuardProvider, type WriteGuard } from "../../components/WriteGuard";
import { useI18n } from "../../i18n/I18nProvider";
import { formatDateTime } from "../../lib/format";
import { useMaintenanceNotice, type MaintenanceNotice } from "./maintenanceApi";
import { maintenanceKeys } from "./queryKeys";
import { installReadOnlyWatch, onReadOnlyRefusal } from "./readOnlyWatch";
import { headline, reasonText } from "./reasons";

const OPEN: WriteGuard = { blocked: false, why: null };

/**
 * Read-only mode for the signed-in app: polls the mode, switches at once when any write is
 * refused with 503 `read_only`, shows the banner above every page and disables every write
 * control (through the WriteGuard that Button and ButtonLink read).
 */
export function ReadOnlyProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const notice = useMaintenanceNotice();

  useEffect(() => {
    installReadOnlyWatch();
    return onReadOnlyRefusal((reason) => {
      // The server has just said so: show it now, then ask for the full notice (since when).
      queryClient.setQueryData<MaintenanceNotice>(maintenanceKeys.notice(), (before) => ({
        read_only: true,
        reason: reason ?? before?.reason ?? null,
        since: before?.read_only ? before.since : null,
      }));
      void queryClient.invalidateQueries({ queryKey: maintenanceKeys.all });
    });
  }, [queryClient]);

  const state = notice.data;
  const guard = useMemo<WriteGuard>(
    () =>
      state?.read_only
        ? { blocked: true, why: t("maintenance.disabledWhy", { reason: reasonText(state.reason, t) }) }
        : OPEN,
    [state, t],
  );

  return (
    <WriteGuardProvider value={guard}>
      {state?.read_only && <ReadOnlyBanner notice={state} />}
      {children}
    </WriteGuardProvider>
  );
}

export function ReadOnlyBanner({ notice }: { notice: MaintenanceNotice }) {
  const { t, locale } = useI18n();
  return (
    <div
      className="alert alert-warn"
      role="status"
      id="read-only-banner"
      data-testid="read-only-banner"
      style={{ borderRadius: 0, margin: 0 }}
    >
      <div className="alert-title">{headline(notice.reason, t)}</div>
      <p style={{ margin: 0 }}>
        {notice.since
          ? t("maintenance.banner.since", { since: formatDateTime(notice.since, locale) })
          : t("maintenance.banner.body")}
      </p>
    </div>
  );
}
