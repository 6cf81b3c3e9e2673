import { Fragment, type ReactNode } from "react";

export interface KeyValue {
  label: ReactNode;
  value: ReactNode;
  /** For the value: "mono" for codes, URLs and names a person copies. */
  className?: string;
  testId?: string;
}

/** Labelled values of one record (a profile, a connection): a <dl>; false entries are left out. */
export function KeyValueList({ items }: { items: (KeyValue | false | null | undefined)[] }) {
  return (
    <dl className="kv">
      {items.map(
        (item, index) =>
          item && (
            <Fragment key={index}>
              <dt>{item.label}</dt>
              <dd className={item.className} data-testid={item.testId}>
                {item.value}
              </dd>
            </Fragment>
          ),
      )}
    </dl>
  );
}
