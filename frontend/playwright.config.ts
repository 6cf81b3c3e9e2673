/**
 * End-to-end: the built app (`npm run e2e` builds it first) served by the real backend, once per
 * engine (the projects), driven through Debian's chromium: Playwright downloads no browser here.
 */
import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";
import type { EngineOptions } from "./e2e/fixtures.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(CHROMIUM)) {
  throw new Error(
    `chromium is missing at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH)`,
  );
}
const CI = Boolean(process.env.CI);

export default defineConfig<object, EngineOptions>({
  testDir: "e2e",
  testMatch: "*.spec.ts",
  outputDir: "test-results/output",
  // One backend and one browser at a time: the machines have two cores.
  workers: 1,
  forbidOnly: CI,
  retries: CI ? 1 : 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["html", { outputFolder: "test-results/html", open: "never" }]],
  use: {
    viewport: { width: 1280, height: 900 },
    locale: "en-GB",
    colorScheme: "light",
    actionTimeout: 15_000,
    navigationTimeout: 15_000,
    trace: "on-first-retry",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [
    { name: "sqlite", use: { engine: "sqlite" } },
    { name: "postgresql", use: { engine: "postgresql" } },
  ],
});
