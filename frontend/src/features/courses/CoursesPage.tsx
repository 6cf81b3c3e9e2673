import { Link } from "react-router";
import { z } from "zod";
import { useCan } from "../../auth/permissions";
import type { Column } from "../../components/DataTable";
import { SelectField } from "../../components/Field";
import { ListPage } from "../../components/ListPage";
import { useT } from "../../i18n/I18nProvider";
import { listSearch, useListParams } from "../../lib/useListParams";
import { useCourses, type Course } from "./api";
import { activeColumn } from "../students/columns";
import { useAcademicYears } from "../terms/api";
import { TermSelect } from "../terms/TermSelect";
import { useTeacherOptions } from "../users/api";

const PAGE_SIZE = 20;

// /courses?q=&offset=&sort=&order=&term=&year=&teacher= (the sort fields are the API's).
const id = z.coerce.number().int().positive().optional();
const coursesSearch = listSearch(
  ["id", "course_code", "course_name", "semester", "year", "credits", "created_at"],
  "course_code",
).extend({ term: id, year: id, teacher: id });

export function CoursesPage() {
  const t = useT();
  const may = useCan();
  const { params, update, search, setSearch, sorting, setOffset } = useListParams(coursesSearch);
  const { q, offset, sort, order, term, year, teacher } = params;
  const years = useAcademicYears();
  // Only admins may read the accounts a teacher filter is made of.
  const teachers = useTeacherOptions(may("users.manage"));
  const courses = useCourses({
    limit: PAGE_SIZE,
    offset,
    sort,
    order,
    ...(q ? { q } : {}),
    ...(term ? { term_id: term } : {}),
    ...(year ? { academic_year_id: year } : {}),
    ...(teacher ? { teacher_id: teacher } : {}),
  });
  const filter = (name: "term" | "year" | "teacher") => (event: { target: { value: string } }) =>
    update({ [name]: event.target.value || null, offset: null });

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
    {
      key: "teacher",
      header: t("courses.teachers"),
      cell: (c) =>
        c.teachers.map((person) => person.full_name || person.email).join(", ") || c.teacher_name || "—",
    },
    { key: "credits", header: t("courses.credits"), className: "num", cell: (c) => c.credits },
    activeColumn(t),
  ];

  return (
    <ListPage
      title={t("courses.title")}
      description={t("courses.description")}
      newRecord={may("courses.write") ? { to: "/courses/new", label: t("courses.new") } : undefined}
      search={{ label: t("courses.search"), value: search, onChange: setSearch }}
      filters={
        <>
          <TermSelect
            label={t("courses.term")}
            emptyLabel={t("courses.allTerms")}
            value={term ?? ""}
            onChange={filter("term")}
          />
          <SelectField label={t("courses.academicYear")} value={year ?? ""} onChange={filter("year")}>
            <option value="">{t("courses.allYears")}</option>
            {(years.data ?? []).map((option) => (
              <option key={option.id} value={option.id}>
                {option.name}
              </option>
            ))}
          </SelectField>
          {may("users.manage") && (
            <SelectField label={t("courses.teachers")} value={teacher ?? ""} onChange={filter("teacher")}>
              <option value="">{t("courses.allTeachers")}</option>
              {(teachers.data ?? []).map((option) => (
                <option key={option.id} value={option.id}>
                  {option.full_name || option.email}
                </option>
              ))}
            </SelectField>
          )}
        </>
      }
      query={courses}
      empty={t("courses.none")}
      columns={columns}
      sorting={sorting}
      onPage={setOffset}
    />
  );
}
