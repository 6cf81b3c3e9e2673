import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { downloadFile } from "../../api/http";
import { controlKeys } from "./queryKeys";

export function useBackups() {
  return useQuery({
    queryKey: controlKeys.backups(),
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
      // The list changed, and so did the health report's last backup.
      await queryClient.invalidateQueries({ queryKey: controlKeys.backups() });
      await queryClient.invalidateQueries({ queryKey: controlKeys.health() });
    },
  });
}

const named = (name: string) => ({ params: { path: { name } } });

export const useCreateBackup = () => useBackupMutation(() => unwrap(api.POST("/api/v1/control/backups")));
export const useDeleteBackup = () =>
  useBackupMutation((name: string) => unwrap(api.DELETE("/api/v1/control/backups/{name}", named(name))));
export const useRestoreBackup = () =>
  useBackupMutation((name: string) =>
    unwrap(api.POST("/api/v1/control/backups/{name}/restore", named(name))),
  );
export const downloadBackup = (name: string) =>
  downloadFile(`/api/v1/control/backups/${encodeURIComponent(name)}/download`, name);
