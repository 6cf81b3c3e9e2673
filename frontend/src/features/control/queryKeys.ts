/** Every cache key of the Control Panel; a backup or restore invalidates `health()` and `backups()`. */
export const controlKeys = {
  all: ["control"] as const,
  /** /health/database, shared by all three tabs (the engine decides what Backups and Migration show). */
  health: () => [...controlKeys.all, "health"] as const,
  /** The migration-readiness check, a mutation: the server runs the preflight on demand. */
  readiness: () => [...controlKeys.all, "readiness"] as const,
  backups: () => [...controlKeys.all, "backups"] as const,
};
