import { Link } from "react-router";
import { useCan } from "../../auth/permissions";
import type { Column } from "../../components/DataTable";
import { ListPage } from "../../components/ListPage";
import { useT } from "../../i18n/I18nProvider";
import { listSearch, useListParams } from "../../lib/useListParams";
import { useCourses, type Course } from "./api";
import { activeColumn } from "../students/columns";

const PAGE_SIZE = 20;

// /courses?q=&offset=&sort=&order= (the sort fields are the API's).
const coursesSearch = listSearch(
  ["id", "course_code", "course_name", "semester", "year", "credits", "created_at"],
  "course_code",
);

export function CoursesPage() {
  const t = useT();
  const may = useCan();
  const { params, search, setSearch, sorting, setOffset } = useListParams(coursesSearch);
  const { q, offset, sort, order } = params;
  const courses = useCourses({ limit: PAGE_SIZE, offset, sort, order, ...(q ? { q } : {}) });

  const columns: Column<Course>[] = [
    {
      key: "course_code",
      header: t("courses.code"),
      sortable: true,
      cellClassName: "mono",
      cell: (c) => c.course_code,
    },
    {
      key: "course_name",
      header: t("courses.name"),
      sortable: true,
      cell: (c) => <Link to={`/courses/${c.id}`}>{c.course_name}</Link>,
    },
    {
      key: "semester",
      header: t("courses.semester"),
      sortable: true,
      cell: (c) => `${c.semester} ${c.year}`,
    },
    { key: "teacher", header: t("courses.teacher"), cell: (c) => c.teacher_name ?? "—" },
    { key: "credits", header: t("courses.credits"), className: "num", cell: (c) => c.credits },
    activeColumn(t),
  ];

  return (
    <ListPage
      title={t("courses.title")}
      description={t("courses.description")}
      newRecord={may("courses.write") ? { to: "/courses/new", label: t("courses.new") } : undefined}
      search={{ label: t("courses.search"), value: search, onChange: setSearch }}
      query={courses}
      empty={t("courses.none")}
      columns={columns}
      sorting={sorting}
      onPage={setOffset}
    />
  );
}
