import type { ReactNode } from "react";

/**
 * The frame of a hand-written table (the attendance and grade sheets, whose rows are their own
 * components for speed with 300 students; the readiness problems): column headers, then the rows.
 */
export function SheetTable({
  testId,
  headers,
  children,
}: {
  testId: string;
  headers: ReactNode[];
  children: ReactNode;
}) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid={testId}>
        <thead>
          <tr>
            {headers.map((header, index) => (
              <th key={index} scope="col">
                {header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
