import type { ReactNode } from "react";
import { Empty, ErrorAlert, Loading } from "./Feedback";

/**
 * A query's states in one place: its error, a spinner while the first answer is on its way, the
 * `empty` message when there is nothing to show, else `children` with the data.
 */
export function QueryResult<Data>({
  query,
  isEmpty,
  empty,
  children,
}: {
  query: { data: Data | undefined; error: unknown; isPending: boolean };
  isEmpty: (data: Data) => boolean;
  empty: ReactNode;
  children: (data: Data) => ReactNode;
}) {
  const { data } = query;
  return (
    <>
      <ErrorAlert error={query.error} />
      {query.isPending && <Loading />}
      {data !== undefined && (isEmpty(data) ? <Empty>{empty}</Empty> : children(data))}
    </>
  );
}
