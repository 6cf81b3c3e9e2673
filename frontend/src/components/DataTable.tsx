import type { HTMLAttributes, Key, ReactNode } from "react";
import { SortHeader } from "./SortHeader";

export interface Column<Row> {
  /** Unique per table; also the API's sort field when `sortable`. */
  key: string;
  header: string;
  cell: (row: Row) => ReactNode;
  /** On the header and every cell ("num" aligns numbers right). */
  className?: string;
  /** On the cells only ("mono" for codes). */
  cellClassName?: string;
  sortable?: boolean;
  /** The cell that names the row (a <th scope="row">), as in a sheet a teacher fills in. */
  rowHeader?: boolean;
  /** The header is for screen readers only (a column of buttons). */
  hiddenHeader?: boolean;
}

export interface Sorting {
  sort: string;
  order: "asc" | "desc";
  onSort: (field: string, order: "asc" | "desc") => void;
}

/** A table from one column list: the headers (sortable ones too) and the cells of every row. */
export function DataTable<Row>({
  rows,
  columns,
  rowKey,
  caption,
  sorting,
  busy,
  rowProps,
  footer,
  testId,
  scroll = true,
}: {
  rows: Row[];
  columns: Column<Row>[];
  rowKey: (row: Row) => Key;
  /** For screen readers: the table's name. */
  caption?: string;
  sorting?: Sorting;
  /** True while newer rows are on their way. */
  busy?: boolean;
  /** Extra attributes of a row (a keyboard handler). */
  rowProps?: (row: Row) => HTMLAttributes<HTMLTableRowElement>;
  /** Rows after the data rows (a total, a penalty). */
  footer?: ReactNode;
  testId?: string;
  /** False for a small table inside a card that never needs to scroll sideways. */
  scroll?: boolean;
}) {
  const table = (
    <table className="table" aria-busy={busy} data-testid={testId}>
      {caption && <caption className="visually-hidden">{caption}</caption>}
      <thead>
        <tr>
          {columns.map((column) =>
            column.sortable && sorting ? (
              <SortHeader
                key={column.key}
                field={column.key}
                label={column.header}
                className={column.className}
                {...sorting}
              />
            ) : (
              <th key={column.key} scope="col" className={column.className}>
                {column.hiddenHeader ? (
                  <span className="visually-hidden">{column.header}</span>
                ) : (
                  column.header
                )}
              </th>
            ),
          )}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} {...rowProps?.(row)}>
            {columns.map((column) =>
              column.rowHeader ? (
                <th key={column.key} scope="row" className="row-header">
                  {column.cell(row)}
                </th>
              ) : (
                <td
                  key={column.key}
                  className={[column.className, column.cellClassName].filter(Boolean).join(" ") || undefined}
                >
                  {column.cell(row)}
                </td>
              ),
            )}
          </tr>
        ))}
        {footer}
      </tbody>
    </table>
  );
  return scroll ? <div className="table-wrap">{table}</div> : table;
}
