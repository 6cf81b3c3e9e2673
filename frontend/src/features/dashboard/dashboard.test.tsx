import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { tokenStore } from "../../api/http";
import { ADMIN_ME, renderApp, serveApi, SUMMARY } from "../../test/render";

const row = (n: number) => ({
  student_id: n,
  student_number: `S-${n}`,
  name: `Student ${n}`,
  course_id: 1,
  course_code: "BIO",
  attendance_rate: 50,
});

afterEach(() => {
  tokenStore.clear();
  vi.unstubAllGlobals();
});

describe("dashboard", () => {
  it("shows the exact at-risk count, not the length of the preview, and pages through all of them", async () => {
    const calls = serveApi(({ path }) => {
      if (path === "/api/v1/auth/me") return { status: 200, body: ADMIN_ME };
      if (path.startsWith("/api/v1/dashboard/summary"))
        return {
          status: 200,
          body: {
            ...SUMMARY,
            term: { id: 3, name: "Autumn" },
            at_risk_count: 447,
            at_risk_students: Array.from({ length: 10 }, (_, i) => row(i + 1)),
          },
        };
      if (path.startsWith("/api/v1/dashboard/at-risk")) {
        const offset = Number(new URLSearchParams(path.split("?")[1]).get("offset") ?? 0);
        return {
          status: 200,
          body: {
            items: Array.from({ length: 50 }, (_, i) => row(offset + i + 1)),
            total: 447,
            limit: 50,
            offset,
          },
        };
      }
      if (path === "/api/v1/terms") return { status: 200, body: [] };
      return { status: 404, body: { detail: "not here" } };
    });
    const user = userEvent.setup();
    renderApp("/", { token: "tok" });
    const stat = (await screen.findByText("At risk", { selector: ".stat-label" })).closest(".stat")!;
    expect(within(stat as HTMLElement).getByText("447")).toBeInTheDocument();
    expect(screen.getByText("The 10 students with the lowest attendance, of 447.")).toBeInTheDocument();
    expect(screen.getByText("Your school in Autumn at a glance.")).toBeInTheDocument();

    await user.click(screen.getByRole("link", { name: "See all 447" }));
    await user.click(await screen.findByRole("button", { name: "Next" }));
    expect(await screen.findByText("51–100 of 447")).toBeInTheDocument();
    expect(
      calls.some(
        (call) => call.path.includes("/api/v1/dashboard/at-risk") && call.path.includes("offset=50"),
      ),
    ).toBe(true);
  });
});
