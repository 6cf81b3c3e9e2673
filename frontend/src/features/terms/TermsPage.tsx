import { useState } from "react";
import { Button } from "../../components/Button";
import { Confirm } from "../../components/Confirm";
import { Badge, ErrorAlert } from "../../components/Feedback";
import { DataTable } from "../../components/DataTable";
import { Card, PageHeader } from "../../components/Layout";
import { QueryResult } from "../../components/QueryResult";
import { useI18n } from "../../i18n/I18nProvider";
import { formatDate } from "../../lib/dates";
import {
  useAcademicYears,
  useDeletePeriod,
  useSaveTerm,
  useSaveYear,
  useSetCurrent,
  useTerms,
  type AcademicYear,
  type Term,
} from "./api";
import { PeriodForm } from "./PeriodForm";
import { YearEndCard } from "./YearEndCard";

/** The school year as data (admins): academic years and their terms, which one is current, the year-end step. */
export function TermsPage() {
  const { t } = useI18n();
  const years = useAcademicYears();
  const terms = useTerms();
  const [adding, setAdding] = useState(false);
  const create = useSaveYear(null);
  const latestFirst = (a: AcademicYear, b: AcademicYear) => b.starts_on.localeCompare(a.starts_on);

  return (
    <>
      <PageHeader
        title={t("terms.title")}
        description={t("terms.description")}
        actions={
          !adding && (
            <Button variant="primary" write onClick={() => setAdding(true)}>
              {t("terms.newYear")}
            </Button>
          )
        }
      />
      <div className="stack">
        {adding && (
          <Card title={t("terms.newYear")} labelledBy="new-year">
            <PeriodForm
              label={t("terms.newYear")}
              namePlaceholder="2026–2027"
              busy={create.isPending}
              error={create.error}
              onSave={(period) => create.mutate(period, { onSuccess: () => setAdding(false) })}
              onCancel={() => setAdding(false)}
            />
          </Card>
        )}
        <QueryResult query={years} isEmpty={(list) => list.length === 0} empty={t("terms.noYears")}>
          {(list) => (
            <>
              {[...list].sort(latestFirst).map((year) => (
                <YearCard
                  key={year.id}
                  year={year}
                  terms={(terms.data ?? []).filter((term) => term.academic_year_id === year.id)}
                />
              ))}
            </>
          )}
        </QueryResult>
        <YearEndCard />
      </div>
    </>
  );
}

function YearCard({ year, terms }: { year: AcademicYear; terms: Term[] }) {
  const { t, locale } = useI18n();
  const [editing, setEditing] = useState<"year" | number | "new" | null>(null);
  // Deleting asks first: which year or term, by name, is about to go.
  const [deleting, setDeleting] = useState<{ kind: "year" | "term"; id: number; name: string } | null>(null);
  const saveYear = useSaveYear(year.id);
  const setCurrent = useSetCurrent();
  const remove = useDeletePeriod();
  const span = (p: { starts_on: string; ends_on: string }) =>
    t("terms.span", { from: formatDate(p.starts_on, locale), to: formatDate(p.ends_on, locale) });
  const headingId = `year-${year.id}`;

  return (
    <Card
      labelledBy={headingId}
      title={
        <>
          {year.name} {year.is_current && <Badge tone="ok">{t("terms.current")}</Badge>}
        </>
      }
      description={span(year)}
      actions={
        editing === null &&
        deleting === null && (
          <>
            {!year.is_current && (
              <Button size="sm" write onClick={() => setCurrent.mutate({ kind: "year", id: year.id })}>
                {t("terms.makeCurrent")}
              </Button>
            )}
            <Button size="sm" write onClick={() => setEditing("year")}>
              {t("common.edit")}
            </Button>
            <Button size="sm" write onClick={() => setEditing("new")}>
              {t("terms.newTerm")}
            </Button>
            {terms.length === 0 && (
              <Button
                size="sm"
                variant="danger"
                onClick={() => setDeleting({ kind: "year", id: year.id, name: year.name })}
              >
                {t("common.delete")}
              </Button>
            )}
          </>
        )
      }
    >
      <div className="stack">
        <ErrorAlert error={setCurrent.error} />
        {deleting && (
          <Confirm
            title={t(deleting.kind === "year" ? "terms.confirmDeleteYear" : "terms.confirmDeleteTerm", {
              name: deleting.name,
            })}
            confirmLabel={t("common.delete")}
            busy={remove.isPending}
            error={remove.error}
            onConfirm={() =>
              remove.mutate({ kind: deleting.kind, id: deleting.id }, { onSuccess: () => setDeleting(null) })
            }
            onCancel={() => {
              remove.reset();
              setDeleting(null);
            }}
          >
            <p>{t("terms.confirmDeleteBody")}</p>
          </Confirm>
        )}
        {editing === "year" && (
          <PeriodForm
            label={t("terms.editYear", { name: year.name })}
            initial={year}
            namePlaceholder="2026–2027"
            busy={saveYear.isPending}
            error={saveYear.error}
            onSave={(period) => saveYear.mutate(period, { onSuccess: () => setEditing(null) })}
            onCancel={() => setEditing(null)}
          />
        )}
        {(editing === "new" || typeof editing === "number") && (
          <TermForm
            key={editing}
            yearId={year.id}
            term={terms.find((term) => term.id === editing)}
            onDone={() => setEditing(null)}
          />
        )}
        {terms.length === 0 ? (
          <p>{t("terms.noTerms")}</p>
        ) : (
          <DataTable
            rows={[...terms].sort((a, b) => a.starts_on.localeCompare(b.starts_on))}
            rowKey={(term) => term.id}
            caption={t("terms.termsOf", { name: year.name })}
            columns={[
              {
                key: "name",
                header: t("terms.name"),
                rowHeader: true,
                cell: (term) => (
                  <>
                    {term.name} {term.is_current && <Badge tone="ok">{t("terms.current")}</Badge>}
                  </>
                ),
              },
              { key: "span", header: t("terms.dates"), cell: span },
              {
                key: "actions",
                header: t("common.actions"),
                hiddenHeader: true,
                cell: (term) => (
                  <div className="row">
                    {!term.is_current && (
                      <Button
                        size="sm"
                        write
                        aria-label={t("terms.makeCurrentNamed", { name: term.name })}
                        onClick={() => setCurrent.mutate({ kind: "term", id: term.id })}
                      >
                        {t("terms.makeCurrent")}
                      </Button>
                    )}
                    <Button
                      size="sm"
                      write
                      aria-label={t("terms.editNamed", { name: term.name })}
                      onClick={() => setEditing(term.id)}
                    >
                      {t("common.edit")}
                    </Button>
                    <Button
                      size="sm"
                      variant="danger"
                      aria-label={t("terms.deleteNamed", { name: term.name })}
                      onClick={() => setDeleting({ kind: "term", id: term.id, name: term.name })}
                    >
                      {t("common.delete")}
                    </Button>
                  </div>
                ),
              },
            ]}
          />
        )}
      </div>
    </Card>
  );
}

function TermForm({ yearId, term, onDone }: { yearId: number; term?: Term | undefined; onDone: () => void }) {
  const { t } = useI18n();
  const save = useSaveTerm(term?.id ?? null, yearId);
  return (
    <PeriodForm
      label={term ? t("terms.editNamed", { name: term.name }) : t("terms.newTerm")}
      initial={term}
      namePlaceholder={t("terms.termPlaceholder")}
      busy={save.isPending}
      error={save.error}
      onSave={(period) => save.mutate(period, { onSuccess: onDone })}
      onCancel={onDone}
    />
  );
}
