import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ADMIN_ME, renderApp, serveApi } from "../../test/render";
import type { DatabaseHealth } from "../control/useHealth";
import type { ConnectionTest, MoveJob } from "./moveApi";

afterEach(() => vi.unstubAllGlobals());

const CONFIGURED = {
  configured: {
    host: "db.school.lan",
    port: 5432,
    database: "sms",
    user: "sms",
    sslmode: "prefer",
    password_set: true,
  },
};
const TESTED: ConnectionTest = {
  ok: true,
  server_version: "16.4",
  can_create_tables: true,
  empty: false,
  tables_with_rows: [
    { name: "students", rows: 12 },
    { name: "courses", rows: 1 },
  ],
  other_sessions: [{ application_name: "psql", client: "10.0.0.7", count: 1 }],
  error: null,
};
const JOB: MoveJob = {
  id: "job-7",
  kind: "move",
  state: "running",
  started_by: "admin@example.com",
  created_at: "2026-12-06T21:00:00Z",
  started_at: "2026-12-06T21:00:01Z",
  finished_at: null,
  target: { host: "db.school.lan", port: 5432, database: "sms", user: "sms" },
  rows_done: 1200,
  rows_total: 5000,
  rows_per_second: 1234.5,
  seconds_left: 3.1,
  tables: [
    { name: "students", rows_done: 1000, rows_total: 1000, state: "verified" },
    { name: "grades", rows_done: 200, rows_total: 4000, state: "copying" },
  ],
  exit_code: null,
  error: null,
  summary: null,
  next_step: null,
};
const MOVED: MoveJob = {
  ...JOB,
  state: "succeeded",
  rows_done: 5000,
  seconds_left: 0,
  exit_code: 0,
  summary: { tables: 2, rows: 5000, verified: true, seconds: 1 },
  next_step: {
    env_lines: ["DATABASE_ENGINE=postgresql", "POSTGRES_PASSWORD=***"],
    restart_command: "make docker-start",
  },
};
const READ_ONLY = { read_only: true, reason: "moving to PostgreSQL", since: "2026-12-06T21:00:01Z" };

function engineHealth(engine: DatabaseHealth["engine"]): Pick<DatabaseHealth, "engine"> {
  return { engine };
}

type Answer = { status: number; body?: unknown } | undefined;

function serveMove(
  current: MoveJob | null,
  extra: (call: { method: string; path: string; body: unknown }) => Answer,
) {
  return serveApi((call) => {
    if (call.path === "/api/v1/auth/me") return { status: 200, body: ADMIN_ME };
    if (call.path === "/health/database") return { status: 200, body: engineHealth("sqlite") };
    if (call.path === "/api/v1/maintenance")
      return { status: 200, body: current ? READ_ONLY : { read_only: false, reason: null, since: null } };
    if (call.path === "/api/v1/control/move/connection") return { status: 200, body: CONFIGURED };
    if (call.path === "/api/v1/control/move/jobs/current") return { status: 200, body: current };
    return extra(call);
  });
}

