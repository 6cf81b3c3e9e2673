/**
 * End-to-end: the built app served by the real backend, once on SQLite and once on PostgreSQL,
 * driven through Debian's chromium with role-based locators. Run with `npm run e2e`.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { ADMIN, apiCall, PYTHON, REPO, startBackend, tokenFor, type Backend, type EngineKind } from "./backend.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const RESULTS = join(REPO, "frontend/test-results");
const ENGINES: EngineKind[] = ["sqlite", "postgresql"];
const BADGE: Record<EngineKind, string> = { sqlite: "SQLite", postgresql: "PostgreSQL" };

let browser: Browser;

before(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`chromium is missing at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH)`);
  }
  mkdirSync(RESULTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
});

async function newPage(backend: Backend, options: { width?: number; height?: number } = {}): Promise<Page> {
  const context = await browser.newContext({
    baseURL: backend.baseUrl,
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    locale: "en-GB",
    colorScheme: "light",
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("button", { name: "Log out" }).waitFor();
}

/**
 * Run SQL on the backend's SQLite file through a raw sqlite3 connection. Foreign keys are enforced
 * per connection (the app turns them on for its own), so this one accepts rows the app never would.
 */
function sqlite(path: string, sql: string): void {
  const script = "import sqlite3, sys\nwith sqlite3.connect(sys.argv[1]) as db:\n    assert db.execute(sys.argv[2]).rowcount == 1";
  const run = spawnSync(PYTHON, ["-c", script, path, sql], { encoding: "utf8" });
  assert.equal(run.status, 0, `sqlite3 on ${path} failed:\n${run.stderr}`);
}

