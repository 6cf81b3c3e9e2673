import { useState } from "react";
import { Button } from "../../components/Button";
import { Alert, ErrorAlert } from "../../components/Feedback";
import { DataTable } from "../../components/DataTable";
import { SelectField, TextField } from "../../components/Field";
import { Card } from "../../components/Layout";
import { useI18n } from "../../i18n/I18nProvider";
import { pluralKey } from "../../i18n/plural";
import { formatDateTime, formatNumber } from "../../lib/format";
import { fieldError } from "../../api/errors";
import { useAcademicYears, useYearEndApply, useYearEndPreview, type YearEndPreview } from "./api";

const DEFAULT_TOP_YEAR = "6";

/**
 * The year-end step: preview who moves up a study year and who graduates (made inactive), then
 * apply it once for the academic year, after a confirm that repeats the counts.
 */
export function YearEndCard() {
  const words = useI18n();
  const { t, locale } = words;
  const years = useAcademicYears();
  const preview = useYearEndPreview();
  const apply = useYearEndApply();
  const [yearId, setYearId] = useState("");
  const [topYear, setTopYear] = useState(DEFAULT_TOP_YEAR);
  const [confirming, setConfirming] = useState(false);
  const list = years.data ?? [];
  const chosen = list.find((year) => String(year.id) === yearId) ?? list.find((year) => year.is_current);
  const request = chosen ? { academic_year_id: chosen.id, top_year: Number(topYear) } : null;
  const shown: YearEndPreview | undefined = apply.data ?? preview.data;
  const count = (key: "terms.yearEnd.promoted" | "terms.yearEnd.graduated", n: number) =>
    t(pluralKey(key, n, locale), { count: formatNumber(n, locale) });
  const error = apply.error ?? preview.error;

  function reset() {
    preview.reset();
    apply.reset();
    setConfirming(false);
  }

  if (list.length === 0) return null;
  return (
    <Card title={t("terms.yearEnd.title")} labelledBy="year-end" description={t("terms.yearEnd.description")}>
      <div className="stack">
        <div className="row">
          <SelectField
            label={t("courses.academicYear")}
            value={chosen ? String(chosen.id) : ""}
            onChange={(event) => {
              setYearId(event.target.value);
              reset();
            }}
          >
            {list.map((year) => (
              <option key={year.id} value={year.id}>
                {year.name}
              </option>
            ))}
          </SelectField>
          <TextField
            label={t("terms.yearEnd.topYear")}
            type="number"
            min={1}
            max={20}
            value={topYear}
            hint={t("terms.yearEnd.topYearHint")}
            error={fieldError(error, "top_year", words)}
            onChange={(event) => {
              setTopYear(event.target.value);
              reset();
            }}
          />
        </div>
        {chosen?.year_end_applied_at && (
          <Alert tone="info">
            {t("terms.yearEnd.alreadyApplied", {
              name: chosen.name,
              when: formatDateTime(chosen.year_end_applied_at, locale),
            })}
          </Alert>
        )}
        <ErrorAlert error={error} />
        {shown && (
          <>
            <DataTable
              rows={shown.moves}
              rowKey={(move) => move.from_year}
              caption={t("terms.yearEnd.caption", { name: shown.academic_year_name })}
              testId="year-end-moves"
              columns={[
                {
                  key: "from",
                  header: t("terms.yearEnd.from"),
                  className: "num",
                  cell: (move) => move.from_year,
                },
                {
                  key: "to",
                  header: t("terms.yearEnd.to"),
                  cell: (move) => (move.to_year === null ? t("terms.yearEnd.graduate") : move.to_year),
                },
                {
                  key: "students",
                  header: t("terms.yearEnd.students"),
                  className: "num",
                  cell: (move) => formatNumber(move.students, locale),
                },
              ]}
            />
            <p>
              {count("terms.yearEnd.promoted", shown.promoted)} ·{" "}
              {count("terms.yearEnd.graduated", shown.graduated)}
            </p>
          </>
        )}
        {apply.isSuccess && (
          <Alert tone="ok">{t("terms.yearEnd.applied", { name: apply.data.academic_year_name })}</Alert>
        )}
        {confirming && shown && !apply.isSuccess && (
          <Alert tone="warn" title={t("terms.yearEnd.confirmTitle", { name: shown.academic_year_name })}>
            <p>
              {t("terms.yearEnd.confirmBody", {
                promoted: count("terms.yearEnd.promoted", shown.promoted),
                graduated: count("terms.yearEnd.graduated", shown.graduated),
              })}
            </p>
            <div className="row">
              <Button
                variant="danger"
                busy={apply.isPending}
                onClick={() => request && apply.mutate(request, { onSettled: () => setConfirming(false) })}
              >
                {t("terms.yearEnd.apply")}
              </Button>
              <Button onClick={() => setConfirming(false)}>{t("common.cancel")}</Button>
            </div>
          </Alert>
        )}
        <div className="row">
          <Button
            // A POST that only reads: read-only mode lets it through.
            write={false}
            busy={preview.isPending}
            disabled={!request}
            onClick={() => {
              apply.reset();
              if (request) preview.mutate(request);
            }}
          >
            {t("terms.yearEnd.preview")}
          </Button>
          {preview.isSuccess && !apply.isSuccess && !confirming && !chosen?.year_end_applied_at && (
            <Button variant="primary" write onClick={() => setConfirming(true)}>
              {t("terms.yearEnd.applyEllipsis")}
            </Button>
          )}
        </div>
      </div>
    </Card>
  );
}
