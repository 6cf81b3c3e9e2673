import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { controlKeys } from "./queryKeys";

export type DatabaseHealth = components["schemas"]["DatabaseHealth"];
export type HealthWarning = DatabaseHealth["warnings"][number];

export function useDatabaseHealth(refreshMs: number | false = false) {
  return useQuery({
    queryKey: controlKeys.health(),
    queryFn: () => unwrap(api.GET("/health/database")),
    refetchInterval: refreshMs,
    staleTime: 5_000,
  });
}
