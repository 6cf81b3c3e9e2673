import type { ReactNode } from "react";
import { ButtonLink } from "./Button";
import { DataTable, type Column, type Sorting } from "./DataTable";
import { TextField } from "./Field";
import { PageHeader } from "./Layout";
import { Pagination } from "./Pagination";
import { QueryResult } from "./QueryResult";

interface Page<Row> {
  items: Row[];
  total: number;
  limit: number;
  offset: number;
}

/**
 * A paged, searchable, sortable list of records (students, courses): the header with its "new"
 * button (given only to those who may create, see auth/permissions.ts), the search box and any
 * filters, the table, the pages.
 */
export function ListPage<Row extends { id: number }>({
  title,
  description,
  newRecord,
  search,
  filters,
  query,
  empty,
  columns,
  sorting,
  onPage,
}: {
  title: string;
  description: string;
  /** The "new" button; left out for a person who may not create. */
  newRecord?: { to: string; label: string } | undefined;
  search: { label: string; value: string; placeholder?: string; onChange: (value: string) => void };
  filters?: ReactNode;
  query: { data: Page<Row> | undefined; error: unknown; isPending: boolean; isFetching: boolean };
  empty: ReactNode;
  columns: Column<Row>[];
  sorting: Sorting;
  onPage: (offset: number) => void;
}) {
  return (
    <>
      <PageHeader
        title={title}
        description={description}
        actions={
          newRecord && (
            <ButtonLink to={newRecord.to} variant="primary">
              {newRecord.label}
            </ButtonLink>
          )
        }
      />
      <div className="card stack">
        <div className="row">
          <TextField
            label={search.label}
            type="search"
            value={search.value}
            placeholder={search.placeholder}
            onChange={(event) => search.onChange(event.target.value)}
            style={{ minWidth: 280 }}
          />
          {filters}
        </div>
        <QueryResult query={query} isEmpty={(page) => page.items.length === 0} empty={empty}>
          {(page) => (
            <>
              <DataTable
                rows={page.items}
                columns={columns}
                rowKey={(row) => row.id}
                caption={title}
                sorting={sorting}
                busy={query.isFetching}
              />
              <Pagination total={page.total} limit={page.limit} offset={page.offset} onChange={onPage} />
            </>
          )}
        </QueryResult>
      </div>
    </>
  );
}
