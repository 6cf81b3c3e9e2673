import {
  keepPreviousData,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryKey,
} from "@tanstack/react-query";

// The daily scores and the highlights are read and written the same way: one filtered page at a
// time (the last page stays on screen while the next loads), and every write refreshes them all.

/** One page of a record log; the previous page stays shown while a new filter loads. */
export function useRecordPage<Page>(queryKey: QueryKey, queryFn: () => Promise<Page>) {
  return useQuery({ queryKey, queryFn, placeholderData: keepPreviousData });
}

/** A save or delete that refreshes every query under `all` once it went through. */
export function useRecordWrite<Vars, Data>(all: QueryKey, mutationFn: (vars: Vars) => Promise<Data>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => queryClient.invalidateQueries({ queryKey: all }) });
}
