import { useEffect, useState } from "react";
import { Link } from "react-router";
import { z } from "zod";
import { useAuth } from "../../auth/AuthProvider";
import { ButtonLink } from "../../components/Button";
import { Badge, Empty, ErrorAlert, Loading } from "../../components/Feedback";
import { SelectField, TextField } from "../../components/Field";
import { PageHeader } from "../../components/Layout";
import { Pagination } from "../../components/Pagination";
import { SortHeader } from "../../components/SortHeader";
import { useT } from "../../i18n/I18nProvider";
import { useSearch } from "../../lib/searchParams";
import { useDebounced } from "../../lib/useDebounced";
import { useStudents } from "./api";

const PAGE_SIZE = 20;

// /students?q=&offset=&sort=&order=&active= (the sort fields are the API's).
const studentsSearch = z.object({
  q: z.string().default(""),
  offset: z.coerce.number().int().min(0).default(0),
  sort: z
    .enum([
      "id",
      "student_id",
      "first_name",
      "last_name",
      "email",
      "enrollment_date",
      "study_year",
      "created_at",
    ])
    .default("last_name"),
  order: z.enum(["asc", "desc"]).default("asc"),
  active: z.enum(["true", "false"]).optional(),
});

export function StudentsPage() {
  const t = useT();
  const { hasRole } = useAuth();
  const [params, update] = useSearch(studentsSearch);
  const [search, setSearch] = useState(params.q);
  const q = useDebounced(search.trim());
  const { offset, sort, order, q: qParam } = params;
  const active = params.active ?? "";

  const students = useStudents({
    limit: PAGE_SIZE,
    offset,
    ...(qParam ? { q: qParam } : {}),
    sort,
    order,
    ...(active ? { is_active: active === "true" } : {}),
  });

  const onSort = (field: string, direction: "asc" | "desc") => update({ sort: field, order: direction });

  useEffect(() => {
    if (q !== qParam) update({ q, offset: null });
  }, [q, qParam, update]);

  return (
    <>
      <PageHeader
        title={t("students.title")}
        description={t("students.description")}
        actions={
          hasRole("admin", "teacher") && (
            <ButtonLink to="/students/new" variant="primary">
              {t("students.new")}
            </ButtonLink>
          )
        }
      />
      <div className="card stack">
        <div className="row">
          <TextField
            label={t("students.search")}
            type="search"
            value={search}
            placeholder={t("students.searchPlaceholder")}
            onChange={(event) => setSearch(event.target.value)}
            style={{ minWidth: 280 }}
          />
          <SelectField
            label={t("students.status")}
            value={active}
            onChange={(event) => update({ active: event.target.value, offset: null })}
          >
            <option value="">{t("common.all")}</option>
            <option value="true">{t("students.active")}</option>
            <option value="false">{t("students.inactive")}</option>
          </SelectField>
        </div>
        <ErrorAlert error={students.error} />
        {students.isPending && <Loading />}
        {students.data &&
          (students.data.items.length === 0 ? (
            <Empty>{qParam ? t("students.noMatch", { q: qParam }) : t("students.none")}</Empty>
          ) : (
            <>
              <div className="table-wrap">
                <table className="table" aria-busy={students.isFetching}>
                  <caption className="visually-hidden">{t("students.title")}</caption>
                  <thead>
                    <tr>
                      <SortHeader
                        field="student_id"
                        label={t("students.studentId")}
                        sort={sort}
                        order={order}
                        onSort={onSort}
                      />
                      <SortHeader
                        field="last_name"
                        label={t("students.name")}
                        sort={sort}
                        order={order}
                        onSort={onSort}
                      />
                      <SortHeader
                        field="email"
                        label={t("students.email")}
                        sort={sort}
                        order={order}
                        onSort={onSort}
                      />
                      <SortHeader
                        field="study_year"
                        label={t("students.studyYear")}
                        sort={sort}
                        order={order}
                        onSort={onSort}
                        className="num"
                      />
                      <th scope="col">{t("students.status")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {students.data.items.map((student) => (
                      <tr key={student.id}>
                        <td className="mono">{student.student_id}</td>
                        <td>
                          <Link to={`/students/${student.id}`}>
                            {student.last_name}, {student.first_name}
                          </Link>
                        </td>
                        <td>{student.email}</td>
                        <td className="num">{student.study_year}</td>
                        <td>
                          <Badge tone={student.is_active ? "ok" : "neutral"}>
                            {student.is_active ? t("students.active") : t("students.inactive")}
                          </Badge>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pagination
                total={students.data.total}
                limit={students.data.limit}
                offset={students.data.offset}
                onChange={(next) => update({ offset: next })}
              />
            </>
          ))}
      </div>
    </>
  );
}
