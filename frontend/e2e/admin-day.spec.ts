/**
 * An admin's day on a fresh school, through the web app against the real backend: create a
 * teacher (who must then choose a password), set up the year and give the teacher a class, enrol
 * students, bring a deleted student back from the trash, erase a course for good, preview and apply
 * the year-end. The steps build on each other, so they run in order.
 */
import { ADMIN, apiCall, tokenFor } from "./backend.ts";
import { expect, logIn, test } from "./fixtures.ts";
import { screenshot } from "./screenshot.ts";

test.describe.configure({ mode: "serial" });

const TEACHER = { email: "eleni.teacher@example.com", name: "Eleni Georgiou" };
const TEMPORARY = "First-day-2026!";
const TEACHER_CHOSEN = "Eleni-chose-this-1";
let adminToken: string;
let courseId: number;
const studentIds: number[] = [];

test.beforeAll(async ({ backend }) => {
  adminToken = await tokenFor(backend.baseUrl, ADMIN.email, ADMIN.password);
  const course = await apiCall<{ id: number }>(backend.baseUrl, adminToken, "POST", "/api/v1/courses", {
    course_code: "HIST201",
    course_name: "History",
    semester: "Fall",
    year: 2026,
  });
  courseId = course.id;
  const names: [string, string][] = [
    ["Nikos", "Alexiou"],
    ["Eleni", "Vlachou"],
    ["Giorgos", "Zervas"],
  ];
  for (const [first, last] of names) {
    const student = await apiCall<{ id: number }>(backend.baseUrl, adminToken, "POST", "/api/v1/students", {
      student_id: `E2E-${last.toUpperCase()}`,
      first_name: first,
      last_name: last,
      email: `${first.toLowerCase()}.${last.toLowerCase()}@example.com`,
      enrollment_date: "2026-09-01",
      study_year: 1,
    });
    studentIds.push(student.id);
  }
});

test("the admin creates a teacher with a temporary password, which the teacher must replace", async ({
  page,
  browser,
}) => {
  await logIn(page, ADMIN.email, ADMIN.password);
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "School", exact: true })
    .click();
  await expect(page.getByRole("heading", { name: "Accounts" })).toBeVisible();
  await page.getByRole("link", { name: "New account" }).click();
  await page.getByLabel("Name").fill(TEACHER.name);
  await page.getByLabel("Email").fill(TEACHER.email);
  await page.getByLabel("Role").selectOption("teacher");
  // The rule is shown before anything is sent, worded as the server words it.
  await page.getByLabel("Temporary password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByLabel("Temporary password")).toHaveAccessibleDescription(/too short/);
  await page.getByLabel("Temporary password").fill(TEMPORARY);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText(`Account created: ${TEACHER.email} chooses a new password`)).toBeVisible();
  await expect(page.getByText("It must choose a new password at the next login.")).toBeVisible();
  await screenshot(page, test.info(), "admin-day-account-created");

  await page.getByRole("tab", { name: "Accounts" }).click();
  await page.getByLabel("Role").selectOption("teacher");
  await expect(page.getByRole("link", { name: TEACHER.name })).toBeVisible();

  // The teacher's first login leads to the password change, and their bar has no admin entries.
  const context = await browser.newContext();
  const teacherPage = await context.newPage();
  await teacherPage.goto("/login");
  await teacherPage.getByLabel("Email").fill(TEACHER.email);
  await teacherPage.getByLabel("Password").fill(TEMPORARY);
  await teacherPage.getByRole("button", { name: "Log in" }).click();
  await expect(teacherPage).toHaveURL(/\/account\/password$/);
  await teacherPage.getByLabel("Current password").fill(TEMPORARY);
  await teacherPage.getByLabel("New password", { exact: true }).fill(TEACHER_CHOSEN);
  await teacherPage.getByLabel("Confirm new password").fill(TEACHER_CHOSEN);
  await teacherPage.getByRole("button", { name: "Change password" }).click();
  const nav = teacherPage.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Students" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "School", exact: true })).toHaveCount(0);
  await teacherPage.goto("/students");
  await expect(teacherPage.getByRole("link", { name: "New student" })).toHaveCount(0);
  await context.close();
});

