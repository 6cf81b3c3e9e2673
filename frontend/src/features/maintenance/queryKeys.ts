/** Every cache key of read-only mode; a switch invalidates `all`. */
export const maintenanceKeys = {
  all: ["maintenance"] as const,
  /** GET /api/v1/maintenance: what every signed-in user is shown (polled). */
  notice: () => [...maintenanceKeys.all, "notice"] as const,
  /** GET /api/v1/control/maintenance: the admin's view, with who switched it. */
  status: () => [...maintenanceKeys.all, "status"] as const,
};
