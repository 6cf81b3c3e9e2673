import { Button } from "../../components/Button";
import { Alert, ErrorAlert, Loading } from "../../components/Feedback";
import { useI18n } from "../../i18n/I18nProvider";
import { pluralKey } from "../../i18n/plural";
import { formatNumber } from "../../lib/format";
import { useLosses, usePurge, type Losses, type PurgeReport, type TrashKind, type TrashRow } from "./api";

// Purge report key -> its words; the first three are always said (even 0), the rest when present.
const COUNTED = {
  course_enrollments: "enrollments",
  grades: "grades",
  attendance: "attendance",
  daily_performance: "dailyPerformance",
  highlights: "highlights",
  prerequisite_links_cleared: "prerequisiteLinks",
} as const;
const ALWAYS = new Set(["course_enrollments", "grades", "attendance"]);

/** "3 enrolments, 24 grades, 1 attendance mark": each count in its plural form and the reader's digits. */
function useCountList() {
  const { t, locale } = useI18n();
  return (counts: Losses) =>
    Object.entries(COUNTED)
      .filter(([key]) => ALWAYS.has(key) || (counts[key] ?? 0) > 0)
      .map(([key, words]) => {
        const count = counts[key] ?? 0;
        return t(pluralKey(`trash.count.${words}`, count, locale), { count: formatNumber(count, locale) });
      })
      .join(", ");
}

/** The confirm before an erase: what goes with the row, counted first, and that it cannot be undone. */
export function EraseConfirm({
  kind,
  row,
  onCancel,
  onErased,
}: {
  kind: TrashKind;
  row: TrashRow;
  onCancel: () => void;
  onErased: (report: PurgeReport) => void;
}) {
  const { t } = useI18n();
  const losses = useLosses(kind, row.id);
  const purge = usePurge(kind);
  const countList = useCountList();
  return (
    <Alert tone="warn" title={t("trash.confirmTitle", { name: row.name })}>
      <div className="stack" data-testid="erase-confirm">
        {losses.isPending ? (
          <Loading />
        ) : losses.error ? (
          <ErrorAlert error={losses.error} />
        ) : (
          <p>
            {t(`trash.confirmBody.${kind}`, {
              counts: countList(losses.data ?? {}),
            })}
          </p>
        )}
        <ErrorAlert error={purge.error} />
        <div className="row">
          <Button
            variant="danger"
            busy={purge.isPending}
            disabled={losses.isPending}
            onClick={() => purge.mutate(row.id, { onSuccess: onErased })}
          >
            {t("trash.eraseConfirm")}
          </Button>
          <Button onClick={onCancel}>{t("common.cancel")}</Button>
        </div>
      </div>
    </Alert>
  );
}

/** What an erase removed, from the purge report. */
export function PurgeDone({ name, report }: { name: string; report: PurgeReport }) {
  const { t } = useI18n();
  const countList = useCountList();
  return <Alert tone="ok">{t("trash.erased", { name, counts: countList(report.deleted) })}</Alert>;
}
