/**
 * The Greek interface: the admin's top bar (the longest) stays on one row at 1280 and 1366 px,
 * and what the server refuses is shown in Greek, worded from its code (a 409 and a 422).
 */
import type { Page } from "@playwright/test";
import { ADMIN } from "./backend.ts";
import { expect, logIn, test } from "./fixtures.ts";
import { screenshot } from "./screenshot.ts";

test.describe.configure({ mode: "serial" });

async function inGreek(page: Page): Promise<void> {
  await logIn(page, ADMIN.email, ADMIN.password);
  await page.getByLabel("Language").selectOption("el");
  await expect(page.locator("html")).toHaveAttribute("lang", "el");
}

/** Every item of the top bar (brand, nav links, tools) sits on one row: the same vertical centre. */
async function expectOneRow(page: Page): Promise<void> {
  const items = page.locator(".topbar-inner > .brand, .nav a, .topbar-tools > *:visible");
  const centres = await items.evaluateAll((nodes) =>
    nodes.map((node) => {
      const box = node.getBoundingClientRect();
      return Math.round(box.top + box.height / 2);
    }),
  );
  expect(centres.length).toBeGreaterThan(5);
  expect(Math.max(...centres) - Math.min(...centres), `item centres ${centres.join(", ")}`).toBeLessThan(8);
  const wrapped = await page
    .locator(".nav a, .topbar-tools > *:visible")
    // (the language select's label is hidden for sight, 1 px wide, on purpose)
    .evaluateAll(
      (nodes) =>
        nodes.filter((node) => node.clientWidth > 2 && node.scrollWidth > node.clientWidth + 1).length,
    );
  expect(wrapped, "a link or tool is cut off").toBe(0);
}

test("the top bar stays on one row at 1280 and 1366 px, in English and in Greek", async ({ page }) => {
  await logIn(page, ADMIN.email, ADMIN.password);
  await page.setViewportSize({ width: 1280, height: 900 });
  await expectOneRow(page);
  await page.getByLabel("Language").selectOption("el");
  await expect(page.locator("html")).toHaveAttribute("lang", "el");
  for (const width of [1280, 1366]) {
    await page.setViewportSize({ width, height: 900 });
    await expect(page.getByRole("link", { name: "Σχολείο", exact: true })).toBeVisible();
    await expectOneRow(page);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await screenshot(page, test.info(), "greek-topbar-1280");
});

test("a server refusal is shown in Greek: the last administrator cannot demote themselves", async ({
  page,
}) => {
  await inGreek(page);
  await page.getByRole("link", { name: "Σχολείο", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Λογαριασμοί" })).toBeVisible();
  await page.getByRole("searchbox").fill(ADMIN.email);
  await page.getByRole("row").filter({ hasText: ADMIN.email }).getByRole("link").click();
  await page.getByLabel("Ρόλος").selectOption("teacher");
  await page.getByRole("button", { name: "Αποθήκευση αλλαγών" }).click();
  await expect(page.getByRole("alert")).toContainText(
    `Ο λογαριασμός ${ADMIN.email} είναι ο μόνος ενεργός διαχειριστής`,
  );
  await screenshot(page, test.info(), "greek-server-error");
});

test("a field the server refuses is worded in Greek from the 422 item's code", async ({ page }) => {
  await inGreek(page);
  await page.goto("/students/new");
  await page.getByLabel("Αριθμός μητρώου").fill("EL-0001");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Όνομα", { exact: true }).fill("Μαρία");
  await page.getByLabel("Επώνυμο").fill("Παπαδοπούλου");
  await page.getByLabel("Ημερομηνία εγγραφής").fill("2026-09-01");
  await page.getByRole("button", { name: "Δημιουργία μαθητή" }).click();
  await expect(page.getByLabel("Email")).toHaveAccessibleDescription(
    "Χρησιμοποιήστε διεύθυνση email όπως name@school.gr.",
  );
  await expect(page.getByText("@-sign")).toHaveCount(0);
  await screenshot(page, test.info(), "greek-field-error");
});
