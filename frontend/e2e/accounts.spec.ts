/**
 * Accounts and sessions on a fresh install (its own backend: the admin still owes the password
 * change the installer's generated password calls for), once per engine.
 */
import { ADMIN, apiStatus, tokenFor } from "./backend.ts";
import { expect, logIn, test, tokenInTab } from "./fixtures.ts";

test.use({ freshInstall: true });
test.describe.configure({ mode: "serial" });

const NEW_PASSWORD = "Chosen-by-the-adm1n!";

test("a fresh install's admin is walked through the password change, then reaches the dashboard", async ({
  page,
  backend,
}) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Log in" }).click();

  await expect(page).toHaveURL(/\/account\/password$/);
  await expect(page.getByRole("heading", { name: "Change password" })).toBeVisible();
  await expect(page.getByText("Choose your own password")).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveCount(0);
  // Nothing else opens until the password is changed.
  await page.goto("/students");
  await expect(page).toHaveURL(/\/account\/password$/);
  const owing = await tokenInTab(page);
  expect(await apiStatus(backend.baseUrl, owing, "GET", "/api/v1/students")).toBe(403);

  await page.getByLabel("Current password").fill(ADMIN.password);
  await page.getByLabel("New password", { exact: true }).fill(ADMIN.email);
  await page.getByLabel("Confirm new password").fill(ADMIN.email);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByLabel("New password", { exact: true })).toHaveAccessibleDescription(/is your email/);

  await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel("Confirm new password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await expect(page.getByText("Attendance today")).toBeVisible();
  await expect(
    page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Students" }),
  ).toBeVisible();

  // The server agrees: the installed password is gone, the new one opens a session that owes nothing.
  expect(await apiStatus(backend.baseUrl, await tokenInTab(page), "GET", "/api/v1/students")).toBe(200);
  await expect(tokenFor(backend.baseUrl, ADMIN.email, ADMIN.password)).rejects.toThrow(/401/);
});

test("logging out ends the session on the server: the old token is refused afterwards", async ({
  page,
  backend,
}) => {
  await logIn(page, ADMIN.email, NEW_PASSWORD);
  const token = await tokenInTab(page);
  expect(token).not.toBeNull();
  expect(await apiStatus(backend.baseUrl, token, "GET", "/api/v1/auth/me")).toBe(200);

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  expect(await tokenInTab(page)).toBeNull();
  expect(await apiStatus(backend.baseUrl, token, "GET", "/api/v1/auth/me")).toBe(401);
});

test("log out everywhere ends the sessions of other devices too", async ({ page, backend }) => {
  const otherDevice = await tokenFor(backend.baseUrl, ADMIN.email, NEW_PASSWORD);
  await logIn(page, ADMIN.email, NEW_PASSWORD);
  const here = await tokenInTab(page);
  await page.getByRole("link", { name: /Your account/ }).click();
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  await page.getByRole("button", { name: "Log out everywhere" }).click();
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  expect(await apiStatus(backend.baseUrl, otherDevice, "GET", "/api/v1/auth/me")).toBe(401);
  expect(await apiStatus(backend.baseUrl, here, "GET", "/api/v1/auth/me")).toBe(401);
});
