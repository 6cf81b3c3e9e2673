import { useState } from "react";
import { Link } from "react-router";
import { useAuth } from "../../auth/AuthProvider";
import { ButtonLink } from "../../components/Button";
import { Badge, Empty, ErrorAlert, Loading } from "../../components/Feedback";
import { TextField } from "../../components/Field";
import { PageHeader } from "../../components/Layout";
import { Pagination } from "../../components/Pagination";
import { SortHeader } from "../../components/SortHeader";
import { useT } from "../../i18n/I18nProvider";
import { useDebounced } from "../../lib/useDebounced";
import { useCourses } from "./api";

const PAGE_SIZE = 20;

export function CoursesPage() {
  const t = useT();
  const { hasRole } = useAuth();
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim());
  const [offset, setOffset] = useState(0);
  const [sort, setSort] = useState("course_code");
  const [order, setOrder] = useState<"asc" | "desc">("asc");
  const courses = useCourses({ limit: PAGE_SIZE, offset, sort, order, ...(q ? { q } : {}) });
  const onSort = (field: string, next: "asc" | "desc") => {
    setSort(field);
    setOrder(next);
  };

  return (
    <>
      <PageHeader
        title={t("courses.title")}
        description={t("courses.description")}
        actions={
          hasRole("admin", "teacher") && (
            <ButtonLink to="/courses/new" variant="primary">
              {t("courses.new")}
            </ButtonLink>
          )
        }
      />
      <div className="card stack">
        <div className="row">
          <TextField
            label={t("courses.search")}
            type="search"
            value={search}
            onChange={(event) => {
              setSearch(event.target.value);
              setOffset(0);
            }}
            style={{ minWidth: 280 }}
          />
        </div>
        <ErrorAlert error={courses.error} />
        {courses.isPending && <Loading />}
        {courses.data &&
          (courses.data.items.length === 0 ? (
            <Empty>{t("courses.none")}</Empty>
          ) : (
            <>
              <div className="table-wrap">
                <table className="table">
                  <caption className="visually-hidden">{t("courses.title")}</caption>
                  <thead>
                    <tr>
                      <SortHeader
                        field="course_code"
                        label={t("courses.code")}
                        sort={sort}
                        order={order}
                        onSort={onSort}
                      />
                      <SortHeader
                        field="course_name"
                        label={t("courses.name")}
                        sort={sort}
                        order={order}
                        onSort={onSort}
                      />
                      <SortHeader
                        field="semester"
                        label={t("courses.semester")}
                        sort={sort}
                        order={order}
                        onSort={onSort}
                      />
                      <th scope="col">{t("courses.teacher")}</th>
                      <th scope="col" className="num">
                        {t("courses.credits")}
                      </th>
                      <th scope="col">{t("students.status")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {courses.data.items.map((course) => (
                      <tr key={course.id}>
                        <td className="mono">{course.course_code}</td>
                        <td>
                          <Link to={`/courses/${course.id}`}>{course.course_name}</Link>
                        </td>
                        <td>
                          {course.semester} {course.year}
                        </td>
                        <td>{course.teacher_name ?? "—"}</td>
                        <td className="num">{course.credits}</td>
                        <td>
                          <Badge tone={course.is_active ? "ok" : "neutral"}>
                            {course.is_active ? t("students.active") : t("students.inactive")}
                          </Badge>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pagination
                total={courses.data.total}
                limit={courses.data.limit}
                offset={courses.data.offset}
                onChange={setOffset}
              />
            </>
          ))}
      </div>
    </>
  );
}
