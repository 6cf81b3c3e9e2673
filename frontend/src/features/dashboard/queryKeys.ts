/** The dashboard's cache keys; anything that changes its counts invalidates `all`. */
export const dashboardKeys = {
  all: ["dashboard"] as const,
  summary: (scope: DashboardScope = {}) => [...dashboardKeys.all, "summary", scope] as const,
  atRisk: (scope: DashboardScope, offset: number) =>
    [...dashboardKeys.all, "at-risk", scope, offset] as const,
};

/** Which courses the figures cover: a term (default: the current one) or every term. */
export interface DashboardScope {
  term_id?: number;
  all_terms?: boolean;
}
