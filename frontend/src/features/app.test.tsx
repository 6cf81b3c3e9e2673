import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ADMIN_ME, renderApp, serveApi, SUMMARY, TEACHER_ME } from "../test/render";

afterEach(() => vi.unstubAllGlobals());

const HEALTH_PG = {
  status: "warn",
  engine: "postgresql",
  dialect: "postgresql",
  driver: "psycopg",
  url: "postgresql+psycopg://sms_user:***@db:5432/sms",
  resolved_from: "DATABASE_ENGINE=postgresql with POSTGRES_* settings",
  database: "sms",
  host: "db",
  port: 5432,
  checked_at: "2025-11-25T10:00:00+00:00",
  latency_ms: 1.25,
  server_version: "16.4",
  size_bytes: 8_400_000,
  row_counts_exact: false,
  tables: [{ name: "students", rows: 120 }],
  schema: { current: "0002", head: "0002", up_to_date: true },
  pool: { class: "QueuePool", size: 10, checked_in: 1, checked_out: 1, overflow: -8 },
  backup: { last_at: null, age_hours: null },
  warnings: [
    {
      code: "no_recent_backup",
      message: "No backup was found.",
      action: "Create one in Control Panel → Backups.",
      params: { age_hours: null, max_age_hours: 24 },
    },
  ],
};

