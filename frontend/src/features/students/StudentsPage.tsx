import { z } from "zod";
import type { Column } from "../../components/DataTable";
import { useCan } from "../../auth/permissions";
import { SelectField } from "../../components/Field";
import { ListPage } from "../../components/ListPage";
import { useT } from "../../i18n/I18nProvider";
import { listSearch, useListParams } from "../../lib/useListParams";
import { useStudents, type Student } from "./api";
import { activeColumn, studentIdColumn, studentNameColumn } from "./columns";

const PAGE_SIZE = 20;

// /students?q=&offset=&sort=&order=&active= (the sort fields are the API's).
const studentsSearch = listSearch(
  ["id", "student_id", "first_name", "last_name", "email", "enrollment_date", "study_year", "created_at"],
  "last_name",
).extend({ active: z.enum(["true", "false"]).optional() });

export function StudentsPage() {
  const t = useT();
  const may = useCan();
  const { params, update, search, setSearch, sorting, setOffset } = useListParams(studentsSearch);
  const { offset, sort, order, q } = params;
  const active = params.active ?? "";

  const students = useStudents({
    limit: PAGE_SIZE,
    offset,
    ...(q ? { q } : {}),
    sort,
    order,
    ...(active ? { is_active: active === "true" } : {}),
  });

  const columns: Column<Student>[] = [
    studentIdColumn(t, true),
    studentNameColumn(t, { sortable: true }),
    { key: "email", header: t("students.email"), sortable: true, cell: (s) => s.email },
    {
      key: "study_year",
      header: t("students.studyYear"),
      sortable: true,
      className: "num",
      cell: (s) => s.study_year,
    },
    activeColumn(t),
  ];

  return (
    <ListPage
      title={t("students.title")}
      description={t("students.description")}
      newRecord={may("students.write") ? { to: "/students/new", label: t("students.new") } : undefined}
      search={{
        label: t("students.search"),
        value: search,
        placeholder: t("students.searchPlaceholder"),
        onChange: setSearch,
      }}
      filters={
        <SelectField
          label={t("students.status")}
          value={active}
          onChange={(event) => update({ active: event.target.value, offset: null })}
        >
          <option value="">{t("common.all")}</option>
          <option value="true">{t("students.active")}</option>
          <option value="false">{t("students.inactive")}</option>
        </SelectField>
      }
      query={students}
      empty={q ? t("students.noMatch", { q }) : t("students.none")}
      columns={columns}
      sorting={sorting}
      onPage={setOffset}
    />
  );
}
