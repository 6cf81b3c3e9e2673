/** The dashboard's cache keys; anything that changes its counts invalidates `all`. */
export const dashboardKeys = {
  all: ["dashboard"] as const,
  summary: () => [...dashboardKeys.all, "summary"] as const,
};
