import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { ApiError } from "../../api/errors";
import { downloadFile } from "../../api/http";
import { HEALTH_KEY } from "./useHealth";

export const BACKUPS_KEY = ["control", "backups"] as const;

/** A 404 on the list itself means a server without the backups API (an older build), not "no backups". */
export function isUnavailable(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 405);
}

export function useBackups() {
  return useQuery({
    queryKey: BACKUPS_KEY,
    queryFn: () => unwrap(api.GET("/api/v1/control/backups", { params: { query: { limit: 500 } } })),
    select: (page) => page.items,
    retry: false,
  });
}

function useBackupMutation<V>(run: (value: V) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: BACKUPS_KEY });
      await queryClient.invalidateQueries({ queryKey: HEALTH_KEY });
    },
  });
}

const named = (name: string) => ({ params: { path: { name } } });

export const useCreateBackup = () => useBackupMutation(() => unwrap(api.POST("/api/v1/control/backups")));
export const useDeleteBackup = () =>
  useBackupMutation((name: string) => unwrap(api.DELETE("/api/v1/control/backups/{name}", named(name))));
export const useRestoreBackup = () =>
  useBackupMutation((name: string) => unwrap(api.POST("/api/v1/control/backups/{name}/restore", named(name))));
export const downloadBackup = (name: string) =>
  downloadFile(`/api/v1/control/backups/${encodeURIComponent(name)}/download`, name);