describe("log in and session", () => {
  it("shows the API's reason for a refused login, then lands on the dashboard", async () => {
    let attempts = 0;
    serveApi(({ method, path, body }) => {
      if (method === "POST" && path === "/api/v1/auth/login") {
        attempts += 1;
        const ok = (body as { password: string }).password === "right-password";
        return ok
          ? { status: 200, body: { access_token: "tok", token_type: "bearer" } }
          : { status: 401, body: { detail: "Wrong email or password", field: null } };
      }
      if (path === "/api/v1/auth/me") return { status: 200, body: ADMIN_ME };
      if (path === "/api/v1/dashboard/summary") return { status: 200, body: SUMMARY };
      return undefined;
    });
    const user = userEvent.setup();
    renderApp("/login");
    await user.type(screen.getByLabelText("Email"), "admin@example.com");
    await user.type(screen.getByLabelText("Password"), "wrong");
    await user.click(screen.getByRole("button", { name: "Log in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Wrong email or password");
    await user.clear(screen.getByLabelText("Password"));
    await user.type(screen.getByLabelText("Password"), "right-password");
    await user.click(screen.getByRole("button", { name: "Log in" }));
    expect(await screen.findByRole("heading", { name: "Dashboard" })).toBeInTheDocument();
    expect(await screen.findByText("12")).toBeInTheDocument();
    expect(attempts).toBe(2);
    // The token lives in this tab's sessionStorage, never on disk.
    expect(sessionStorage.getItem("sms.token")).toBe("tok");
    expect(localStorage.getItem("sms.token")).toBeNull();
  });

  it("sends a user whose token the API refuses (401) to the login page", async () => {
    serveApi(({ path }) =>
      path === "/api/v1/auth/me"
        ? { status: 401, body: { detail: "Not logged in or the session expired: log in again", field: null } }
        : undefined,
    );
    renderApp("/students", { token: "expired" });
    expect(await screen.findByRole("heading", { name: "Log in" })).toBeInTheDocument();
    expect(sessionStorage.getItem("sms.token")).toBeNull();
  });

  it("switches to Greek and remembers the choice", async () => {
    serveApi(() => undefined);
    const user = userEvent.setup();
    renderApp("/login");
    await user.selectOptions(screen.getByLabelText("Language"), "el");
    expect(screen.getByRole("heading", { name: "Σύνδεση" })).toBeInTheDocument();
    expect(localStorage.getItem("sms.lang")).toBe("el");
    expect(document.documentElement.lang).toBe("el");
  });
});

describe("Control Panel", () => {
  it("shows the engine badge, estimates, masked URL and every warning with what to do", async () => {
    serveApi(({ path }) => {
      if (path === "/api/v1/auth/me") return { status: 200, body: ADMIN_ME };
      if (path === "/health/database") return { status: 200, body: HEALTH_PG };
      return undefined;
    });
    renderApp("/control/health", { token: "tok" });
    expect(await screen.findByTestId("engine-badge")).toHaveTextContent("PostgreSQL");
    expect(screen.getByText("Needs attention")).toBeInTheDocument();
    expect(screen.getByTestId("masked-url")).toHaveTextContent(
      "postgresql+psycopg://sms_user:***@db:5432/sms",
    );
    expect(screen.getByText("estimate")).toBeInTheDocument();
    expect(screen.getByText("No backup was found.")).toBeInTheDocument();
    expect(
      screen.getByText("Create one in Control Panel → Backups or `python -m backend.scripts.backup create`."),
    ).toBeInTheDocument();
    expect(screen.getByRole("tab", { name: "Database Health" })).toHaveAttribute("aria-selected", "true");
  });

  it("is hidden from a teacher, and the page says why", async () => {
    serveApi(({ path }) => (path === "/api/v1/auth/me" ? { status: 200, body: TEACHER_ME } : undefined));
    renderApp("/control/health", { token: "tok" });
    expect(await screen.findByText("Administrators only")).toBeInTheDocument();
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(within(nav).queryByRole("link", { name: "Control Panel" })).toBeNull();
    expect(screen.queryByTestId("engine-badge")).toBeNull();
  });

  it("explains what Backups will do on a server without the backups API", async () => {
    serveApi(({ path }) => {
      if (path === "/api/v1/auth/me") return { status: 200, body: ADMIN_ME };
      if (path === "/health/database") return { status: 200, body: { ...HEALTH_PG, engine: "sqlite" } };
      if (path.startsWith("/api/v1/control/backups"))
        return { status: 404, body: { detail: "Not found", field: null } };
      return undefined;
    });
    renderApp("/control/backups", { token: "tok" });
    expect(await screen.findByText("Backups are not available on this server yet")).toBeInTheDocument();
    expect(screen.getByText(/creates new ones with SQLite's online backup/)).toBeInTheDocument();
  });
});

describe("forms and entry pages", () => {
  it("puts the API's 422 and 409 messages on the student form's fields", async () => {
    let posts = 0;
    serveApi(({ method, path }) => {
      if (path === "/api/v1/auth/me") return { status: 200, body: ADMIN_ME };
      if (method === "POST" && path === "/api/v1/students") {
        posts += 1;
        return posts === 1
          ? {
              status: 422,
              body: {
                detail: [
                  { loc: ["body", "email"], msg: "value is not a valid email address", type: "value_error" },
                ],
              },
            }
          : {
              status: 409,
              body: {
                detail: "Another student already has this student ID: use a different one",
                field: "student_id",
              },
            };
      }
      return undefined;
    });
    const user = userEvent.setup();
    renderApp("/students/new", { token: "tok" });
    await user.type(await screen.findByLabelText("Student ID"), "S-1");
    await user.type(screen.getByLabelText("Email"), "nope");
    await user.click(screen.getByRole("button", { name: "Create student" }));
    expect(await screen.findByText("value is not a valid email address")).toBeInTheDocument();
    expect(screen.getByLabelText("Email")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByRole("alert")).toHaveTextContent("Some fields need attention");
    await user.click(screen.getByRole("button", { name: "Create student" }));
    expect(
      await screen.findByText("Another student already has this student ID: use a different one", {
        selector: ".field-error",
      }),
    ).toBeInTheDocument();
    expect(screen.getByLabelText("Student ID")).toHaveAttribute("aria-invalid", "true");
  });

  it("marks everyone present, lets the keyboard change one student, and posts the day", async () => {
    const students = [
      { id: 1, student_id: "S-1", first_name: "Ann", last_name: "Alpha", email: "a@example.com" },
      { id: 2, student_id: "S-2", first_name: "Bob", last_name: "Beta", email: "b@example.com" },
    ];
    const calls = serveApi(({ method, path }) => {
      if (path === "/api/v1/auth/me") return { status: 200, body: ADMIN_ME };
      if (path.startsWith("/api/v1/courses?"))
        return {
          status: 200,
          body: {
            items: [{ id: 5, course_code: "BIO", course_name: "Biology" }],
            total: 1,
            limit: 500,
            offset: 0,
          },
        };
      if (path === "/api/v1/courses/5")
        return { status: 200, body: { id: 5, course_code: "BIO", course_name: "Biology" } };
      if (path.startsWith("/api/v1/courses/5/students"))
        return { status: 200, body: { items: students, total: 2, limit: 500, offset: 0 } };
      if (path.startsWith("/api/v1/attendance?"))
        return { status: 200, body: { items: [], total: 0, limit: 500, offset: 0 } };
      if (method === "POST" && path === "/api/v1/attendance/bulk")
        return { status: 200, body: { created: 2, updated: 0, items: [] } };
      return undefined;
    });
    const user = userEvent.setup();
    renderApp("/attendance?course=5&date=2025-11-25", { token: "tok" });
    await user.click(await screen.findByRole("button", { name: "Mark all present" }));
    const bob = screen.getByRole("radiogroup", { name: "Status for Beta, Bob" });
    within(bob).getByRole("radio", { name: "Present" }).focus();
    await user.keyboard("l");
    expect(within(bob).getByRole("radio", { name: "Late" })).toBeChecked();
    await user.click(screen.getByRole("button", { name: "Save attendance" }));
    expect(await screen.findByText("Attendance saved: 2 new, 0 updated.")).toBeInTheDocument();
    const post = calls.find((call) => call.path === "/api/v1/attendance/bulk");
    expect(post?.body).toEqual({
      course_id: 5,
      date: "2025-11-25",
      period_number: 1,
      records: [
        { student_id: 1, status: "present", notes: null },
        { student_id: 2, status: "late", notes: null },
      ],
    });
  });
});

describe("tabs", () => {
  it("move with the arrow keys", async () => {
    serveApi(({ path }) => {
      if (path === "/api/v1/auth/me") return { status: 200, body: ADMIN_ME };
      if (path === "/health/database") return { status: 200, body: HEALTH_PG };
      if (path.startsWith("/api/v1/control/backups"))
        return { status: 200, body: { items: [], total: 0, limit: 500, offset: 0 } };
      return undefined;
    });
    const user = userEvent.setup();
    renderApp("/control/health", { token: "tok" });
    const health = await screen.findByRole("tab", { name: "Database Health" });
    health.focus();
    await user.keyboard("{ArrowRight}");
    await waitFor(() =>
      expect(screen.getByRole("tab", { name: "Backups" })).toHaveAttribute("aria-selected", "true"),
    );
    expect(await screen.findByText("No backups yet: create the first one now.")).toBeInTheDocument();
  });
});
