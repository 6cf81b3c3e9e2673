import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ADMIN_ME, renderApp, serveApi } from "../../test/render";
import type { components } from "../../api/schema";
import { pluralKey } from "../../i18n/plural";
import type { ReadinessReport } from "./readinessApi";
import type { DatabaseHealth, HealthWarning } from "./useHealth";

afterEach(() => vi.unstubAllGlobals());

const PATH = "/api/v1/control/migration-readiness";
const SOURCE = "/srv/sms/data/student_management.db";
const COMMANDS = [
  `python -m backend.scripts.migrate_sqlite_to_postgres --sqlite-path ${SOURCE} --postgres-url postgresql+psycopg://user:pass@host:5432/dbname --dry-run --skip-migrations`,
  `python -m backend.scripts.migrate_sqlite_to_postgres --sqlite-path ${SOURCE} --postgres-url postgresql+psycopg://user:pass@host:5432/dbname`,
];

// Shaped like backend/tests/transfer/test_readiness_api.py's answers (the e2e suite runs the real one).
type Table = ReadinessReport["tables"][number];
const USERS: Table = { name: "users", rows: 1, problems: [], problem_count: 0 };
const ORPHAN: Table["problems"][number] = {
  kind: "orphan",
  column: "student_id",
  primary_key: { id: 7 },
  value: "41",
  message:
    "no row in students.id has this value: delete the row, clear the reference or restore the missing students row",
};
const ATTENDANCE: Table = {
  name: "attendance",
  rows: 1200,
  problems: [
    ORPHAN,
    {
      kind: "not_in_enum",
      column: "status",
      primary_key: { id: 7 },
      value: "'sick'",
      message: "not one of present, absent, late, excused",
    },
  ],
  problem_count: 3,
};
const NOT_READY = {
  engine: "sqlite",
  source: SOURCE,
  ready: false,
  tables: [USERS, ATTENDANCE],
  problems_total: 3,
  next_commands: COMMANDS,
} satisfies ReadinessReport;

// Typed as the generated client types the answer, so a changed API shape fails the type check here too.
function health(engine: DatabaseHealth["engine"], warnings: HealthWarning[] = []): DatabaseHealth {
  return {
    status: warnings.length ? "warn" : "pass",
    engine,
    dialect: engine,
    driver: engine === "sqlite" ? "pysqlite" : "psycopg",
    url: engine === "sqlite" ? `sqlite:///${SOURCE}` : "postgresql+psycopg://sms:***@db:5432/sms",
    resolved_from: "DATABASE_URL",
    database: "sms",
    host: null,
    port: null,
    checked_at: "2025-11-25T10:00:00+00:00",
    schema: { current: "0003", head: "0004", up_to_date: false },
    backup: { last_at: "2025-11-20T10:00:00+00:00", age_hours: 120 },
    tables: [],
    warnings,
  };
}

