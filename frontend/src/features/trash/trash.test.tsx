import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ADMIN_ME, renderApp, serveApi } from "../../test/render";

afterEach(() => vi.unstubAllGlobals());

const student = (id: number, last: string, deleted: string | null) => ({
  id,
  student_id: `S${id}`,
  first_name: "Ann",
  last_name: last,
  email: `s${id}@school.example`,
  deleted_at: deleted,
});
const page = (items: unknown[], total: number) => ({ items, total, limit: 1, offset: 0 });

describe("trash", () => {
  it("lists the deleted students, says what the API counts an erase takes, then the purge report", async () => {
    const calls = serveApi(({ method, path }) => {
      if (path === "/api/v1/auth/me") return { status: 200, body: ADMIN_ME };
      if (path.startsWith("/api/v1/students?"))
        return {
          status: 200,
          body: page([student(2, "Gone", "2026-11-01T10:00:00Z")], 1),
        };
      if (path === "/api/v1/students/2/purge-preview")
        return {
          status: 200,
          body: {
            entity_type: "student",
            id: 2,
            would_delete: {
              students: 1,
              course_enrollments: 1,
              grades: 24,
              attendance: 0,
              daily_performance: 2,
              highlights: 0,
            },
          },
        };
      if (method === "DELETE" && path === "/api/v1/students/2/purge")
        return {
          status: 200,
          body: {
            entity_type: "student",
            id: 2,
            deleted: { students: 1, course_enrollments: 1, grades: 24, daily_performance: 2 },
          },
        };
      return undefined;
    });
    renderApp("/admin/trash/student", { token: "t" });
    const user = userEvent.setup();
    const table = await screen.findByTestId("trash-student");
    expect(within(table).getByText("Gone, Ann")).toBeVisible();
    const listed = calls.find((call) => call.path.startsWith("/api/v1/students?"));
    expect(listed?.path).toContain("only_deleted=true");
    expect(listed?.path).toContain("sort=deleted_at");

    await user.click(screen.getByRole("button", { name: "Erase Gone, Ann for good" }));
    expect(
      await screen.findByText(
        /removes the student with 1 enrolment, 24 grades, 0 attendance marks, 2 daily scores\. /,
      ),
    ).toBeVisible();
    await user.click(
      within(screen.getByTestId("erase-confirm")).getByRole("button", { name: "Erase for good" }),
    );
    expect(
      await screen.findByText(
        "Gone, Ann was erased with 1 enrolment, 24 grades, 0 attendance marks, 2 daily scores.",
      ),
    ).toBeVisible();
  });
});
