/** Start the real SMS backend for the e2e run: a fresh database, migrations, uvicorn on a free port. */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(here, "../..");
const PYTHON = join(REPO, ".venv/bin/python");

export type EngineKind = "sqlite" | "postgresql";

export const ADMIN = { email: "admin@e2e.school.test", password: "E2e-Adm1n-pa55word!" };
const SECRET_KEY = "e2e-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz";

export interface Backend {
  kind: EngineKind;
  baseUrl: string;
  /** The SQLite file the backend serves (null on PostgreSQL), for tests that corrupt it on purpose. */
  sqlitePath: string | null;
  /** The database the backend serves, as its DATABASE_URL (for seeding it). */
  databaseUrl: string;
  stop: () => Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** A fresh PostgreSQL database from pg_database.py; it is dropped when the helper's stdin closes. */
export function postgresDatabase(): Promise<{ url: string; helper: ChildProcess }> {
  return new Promise((resolveDb, reject) => {
    const helper = spawn(PYTHON, [join(here, "pg_database.py")], {
      cwd: REPO,
      stdio: ["pipe", "pipe", "inherit"],
    });
    const lines = createInterface({ input: helper.stdout! });
    helper.on("exit", (code) =>
      reject(new Error(`pg_database.py exited with ${code} before giving a database URL`)),
    );
    lines.once("line", (line) => resolveDb({ url: (JSON.parse(line) as { url: string }).url, helper }));
  });
}

async function waitForReady(baseUrl: string, server: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`uvicorn exited with ${server.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${baseUrl}/health/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the backend at ${baseUrl} was not ready within 60 s:\n${output()}`);
}

export interface BackendOptions {
  /**
   * A fresh install as shipped: the admin must choose a new password at the first login. Off for
   * the scenarios that are about something else, so they can log in with ADMIN.password at once.
   */
  adminMustChangePassword?: boolean;
}

export async function startBackend(
  kind: EngineKind,
  { adminMustChangePassword = false }: BackendOptions = {},
): Promise<Backend> {
  const workdir = mkdtempSync(join(tmpdir(), `sms-e2e-${kind}-`));
  let helper: ChildProcess | null = null;
  let databaseUrl: string;
  const sqlitePath = kind === "sqlite" ? join(workdir, "sms.db") : null;
  if (sqlitePath) {
    databaseUrl = `sqlite:///${sqlitePath}`;
  } else {
    const db = await postgresDatabase();
    helper = db.helper;
    helper.removeAllListeners("exit");
    databaseUrl = db.url;
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_ENGINE: kind,
    DATABASE_URL: databaseUrl,
    SECRET_KEY,
    DEFAULT_ADMIN_EMAIL: ADMIN.email,
    DEFAULT_ADMIN_PASSWORD: ADMIN.password,
    DEFAULT_ADMIN_MUST_CHANGE_PASSWORD: String(adminMustChangePassword),
    ENVIRONMENT: "production",
    BACKUP_DIR: join(workdir, "backups"),
    LOG_LEVEL: "WARNING",
  };
  const migrate = spawnSync(PYTHON, ["-m", "backend.db.migrations", "upgrade"], {
    cwd: REPO,
    env,
    encoding: "utf8",
  });
  if (migrate.status !== 0) {
    helper?.stdin?.end();
    throw new Error(`migrations failed on ${kind}:\n${migrate.stdout}\n${migrate.stderr}`);
  }
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = spawn(
    PYTHON,
    ["-m", "uvicorn", "backend.main:app", "--host", "127.0.0.1", "--port", String(port)],
    {
      cwd: REPO,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let log = "";
  server.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  server.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  try {
    await waitForReady(baseUrl, server, () => log);
  } catch (error) {
    server.kill("SIGTERM");
    helper?.stdin?.end();
    throw error;
  }

  return {
    kind,
    baseUrl,
    sqlitePath,
    databaseUrl,
    stop: async () => {
      if (server.exitCode === null) {
        const exited = new Promise((r) => server.once("exit", r));
        server.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (server.exitCode === null) server.kill("SIGKILL");
      }
      if (helper) {
        const done = new Promise((r) => helper!.once("exit", r));
        helper.stdin?.end();
        await Promise.race([done, new Promise((r) => setTimeout(r, 20_000))]);
      }
      rmSync(workdir, { recursive: true, force: true });
    },
  };
}

/** Fill the backend's database with seed_demo's school of `students` students (the app keeps running). */
export function seedDemo(backend: Backend, students: number): void {
  const run = spawnSync(
    PYTHON,
    [
      "-m",
      "backend.scripts.seed_demo",
      "--students",
      String(students),
      "--database-url",
      backend.databaseUrl,
    ],
    { cwd: REPO, encoding: "utf8" },
  );
  if (run.status !== 0) throw new Error(`seed_demo failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
}

/** The HTTP status of one API call (for checks that a call is refused). */
export async function apiStatus(
  baseUrl: string,
  token: string | null,
  method: string,
  path: string,
): Promise<number> {
  const response = await fetch(baseUrl + path, {
    method,
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  await response.body?.cancel();
  return response.status;
}

/** Call the API directly (test set-up the UI is not under test for). */
export async function apiCall<T>(
  baseUrl: string,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(baseUrl + path, {
    method,
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} -> ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function tokenFor(baseUrl: string, email: string, password: string): Promise<string> {
  const { access_token } = await apiCall<{ access_token: string }>(
    baseUrl,
    null,
    "POST",
    "/api/v1/auth/login",
    { email, password },
  );
  return access_token;
}

/**
 * Run one row-changing SQL statement on a SQLite file through a raw sqlite3 connection. Foreign keys
 * are enforced per connection (the app turns them on for its own), so this one accepts rows the app never would.
 */
export function sqliteExec(path: string, sql: string): void {
  const script =
    "import sqlite3, sys\nwith sqlite3.connect(sys.argv[1]) as db:\n    assert db.execute(sys.argv[2]).rowcount == 1";
  const run = spawnSync(PYTHON, ["-c", script, path, sql], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`sqlite3 on ${path} failed:\n${run.stderr}`);
}