describe("Migration readiness", () => {
  it("on SQLite runs on the button, then lists every problem, the summary and the commands", async () => {
    const calls = serveApi(({ method, path }) => {
      if (path === "/api/v1/auth/me") return { status: 200, body: ADMIN_ME };
      if (path === "/health/database") return { status: 200, body: health("sqlite") };
      if (method === "POST" && path === PATH) return { status: 200, body: NOT_READY };
      return undefined;
    });
    const user = userEvent.setup();
    renderApp("/control/migration", { token: "tok" });
    // The file's first render loads the app's modules: on a busy machine that takes over the default 1 s.
    const run = await screen.findByRole("button", { name: "Check now" }, { timeout: 8000 });
    expect(calls.some((call) => call.path === PATH)).toBe(false);
    await user.click(run);

    const summary = await screen.findByTestId("readiness-summary");
    expect(summary).toHaveTextContent("3 problems must be fixed before the move.");
    expect(summary).toHaveTextContent(`Checked 2 tables, 1,201 rows, in ${SOURCE}`);
    const tables = within(screen.getByTestId("readiness-tables"));
    expect(tables.getByRole("row", { name: /users\s+1\s+None/ })).toBeInTheDocument();
    expect(tables.getByRole("row", { name: /attendance\s+1,200\s+3 problems/ })).toBeInTheDocument();

    const problems = within(screen.getByTestId("readiness-problems"));
    const orphan = problems.getByRole("row", { name: /Orphaned foreign key/ });
    for (const cell of [
      "attendance",
      "(orphan)",
      "student_id",
      "id=7",
      "41",
      "no row in students.id has this value",
    ]) {
      expect(orphan).toHaveTextContent(cell);
    }
    expect(problems.getByRole("row", { name: /Not an allowed value/ })).toHaveTextContent("'sick'");
    expect(problems.getByText("and 1 more in this table")).toBeInTheDocument();

    const commands = screen.getAllByTestId("next-command").map((node) => node.textContent);
    expect(commands).toEqual(COMMANDS);
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    await user.click(screen.getByRole("button", { name: "Copy command 2" }));
    expect(writeText).toHaveBeenCalledWith(COMMANDS[1]);
    expect(await screen.findByText("Copied.")).toBeInTheDocument();
  });

  it("says ready when nothing blocks the move", async () => {
    serveApi(({ method, path }) => {
      if (path === "/api/v1/auth/me") return { status: 200, body: ADMIN_ME };
      if (path === "/health/database") return { status: 200, body: health("sqlite") };
      if (method === "POST" && path === PATH)
        return { status: 200, body: { ...NOT_READY, ready: true, problems_total: 0, tables: [USERS] } };
      return undefined;
    });
    const user = userEvent.setup();
    renderApp("/control/migration", { token: "tok" });
    await user.click(await screen.findByRole("button", { name: "Check now" }));
    expect(await screen.findByTestId("readiness-summary")).toHaveTextContent(
      "Ready: nothing blocks the move to PostgreSQL.",
    );
    expect(screen.queryByTestId("readiness-problems")).toBeNull();
    expect(screen.getByRole("button", { name: "Check again" })).toBeInTheDocument();
  });

  it("on PostgreSQL shows the server's own nothing-to-migrate message", async () => {
    const detail = "The app already runs on PostgreSQL; there is nothing to migrate.";
    serveApi(({ method, path }) => {
      if (path === "/api/v1/auth/me") return { status: 200, body: ADMIN_ME };
      if (path === "/health/database") return { status: 200, body: health("postgresql") };
      if (method === "POST" && path === PATH) return { status: 409, body: { detail } };
      return undefined;
    });
    renderApp("/control/migration", { token: "tok" });
    expect(await screen.findByTestId("nothing-to-migrate")).toHaveTextContent(detail);
    expect(screen.getByText("Already on PostgreSQL")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Check now" })).toBeNull();
  });

  it("counts a single problem in the singular", async () => {
    const one = { ...ATTENDANCE, problems: [ORPHAN], problem_count: 1 };
    serveApi(({ method, path }) => {
      if (path === "/api/v1/auth/me") return { status: 200, body: ADMIN_ME };
      if (path === "/health/database") return { status: 200, body: health("sqlite") };
      if (method === "POST" && path === PATH)
        return { status: 200, body: { ...NOT_READY, problems_total: 1, tables: [one] } };
      return undefined;
    });
    const user = userEvent.setup();
    renderApp("/control/migration", { token: "tok" });
    await user.click(await screen.findByRole("button", { name: "Check now" }));
    expect(await screen.findByTestId("readiness-summary")).toHaveTextContent(
      "1 problem must be fixed before the move.",
    );
    expect(
      within(screen.getByTestId("readiness-tables")).getByRole("row", {
        name: /attendance\s+1,200\s+1 problem$/,
      }),
    ).toBeInTheDocument();
  });
});

describe("Database Health warnings", () => {
  const WARNINGS: HealthWarning[] = [
    {
      code: "sqlite_in_production",
      message: "Production is running on SQLite, which serves one writer at a time.",
      action: "Move to PostgreSQL: see docs/POSTGRES_MIGRATION_GUIDE.md.",
      params: {},
    },
    {
      code: "schema_behind",
      message: "The schema is at 0003, the code expects 0004.",
      action: "Run `python -m backend.db.migrations upgrade`.",
      params: { current: "0003", head: "0004" },
    },
    {
      code: "no_recent_backup",
      message: "No backup in the last 24 hours.",
      action: "Create one in Control Panel → Backups or `python -m backend.scripts.backup create`.",
      params: { age_hours: 120, max_age_hours: 24 },
    },
    {
      code: "settings_ignored",
      message:
        "POSTGRES_HOST, POSTGRES_USER are set but the engine is SQLite, so they are ignored: set DATABASE_ENGINE=postgresql to use PostgreSQL",
      action: "Remove the unused POSTGRES_* values or opt in.",
      params: { variables: ["POSTGRES_HOST", "POSTGRES_USER"] },
    },
  ];
  // What a newer server could send: the type does not know it, so the body is built untyped.
  const NEWER = {
    code: "brand_new_code",
    message: "Something the web app does not know yet.",
    action: "Do the new thing.",
    params: {},
  };

  function serveHealth(body: unknown) {
    serveApi(({ path }) => {
      if (path === "/api/v1/auth/me") return { status: 200, body: ADMIN_ME };
      if (path === "/health/database") return { status: 200, body };
      return undefined;
    });
  }

  it("are translated into Greek by code, and an unknown code keeps the server's words", async () => {
    localStorage.setItem("sms.lang", "el");
    serveHealth({ ...health("sqlite", WARNINGS), warnings: [...WARNINGS, NEWER] });
    renderApp("/control/health", { token: "tok" });
    expect(
      await screen.findByText("Η παραγωγή τρέχει σε SQLite, που εξυπηρετεί έναν εγγραφέα τη φορά."),
    ).toBeInTheDocument();
    expect(
      screen.getByText("Το σχήμα είναι στην έκδοση 0003, ο κώδικας περιμένει την 0004."),
    ).toBeInTheDocument();
    expect(screen.getByText("Κανένα αντίγραφο ασφαλείας τις τελευταίες 24 ώρες.")).toBeInTheDocument();
    expect(
      screen.getByText(
        /Αυτές οι ρυθμίσεις αγνοούνται επειδή η μηχανή είναι SQLite: POSTGRES_HOST, POSTGRES_USER\./,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText("Something the web app does not know yet.")).toBeInTheDocument();
    expect(screen.getByText("Do the new thing.")).toBeInTheDocument();
    for (const english of WARNINGS) expect(screen.queryByText(english.message)).toBeNull();
  });

  it("take their Greek from the code and parameters, not from the English sentence", async () => {
    localStorage.setItem("sms.lang", "el");
    const warning: HealthWarning = {
      code: "settings_ignored",
      message: "An English sentence that names no variable at all.",
      action: "Remove the unused POSTGRES_* values or opt in.",
      params: { variables: ["POSTGRES_DB"] },
    };
    serveHealth(health("sqlite", [warning]));
    renderApp("/control/health", { token: "tok" });
    const item = await screen.findByRole("listitem");
    expect(item).toHaveAttribute("data-warning-code", "settings_ignored");
    // One variable: the singular form, by Greek's plural rules.
    expect(item).toHaveTextContent("Αυτή η ρύθμιση αγνοείται επειδή η μηχανή είναι SQLite: POSTGRES_DB.");
    expect(item).toHaveTextContent("Αφαιρέστε τις αχρησιμοποίητες τιμές POSTGRES_* ή ενεργοποιήστε τις.");
    expect(screen.queryByText(warning.message)).toBeNull();
  });

  it("read the same as the server's English in English", async () => {
    localStorage.setItem("sms.lang", "en");
    serveHealth(health("sqlite", WARNINGS.slice(0, 3)));
    renderApp("/control/health", { token: "tok" });
    for (const warning of WARNINGS.slice(0, 3)) {
      expect(await screen.findByText(warning.message)).toBeInTheDocument();
      expect(screen.getByText(warning.action)).toBeInTheDocument();
    }
  });
});

describe("pluralKey", () => {
  it("picks the form by the language's plural rules", () => {
    expect([0, 1, 2, 24].map((n) => pluralKey("migration.notReady", n, "en-GB"))).toEqual([
      "migration.notReady.other",
      "migration.notReady.one",
      "migration.notReady.other",
      "migration.notReady.other",
    ]);
    expect([0, 1, 2].map((n) => pluralKey("migration.problemCount", n, "el-GR"))).toEqual([
      "migration.problemCount.other",
      "migration.problemCount.one",
      "migration.problemCount.other",
    ]);
  });
});

describe("Backups", () => {
  it("refresh the list and the health report (its last backup) after a new backup", async () => {
    const backup: components["schemas"]["BackupCreated"] = {
      name: "sms-sqlite-20251125-100000.sqlite3",
      created_at: "2025-11-25T10:00:00+00:00",
      engine: "sqlite",
      schema_revision: "0004",
      size_bytes: 2048,
      row_counts: { students: 12 },
      checksum: "ab12",
      format: "sqlite-backup-api",
      app_version: "1.18.0",
      removed_by_retention: [],
    };
    let backups: components["schemas"]["BackupOut"][] = [];
    const calls = serveApi(({ method, path }) => {
      if (path === "/api/v1/auth/me") return { status: 200, body: ADMIN_ME };
      if (path === "/health/database") return { status: 200, body: health("sqlite") };
      if (method === "GET" && path.startsWith("/api/v1/control/backups"))
        return { status: 200, body: { items: backups, total: backups.length, limit: 500, offset: 0 } };
      if (method === "POST" && path === "/api/v1/control/backups") {
        backups = [backup];
        return { status: 201, body: backup };
      }
      return undefined;
    });
    const count = (path: string) =>
      calls.filter((call) => call.method === "GET" && call.path.startsWith(path)).length;
    const user = userEvent.setup();
    renderApp("/control/backups", { token: "tok" });
    expect(
      await screen.findByText("No backups yet: create the first one now.", {}, { timeout: 5000 }),
    ).toBeInTheDocument();
    const before = { health: count("/health/database"), list: count("/api/v1/control/backups") };
    await user.click(screen.getByRole("button", { name: "Create backup" }));
    expect(await screen.findByText("Backup created.")).toBeInTheDocument();
    expect(screen.getByText(backup.name)).toBeInTheDocument();
    expect(count("/health/database")).toBeGreaterThan(before.health);
    expect(count("/api/v1/control/backups")).toBeGreaterThan(before.list);
  });
});
