import { useT } from "../i18n/I18nProvider";

/** A column header that sorts the table; aria-sort tells screen readers the current order. */
export function SortHeader({
  field,
  label,
  sort,
  order,
  onSort,
  className,
}: {
  field: string;
  label: string;
  sort: string;
  order: "asc" | "desc";
  onSort: (field: string, order: "asc" | "desc") => void;
  className?: string;
}) {
  const t = useT();
  const active = sort === field;
  const next = active && order === "asc" ? "desc" : "asc";
  return (
    <th
      scope="col"
      className={className}
      aria-sort={active ? (order === "asc" ? "ascending" : "descending") : "none"}
    >
      <button
        type="button"
        className="sort-button"
        onClick={() => onSort(field, next)}
        title={t("table.sortBy", { field: label })}
      >
        {label}
        <span aria-hidden="true">{active ? (order === "asc" ? "▲" : "▼") : "↕"}</span>
      </button>
    </th>
  );
}
