import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, unwrap } from "../../api/client";
import { codeMessage } from "../../api/errors";
import { Button } from "../../components/Button";
import { Alert, ErrorAlert } from "../../components/Feedback";
import { SelectField } from "../../components/Field";
import { Card } from "../../components/Layout";
import { Pagination } from "../../components/Pagination";
import { QueryResult } from "../../components/QueryResult";
import { useI18n } from "../../i18n/I18nProvider";
import { pluralKey } from "../../i18n/plural";
import { useDebounced } from "../../lib/useDebounced";
import { allPages } from "../classes/allPages";
import { listName } from "../students/names";
import { studentKeys } from "../students/queryKeys";
import { useBulkEnroll } from "./classListApi";
import { StudentSearch, usePageOffset } from "./StudentSearch";

const PAGE = 25;
const YEARS = [1, 2, 3, 4, 5, 6];

/**
 * Add many students to a course at once: search and filter by study year, tick students, the whole
 * page or everyone matching, then one request per 500; the answer says how many were added, were
 * already enrolled, or were refused and why.
 */
export function AddStudents({ courseId, onClose }: { courseId: number; onClose: () => void }) {
  const { t, locale } = useI18n();
  const [search, setSearch] = useState("");
  const [year, setYear] = useState("");
  const { offset, setOffset, refilter } = usePageOffset();
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [selectingAll, setSelectingAll] = useState(false);
  const q = useDebounced(search.trim());
  const filters = { q: q || undefined, study_year: year ? Number(year) : undefined, is_active: true };
  const page = useQuery({
    queryKey: [...studentKeys.lists(), "enrol-picker", filters, offset] as const,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/students", {
          params: { query: { ...filters, sort: "last_name", limit: PAGE, offset } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const enroll = useBulkEnroll(courseId);
  const rows = page.data?.items ?? [];
  const allOnPage = rows.length > 0 && rows.every((student) => selected.has(student.id));

  function toggle(ids: number[], on: boolean) {
    enroll.reset();
    setSelected((current) => {
      const next = new Set(current);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });
  }

  async function selectAllMatching() {
    setSelectingAll(true);
    try {
      const everyone = await allPages((from, limit) =>
        unwrap(
          api.GET("/api/v1/students", { params: { query: { ...filters, sort: "id", limit, offset: from } } }),
        ),
      );
      toggle(
        everyone.map((student) => student.id),
        true,
      );
    } finally {
      setSelectingAll(false);
    }
  }

  const result = enroll.data;
  return (
    <Card
      title={t("classList.addTitle")}
      labelledBy="add-students"
      description={t("classList.addHint")}
      actions={<Button onClick={onClose}>{t("classList.close")}</Button>}
    >
      <div className="stack">
        <div className="row">
          <StudentSearch value={search} onChange={refilter(setSearch)} />
          <SelectField
            label={t("students.studyYear")}
            value={year}
            onChange={(event) => refilter(setYear)(event.target.value)}
          >
            <option value="">{t("common.all")}</option>
            {YEARS.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </SelectField>
        </div>
        <QueryResult query={page} isEmpty={(data) => data.items.length === 0} empty={t("students.none")}>
          {(data) => (
            <>
              <div className="row" style={{ alignItems: "center" }}>
                <label className="checkbox">
                  <input
                    type="checkbox"
                    checked={allOnPage}
                    onChange={(event) =>
                      toggle(
                        rows.map((student) => student.id),
                        event.target.checked,
                      )
                    }
                  />
                  {t("classList.selectPage")}
                </label>
                <Button size="sm" busy={selectingAll} onClick={() => void selectAllMatching()}>
                  {t(pluralKey("classList.selectMatching", data.total, locale), { count: data.total })}
                </Button>
                {selected.size > 0 && (
                  <Button size="sm" variant="ghost" onClick={() => setSelected(new Set())}>
                    {t("classList.clearSelection")}
                  </Button>
                )}
              </div>
              <ul
                className="stack"
                style={{ listStyle: "none", padding: 0, margin: 0 }}
                data-testid="enrol-picker"
              >
                {rows.map((student) => (
                  <li key={student.id}>
                    <label className="checkbox">
                      <input
                        type="checkbox"
                        checked={selected.has(student.id)}
                        onChange={(event) => toggle([student.id], event.target.checked)}
                      />
                      {listName(student)}{" "}
                      <span className="muted mono">
                        {student.student_id} · {t("classList.year", { year: student.study_year ?? "—" })}
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
              <Pagination total={data.total} limit={data.limit} offset={data.offset} onChange={setOffset} />
            </>
          )}
        </QueryResult>
        <ErrorAlert error={enroll.error} />
        {result && (
          <Alert
            tone={result.refused > 0 ? "warn" : "ok"}
            title={t("classList.added", {
              enrolled: result.enrolled,
              reenrolled: result.reenrolled,
              already: result.already_enrolled,
              refused: result.refused,
            })}
          >
            {result.refusals.length > 0 && (
              <ul>
                {result.refusals.map((refusal) => (
                  <li key={refusal.student_id}>
                    #{refusal.student_id}:{" "}
                    {codeMessage(refusal.code, refusal.params, { t, locale }) ?? t("classList.refusedOther")}
                  </li>
                ))}
              </ul>
            )}
          </Alert>
        )}
        <div className="row">
          <Button
            variant="primary"
            write
            busy={enroll.isPending}
            disabled={selected.size === 0}
            onClick={() => enroll.mutate([...selected], { onSuccess: () => setSelected(new Set()) })}
          >
            {t(pluralKey("classList.addSelected", selected.size, locale), { count: selected.size })}
          </Button>
        </div>
      </div>
    </Card>
  );
}
