import { Link } from "react-router";
import type { Column } from "../../components/DataTable";
import { ActiveBadge } from "../../components/Feedback";
import type { T } from "../../i18n/I18nProvider";
import { listName } from "./names";

/** The student ID column of any table of students (the list, a course's students, a grade sheet). */
export function studentIdColumn<Row extends { student_id: string }>(t: T, sortable = false): Column<Row> {
  return {
    key: "student_id",
    header: t("students.studentId"),
    sortable,
    cellClassName: "mono",
    cell: (s) => s.student_id,
  };
}

/** The name column ("Last, First", sorted by last name), a link to the student unless `link` is false. */
export function studentNameColumn<Row extends { id: number; first_name: string; last_name: string }>(
  t: T,
  { link = true, sortable = false }: { link?: boolean; sortable?: boolean } = {},
): Column<Row> {
  return {
    key: "last_name",
    header: t("students.name"),
    sortable,
    cell: (s) => (link ? <Link to={`/students/${s.id}`}>{listName(s)}</Link> : listName(s)),
  };
}

/** Whether the record (a student, a course) is active. */
export function activeColumn<Row extends { is_active: boolean }>(t: T): Column<Row> {
  return {
    key: "status",
    header: t("students.status"),
    cell: (row) => <ActiveBadge active={row.is_active} />,
  };
}
