import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { maintenanceKeys } from "./queryKeys";

export type MaintenanceNotice = components["schemas"]["MaintenanceNotice"];
export type MaintenanceStatus = components["schemas"]["MaintenanceStatus"];
export type MaintenanceSwitch = components["schemas"]["MaintenanceSwitch"];

/** How often every signed-in page asks whether SMS is read-only (and again on focus). */
export const POLL_MS = 15_000;

/** Whether SMS is read-only, for the banner and the write guard; any signed-in user. */
export function useMaintenanceNotice(enabled = true) {
  return useQuery({
    queryKey: maintenanceKeys.notice(),
    queryFn: () => unwrap(api.GET("/api/v1/maintenance")),
    enabled,
    refetchInterval: POLL_MS,
    refetchOnWindowFocus: "always",
    staleTime: 0,
    retry: false,
  });
}

/** The admin's view of the mode (who switched it). */
export function useMaintenanceStatus() {
  return useQuery({
    queryKey: maintenanceKeys.status(),
    queryFn: () => unwrap(api.GET("/api/v1/control/maintenance")),
    refetchInterval: POLL_MS,
  });
}

/** Turn read-only mode on (with a reason) or off; audited by the API. */
export function useSwitchMaintenance() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: MaintenanceSwitch) => unwrap(api.PUT("/api/v1/control/maintenance", { body })),
    onSuccess: async (status) => {
      queryClient.setQueryData(maintenanceKeys.status(), status);
      await queryClient.invalidateQueries({ queryKey: maintenanceKeys.all });
    },
  });
}
