/**
 * Control Panel → Move to PostgreSQL, end to end (issue 12): a seeded SQLite school moved into a
 * fresh database on the machine's PostgreSQL (e2e/pg_database.py) by the real job, with a cancel
 * on the way; read-only mode seen in the banner, the disabled controls and the API's 503.
 * On the PostgreSQL project there is nothing to move, and the tab says so.
 */
import { readFileSync } from "node:fs";
import type { ChildProcess } from "node:child_process";
import type { Page } from "@playwright/test";
import { ADMIN, apiCall, postgresDatabase, tokenFor } from "./backend.ts";
import { expect, logIn, test } from "./fixtures.ts";
import { screenshot } from "./screenshot.ts";

// Enough rows (~490k) that a move runs for seconds even on a quiet machine (2,000 students moved in
// one second there, before the page could show a table), so a cancel lands while it runs; SQLite only.
test.use({
  demoStudents: [async ({ engine }, use) => use(engine === "sqlite" ? 10_000 : 0), { scope: "worker" }],
});
test.describe.configure({ mode: "serial" });

// A password typed for the target: the server's trust authentication ignores it, so the test can
// show that it reaches no storage of the browser and no report.
const TYPED_PASSWORD = "e2e-Typed-Secret-93";
const STUDENT = {
  student_id: "MOVE-1",
  first_name: "Irene",
  last_name: "Curie",
  email: "irene.move@school.example",
  enrollment_date: "2025-09-01",
};

interface Target {
  host: string;
  port: string;
  database: string;
  user: string;
}

let target: Target;
let helper: ChildProcess | null = null;

test.beforeAll(async ({ engine }) => {
  if (engine !== "sqlite") return; // the target database is for the move from SQLite
  const db = await postgresDatabase();
  helper = db.helper;
  helper.removeAllListeners("exit");
  // Not `new URL`: the embedded server's URL has no host (user@/db?host=/socket/folder), which
  // the WHATWG parser refuses.
  const parts = /^[^:]+:\/\/(?:([^:@/]*)(?::[^@/]*)?@)?([^:/?]*)(?::(\d+))?\/([^?]*)(?:\?(.*))?$/.exec(
    db.url,
  );
  if (!parts) throw new Error(`pg_database.py gave a URL this test cannot read: ${db.url}`);
  const [, user = "", host = "", port = "", database = "", query = ""] = parts;
  target = {
    // The embedded server (no TEST_POSTGRES_URL) is reached through a socket folder.
    host: host || new URLSearchParams(query).get("host") || "",
    port: port || "5432",
    database: decodeURIComponent(database),
    user: decodeURIComponent(user),
  };
});

test.afterAll(async () => {
  if (!helper) return;
  const done = new Promise((resolve) => helper!.once("exit", resolve));
  helper.stdin?.end(); // drops the database
  await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 20_000))]);
});

/** Status of creating a student through the API, as any client would (the UI is not involved). */
async function postStudent(baseUrl: string, token: string, studentId: string): Promise<number> {
  const response = await fetch(`${baseUrl}/api/v1/students`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify({
      ...STUDENT,
      student_id: studentId,
      email: `${studentId.toLowerCase()}@school.example`,
    }),
  });
  const body = (await response.json()) as { code?: string };
  if (response.status === 503) expect(body.code).toBe("read_only");
  else expect(response.status, JSON.stringify(body)).toBe(201);
  return response.status;
}

async function jobState(page: Page): Promise<string | null> {
  return page.getByTestId("job-progress").getAttribute("data-state");
}