test("the admin sets up the school year and gives the teacher a class", async ({ page, browser }) => {
  await logIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/admin/terms");
  await page.getByRole("button", { name: "New academic year" }).click();
  const yearForm = page.getByRole("form", { name: "New academic year" });
  await yearForm.getByLabel("Name").fill("2026–2027");
  await yearForm.getByLabel("First day").fill("2026-09-01");
  await yearForm.getByLabel("Last day").fill("2027-06-30");
  await yearForm.getByRole("button", { name: "Save changes" }).click();
  const year = page.getByRole("region", { name: "2026–2027" });
  await year.getByRole("button", { name: "Make current" }).click();
  await expect(year.getByText("Current")).toBeVisible();
  await year.getByRole("button", { name: "New term" }).click();
  const termForm = page.getByRole("form", { name: "New term" });
  await termForm.getByLabel("Name").fill("Whole year");
  // A term past the year's end is refused, worded from its code.
  await termForm.getByLabel("First day").fill("2026-09-01");
  await termForm.getByLabel("Last day").fill("2027-07-31");
  await termForm.getByRole("button", { name: "Save changes" }).click();
  await expect(termForm.getByLabel("Last day")).toHaveAccessibleDescription(/must lie within 2026–2027/);
  await termForm.getByLabel("Last day").fill("2027-06-30");
  await termForm.getByRole("button", { name: "Save changes" }).click();
  await year.getByRole("button", { name: "Make Whole year the current term" }).click();
  await expect(year.getByRole("table")).toContainText("Whole year Current");
  await screenshot(page, test.info(), "admin-day-terms");

  await page.goto(`/courses/${courseId}`);
  await page.getByLabel("Term").selectOption({ label: "Whole year (current) · 2026–2027" });
  await page.getByTestId("teacher-picker").getByLabel(TEACHER.name).check();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  await page.goto("/courses");
  await page.getByLabel("Teachers").selectOption({ label: TEACHER.name });
  await expect(page.getByRole("link", { name: "History" })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "HIST201" })).toContainText(TEACHER.name);

  // The teacher now sees the class as theirs.
  const context = await browser.newContext();
  const teacherPage = await context.newPage();
  await logIn(teacherPage, TEACHER.email, TEACHER_CHOSEN);
  await expect(teacherPage.getByText("HIST201").first()).toBeVisible();
  await context.close();
});

