/** Screenshots under test-results/screenshots/ with stable names, attached to the HTML report. */
import { join } from "node:path";
import type { Page, TestInfo } from "@playwright/test";

const SCREENSHOTS = join(import.meta.dirname, "../test-results/screenshots");

export async function screenshot(page: Page, info: TestInfo, name: string): Promise<void> {
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await info.attach(name, { path, contentType: "image/png" });
}
