import { screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ADMIN_ME, renderApp, serveApi, TEACHER_ME } from "../../test/render";

afterEach(() => vi.unstubAllGlobals());

const VIEWER_ME = {
  ...TEACHER_ME,
  id: 3,
  email: "viewer@example.com",
  full_name: "Vera Viewer",
  role: "viewer" as const,
};
const STUDENT = {
  id: 9,
  student_id: "S-9",
  first_name: "Ann",
  last_name: "Lee",
  email: "ann@example.com",
  is_active: true,
  study_year: 2,
  enrollment_date: "2026-09-01",
  date_of_birth: null,
  phone: null,
  notes: null,
  deleted_at: null,
};
const EMPTY = { items: [], total: 0, limit: 500, offset: 0 };

function serveAs(me: typeof ADMIN_ME | typeof TEACHER_ME | typeof VIEWER_ME) {
  serveApi(({ path }) => {
    if (path === "/api/v1/auth/me") return { status: 200, body: me };
    if (path === "/api/v1/students/9") return { status: 200, body: STUDENT };
    if (path.startsWith("/api/v1/students?"))
      return { status: 200, body: { ...EMPTY, items: [STUDENT], total: 1 } };
    return {
      status: 200,
      body: path.startsWith("/api/v1/maintenance") ? { read_only: false, reason: null, since: null } : EMPTY,
    };
  });
}

describe("each role sees only what it may do", () => {
  it.each([
    ["a viewer", VIEWER_ME],
    ["a teacher", TEACHER_ME],
  ])("%s gets no Edit, Delete or School entry on a student's page", async (_, me) => {
    serveAs(me);
    renderApp("/students/9", { token: "t" });
    expect(await screen.findByRole("heading", { name: "Ann Lee" })).toBeVisible();
    expect(screen.queryByRole("link", { name: "Edit" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Delete" })).toBeNull();
    expect(screen.queryByRole("link", { name: /^School$/ })).toBeNull();
    if (me.role === "viewer") expect(screen.queryByRole("region", { name: "Enroll in a course" })).toBeNull();
  });

  it("an admin gets them all", async () => {
    serveAs(ADMIN_ME);
    renderApp("/students/9", { token: "t" });
    expect(await screen.findByRole("link", { name: "Edit" })).toBeVisible();
    expect(screen.getByRole("button", { name: "Delete" })).toBeVisible();
    expect(screen.getByRole("link", { name: /^School$/ })).toBeVisible();
  });

  it("a teacher sent to a student's edit page is told it is for administrators", async () => {
    serveAs(TEACHER_ME);
    renderApp("/students/new", { token: "t" });
    expect(await screen.findByText("Administrators only")).toBeVisible();
  });
});
