import { useT } from "../i18n/I18nProvider";
import { Button } from "./Button";

export function Pagination({
  total,
  limit,
  offset,
  onChange,
}: {
  total: number;
  limit: number;
  offset: number;
  onChange: (offset: number) => void;
}) {
  const t = useT();
  const page = Math.floor(offset / limit) + 1;
  const pages = Math.max(1, Math.ceil(total / limit));
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(offset + limit, total);
  return (
    <nav className="pagination" aria-label={t("pagination.label")}>
      <span>{t("pagination.showing", { from, to, total })}</span>
      <div className="row">
        <Button size="sm" disabled={page <= 1} onClick={() => onChange(Math.max(0, offset - limit))}>
          {t("pagination.previous")}
        </Button>
        <span aria-live="polite">{t("pagination.page", { page, pages })}</span>
        <Button size="sm" disabled={page >= pages} onClick={() => onChange(offset + limit)}>
          {t("pagination.next")}
        </Button>
      </div>
    </nav>
  );
}
