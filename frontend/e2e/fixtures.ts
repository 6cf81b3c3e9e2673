/** The e2e test object: each project (engine) gets its own backend for the worker's lifetime. */
import { test as base, expect, type Page } from "@playwright/test";
import { startBackend, type Backend, type EngineKind } from "./backend.ts";

export interface EngineOptions {
  /** Set per project in playwright.config.ts. */
  engine: EngineKind;
  /** The backend on a fresh database of that engine, serving the built app. */
  backend: Backend;
}

export const test = base.extend<object, EngineOptions>({
  engine: ["sqlite", { scope: "worker", option: true }],
  backend: [
    async ({ engine }, use) => {
      const backend = await startBackend(engine);
      try {
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

export async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
}
