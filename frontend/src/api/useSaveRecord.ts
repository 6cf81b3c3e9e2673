import { useMutation, useQueryClient, type QueryKey } from "@tanstack/react-query";

/**
 * Save a record from its edit page: create it (no id yet) or update it; the answer is cached as the
 * record, then whatever shows it is refreshed.
 */
export function useSaveRecord<Body, Saved extends { id: number }>({
  id,
  create,
  update,
  detailKey,
  refresh,
}: {
  id: number | null;
  create: (body: Body) => Promise<Saved>;
  update: (id: number, body: Body) => Promise<Saved>;
  detailKey: (id: number) => QueryKey;
  /** The queries that show the record (its lists, and what is computed from it). */
  refresh: QueryKey[];
}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Body) => (id === null ? create(body) : update(id, body)),
    onSuccess: async (saved) => {
      queryClient.setQueryData(detailKey(saved.id), saved);
      for (const queryKey of refresh) await queryClient.invalidateQueries({ queryKey });
    },
  });
}
