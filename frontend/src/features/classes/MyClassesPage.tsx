import { Link } from "react-router";
import { useAuth } from "../../auth/AuthProvider";
import { ButtonLink } from "../../components/Button";
import { DataTable } from "../../components/DataTable";
import { PageHeader } from "../../components/Layout";
import { QueryResult } from "../../components/QueryResult";
import { useI18n } from "../../i18n/I18nProvider";
import { pluralKey } from "../../i18n/plural";
import { formatDate } from "../../lib/dates";
import { formatNumber } from "../../lib/format";
import { useMyClasses } from "./api";

/** A teacher's first page: this term's classes, how many students each has, and the way to their sheets. */
export function MyClassesPage() {
  const { t, locale } = useI18n();
  const { user } = useAuth();
  const classes = useMyClasses();
  const term = classes.data?.term;
  const mine = user?.role === "teacher";

  return (
    <>
      <PageHeader
        title={t(mine ? "classes.title" : "classes.allTitle")}
        description={
          term
            ? t("classes.term", {
                term: `${term.academic_year_name} · ${term.name}`,
                from: formatDate(term.starts_on, locale),
                to: formatDate(term.ends_on, locale),
              })
            : t("classes.noTerm")
        }
        actions={
          mine && (
            <ButtonLink to="/dashboard" variant="ghost">
              {t("classes.schoolDashboard")}
            </ButtonLink>
          )
        }
      />
      <div className="card stack">
        <QueryResult
          query={classes}
          isEmpty={(data) => data.items.length === 0}
          empty={t(mine ? "classes.none" : "classes.noneAll")}
        >
          {(data) => (
            <DataTable
              rows={data.items}
              rowKey={(row) => row.id}
              caption={t("classes.title")}
              testId="my-classes"
              columns={[
                {
                  key: "course",
                  header: t("grades.course"),
                  rowHeader: true,
                  cell: (row) => (
                    <Link to={`/courses/${row.id}`}>
                      {row.course_code} — {row.course_name}
                    </Link>
                  ),
                },
                {
                  key: "students",
                  header: t("classes.students"),
                  className: "num",
                  cell: (row) =>
                    t(pluralKey("classes.studentCount", row.active_students, locale), {
                      count: formatNumber(row.active_students, locale),
                    }),
                },
                {
                  key: "teachers",
                  header: t("courses.teacher"),
                  cell: (row) =>
                    row.teachers.map((teacher) => teacher.full_name || teacher.email).join(", ") || "—",
                },
                {
                  key: "periods",
                  header: t("classes.periods"),
                  className: "num",
                  cell: (row) => row.periods_per_day,
                },
                {
                  key: "open",
                  header: t("common.actions"),
                  hiddenHeader: true,
                  cell: (row) => (
                    <div className="row">
                      <ButtonLink size="sm" to={`/attendance?course=${row.id}`}>
                        {t("courses.takeAttendance")}
                      </ButtonLink>
                      <ButtonLink size="sm" to={`/grades?course=${row.id}`}>
                        {t("courses.enterGrades")}
                      </ButtonLink>
                    </div>
                  ),
                },
              ]}
            />
          )}
        </QueryResult>
      </div>
    </>
  );
}
