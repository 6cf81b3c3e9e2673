import { ApiError } from "../../api/errors";

/**
 * A 404/405 from a Control Panel route means a server older than the route (Backups, Migration
 * readiness), not "nothing there": the tab explains what the route will do instead.
 */
export function isUnavailable(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 405);
}
