import type { ReactNode } from "react";
import type { Column } from "../../components/DataTable";
import type { T } from "../../i18n/I18nProvider";

/** The first two columns of the health and readiness tables: a database table's name and its rows. */
export function tableColumns<Row extends { name: string }>(
  t: T,
  rows: (table: Row) => ReactNode,
): Column<Row>[] {
  return [
    { key: "name", header: t("health.table"), cellClassName: "mono", cell: (table) => table.name },
    { key: "rows", header: t("health.rows"), className: "num", cell: rows },
  ];
}