test("a teacher who failed to log in too often is let in again at once by the admin", async ({
  page,
  backend,
}) => {
  const attempt = (password: string) =>
    fetch(`${backend.baseUrl}/api/v1/auth/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: TEACHER.email, password }),
    }).then((response) => response.status);
  for (let i = 0; i < 5; i += 1) expect(await attempt("not-her-password")).toBe(401);
  expect(await attempt(TEACHER_CHOSEN)).toBe(429);

  await logIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/admin/users");
  await page.getByRole("link", { name: TEACHER.name }).click();
  await page.getByRole("button", { name: "Unlock login" }).click();
  await expect(page.getByText(`${TEACHER.email} may log in again at once.`)).toBeVisible();
  expect(await attempt(TEACHER_CHOSEN)).toBe(200);
});

test("the admin enrols students in a class, one from the student's page, the rest at once", async ({
  page,
}) => {
  await logIn(page, ADMIN.email, ADMIN.password);
  await page.goto(`/students/${studentIds[0]}`);
  await page.getByLabel("Course", { exact: true }).selectOption(String(courseId));
  await page.getByRole("button", { name: "Enroll", exact: true }).click();
  // Once enrolled, the course leaves the picker.
  await expect(page.getByLabel("Course", { exact: true }).locator(`option[value="${courseId}"]`)).toHaveCount(
    0,
  );

  await page.goto(`/courses/${courseId}`);
  await page.getByRole("button", { name: "Add students" }).click();
  await page.getByLabel("Select this page").check();
  await page.getByRole("button", { name: "Add 3 students" }).click();
  await expect(
    page.getByText("Added: 2 (of them 0 re-enrolled) · already enrolled: 1 · refused: 0."),
  ).toBeVisible();
  await screenshot(page, test.info(), "admin-day-enrol-many");
  const classList = page.getByRole("table", { name: "Enrolled students" });
  for (const last of ["Alexiou", "Vlachou", "Zervas"]) {
    await expect(classList.getByRole("link", { name: new RegExp(last) })).toBeVisible();
  }
});

test("a deleted student comes back from the trash; a deleted course is erased for good", async ({
  page,
  backend,
}) => {
  await logIn(page, ADMIN.email, ADMIN.password);
  await page.goto(`/students/${studentIds[2]}`);
  await page.getByRole("button", { name: "Delete" }).click();
  await page
    .getByRole("status")
    .filter({ hasText: "Delete Giorgos Zervas?" })
    .getByRole("button", { name: "Delete" })
    .click();
  await expect(page).toHaveURL(/\/students$/);
  await expect(page.getByRole("link", { name: /Zervas/ })).toHaveCount(0);

  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "School", exact: true })
    .click();
  await page.getByRole("tab", { name: "Trash" }).click();
  const deleted = page.getByTestId("trash-student");
  await expect(deleted.getByText("Zervas, Giorgos")).toBeVisible();
  await screenshot(page, test.info(), "admin-day-trash");
  await page.getByRole("button", { name: "Restore Zervas, Giorgos" }).click();
  await expect(page.getByText("Zervas, Giorgos is back.")).toBeVisible();
  await expect(page.getByText("No deleted students.")).toBeVisible();
  await page.goto("/students");
  await expect(page.getByRole("link", { name: /Zervas/ })).toBeVisible();

  // A course deleted by mistake long ago: erasing it says what goes with it first.
  const old = await apiCall<{ id: number }>(backend.baseUrl, adminToken, "POST", "/api/v1/courses", {
    course_code: "OLD100",
    course_name: "Old timetable",
    semester: "Spring",
    year: 2020,
  });
  await apiCall(backend.baseUrl, adminToken, "POST", "/api/v1/enrollments", {
    student_id: studentIds[0],
    course_id: old.id,
    status: "active",
  });
  await apiCall(backend.baseUrl, adminToken, "DELETE", `/api/v1/courses/${old.id}`);
  await page.goto("/admin/trash/course");
  await page.getByRole("button", { name: "Erase Old timetable for good" }).click();
  await expect(page.getByTestId("erase-confirm")).toContainText(
    "removes the course with 1 enrolment, 0 grades, 0 attendance marks",
  );
  await screenshot(page, test.info(), "admin-day-erase-confirm");
  await page.getByTestId("erase-confirm").getByRole("button", { name: "Erase for good" }).click();
  await expect(
    page.getByText("Old timetable was erased with 1 enrolment, 0 grades, 0 attendance marks."),
  ).toBeVisible();
  await expect(page.getByText("No deleted courses.")).toBeVisible();
});

test("the year-end is previewed, then applied once after a confirm", async ({ page }) => {
  await logIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/admin/terms");
  const card = page.getByRole("region", { name: "Year-end" });
  await card.getByLabel("Last study year").fill("6");
  await card.getByRole("button", { name: "Preview the year-end" }).click();
  await expect(card.getByText("3 students move up · 0 graduate")).toBeVisible();
  await screenshot(page, test.info(), "admin-day-year-end-preview");
  await card.getByRole("button", { name: "Apply…" }).click();
  await card.getByRole("button", { name: "Apply the year-end" }).click();
  await expect(card.getByText("The year-end of 2026–2027 is done.")).toBeVisible();
  await page.goto("/students");
  await expect(page.getByRole("row").filter({ hasText: "Alexiou" })).toContainText("2");
  // Once a year: the page says when it was applied and offers no second apply.
  await page.goto("/admin/terms");
  await expect(card.getByText(/The year-end of 2026–2027 was applied on/)).toBeVisible();
  await expect(card.getByRole("button", { name: "Apply…" })).toHaveCount(0);
});
