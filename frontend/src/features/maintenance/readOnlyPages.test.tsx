import { cleanup, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ADMIN_ME, renderApp, serveApi } from "../../test/render";

afterEach(() => vi.unstubAllGlobals());

const READ_ONLY = { read_only: true, reason: "end-of-term copy", since: null };
const WHY = "SMS is read-only (end-of-term copy): nothing can be saved for now.";
const page = (items: unknown[]) => ({ items, total: items.length, limit: 20, offset: 0 });

const YEAR = {
  id: 1,
  name: "2026–2027",
  starts_on: "2026-09-01",
  ends_on: "2027-06-30",
  is_current: false,
  year_end_applied_at: null,
};
const TERM = {
  id: 4,
  academic_year_id: 1,
  academic_year_name: YEAR.name,
  name: "Fall",
  starts_on: "2026-09-01",
  ends_on: "2027-01-31",
  is_current: false,
};
const INACTIVE_USER = {
  id: 7,
  email: "tess@school.example",
  full_name: "Tess Teacher",
  role: "teacher",
  is_active: false,
  must_change_password: false,
  last_login_at: null,
  created_at: "2026-09-01T08:00:00Z",
  updated_at: "2026-09-01T08:00:00Z",
};
const GONE = {
  id: 2,
  student_id: "S2",
  first_name: "Ann",
  last_name: "Gone",
  email: "s2@school.example",
  deleted_at: "2026-11-01T10:00:00Z",
};
const HIGHLIGHT = {
  id: 9,
  student_id: 2,
  category: "science",
  date_recorded: "2026-11-02",
  highlight_text: "Won the fair",
  is_positive: true,
  rating: 5,
  semester: "Fall",
  created_at: "2026-11-02T08:00:00Z",
  updated_at: "2026-11-02T08:00:00Z",
};
const BACKUP = { name: "sms-2026-12-01.dump", size_bytes: 2048, created_at: "2026-12-01T08:00:00Z" };

function serveReadOnly() {
  return serveApi(({ method, path }) => {
    if (method !== "GET") return undefined; // nothing may be sent while read-only
    if (path === "/api/v1/auth/me") return { status: 200, body: ADMIN_ME };
    if (path === "/api/v1/maintenance") return { status: 200, body: READ_ONLY };
    if (path === "/api/v1/academic-years") return { status: 200, body: [YEAR] };
    if (path === "/api/v1/terms") return { status: 200, body: [TERM] };
    if (path === "/api/v1/users/7") return { status: 200, body: INACTIVE_USER };
    if (path.startsWith("/api/v1/students?")) return { status: 200, body: page([GONE]) };
    if (path.startsWith("/api/v1/highlights")) return { status: 200, body: page([HIGHLIGHT]) };
    if (path.startsWith("/api/v1/students/")) return { status: 200, body: GONE };
    if (path.startsWith("/api/v1/control/backups")) return { status: 200, body: page([BACKUP]) };
    if (path === "/health/database") return { status: 200, body: { engine: "sqlite" } };
    return undefined;
  });
}

/** The buttons still enabled once `landmark` shows: none of them may be one that saves. */
async function enabledButtons(route: string, landmark: string): Promise<string[]> {
  renderApp(route, { token: "tok" });
  await screen.findByTestId("read-only-banner", {}, { timeout: 8000 });
  await screen.findByRole("button", { name: landmark }, { timeout: 8000 });
  return screen
    .getAllByRole("button")
    .filter((button) => !(button as HTMLButtonElement).disabled)
    .map((button) => button.getAttribute("aria-label") ?? button.textContent?.trim() ?? "");
}

describe("read-only mode on the pages that save", () => {
  it.each([
    [
      "/admin/terms",
      "Make current",
      [
        "New academic year",
        "Make current",
        "Edit",
        "New term",
        "Make Fall the current term",
        "Edit Fall",
        "Delete Fall",
      ],
    ],
    ["/admin/users/7", "Reactivate", ["Reactivate", "Reset password", "Unlock login"]],
    ["/admin/trash/student", "Restore Gone, Ann", ["Restore Gone, Ann", "Erase Gone, Ann for good"]],
    ["/highlights", "Record a highlight", ["Record a highlight", "Edit", "Delete"]],
    [
      "/control/backups",
      "Create backup",
      ["Create backup", `Restore ${BACKUP.name}`, `Delete ${BACKUP.name}`],
    ],
  ])("%s: every write control is disabled and says why", async (route, landmark, writes) => {
    serveReadOnly();
    const enabled = await enabledButtons(route, landmark);
    // Only controls that change nothing stay usable (the backup download is a read).
    expect(enabled.filter((name) => !/^Download |theme$/.test(name))).toEqual(["Log out"]);
    for (const name of writes) {
      for (const button of screen.getAllByRole("button", { name })) {
        expect(button).toBeDisabled();
        expect(button).toHaveAttribute("title", WHY);
      }
    }
    cleanup();
  });

  it("Log out everywhere stays usable: the API lets it through", async () => {
    serveReadOnly();
    const enabled = await enabledButtons("/account", "Log out everywhere");
    expect(enabled).toContain("Log out everywhere");
  });
});
