import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { downloadFile } from "../../api/http";
import type { components } from "../../api/schema";
import { maintenanceKeys } from "../maintenance/queryKeys";
import { moveKeys } from "./queryKeys";

export type MoveJob = components["schemas"]["MoveJob"];
export type ConnectionInput = components["schemas"]["ConnectionInput"];
export type ConnectionTest = components["schemas"]["ConnectionTest"];
export type Configured = components["schemas"]["ConfiguredConnection"];

/** How often a page with a job in progress reads its progress: the copy of a small school takes a second or two. */
const PROGRESS_MS = 500;
const ACTIVE: MoveJob["state"][] = ["queued", "running", "cancelling"];

export function isActive(job: MoveJob | null | undefined): boolean {
  return !!job && ACTIVE.includes(job.state);
}

/** The POSTGRES_* connection the server is configured with (never its password). */
export function useConfiguredConnection() {
  return useQuery({
    queryKey: moveKeys.connection(),
    queryFn: () => unwrap(api.GET("/api/v1/control/move/connection")),
    select: (answer) => answer.configured,
    retry: false,
  });
}

export function useConnectionTest() {
  return useMutation({
    mutationFn: (body: ConnectionInput) => unwrap(api.POST("/api/v1/control/move/connection-test", { body })),
  });
}

/**
 * The job in progress, else the latest (null before any); read twice a second while one runs, and
 * with it read-only mode, which the job's tool switches on and off while the admin watches.
 */
export function useCurrentJob() {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: moveKeys.current(),
    queryFn: async () => {
      const job = await unwrap(api.GET("/api/v1/control/move/jobs/current"));
      if (isActive(job) || isActive(queryClient.getQueryData<MoveJob | null>(moveKeys.current()))) {
        void queryClient.invalidateQueries({ queryKey: maintenanceKeys.all });
      }
      return job;
    },
    refetchInterval: (query) => (isActive(query.state.data) ? PROGRESS_MS : false),
    staleTime: 0,
    retry: false,
  });
}

function useJobMutation<Input>(run: (input: Input) => Promise<MoveJob>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: async (job) => {
      queryClient.setQueryData(moveKeys.current(), job);
      // A move turns read-only mode on (and a cancel off): the banner should say so now.
      await queryClient.invalidateQueries({ queryKey: maintenanceKeys.all });
    },
  });
}

export interface StartInput {
  connection: ConnectionInput;
  dryRun: boolean;
  forceLiveTarget: boolean;
  /** How to read text that is not UTF-8 (the tool's --source-encoding); null: report it, move nothing. */
  sourceEncoding: string | null;
}

export function useStartJob() {
  return useJobMutation(({ connection, dryRun, forceLiveTarget, sourceEncoding }: StartInput) =>
    unwrap(
      api.POST("/api/v1/control/move/jobs", {
        body: {
          connection,
          dry_run: dryRun,
          force_live_target: forceLiveTarget,
          source_encoding: sourceEncoding,
        },
      }),
    ),
  );
}

export function useCancelJob() {
  return useJobMutation((jobId: string) =>
    unwrap(api.POST("/api/v1/control/move/jobs/{job_id}/cancel", { params: { path: { job_id: jobId } } })),
  );
}

/** The tool's JSON report of a job, as a download (secrets masked by the server). */
export function downloadReport(jobId: string): Promise<void> {
  return downloadFile(
    `/api/v1/control/move/jobs/${encodeURIComponent(jobId)}/report`,
    `sms-move-${jobId}.json`,
  );
}
