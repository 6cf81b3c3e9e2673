import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ADMIN_ME, renderApp, serveApi } from "../../test/render";

afterEach(() => vi.unstubAllGlobals());

const YEAR = {
  id: 1,
  name: "2026–2027",
  starts_on: "2026-09-01",
  ends_on: "2027-06-30",
  is_current: true,
  year_end_applied_at: null,
};
const TERMS = [
  {
    id: 5,
    academic_year_id: 1,
    academic_year_name: YEAR.name,
    name: "Spring",
    starts_on: "2027-02-01",
    ends_on: "2027-06-30",
    is_current: false,
  },
  {
    id: 4,
    academic_year_id: 1,
    academic_year_name: YEAR.name,
    name: "Fall",
    starts_on: "2026-09-01",
    ends_on: "2027-01-31",
    is_current: true,
  },
];

describe("terms", () => {
  it("shows each year's terms in order, and a refused date on its field with the dates in the reader's words", async () => {
    const calls = serveApi(({ method, path }) => {
      if (path === "/api/v1/auth/me") return { status: 200, body: ADMIN_ME };
      if (path === "/api/v1/academic-years" && method === "GET") return { status: 200, body: [YEAR] };
      if (path === "/api/v1/terms" && method === "GET") return { status: 200, body: TERMS };
      if (path === "/api/v1/terms" && method === "POST")
        return {
          status: 422,
          body: {
            detail: "ends_on 2027-01-01 is not after starts_on 2027-02-01: pick a later end date",
            field: "ends_on",
            code: "ends_before_start",
            params: { starts_on: "2027-02-01", ends_on: "2027-01-01" },
          },
        };
      return undefined;
    });
    renderApp("/admin/terms", { token: "t" });
    const user = userEvent.setup();
    const table = await screen.findByRole("table", { name: "Terms of 2026–2027" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((row) => within(row).getByRole("rowheader").textContent?.trim())).toEqual([
      "Fall Current",
      "Spring",
    ]);

    await user.click(screen.getByRole("button", { name: "New term" }));
    await user.type(screen.getByLabelText("Name"), "Summer");
    await user.type(screen.getByLabelText("First day"), "2027-02-01");
    await user.type(screen.getByLabelText("Last day"), "2027-01-01");
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    expect(await screen.findByLabelText("Last day")).toHaveAccessibleDescription(
      "The last day (1 Jan 2027) must come after the first day (1 Feb 2027).",
    );
    const post = calls.find((call) => call.method === "POST");
    expect(post?.body).toEqual({
      name: "Summer",
      starts_on: "2027-02-01",
      ends_on: "2027-01-01",
      academic_year_id: 1,
    });
  });

  it("deletes a term only after a confirm that names it; Cancel sends nothing", async () => {
    const calls = serveApi(({ method, path }) => {
      if (path === "/api/v1/auth/me") return { status: 200, body: ADMIN_ME };
      if (path === "/api/v1/academic-years" && method === "GET") return { status: 200, body: [YEAR] };
      if (path === "/api/v1/terms" && method === "GET") return { status: 200, body: TERMS };
      if (path === "/api/v1/terms/5" && method === "DELETE") return { status: 204 };
      return undefined;
    });
    renderApp("/admin/terms", { token: "t" });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Delete Spring" }));
    expect(screen.getByText("Delete the term Spring?")).toBeVisible();
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.queryByText("Delete the term Spring?")).toBeNull();
    expect(calls.filter((call) => call.method === "DELETE")).toHaveLength(0);

    await user.click(screen.getByRole("button", { name: "Delete Spring" }));
    await user.click(screen.getByRole("button", { name: "Delete" }));
    await vi.waitFor(() => expect(screen.queryByText("Delete the term Spring?")).toBeNull());
    expect(calls.filter((call) => call.method === "DELETE").map((call) => call.path)).toEqual([
      "/api/v1/terms/5",
    ]);
  });

  it("previews the year-end, then applies it only after a confirm that repeats the counts", async () => {
    const preview = {
      academic_year_id: 1,
      academic_year_name: YEAR.name,
      top_year: 6,
      moves: [
        { from_year: 5, to_year: 6, students: 1 },
        { from_year: 6, to_year: null, students: 40 },
      ],
      promoted: 1,
      graduated: 40,
      applied_at: null,
    };
    const calls = serveApi(({ method, path }) => {
      if (path === "/api/v1/auth/me") return { status: 200, body: ADMIN_ME };
      if (path === "/api/v1/academic-years" && method === "GET") return { status: 200, body: [YEAR] };
      if (path === "/api/v1/terms" && method === "GET") return { status: 200, body: TERMS };
      if (path === "/api/v1/year-end/preview") return { status: 200, body: preview };
      if (path === "/api/v1/year-end/apply")
        return { status: 200, body: { ...preview, applied_at: "2027-06-30T12:00:00Z" } };
      return { status: 200, body: { items: [], total: 0, limit: 20, offset: 0 } };
    });
    renderApp("/admin/terms", { token: "t" });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Preview the year-end" }));
    expect(await screen.findByText("1 student moves up · 40 graduate")).toBeVisible();
    expect(within(screen.getByTestId("year-end-moves")).getByText("Graduates")).toBeVisible();
    expect(calls.some((call) => call.path === "/api/v1/year-end/apply")).toBe(false);

    await user.click(screen.getByRole("button", { name: "Apply…" }));
    expect(screen.getByText(/1 student moves up; 40 graduate and become inactive/)).toBeVisible();
    await user.click(screen.getByRole("button", { name: "Apply the year-end" }));
    expect(await screen.findByText(`The year-end of ${YEAR.name} is done.`)).toBeVisible();
    const applied = calls.find((call) => call.path === "/api/v1/year-end/apply");
    expect(applied?.body).toEqual({ academic_year_id: 1, top_year: 6 });
  });
});
