/**
 * Page times on seed_demo's school (issue 13): dashboard, a full class's class list, its attendance
 * sheet on its last lesson day and its gradebook, as the admin and as the class's teacher. Each page
 * is loaded once cold and BENCH_WARM times warm (full navigations); a load lasts from navigation start
 * to the DOM first holding the page's data (an observer installed before the app runs records
 * performance.now() then). Prints a table, writes test-results/page-times.json.
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "@playwright/test";
import { ADMIN, apiCall, seedDemo, tokenFor } from "../e2e/backend.ts";
import { expect, logIn, test as base } from "../e2e/fixtures.ts";

const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 20000);
const WARM = Number(process.env.BENCH_WARM ?? 5);
const SEED = 42; // seed_demo's default
const OUT = join(dirname(fileURLToPath(import.meta.url)), "../test-results/page-times.json");

/** What the DOM holds once a page shows its data: `min` elements matching, one of them with these parts' texts. */
interface Ready {
  selector: string;
  min: number;
  parts?: Record<string, string>;
}

interface School {
  atRisk: number;
  courseId: number;
  courseCode: string;
  classSize: number;
  day: string;
  teacher: { email: string; password: string };
  seedSeconds: number;
}

interface Page_ {
  name: string;
  url: string;
  ready: Ready;
}

/** The demo accounts' password (backend/seed/accounts.py demo_password). */
function demoPassword(seed: number): string {
  return "demo-" + createHash("sha256").update(`sms-demo-password:${seed}`).digest("hex").slice(0, 10);
}

interface Paged<T> {
  items: T[];
  total: number;
}
interface CourseRow {
  id: number;
  course_code: string;
  teachers: { email: string }[];
}

const test = base.extend<object, { school: School }>({
  school: [
    async ({ backend }, use) => {
      const started = Date.now();
      seedDemo(backend, STUDENTS);
      const seedSeconds = (Date.now() - started) / 1000;
      // Node's fetch reuses its keep-alive connection to uvicorn, which closed it during the long seed.
      const token = await tokenFor(backend.baseUrl, ADMIN.email, ADMIN.password).catch(() =>
        tokenFor(backend.baseUrl, ADMIN.email, ADMIN.password),
      );
      const get = <T>(path: string) => apiCall<T>(backend.baseUrl, token, "GET", path);
      const summary = await get<{ at_risk_count: number }>("/api/v1/dashboard/summary");
      const terms = await get<{ id: number; is_current: boolean }[]>("/api/v1/terms");
      const current = terms.find((term) => term.is_current);
      if (!current) throw new Error("seed_demo made no current term");
      const courses = await get<Paged<CourseRow>>(`/api/v1/courses?term_id=${current.id}&limit=20`);
      // A full class: the largest active class among the term's first courses.
      let best: { course: CourseRow; size: number } | null = null;
      for (const course of courses.items) {
        const list = await get<Paged<unknown>>(
          `/api/v1/courses/${course.id}/class-list?status=active&limit=1`,
        );
        if (!best || list.total > best.size) best = { course, size: list.total };
      }
      if (!best || best.course.teachers.length === 0) throw new Error("no taught class in the current term");
      const latest = await get<Paged<{ date: string }>>(
        `/api/v1/attendance?course_id=${best.course.id}&limit=1`,
      );
      const day = latest.items[0]?.date;
      if (!day) throw new Error(`no attendance recorded for course ${best.course.id}`);
      await use({
        atRisk: summary.at_risk_count,
        courseId: best.course.id,
        courseCode: best.course.course_code,
        classSize: best.size,
        day,
        teacher: { email: best.course.teachers[0]!.email, password: demoPassword(SEED) },
        seedSeconds,
      });
    },
    { scope: "worker", timeout: 15 * 60_000 },
  ],
});

