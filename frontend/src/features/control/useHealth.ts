import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { HealthReport } from "./types";

export const HEALTH_KEY = ["health", "database"] as const;

export function useDatabaseHealth(refreshMs: number | false = false) {
  return useQuery({
    queryKey: HEALTH_KEY,
    queryFn: async () => (await unwrap(api.GET("/health/database"))) as unknown as HealthReport,
    refetchInterval: refreshMs,
    staleTime: 5_000,
  });
}