test.describe("from SQLite", () => {
  test.skip(
    ({ engine }) => engine !== "sqlite",
    "the move starts from SQLite; on PostgreSQL the next test applies",
  );

  test("on SQLite: test the target, check, dry run, cancel a move, move, and stay read-only", async ({
    page,
    backend,
  }) => {
    test.setTimeout(240_000);
    const token = await tokenFor(backend.baseUrl, ADMIN.email, ADMIN.password);
    await logIn(page, ADMIN.email, ADMIN.password);
    await page.goto("/control/move");
    const wizard = page.getByTestId("move-wizard");
    await expect(wizard).toHaveAttribute("data-step", "connection");

    // 1. Connection: typed in; the password field starts empty and is never offered for saving.
    await page.getByLabel("Another database, typed in").check();
    const password = page.getByLabel("Password", { exact: true });
    await expect(password).toHaveValue("");
    await expect(password).toHaveAttribute("autocomplete", "new-password");
    await page.getByLabel("Host").fill(target.host);
    await page.getByLabel("Port").fill(target.port);
    await page.getByLabel("Database", { exact: true }).fill(target.database);
    await page.getByLabel("User", { exact: true }).fill(target.user);
    await password.fill(TYPED_PASSWORD);
    await page.getByTestId("connection-test").click();
    const result = page.getByTestId("connection-result");
    await expect(result).toHaveAttribute("data-ok", "true");
    await expect(result).toContainText(/Connected to PostgreSQL \d+/);
    await expect(page.getByTestId("can-create-tables")).toHaveText("Yes");
    await expect(page.getByTestId("target-empty")).toHaveText("The database is empty.");
    await expect(page.getByTestId("other-sessions")).toHaveText("No other sessions are connected.");
    const storage = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    expect(storage).not.toContain(TYPED_PASSWORD);
    await screenshot(page, test.info(), "move-1-connection");
    await page.getByTestId("move-next").click();

    // 2. Readiness: the seeded school has nothing PostgreSQL would refuse.
    await expect(wizard).toHaveAttribute("data-step", "readiness");
    await page.getByTestId("readiness-run").click();
    await expect(page.getByTestId("move-readiness-result")).toHaveAttribute("data-ready", "true");
    await expect(page.getByText("Ready: nothing blocks the move to PostgreSQL.")).toBeVisible();
    await screenshot(page, test.info(), "move-2-readiness");
    await page.getByTestId("move-next").click();

    // 3. Dry run: a job of its own kind, nothing written.
    await expect(wizard).toHaveAttribute("data-step", "dryRun");
    await page.getByTestId("dry-run-start").click();
    await expect(page.getByTestId("job-state")).toHaveText("Finished", { timeout: 60_000 });
    await expect(page.getByText("The dry run found nothing that blocks the move.")).toBeVisible();
    await screenshot(page, test.info(), "move-3-dry-run");
    await page.getByTestId("move-next").click();

    // 4a. Move, then cancel it while it runs: target empty, read-only off, writes work again.
    await expect(wizard).toHaveAttribute("data-step", "move");
    await page.getByTestId("move-start").click();
    await expect.poll(() => jobState(page), { timeout: 30_000, intervals: [100] }).toBe("running");
    await page.getByTestId("move-cancel").click();
    await page.getByTestId("move-cancel-confirm").click();
    await expect(page.getByTestId("move-cancelled")).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId("job-state")).toHaveText("Cancelled");
    await screenshot(page, test.info(), "move-5-cancelled");
    const after = await apiCall<{ read_only: boolean }>(backend.baseUrl, token, "GET", "/api/v1/maintenance");
    expect(after.read_only).toBe(false);
    await expect(page.getByTestId("read-only-banner")).toBeHidden();
    const emptied = await apiCall<{ ok: boolean; tables_with_rows: unknown[] }>(
      backend.baseUrl,
      token,
      "POST",
      "/api/v1/control/move/connection-test",
      { use_configured: false, ...target, port: Number(target.port) },
    );
    expect(emptied.ok).toBe(true);
    expect(emptied.tables_with_rows).toEqual([]);
    expect(await postStudent(backend.baseUrl, token, "MOVE-WRITABLE")).toBe(201);

    // 4b. Start again: progress, writes refused while it runs; a reload picks the job up.
    await page.getByTestId("move-start").click();
    await expect
      .poll(() => postStudent(backend.baseUrl, token, `MOVE-DURING-${Date.now()}`), { timeout: 30_000 })
      .toBe(503);
    const during = await apiCall<{ state: string }>(
      backend.baseUrl,
      token,
      "GET",
      "/api/v1/control/move/jobs/current",
    );
    expect(during.state).toBe("running");
    // Per-table progress shows once the tables are planned (after the schema), until the result.
    await expect(page.getByTestId("job-tables")).toBeVisible({ timeout: 60_000 });
    // The picture is worth more with a table under way; a small school may finish first, so this waits
    // without failing.
    await page
      .getByTestId("job-tables")
      .getByText(/^(Copying|Verified)$/)
      .first()
      .waitFor({ timeout: 20_000 })
      .catch(() => undefined);
    await screenshot(page, test.info(), "move-4-progress");
    await expect(page.getByTestId("read-only-banner")).toContainText(
      "SMS is read-only while it moves to PostgreSQL.",
    );
    await page.reload();
    await expect(wizard).toHaveAttribute("data-step", /move|result/);

    // 5. Result: the summary, the report, the switch instructions; SMS stays read-only on SQLite.
    await expect(wizard).toHaveAttribute("data-step", "result", { timeout: 120_000 });
    await expect(page.getByTestId("result-verified")).toHaveText("Yes");
    await expect(page.getByTestId("env-lines")).toContainText("DATABASE_ENGINE=postgresql");
    await expect(page.getByTestId("restart-command")).not.toBeEmpty();
    await expect(page.getByTestId("move-read-only-note")).toBeVisible();
    const download = page.waitForEvent("download");
    await page.getByTestId("move-report").click();
    const report = await download;
    expect(report.suggestedFilename()).toMatch(/^sms-move-.+\.json$/);
    const reportText = readFileSync(await report.path(), "utf8");
    expect(JSON.parse(reportText)).toBeTruthy();
    expect(reportText).not.toContain(TYPED_PASSWORD);
    await screenshot(page, test.info(), "move-6-result");

    // After the move: refused in the API, banner and disabled controls in the app.
    expect(await postStudent(backend.baseUrl, token, "MOVE-AFTER")).toBe(503);
    await page.goto("/students/new");
    await expect(page.getByTestId("read-only-banner")).toContainText(
      "SMS is read-only while it moves to PostgreSQL.",
    );
    const create = page.getByRole("button", { name: "Create student" });
    await expect(create).toBeDisabled();
    await expect(create).toHaveAttribute("title", /SMS is read-only \(moving to PostgreSQL\)/);
    await page.goto("/students");
    await expect(page.getByRole("button", { name: "New student" })).toBeDisabled();
    await expect(page.getByRole("status").filter({ hasText: "Loading…" })).toHaveCount(0);
    await screenshot(page, test.info(), "read-only-banner");

    // The Control Panel's switch shows who turned it on and warns against turning it off here.
    await page.goto("/control/read-only");
    await expect(page.getByTestId("read-only-state")).toHaveText("Read-only");
    await expect(page.getByTestId("read-only-reason")).toHaveText("moving to PostgreSQL");
    await expect(page.getByText("The move to PostgreSQL turned this on.", { exact: false })).toBeVisible();
    await expect(page.getByTestId("read-only-switch")).toBeEnabled();
  });
});

test.describe("on PostgreSQL", () => {
  test.skip(({ engine }) => engine !== "postgresql", "on SQLite the test above runs the move");

  test("on PostgreSQL: the tab says the move is done", async ({ page }) => {
    await logIn(page, ADMIN.email, ADMIN.password);
    await page.goto("/control/move");
    await expect(page.getByTestId("move-done")).toHaveText(
      "The move is done: there is nothing left to move.",
    );
  });
});
