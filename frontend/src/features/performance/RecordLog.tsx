import { useState, type FormEvent, type ReactNode } from "react";
import { fieldError } from "../../api/errors";
import { Button } from "../../components/Button";
import { Confirm } from "../../components/Confirm";
import { DataTable, type Column } from "../../components/DataTable";
import { ErrorAlert } from "../../components/Feedback";
import { TextField } from "../../components/Field";
import { Card } from "../../components/Layout";
import { Pagination } from "../../components/Pagination";
import { QueryResult } from "../../components/QueryResult";
import { useI18n } from "../../i18n/I18nProvider";
import { todayIso } from "../../lib/dates";

// The daily scores and the highlights are the same kind of page: a filtered, paged log of records a
// teacher adds, corrects and deletes in place. These pieces serve both.

interface Page<Row> {
  items: Row[];
  total: number;
  limit: number;
  offset: number;
}

/** A delete (or save) mutation as the log's pieces use it. */
interface Mutation<Vars> {
  isPending: boolean;
  error: unknown;
  mutate: (vars: Vars, options: { onSuccess: () => void }) => void;
}

/** Which record the form edits ("new" for a new one) and which one waits for a confirmed delete. */
export function useRecordEditing<Row>() {
  const [editing, setEditing] = useState<Row | "new" | null>(null);
  const [deleting, setDeleting] = useState<Row | null>(null);
  return { editing, setEditing, deleting, setDeleting };
}

/** The table of one page of records, with Edit and Delete on the rows the user may change. */
export function RecordLog<Row extends { id: number }>({
  query,
  caption,
  testId,
  empty,
  columns,
  mayChange,
  onEdit,
  onDelete,
  onPage,
}: {
  query: { data: Page<Row> | undefined; error: unknown; isPending: boolean; isFetching: boolean };
  caption: string;
  testId: string;
  empty: ReactNode;
  columns: Column<Row>[];
  mayChange: (row: Row) => boolean;
  onEdit: (row: Row) => void;
  onDelete: (row: Row) => void;
  onPage: (offset: number) => void;
}) {
  const { t } = useI18n();
  const actions: Column<Row> = {
    key: "actions",
    header: t("common.actions"),
    hiddenHeader: true,
    cell: (row) =>
      mayChange(row) && (
        <div className="row">
          <Button size="sm" write onClick={() => onEdit(row)}>
            {t("common.edit")}
          </Button>
          <Button size="sm" variant="ghost" write onClick={() => onDelete(row)}>
            {t("common.delete")}
          </Button>
        </div>
      ),
  };
  return (
    <div className="card stack">
      <QueryResult query={query} isEmpty={(page) => page.items.length === 0} empty={empty}>
        {(page) => (
          <>
            <DataTable
              rows={page.items}
              rowKey={(row) => row.id}
              caption={caption}
              busy={query.isFetching}
              testId={testId}
              columns={[...columns, actions]}
            />
            <Pagination total={page.total} limit={page.limit} offset={page.offset} onChange={onPage} />
          </>
        )}
      </QueryResult>
    </div>
  );
}

/** Asks before deleting `row`; closes once the delete went through. */
export function ConfirmDelete<Row extends { id: number }>({
  title,
  row,
  remove,
  onClose,
  children,
}: {
  title: string;
  row: Row;
  remove: Mutation<number>;
  onClose: () => void;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Confirm
      title={title}
      confirmLabel={t("common.delete")}
      busy={remove.isPending}
      error={remove.error}
      onCancel={onClose}
      onConfirm={() => remove.mutate(row.id, { onSuccess: onClose })}
    >
      {children}
    </Confirm>
  );
}

/** The card of a record's form: its error, the fields, Save (or `createLabel`) and Cancel. */
export function RecordForm<Body>({
  title,
  labelledBy,
  editing,
  save,
  body,
  createLabel,
  onDone,
  children,
}: {
  title: string;
  labelledBy: string;
  /** The record being corrected; null for a new one. */
  editing: { id: number } | null;
  save: Mutation<{ id: number | null; body: Body }>;
  /** The body to save, read from the fields when the form is sent. */
  body: () => Body;
  createLabel: string;
  onDone: () => void;
  /** The fields, given the API's message for a field it refused. */
  children: (err: (field: string) => string | undefined) => ReactNode;
}) {
  const { t, locale } = useI18n();
  const editingId = editing?.id ?? null;
  const err = (field: string) => fieldError(save.error, field, { t, locale });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ id: editingId, body: body() }, { onSuccess: onDone });
  };
  return (
    <Card title={title} labelledBy={labelledBy}>
      <form className="stack" noValidate onSubmit={submit}>
        <ErrorAlert error={save.error} />
        {children(err)}
        <div className="row">
          <Button type="submit" variant="primary" busy={save.isPending}>
            {editingId === null ? createLabel : t("common.save")}
          </Button>
          <Button onClick={onDone}>{t("common.cancel")}</Button>
        </div>
      </form>
    </Card>
  );
}

/** The day a record is of: today or earlier (the API refuses a day in the future). */
export function RecordDateField({
  value,
  error,
  onChange,
}: {
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  const { t } = useI18n();
  return (
    <TextField
      label={t("attendance.date")}
      type="date"
      max={todayIso()}
      value={value}
      error={error}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}