function today(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

for (const kind of ENGINES) {
  describe(`SMS on ${BADGE[kind]}`, { concurrency: false }, () => {
    let backend: Backend;
    let adminToken: string;
    let courseId: number;
    let studentId: number;

    before(async () => {
      backend = await startBackend(kind);
      adminToken = await tokenFor(backend.baseUrl, ADMIN.email, ADMIN.password);
      const course = await apiCall<{ id: number }>(backend.baseUrl, adminToken, "POST", "/api/v1/courses", {
        course_code: "MATH101",
        course_name: "Mathematics",
        semester: "Fall",
        year: 2025,
        absence_penalty: 1,
        evaluation_rules: [
          { category: "exam", weight: 60 },
          { category: "homework", weight: 40 },
        ],
      });
      courseId = course.id;
    });

    after(async () => {
      await backend?.stop();
    });

    test("a wrong password is refused with a message, then the admin logs in", async () => {
      const page = await newPage(backend);
      await page.goto("/login");
      await page.getByLabel("Email").fill(ADMIN.email);
      await page.getByLabel("Password").fill("not-the-password");
      await page.getByRole("button", { name: "Log in" }).click();
      await page.getByRole("alert").filter({ hasText: "Wrong email or password" }).waitFor();
      await page.getByLabel("Password").fill(ADMIN.password);
      await page.getByRole("button", { name: "Log in" }).click();
      await page.getByRole("heading", { name: "Dashboard" }).waitFor();
      await page.getByText("Attendance today").waitFor();
      await page.context().close();
    });

    test("create a student: API field errors show on the form, then the student is saved", async () => {
      const page = await newPage(backend);
      await logIn(page, ADMIN.email, ADMIN.password);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Students" }).click();
      await page.getByRole("link", { name: "New student" }).click();
      await page.getByLabel("Student ID").fill("S-0001");
      await page.getByLabel("First name").fill("Maria");
      await page.getByLabel("Last name").fill("Papadopoulou");
      await page.getByLabel("Email").fill("not-an-email");
      await page.getByRole("button", { name: "Create student" }).click();
      // The 422 from the API lands on the email field, which is marked invalid.
      const email = page.getByLabel("Email");
      await page.locator(".field-error").first().waitFor();
      assert.equal(await email.getAttribute("aria-invalid"), "true");
      await email.fill("maria@example.com");
      await page.getByRole("button", { name: "Create student" }).click();
      await page.getByRole("heading", { name: "Maria Papadopoulou" }).waitFor();
      studentId = Number(page.url().split("/").pop());
      assert.ok(studentId > 0, `the detail page URL names the student: ${page.url()}`);

      // A second student with the same email is a 409 that names the field.
      await page.goto("/students/new");
      await page.getByLabel("Student ID").fill("S-0002");
      await page.getByLabel("First name").fill("Nikos");
      await page.getByLabel("Last name").fill("Georgiou");
      await page.getByLabel("Email").fill("maria@example.com");
      await page.getByRole("button", { name: "Create student" }).click();
      await page.locator(".field-error", { hasText: "Another student already has this email" }).waitFor();

      // The list finds her, and a reload of a deep link works.
      await page.goto("/students");
      await page.getByLabel("Search").fill("Papado");
      await page.getByRole("link", { name: "Papadopoulou, Maria" }).click();
      await page.reload();
      await page.getByRole("heading", { name: "Maria Papadopoulou" }).waitFor();
      await page.context().close();
    });

    test("enroll, enter attendance and grades, then see the computed final grade", async () => {
      const page = await newPage(backend);
      await logIn(page, ADMIN.email, ADMIN.password);
      await page.goto(`/students/${studentId}`);
      await page.getByRole("combobox", { name: "Course" }).selectOption({ label: "MATH101 — Mathematics" });
      await page.getByRole("button", { name: "Enroll" }).click();
      await page.getByRole("heading", { name: "MATH101 — Mathematics" }).waitFor();

      await page.goto(`/attendance?course=${courseId}&date=${today()}`);
      await page.getByRole("button", { name: "Mark all present" }).click();
      const status = page.getByRole("radiogroup", { name: "Status for Papadopoulou, Maria" });
      assert.ok(await status.getByRole("radio", { name: "Present" }).isChecked());
      // Keyboard: focus the row's radio and press A for absent.
      await status.getByRole("radio", { name: "Present" }).focus();
      await page.keyboard.press("a");
      assert.ok(await status.getByRole("radio", { name: "Absent" }).isChecked());
      await page.getByRole("button", { name: "Save attendance" }).click();
      await page.getByText("Attendance saved: 1 new, 0 updated.").waitFor();

      await page.goto(`/grades?course=${courseId}`);
      await page.getByLabel("Component").selectOption("exam");
      await page.getByLabel("Assignment").fill("Midterm");
      await page.getByLabel("Grade for Papadopoulou, Maria").fill("80");
      await page.getByRole("button", { name: "Save 1 grades" }).click();
      await page.getByText("Grades saved: 1 new, 0 updated.").waitFor();
      await page.getByLabel("Component").selectOption("homework");
      await page.getByLabel("Assignment").fill("Homework 1");
      await page.getByLabel("Grade for Papadopoulou, Maria").fill("90");
      await page.getByRole("button", { name: "Save 1 grades" }).click();
      await page.getByText("Grades saved: 1 new, 0 updated.").waitFor();

      await page.goto(`/students/${studentId}`);
      const expected = await apiCall<{ final_grade: number; unexcused_absences: number }>(
        backend.baseUrl,
        adminToken,
        "GET",
        `/api/v1/students/${studentId}/courses/${courseId}/final-grade`,
      );
      assert.equal(expected.unexcused_absences, 1);
      const shown = page.getByTestId(`final-grade-${courseId}`);
      await shown.filter({ hasText: expected.final_grade.toLocaleString("en-GB", { maximumFractionDigits: 2 }) }).waitFor();
      // 60% of 80 + 40% of 90 = 84, less 1 point for the unexcused absence.
      assert.match(await shown.innerText(), /^83\s*\/\s*100/);
      await page.getByText("Penalty for 1 unexcused absences").waitFor();
      await page.context().close();
    });

    test(`Database Health shows the ${BADGE[kind]} engine badge`, async () => {
      const page = await newPage(backend);
      await logIn(page, ADMIN.email, ADMIN.password);
      await page.getByRole("link", { name: "Control Panel" }).click();
      await page.getByRole("tab", { name: "Database Health", selected: true }).waitFor();
      const badge = page.getByTestId("engine-badge");
      await badge.waitFor();
      assert.equal((await badge.innerText()).trim(), BADGE[kind]);
      await page.getByText(kind === "sqlite" ? "Exact row counts." : "Row counts are PostgreSQL's estimates", { exact: false }).waitFor();
      // Production on SQLite is warned about, with what to do.
      if (kind === "sqlite") await page.getByText("Production is running on SQLite").waitFor();
      const body = await page.locator("body").innerText();
      assert.ok(!body.includes(ADMIN.password), "the admin password never appears on the page");
      await page.screenshot({ path: join(RESULTS, `database-health-${kind}.png`), fullPage: true });

      await page.getByRole("button", { name: "Refresh" }).click();
      await page.getByRole("tab", { name: "Backups" }).click();
      await page.getByRole("button", { name: "Create backup" }).click();
      await page.getByText("Backup created.").waitFor({ timeout: 60_000 });
      await page.getByRole("button", { name: /^Download / }).first().waitFor();

      await page.context().close();
    });

    test(kind === "sqlite" ? "Migration readiness: ready, then an orphaned row makes it not ready" : "Migration readiness: nothing to migrate on PostgreSQL", async () => {
      const page = await newPage(backend);
      await logIn(page, ADMIN.email, ADMIN.password);
      await page.getByRole("link", { name: "Control Panel" }).click();
      await page.getByRole("tab", { name: "Migration readiness" }).click();
      if (kind === "postgresql") {
        const message = page.getByTestId("nothing-to-migrate");
        await message.waitFor();
        assert.equal((await message.innerText()).trim(), "The app already runs on PostgreSQL; there is nothing to migrate.");
        assert.equal(await page.getByRole("button", { name: "Check now" }).count(), 0);
        await page.context().close();
        return;
      }
      const path = backend.sqlitePath!;
      await page.getByRole("button", { name: "Check now" }).click();
      const summary = page.getByTestId("readiness-summary");
      await summary.getByText("Ready: nothing blocks the move to PostgreSQL.").waitFor();
      assert.ok((await summary.innerText()).includes(path), "the summary names the SQLite file it checked");

      // Every table with the same exact count the health report gives.
      const health = await apiCall<{ tables: { name: string; rows: number }[] }>(backend.baseUrl, adminToken, "GET", "/health/database");
      const tables = page.getByTestId("readiness-tables");
      for (const name of ["users", "students", "courses", "course_enrollments", "grades", "attendance"]) {
        const expected = health.tables.find((table) => table.name === name)!.rows;
        const row = tables.getByRole("row").filter({ has: page.getByRole("cell", { name, exact: true }) });
        assert.deepEqual((await row.getByRole("cell").allInnerTexts()).map((text) => text.trim()), [name, expected.toLocaleString("en-GB"), "None"]);
      }
      assert.ok(health.tables.find((table) => table.name === "students")!.rows >= 1);

      const commands = (await page.getByTestId("next-command").allInnerTexts()).map((text) => text.trim());
      const migrate = `python -m backend.scripts.migrate_sqlite_to_postgres --sqlite-path ${path} --postgres-url postgresql+psycopg://user:pass@host:5432/dbname`;
      assert.deepEqual(commands, [`${migrate} --dry-run --skip-migrations`, migrate]);
      await page.screenshot({ path: join(RESULTS, "migration-readiness-sqlite-ready.png"), fullPage: true });

      // An enrollment of a student that does not exist: the app's connections would refuse it.
      sqlite(path, "INSERT INTO course_enrollments (student_id, course_id, status, enrolled_at) SELECT 999999, course_id, status, enrolled_at FROM course_enrollments ORDER BY id LIMIT 1");
      await page.getByRole("button", { name: "Check again" }).click();
      await summary.getByText("1 problems must be fixed before the move.").waitFor();
      await tables.getByRole("row", { name: /course_enrollments .*1 problems/ }).waitFor();
      const orphan = page.getByTestId("readiness-problems").getByRole("row").filter({ hasText: "Orphaned foreign key" });
      const cells = (await orphan.getByRole("cell").allInnerTexts()).map((text) => text.trim());
      assert.equal(cells[0], "course_enrollments");
      assert.equal(cells[1], "Orphaned foreign key (orphan)");
      assert.equal(cells[2], "student_id");
      assert.match(cells[3] ?? "", /^id=\d+$/);
      assert.equal(cells[4], "999999");
      assert.match(cells[5] ?? "", /^no row in students\.id has this value/);
      await page.screenshot({ path: join(RESULTS, "migration-readiness-sqlite.png"), fullPage: true });

      // Leave the data as the next tests expect it.
      sqlite(path, "DELETE FROM course_enrollments WHERE student_id = 999999");
      await page.context().close();
    });

    test("a teacher cannot see the Control Panel", async () => {
      await apiCall(backend.baseUrl, adminToken, "POST", "/api/v1/users", {
        email: "teacher@example.com",
        full_name: "Eleni Teacher",
        password: "Teach3r-pa55word",
        role: "teacher",
      });
      const page = await newPage(backend);
      await logIn(page, "teacher@example.com", "Teach3r-pa55word");
      const nav = page.getByRole("navigation", { name: "Main" });
      await nav.getByRole("link", { name: "Students" }).waitFor();
      assert.equal(await nav.getByRole("link", { name: "Control Panel" }).count(), 0);
      await page.goto("/control/health");
      await page.getByText("Administrators only").waitFor();
      assert.equal(await page.getByTestId("engine-badge").count(), 0);
      await page.context().close();
    });

    test("an expired session goes back to the login page; the language and theme persist", async () => {
      const page = await newPage(backend, { width: 820, height: 1100 });
      await logIn(page, ADMIN.email, ADMIN.password);
      await page.getByLabel("Language").selectOption("el");
      await page.getByRole("link", { name: "Μαθητές" }).first().waitFor();
      await page.getByRole("button", { name: "Σκούρο θέμα" }).click();
      await page.reload();
      await page.getByRole("heading", { name: "Πίνακας ελέγχου" }).waitFor();
      assert.equal(await page.locator("html").getAttribute("data-theme"), "dark");
      assert.equal(await page.locator("html").getAttribute("lang"), "el");
      if (kind === "sqlite") {
        await page.goto("/control/health");
        await page.getByTestId("engine-badge").waitFor();
        await page.screenshot({ path: join(RESULTS, "database-health-sqlite-tablet-dark-el.png"), fullPage: true });
      }
      await page.evaluate(() => localStorage.setItem("sms.token", "not-a-valid-token"));
      await page.goto("/students");
      await page.waitForURL(/\/login\?next=/);
      await page.getByRole("heading", { name: "Σύνδεση" }).waitFor();
      await page.context().close();
    });
  });
}
