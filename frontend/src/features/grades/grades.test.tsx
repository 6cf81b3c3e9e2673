import { act, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { tokenStore } from "../../api/http";
import { renderApp, serveApi, TEACHER_ME } from "../../test/render";

const STUDENTS = [
  { id: 1, student_id: "S-1", first_name: "Ann", last_name: "Alpha", email: "a@example.com" },
  { id: 2, student_id: "S-2", first_name: "Bob", last_name: "Beta", email: "b@example.com" },
];

function course(teacherIds: number[]) {
  return {
    id: 5,
    course_code: "BIO",
    course_name: "Biology",
    max_grade: 20,
    passing_grade: 10,
    periods_per_day: 1,
    term: null,
    teachers: teacherIds.map((id) => ({ id, email: `t${id}@example.com`, full_name: `T${id}` })),
    evaluation_rules: [
      { category: "exam", weight: 60 },
      { category: "homework", weight: 40 },
    ],
  };
}

function serve(teacherIds: number[]) {
  return serveApi(({ method, path }) => {
    if (path === "/api/v1/auth/me") return { status: 200, body: TEACHER_ME };
    if (path.startsWith("/api/v1/courses?"))
      return { status: 200, body: { items: [course(teacherIds)], total: 1, limit: 500, offset: 0 } };
    if (path === "/api/v1/courses/5") return { status: 200, body: course(teacherIds) };
    if (path.startsWith("/api/v1/courses/5/students"))
      return { status: 200, body: { items: STUDENTS, total: 2, limit: 500, offset: 0 } };
    if (method === "GET" && path.startsWith("/api/v1/grades?"))
      return { status: 200, body: { items: [], total: 0, limit: 500, offset: 0 } };
    if (method === "POST" && path === "/api/v1/grades/bulk")
      return { status: 200, body: { created: 1, updated: 0, items: [] } };
    return { status: 404, body: { detail: "not here" } };
  });
}

afterEach(() => {
  tokenStore.clear();
  vi.unstubAllGlobals();
});

describe("grade sheet", () => {
  it("flags a grade above the course's maximum as well as below 0, blocks Save with a count, then saves on the course's scale", async () => {
    const calls = serve([TEACHER_ME.id]);
    const user = userEvent.setup();
    renderApp("/grades?course=5", { token: "tok" });
    expect(
      await screen.findByText("Grades are out of 20, this course's scale; 10 passes."),
    ).toBeInTheDocument();
    await user.type(screen.getByLabelText("Assignment"), "Quiz");
    await user.type(screen.getByLabelText("Grade for Alpha, Ann"), "21");
    await user.type(screen.getByLabelText("Grade for Beta, Bob"), "-1");
    expect(screen.getByText("Above 20, the course's maximum: use 0 to 20.")).toBeInTheDocument();
    expect(screen.getByText("Below 0: use 0 to 20.")).toBeInTheDocument();
    expect(screen.getByText("2 grades are out of range: correct them to save.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Save 2 grades" })).toBeDisabled();

    // Renaming a new assignment while typing keeps what was typed (nothing to ask).
    const confirm = vi.fn(() => false);
    vi.stubGlobal("confirm", confirm);
    await user.type(screen.getByLabelText("Assignment"), " 1");
    expect(screen.getByLabelText("Assignment")).toHaveValue("Quiz 1");
    expect(screen.getByLabelText("Grade for Beta, Bob")).toHaveValue("-1");
    expect(confirm).not.toHaveBeenCalled();

    await user.clear(screen.getByLabelText("Grade for Alpha, Ann"));
    await user.type(screen.getByLabelText("Grade for Alpha, Ann"), "19,5");
    await user.clear(screen.getByLabelText("Grade for Beta, Bob"));
    await user.click(screen.getByRole("button", { name: "Save 1 grade" }));
    expect(await screen.findByText("Grades saved: 1 new, 0 updated.")).toBeInTheDocument();
    const post = calls.find((call) => call.path === "/api/v1/grades/bulk");
    expect(post?.body).toMatchObject({
      course_id: 5,
      category: "exam",
      assignment_name: "Quiz 1",
      max_grade: 20,
      grades: [{ student_id: 1, grade: 19.5 }],
    });
  });

  it("asks before the back button loses typed grades; staying keeps them, leaving goes back", async () => {
    serve([TEACHER_ME.id]);
    const user = userEvent.setup();
    const { router } = renderApp("/grades?course=5", { token: "tok", before: ["/account"] });
    await user.type(await screen.findByLabelText("Assignment", {}, { timeout: 8000 }), "Quiz");
    await user.type(screen.getByLabelText("Grade for Alpha, Ann"), "12");
    const confirm = vi.fn(() => false);
    vi.stubGlobal("confirm", confirm);

    await act(() => router.navigate(-1));
    await vi.waitFor(() =>
      expect(confirm).toHaveBeenCalledWith("1 grade is not saved yet. Leave and lose it?"),
    );
    expect(router.state.location.pathname).toBe("/grades");
    expect(screen.getByLabelText("Grade for Alpha, Ann")).toHaveValue("12");

    confirm.mockReturnValue(true);
    await act(() => router.navigate(-1));
    await vi.waitFor(() => expect(router.state.location.pathname).toBe("/account"));
    expect(confirm).toHaveBeenCalledTimes(2);
  });

  it("shows another teacher's course read-only: no Save, a notice", async () => {
    serve([99]);
    renderApp("/grades?course=5", { token: "tok" });
    expect(
      await screen.findByText(
        "You can read this course's grades; only its teachers and administrators change them.",
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /^Save/ })).not.toBeInTheDocument();
  });
});