describe("Move to PostgreSQL", () => {
  it("tests the configured connection, never showing a password, and words what the test found", async () => {
    const calls = serveMove(null, ({ method, path, body }) => {
      if (method !== "POST" || path !== "/api/v1/control/move/connection-test") return undefined;
      const typed = body as { use_configured: boolean };
      if (typed.use_configured) return { status: 200, body: TESTED };
      const refused: ConnectionTest = {
        ok: false,
        tables_with_rows: [],
        other_sessions: [],
        error: {
          code: "pg_auth_failed",
          params: { host: "other", port: 5432, database: "sms", user: "bob" },
        },
      };
      return { status: 200, body: refused };
    });
    const user = userEvent.setup();
    renderApp("/control/move", { token: "tok" });
    expect(await screen.findByTestId("configured-host", {}, { timeout: 8000 })).toHaveTextContent(
      "db.school.lan",
    );
    expect(screen.getByText("set (not shown)")).toBeInTheDocument();
    const next = screen.getByTestId("move-next");
    expect(next).toBeDisabled();

    await user.click(screen.getByTestId("connection-test"));
    const result = await screen.findByTestId("connection-result");
    expect(result).toHaveTextContent("Connected to PostgreSQL 16.4.");
    expect(result).toHaveTextContent("2 tables already hold rows: the move replaces them.");
    expect(screen.getByTestId("other-sessions")).toHaveTextContent(
      "1 other session is connected to this database",
    );
    expect(within(result).getByRole("row", { name: /psql\s+10\.0\.0\.7\s+1/ })).toBeInTheDocument();
    expect(next).toBeEnabled();
    expect(calls.find((call) => call.path.endsWith("/connection-test"))?.body).toEqual({
      use_configured: true,
    });

    // Typed in: the password starts empty, is not offered by the browser, and a refusal is worded.
    await user.click(screen.getByLabelText("Another database, typed in"));
    expect(next).toBeDisabled();
    const password = screen.getByLabelText("Password");
    expect(password).toHaveValue("");
    expect(password).toHaveAttribute("autocomplete", "new-password");
    await user.type(screen.getByLabelText("Host"), "other");
    await user.type(screen.getByLabelText("Database"), "sms");
    await user.type(screen.getByLabelText("User"), "bob");
    await user.type(password, "wrong");
    await user.click(screen.getByTestId("connection-test"));
    expect(
      await screen.findByText(
        "PostgreSQL refused the password of user bob: check the user name and the password.",
      ),
    ).toBeInTheDocument();
    expect(next).toBeDisabled();
    expect(JSON.stringify({ ...localStorage, ...sessionStorage })).not.toContain("wrong");
  });

  it("walks the steps in order and starts the dry run with what was chosen", async () => {
    let current: MoveJob | null = null;
    const calls = serveMove(null, ({ method, path }) => {
      if (method !== "POST") return undefined;
      if (path === "/api/v1/control/move/connection-test")
        return { status: 200, body: { ...TESTED, other_sessions: [] } };
      if (path === "/api/v1/control/migration-readiness") {
        const ready = {
          engine: "sqlite",
          source: "/srv/sms.db",
          ready: true,
          tables: [],
          problems_total: 0,
          next_commands: [],
        };
        return { status: 200, body: ready };
      }
      if (path === "/api/v1/control/move/jobs") {
        current = { ...JOB, id: "dry-1", kind: "dry_run", state: "queued", rows_done: 0, tables: [] };
        return { status: 202, body: current };
      }
      return undefined;
    });
    const user = userEvent.setup();
    renderApp("/control/move", { token: "tok" });
    await user.click(await screen.findByTestId("connection-test", {}, { timeout: 8000 }));
    await screen.findByTestId("connection-result");
    await user.click(screen.getByTestId("move-next"));
    expect(screen.getByTestId("move-next")).toBeDisabled();
    await user.click(screen.getByTestId("readiness-run"));
    expect(await screen.findByText("Ready: nothing blocks the move to PostgreSQL.")).toBeInTheDocument();
    await user.click(screen.getByTestId("move-next"));
    expect(screen.getByTestId("move-wizard")).toHaveAttribute("data-step", "dryRun");
    await user.selectOptions(screen.getByLabelText("Text that is not valid UTF-8"), "windows-1253");
    await user.click(screen.getByTestId("dry-run-start"));
    expect(await screen.findByTestId("job-state")).toHaveTextContent("Waiting to start");
    expect(calls.find((call) => call.path === "/api/v1/control/move/jobs")?.body).toEqual({
      connection: { use_configured: true },
      dry_run: true,
      force_live_target: false,
      source_encoding: "windows-1253",
    });
    expect(current).not.toBeNull();
  });

  it("a reloaded page picks up the move in progress, shows its progress, and cancels it after a confirm", async () => {
    let current: MoveJob = JOB;
    const calls = serveMove(JOB, ({ method, path }) => {
      if (method === "POST" && path === "/api/v1/control/move/jobs/job-7/cancel") {
        current = { ...JOB, state: "cancelling" };
        return { status: 202, body: current };
      }
      return undefined;
    });
    const user = userEvent.setup();
    renderApp("/control/move", { token: "tok" });
    const progress = await screen.findByTestId("job-progress", {}, { timeout: 8000 });
    expect(screen.getByTestId("move-wizard")).toHaveAttribute("data-step", "move");
    expect(screen.getByTestId("job-rows")).toHaveTextContent("1,200 of 5,000 rows");
    expect(screen.getByTestId("job-rate")).toHaveTextContent("1,235 rows/s");
    expect(screen.getByTestId("job-left")).toHaveTextContent("about 4 seconds left");
    expect(within(progress).getByRole("row", { name: /grades\s+200 \/ 4,000/ })).toHaveTextContent("Copying");
    // SMS is read-only meanwhile, but the move's own cancel is not a write it disables.
    expect(await screen.findByTestId("read-only-banner")).toHaveTextContent("while it moves to PostgreSQL");

    await user.click(screen.getByTestId("move-cancel"));
    expect(calls.some((call) => call.path.endsWith("/cancel"))).toBe(false);
    const confirm = screen.getByTestId("move-cancel-confirm");
    expect(confirm).toBeEnabled();
    await user.click(confirm);
    expect(await screen.findByText("Cancelling…")).toBeInTheDocument();
    expect(calls.filter((call) => call.path.endsWith("/cancel"))).toHaveLength(1);
    expect(current.state).toBe("cancelling");
  });

  it("after a move: the summary, the switch instructions and the read-only note", async () => {
    serveMove(MOVED, () => undefined);
    renderApp("/control/move", { token: "tok" });
    expect(await screen.findByTestId("move-result", {}, { timeout: 8000 })).toBeInTheDocument();
    expect(screen.getByTestId("result-rows")).toHaveTextContent("5,000");
    expect(screen.getByTestId("result-verified")).toHaveTextContent("Yes");
    expect(screen.getByText("1 second")).toBeInTheDocument();
    expect(screen.getByTestId("env-lines").textContent).toBe(
      "DATABASE_ENGINE=postgresql\nPOSTGRES_PASSWORD=***",
    );
    expect(screen.getByTestId("restart-command")).toHaveTextContent("make docker-start");
    expect(screen.getByTestId("move-read-only-note")).toHaveTextContent("stays read-only on SQLite");
  });

  it("a failed move is worded from its code where a reloaded page lands", async () => {
    const failed: MoveJob = {
      ...JOB,
      state: "failed",
      exit_code: 4,
      error: { code: "move_failed_data", params: { exit_code: 4, message: "raw tool text" } },
    };
    serveMove(failed, () => undefined);
    renderApp("/control/move", { token: "tok" });
    expect(await screen.findByTestId("job-error", {}, { timeout: 8000 })).toHaveTextContent(
      "Some data cannot go into PostgreSQL as it is: run the readiness check and fix what it lists. Nothing was kept.",
    );
    expect(screen.queryByText("raw tool text")).toBeNull();
    // Starting again needs a tested connection (the password is not kept anywhere).
    expect(screen.getByTestId("move-start")).toBeDisabled();
    expect(screen.getByText("Test the connection to go on.")).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole("button", { name: "1. Connection" }));
    expect(screen.getByTestId("move-wizard")).toHaveAttribute("data-step", "connection");
  });

  it("on PostgreSQL the tab says the move is done", async () => {
    serveApi(({ path }) => {
      if (path === "/api/v1/auth/me") return { status: 200, body: ADMIN_ME };
      if (path === "/health/database") return { status: 200, body: engineHealth("postgresql") };
      if (path === "/api/v1/maintenance")
        return { status: 200, body: { read_only: false, reason: null, since: null } };
      return undefined;
    });
    renderApp("/control/move", { token: "tok" });
    expect(await screen.findByTestId("move-done", {}, { timeout: 8000 })).toHaveTextContent(
      "The move is done: there is nothing left to move.",
    );
  });
});
