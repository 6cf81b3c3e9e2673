import type { Column } from "../../components/DataTable";
import type { T } from "../../i18n/I18nProvider";

/** The database table's name, the first column of the health and readiness tables. */
export function tableNameColumn<Row extends { name: string }>(t: T): Column<Row> {
  return { key: "name", header: t("health.table"), cellClassName: "mono", cell: (table) => table.name };
}
