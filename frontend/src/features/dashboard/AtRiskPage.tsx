import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { ButtonLink } from "../../components/Button";
import { PageHeader } from "../../components/Layout";
import { Pagination } from "../../components/Pagination";
import { QueryResult } from "../../components/QueryResult";
import { useT } from "../../i18n/I18nProvider";
import { AtRiskTable } from "./AtRiskTable";
import { dashboardKeys } from "./queryKeys";
import { TermSelect, useDashboardScope } from "./scope";

const PAGE = 50;

/** Every at-risk student-course pair of the term, paged: the dashboard's "see all". */
export function AtRiskPage() {
  const t = useT();
  const { scope, term, offset, update } = useDashboardScope();
  const list = useQuery({
    queryKey: dashboardKeys.atRisk(scope, offset),
    queryFn: () =>
      unwrap(api.GET("/api/v1/dashboard/at-risk", { params: { query: { ...scope, limit: PAGE, offset } } })),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageHeader
        title={t("dashboard.atRisk")}
        description={t("dashboard.atRiskHint")}
        actions={
          <ButtonLink to={term ? `/dashboard?term=${term}` : "/dashboard"} variant="ghost">
            {t("dashboard.back")}
          </ButtonLink>
        }
      />
      <div className="card stack">
        <div className="row">
          <TermSelect value={term} onChange={(value) => update({ term: value, offset: null })} />
        </div>
        <QueryResult
          query={list}
          isEmpty={(page) => page.items.length === 0}
          empty={t("dashboard.noneAtRisk")}
        >
          {(page) => (
            <>
              <AtRiskTable rows={page.items} busy={list.isFetching} />
              <Pagination
                total={page.total}
                limit={page.limit}
                offset={page.offset}
                onChange={(next) => update({ offset: next })}
              />
            </>
          )}
        </QueryResult>
      </div>
    </>
  );
}
