/** Every cache key of the move to PostgreSQL; a start or cancel invalidates `jobs()`. */
export const moveKeys = {
  all: ["move"] as const,
  connection: () => [...moveKeys.all, "connection"] as const,
  jobs: () => [...moveKeys.all, "jobs"] as const,
  /** The running job, else the latest: what a reloaded page picks up. */
  current: () => [...moveKeys.jobs(), "current"] as const,
};
