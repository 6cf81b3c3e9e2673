import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ADMIN_ME, renderApp, serveApi, SUMMARY, TEACHER_ME } from "../../test/render";

afterEach(() => vi.unstubAllGlobals());

const USER = {
  id: 7,
  email: "tess@school.example",
  full_name: "Tess Teacher",
  role: "teacher",
  is_active: true,
  must_change_password: true,
  last_login_at: null,
  created_at: "2026-09-01T08:00:00Z",
  updated_at: "2026-09-01T08:00:00Z",
};

describe("accounts", () => {
  it("refuses a short temporary password before sending, then creates a teacher who must change it", async () => {
    const calls = serveApi(({ method, path }) => {
      if (path === "/api/v1/auth/me") return { status: 200, body: ADMIN_ME };
      if (method === "POST" && path === "/api/v1/users")
        return { status: 201, body: { ...USER, must_change_password: false } };
      if (method === "POST" && path === "/api/v1/users/7/password")
        return { status: 200, body: { user_id: 7, generated_password: null, must_change_password: true } };
      if (path === "/api/v1/users/7") return { status: 200, body: USER };
      return undefined;
    });
    renderApp("/admin/users/new", { token: "t" });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Name"), "Tess Teacher");
    await user.type(screen.getByLabelText("Email"), "tess@school.example");
    await user.type(screen.getByLabelText("Temporary password"), "short");
    await user.click(screen.getByRole("button", { name: "Create account" }));
    expect(
      await screen.findByText("The new password is too short: use at least 8 characters."),
    ).toBeVisible();
    expect(calls.filter((call) => call.method === "POST")).toHaveLength(0);

    await user.clear(screen.getByLabelText("Temporary password"));
    await user.type(screen.getByLabelText("Temporary password"), "first-day-2026");
    await user.click(screen.getByRole("button", { name: "Create account" }));
    expect(await screen.findByText(/tess@school.example chooses a new password/)).toBeVisible();
    const created = calls.find((call) => call.method === "POST" && call.path === "/api/v1/users");
    expect(created?.body).toMatchObject({
      role: "teacher",
      email: "tess@school.example",
      password: "first-day-2026",
    });
    const reset = calls.find((call) => call.path === "/api/v1/users/7/password");
    expect(reset?.body).toEqual({ new_password: "first-day-2026" });
  });

  it("shows a generated password once and words the last-admin refusal from its code", async () => {
    serveApi(({ method, path }) => {
      if (path === "/api/v1/auth/me") return { status: 200, body: ADMIN_ME };
      if (method === "GET" && path === "/api/v1/users/7") return { status: 200, body: USER };
      if (method === "POST" && path === "/api/v1/users/7/password")
        return {
          status: 200,
          body: { user_id: 7, generated_password: "Xy7-generated", must_change_password: true },
        };
      if (method === "PATCH" && path === "/api/v1/users/7")
        return {
          status: 409,
          body: { detail: "raw", code: "last_admin", params: { email: USER.email } },
        };
      return undefined;
    });
    renderApp("/admin/users/7", { token: "t" });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Reset password" }));
    expect(await screen.findByTestId("generated-password")).toHaveTextContent("Xy7-generated");
    await user.click(screen.getByRole("button", { name: "Deactivate" }));
    const confirm = screen.getByText("Deactivate Tess Teacher?").closest(".alert") as HTMLElement;
    await user.click(within(confirm).getByRole("button", { name: "Deactivate" }));
    expect(
      await screen.findByText(
        `${USER.email} is the only active administrator: make another administrator first.`,
      ),
    ).toBeVisible();
  });

  it("keeps the admin's pages from a teacher: no entry in the bar, a refusal at the address", async () => {
    serveApi(({ path }) => {
      if (path === "/api/v1/auth/me") return { status: 200, body: TEACHER_ME };
      if (path === "/api/v1/dashboard/summary") return { status: 200, body: SUMMARY };
      return { status: 200, body: { items: [], total: 0, limit: 20, offset: 0 } };
    });
    renderApp("/admin/users", { token: "t" });
    await waitFor(() => expect(screen.getByRole("navigation", { name: "Main" })).toBeVisible());
    expect(screen.queryByRole("link", { name: /^School$/ })).toBeNull();
    expect(await screen.findByText("Administrators only")).toBeVisible();
  });
});
