import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError } from "../../api/errors";
import { downloadFile, rawRequest } from "../../api/http";
import { HEALTH_KEY } from "./useHealth";
import type { Backup } from "./types";

// These routes come from the backups work, not in the generated schema yet: see rawRequest.
const BASE = "/api/v1/control/backups";
export const BACKUPS_KEY = ["control", "backups"] as const;

/** Accept a bare list or a {items} page, whichever the backups API settles on. */
function toBackups(body: unknown): Backup[] {
  const list = Array.isArray(body) ? body : (body as { items?: unknown } | null)?.items;
  if (!Array.isArray(list)) return [];
  return list
    .filter((item): item is Record<string, unknown> => typeof item === "object" && item !== null)
    .map((item) => ({
      name: String(item.name ?? item.filename ?? ""),
      engine: typeof item.engine === "string" ? item.engine : undefined,
      size_bytes: typeof item.size_bytes === "number" ? item.size_bytes : typeof item.size === "number" ? item.size : undefined,
      created_at: typeof item.created_at === "string" ? item.created_at : undefined,
    }))
    .filter((backup) => backup.name);
}

/** A 404 on the list itself means this server has no backups API yet, not "no backups". */
export function isUnavailable(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 405);
}

export function useBackups() {
  return useQuery({
    queryKey: BACKUPS_KEY,
    queryFn: async () => toBackups(await rawRequest<unknown>("GET", BASE)),
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

const path = (name: string) => `${BASE}/${encodeURIComponent(name)}`;

export const useCreateBackup = () => useBackupMutation(() => rawRequest<unknown>("POST", BASE));
export const useDeleteBackup = () => useBackupMutation((name: string) => rawRequest<unknown>("DELETE", path(name)));
export const useRestoreBackup = () =>
  useBackupMutation((name: string) => rawRequest<unknown>("POST", `${path(name)}/restore`));
export const downloadBackup = (name: string) => downloadFile(`${path(name)}/download`, name);
