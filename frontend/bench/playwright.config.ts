/**
 * Page-time benchmark (issue 13), not part of the test suite: `npx playwright test -c bench/playwright.config.ts`.
 * The e2e set-up (chromium, viewport, locale, one project per engine) with longer limits, because
 * seeding seed_demo's school of 20,000 students takes a minute or more on a shared two-core machine.
 */
import { defineConfig } from "@playwright/test";
import e2e from "../playwright.config.ts";
import type { EngineOptions } from "../e2e/fixtures.ts";

export default defineConfig<object, EngineOptions>({
  ...e2e,
  testDir: ".",
  testMatch: "*.bench.ts",
  outputDir: "../test-results/bench-output",
  retries: 0,
  timeout: 20 * 60_000,
  reporter: [["list"]],
  use: { ...e2e.use, trace: "off", navigationTimeout: 60_000 },
  expect: { timeout: 60_000 },
});
