/**
 * The whole app against the real backend, once per engine (the projects in playwright.config.ts).
 * The tests share one database and build on each other (the student created second is graded third),
 * so they run in order and a retry starts the file again on a fresh backend.
 */
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { todayIso } from "../src/lib/dates.ts";
import { ADMIN, apiCall, sqliteExec, tokenFor, type EngineKind } from "./backend.ts";
import { expect, logIn, test } from "./fixtures.ts";

const BADGE: Record<EngineKind, string> = { sqlite: "SQLite", postgresql: "PostgreSQL" };
const SCREENSHOTS = join(import.meta.dirname, "../test-results/screenshots");

test.describe.configure({ mode: "serial" });

let adminToken: string;
let courseId: number;
let studentId: number;

test.beforeAll(async ({ backend }) => {
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

/** A full-page screenshot kept in test-results/screenshots/ and attached to the HTML report. */
async function screenshot(page: Page, name: string): Promise<void> {
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await test.info().attach(name, { path, contentType: "image/png" });
}

test("a wrong password is refused with a message, then the admin logs in", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password" })).toBeVisible();
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await expect(page.getByText("Attendance today")).toBeVisible();
});

test("create a student: API field errors show on the form, then the student is saved", async ({ page }) => {
  await logIn(page, ADMIN.email, ADMIN.password);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Students" }).click();
  await page.getByRole("link", { name: "New student" }).click();
  await page.getByLabel("Student ID").fill("S-0001");
  await page.getByLabel("First name").fill("Maria");
  await page.getByLabel("Last name").fill("Papadopoulou");
  const email = page.getByLabel("Email");
  await email.fill("not-an-email");
  await page.getByRole("button", { name: "Create student" }).click();
  // The 422 from the API lands on the email field: marked invalid, the message is its description.
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(email).toHaveAccessibleDescription(/\S/);
  await email.fill("maria@example.com");
  await page.getByRole("button", { name: "Create student" }).click();
  await expect(page.getByRole("heading", { name: "Maria Papadopoulou" })).toBeVisible();
  await expect(page).toHaveURL(/\/students\/\d+$/);
  studentId = Number(new URL(page.url()).pathname.split("/").pop());
  expect(studentId).toBeGreaterThan(0);

  // A second student with the same email is a 409 that names the field.
  await page.goto("/students/new");
  await page.getByLabel("Student ID").fill("S-0002");
  await page.getByLabel("First name").fill("Nikos");
  await page.getByLabel("Last name").fill("Georgiou");
  await email.fill("maria@example.com");
  await page.getByRole("button", { name: "Create student" }).click();
  await expect(email).toHaveAccessibleDescription(/Another record already has this email/);
  await expect(email).toHaveAttribute("aria-invalid", "true");

  // The list finds her, and a reload of a deep link works.
  await page.goto("/students");
  await page.getByLabel("Search").fill("Papado");
  await page.getByRole("link", { name: "Papadopoulou, Maria" }).click();
  await page.reload();
  await expect(page.getByRole("heading", { name: "Maria Papadopoulou" })).toBeVisible();
});

test("enroll, enter attendance and grades, then see the computed final grade", async ({ page, backend }) => {
  await logIn(page, ADMIN.email, ADMIN.password);
  await page.goto(`/students/${studentId}`);
  await page.getByRole("combobox", { name: "Course" }).selectOption({ label: "MATH101 — Mathematics" });
  await page.getByRole("button", { name: "Enroll" }).click();
  await expect(page.getByRole("heading", { name: "MATH101 — Mathematics" })).toBeVisible();

  await page.goto(`/attendance?course=${courseId}&date=${todayIso()}`);
  await page.getByRole("button", { name: "Mark all present" }).click();
  const status = page.getByRole("radiogroup", { name: "Status for Papadopoulou, Maria" });
  await expect(status.getByRole("radio", { name: "Present" })).toBeChecked();
  // Keyboard: focus the row's radio and press A for absent.
  await status.getByRole("radio", { name: "Present" }).focus();
  await page.keyboard.press("a");
  await expect(status.getByRole("radio", { name: "Absent" })).toBeChecked();
  await page.getByRole("button", { name: "Save attendance" }).click();
  await expect(page.getByText("Attendance saved: 1 new, 0 updated.")).toBeVisible();

  await page.goto(`/grades?course=${courseId}`);
  for (const [component, assignment, grade] of [
    ["exam", "Midterm", "80"],
    ["homework", "Homework 1", "90"],
  ] as const) {
    await page.getByLabel("Component").selectOption(component);
    await page.getByLabel("Assignment").fill(assignment);
    await page.getByLabel("Grade for Papadopoulou, Maria").fill(grade);
    await page.getByRole("button", { name: "Save 1 grade" }).click();
    await expect(page.getByText("Grades saved: 1 new, 0 updated.")).toBeVisible();
  }

  await page.goto(`/students/${studentId}`);
  const expected = await apiCall<{ final_grade: number; unexcused_absences: number }>(
    backend.baseUrl,
    adminToken,
    "GET",
    `/api/v1/students/${studentId}/courses/${courseId}/final-grade`,
  );
  expect(expected.unexcused_absences).toBe(1);
  const shown = page.getByTestId(`final-grade-${courseId}`);
  await expect(shown).toContainText(
    expected.final_grade.toLocaleString("en-GB", { maximumFractionDigits: 2 }),
  );
  // 60% of 80 + 40% of 90 = 84, less 1 point for the unexcused absence.
  await expect(shown).toHaveText(/^83\s*\/\s*100/, { useInnerText: true });
  await expect(page.getByText("Penalty for 1 unexcused absence")).toBeVisible();
});

test("Database Health shows the engine's badge; a backup can be made", async ({ page, backend }) => {
  await logIn(page, ADMIN.email, ADMIN.password);
  await page.getByRole("link", { name: "Control Panel" }).click();
  await expect(page.getByRole("tab", { name: "Database Health", selected: true })).toBeVisible();
  await expect(page.getByTestId("engine-badge")).toHaveText(BADGE[backend.kind], { useInnerText: true });
  const rowCounts = backend.kind === "sqlite" ? "Exact row counts." : "Row counts are PostgreSQL's estimates";
  await expect(page.getByText(rowCounts, { exact: false })).toBeVisible();
  // Production on SQLite is warned about, with what to do.
  if (backend.kind === "sqlite")
    await expect(page.getByText("Production is running on SQLite")).toBeVisible();
  await expect(page.locator("body")).not.toContainText(ADMIN.password);
  await screenshot(page, `database-health-${backend.kind}`);

  await page.getByRole("button", { name: "Refresh" }).click();
  await page.getByRole("tab", { name: "Backups" }).click();
  await page.getByRole("button", { name: "Create backup" }).click();
  await expect(page.getByText("Backup created.")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole("button", { name: /^Download / }).first()).toBeVisible();
});

test("Migration readiness: on SQLite ready, then an orphaned row blocks it; on PostgreSQL nothing to migrate", async ({
  page,
  backend,
}) => {
  await logIn(page, ADMIN.email, ADMIN.password);
  await page.getByRole("link", { name: "Control Panel" }).click();
  await page.getByRole("tab", { name: "Migration readiness" }).click();
  if (backend.kind === "postgresql") {
    await expect(page.getByTestId("nothing-to-migrate")).toHaveText(
      "The app already runs on PostgreSQL; there is nothing to migrate.",
      { useInnerText: true },
    );
    await expect(page.getByRole("button", { name: "Check now" })).toHaveCount(0);
    return;
  }
  const path = backend.sqlitePath!;
  await page.getByRole("button", { name: "Check now" }).click();
  const summary = page.getByTestId("readiness-summary");
  await expect(summary.getByText("Ready: nothing blocks the move to PostgreSQL.")).toBeVisible();
  await expect(summary).toContainText(path);

  // Every table with the same exact count the health report gives.
  const health = await apiCall<{ tables: { name: string; rows: number }[] }>(
    backend.baseUrl,
    adminToken,
    "GET",
    "/health/database",
  );
  const rows = (name: string) => health.tables.find((table) => table.name === name)!.rows;
  const tables = page.getByTestId("readiness-tables");
  for (const name of ["users", "students", "courses", "course_enrollments", "grades", "attendance"]) {
    const row = tables.getByRole("row").filter({ has: page.getByRole("cell", { name, exact: true }) });
    await expect(row.getByRole("cell")).toHaveText([name, rows(name).toLocaleString("en-GB"), "None"], {
      useInnerText: true,
    });
  }
  expect(rows("students")).toBeGreaterThanOrEqual(1);

  const migrate = [
    "python -m backend.scripts.migrate_sqlite_to_postgres",
    `--sqlite-path ${path}`,
    "--postgres-url postgresql+psycopg://user:pass@host:5432/dbname",
  ].join(" ");
  await expect(page.getByTestId("next-command")).toHaveText(
    [`${migrate} --dry-run --skip-migrations`, migrate],
    { useInnerText: true },
  );
  await screenshot(page, "migration-readiness-sqlite-ready");

  // An enrollment of a student that does not exist: the app's connections would refuse it.
  sqliteExec(
    path,
    "INSERT INTO course_enrollments (student_id, course_id, status, enrolled_at)" +
      " SELECT 999999, course_id, status, enrolled_at FROM course_enrollments ORDER BY id LIMIT 1",
  );
  await page.getByRole("button", { name: "Check again" }).click();
  await expect(summary.getByText("1 problem must be fixed before the move.", { exact: true })).toBeVisible();
  await expect(tables.getByRole("row", { name: /course_enrollments .*1 problem$/ })).toBeVisible();
  const orphan = page
    .getByTestId("readiness-problems")
    .getByRole("row")
    .filter({ hasText: "Orphaned foreign key" });
  await expect(orphan.getByRole("cell")).toHaveText(
    [
      "course_enrollments",
      "Orphaned foreign key (orphan)",
      "student_id",
      /^id=\d+$/,
      "999999",
      /^no row in students\.id has this value/,
    ],
    { useInnerText: true },
  );
  await screenshot(page, "migration-readiness-sqlite");

  // Leave the data as the next tests expect it.
  sqliteExec(path, "DELETE FROM course_enrollments WHERE student_id = 999999");
});

test("a teacher cannot see the Control Panel", async ({ page, backend }) => {
  await apiCall(backend.baseUrl, adminToken, "POST", "/api/v1/users", {
    email: "teacher@example.com",
    full_name: "Eleni Teacher",
    password: "Teach3r-pa55word",
    role: "teacher",
  });
  await logIn(page, "teacher@example.com", "Teach3r-pa55word");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Students" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Control Panel" })).toHaveCount(0);
  await page.goto("/control/health");
  await expect(page.getByText("Administrators only")).toBeVisible();
  await expect(page.getByTestId("engine-badge")).toHaveCount(0);
});

test("an expired session goes back to the login page; the language and theme persist", async ({
  page,
  backend,
}) => {
  await page.setViewportSize({ width: 820, height: 1100 });
  await logIn(page, ADMIN.email, ADMIN.password);
  await page.getByLabel("Language").selectOption("el");
  await expect(page.getByRole("link", { name: "Μαθητές" }).first()).toBeVisible();
  await page.getByRole("button", { name: "Σκούρο θέμα" }).click();
  await page.reload();
  await expect(page.getByRole("heading", { name: "Πίνακας ελέγχου" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await expect(page.locator("html")).toHaveAttribute("lang", "el");
  if (backend.kind === "sqlite") {
    await page.goto("/control/health");
    await expect(page.getByTestId("engine-badge")).toBeVisible();
    await screenshot(page, "database-health-sqlite-tablet-dark-el");
  }
  // The token lives in the tab's sessionStorage (issue 11): plant an expired one there.
  await page.evaluate(() => sessionStorage.setItem("sms.token", "not-a-valid-token"));
  await page.goto("/students");
  await expect(page).toHaveURL(/\/login\?next=/);
  await expect(page.getByRole("heading", { name: "Σύνδεση" })).toBeVisible();
});