function pagesOf(school: School): Page_[] {
  const rows = (testId: string): Ready => ({
    selector: `[data-testid="${testId}"] tbody tr`,
    min: school.classSize,
  });
  return [
    {
      name: "dashboard",
      url: "/dashboard",
      // The at-risk tile with its exact count (en-GB, as the app formats it).
      ready: {
        selector: ".stat",
        min: 1,
        parts: { ".stat-label": "At risk", ".stat-value": school.atRisk.toLocaleString("en-GB") },
      },
    },
    { name: "class list", url: `/courses/${school.courseId}`, ready: rows("class-list") },
    {
      name: "attendance sheet",
      url: `/attendance?course=${school.courseId}&date=${school.day}&period=1`,
      ready: rows("attendance-sheet"),
    },
    { name: "gradebook", url: `/grades?course=${school.courseId}`, ready: rows("grade-sheet") },
  ];
}

/** Runs in every document before the app: records when the DOM first satisfies sessionStorage's condition. */
function watchReady(): void {
  const raw = sessionStorage.getItem("bench.ready");
  if (!raw) return;
  const ready = JSON.parse(raw) as Ready;
  const holds = () => {
    const found = Array.from(document.querySelectorAll(ready.selector));
    if (found.length < ready.min) return false;
    const parts = Object.entries(ready.parts ?? {});
    return found.some((el) => parts.every(([part, text]) => el.querySelector(part)?.textContent === text));
  };
  const observer = new MutationObserver(() => {
    if (holds()) {
      (window as unknown as { benchReady: number }).benchReady = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true, characterData: true });
}

async function timeLoad(page: Page, target: Page_): Promise<number> {
  await page.evaluate((ready) => sessionStorage.setItem("bench.ready", JSON.stringify(ready)), target.ready);
  await page.goto(target.url);
  const handle = await page.waitForFunction(
    () => (window as unknown as { benchReady?: number }).benchReady,
    null,
    {
      timeout: 60_000,
    },
  );
  const ms = (await handle.jsonValue()) as number;
  await expect(page.locator(target.ready.selector).first()).toBeVisible();
  return Math.round(ms);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

interface Row {
  role: string;
  page: string;
  url: string;
  cold_ms: number;
  warm_ms: number[];
  median_ms: number;
  max_ms: number;
}

test("page times on seed_demo's school", async ({ page, engine, school }) => {
  await page.addInitScript(watchReady);
  const rows: Row[] = [];
  const accounts = [
    { role: "admin", ...ADMIN },
    { role: "teacher", ...school.teacher },
  ];
  for (const account of accounts) {
    await page.context().clearCookies();
    await page.goto("/login");
    await page.evaluate(() => sessionStorage.clear());
    await logIn(page, account.email, account.password);
    for (const target of pagesOf(school)) {
      const cold = await timeLoad(page, target);
      const warm: number[] = [];
      for (let i = 0; i < WARM; i++) warm.push(await timeLoad(page, target));
      rows.push({
        role: account.role,
        page: target.name,
        url: target.url,
        cold_ms: cold,
        warm_ms: warm,
        median_ms: median(warm),
        max_ms: Math.max(...warm),
      });
    }
  }
  const report = {
    engine,
    students: STUDENTS,
    seed_seconds: Math.round(school.seedSeconds),
    course: { id: school.courseId, code: school.courseCode, students: school.classSize, day: school.day },
    at_risk_count: school.atRisk,
    warm_loads: WARM,
    measured_at: new Date().toISOString(),
    rows,
  };
  console.log(
    `\n${engine}, ${STUDENTS} students (seeded in ${report.seed_seconds} s); class ${school.courseCode} ` +
      `(${school.classSize} students), attendance on ${school.day}; at risk: ${school.atRisk}`,
  );
  console.table(
    rows.map((row) => ({
      role: row.role,
      page: row.page,
      "cold ms": row.cold_ms,
      "warm median ms": row.median_ms,
      "warm max ms": row.max_ms,
    })),
  );
  mkdirSync(dirname(OUT), { recursive: true });
  // One file per run; keep the other engine's figures when both projects run.
  const out = OUT.replace(/\.json$/, `.${engine}.json`);
  writeFileSync(out, JSON.stringify(report, null, 2) + "\n");
  writeFileSync(OUT, JSON.stringify(report, null, 2) + "\n");
});
