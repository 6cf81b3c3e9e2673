import type { ReactNode } from "react";
import { useParams } from "react-router";
import { ErrorAlert, Loading } from "./Feedback";

/**
 * The record a page's `:id` names (none on a "new" page), loaded by `useRecord`, then handed to
 * `children`; while it loads, a spinner, and if it cannot be read, why.
 */
export function RouteRecord<Record>({
  useRecord,
  children,
}: {
  useRecord: (id: number | null) => { data: Record | undefined; error: unknown; isPending: boolean };
  children: (record: Record | undefined) => ReactNode;
}) {
  const { id } = useParams();
  const recordId = id ? Number(id) : null;
  const record = useRecord(recordId);
  if (recordId !== null && record.isPending) return <Loading />;
  if (record.error) return <ErrorAlert error={record.error} />;
  return <>{children(record.data)}</>;
}
