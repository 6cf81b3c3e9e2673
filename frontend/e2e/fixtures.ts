/** The e2e test object: each project (engine) gets its own backend for the worker's lifetime. */
import { test as base, expect, type Page } from "@playwright/test";
import { seedDemo, startBackend, type Backend, type EngineKind } from "./backend.ts";

export interface EngineOptions {
  /** Set per project in playwright.config.ts. */
  engine: EngineKind;
  /** A fresh install whose admin must change the installed password first (test.use per file). */
  freshInstall: boolean;
  /** Students of seed_demo's school to fill the database with (0: none); a value of its own gets its own backend. */
  demoStudents: number;
  /** The backend on a fresh database of that engine, serving the built app. */
  backend: Backend;
}

export const test = base.extend<object, EngineOptions>({
  engine: ["sqlite", { scope: "worker", option: true }],
  freshInstall: [false, { scope: "worker", option: true }],
  demoStudents: [0, { scope: "worker", option: true }],
  backend: [
    async ({ engine, freshInstall, demoStudents }, use) => {
      const backend = await startBackend(engine, { adminMustChangePassword: freshInstall });
      try {
        if (demoStudents > 0) seedDemo(backend, demoStudents);
        await use(backend);
      } finally {
        await backend.stop();
      }
    },
    // Migrations and uvicorn on a busy two-core machine; PostgreSQL may start an embedded server first.
    { scope: "worker", timeout: 120_000 },
  ],
  baseURL: async ({ backend }, use) => {
    await use(backend.baseUrl);
  },
});

export { expect };

/** The bearer token the app holds in this tab's sessionStorage (null when logged out). */
export function tokenInTab(page: Page): Promise<string | null> {
  return page.evaluate(() => sessionStorage.getItem("sms.token"));
}

export async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
}
