import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ADMIN_ME, renderApp, serveApi, SUMMARY } from "../../test/render";
import { checkPasswordForm } from "./passwordRules";

afterEach(() => vi.unstubAllGlobals());

const EXPIRES = "2030-01-01T00:00:00Z";

describe("the first-login walk-through", () => {
  it("sends an installed admin to choose a password, keeps everything else shut, then opens the dashboard", async () => {
    let owes = true;
    const calls = serveApi(({ method, path, body }) => {
      if (method === "POST" && path === "/api/v1/auth/login") {
        return {
          status: 200,
          body: {
            access_token: "first",
            token_type: "bearer",
            expires_at: EXPIRES,
            must_change_password: true,
          },
        };
      }
      if (path === "/api/v1/auth/me")
        return { status: 200, body: { ...ADMIN_ME, must_change_password: owes } };
      if (method === "POST" && path === "/api/v1/auth/password") {
        const sent = body as { current_password: string; new_password: string };
        if (sent.current_password !== "installed-pw") {
          return {
            status: 400,
            body: {
              detail: "The current password is wrong: type the password you logged in with",
              field: "current_password",
              code: "wrong_current_password",
              params: {},
            },
          };
        }
        owes = false;
        return {
          status: 200,
          body: {
            access_token: "second",
            token_type: "bearer",
            expires_at: EXPIRES,
            must_change_password: false,
          },
        };
      }
      if (path === "/api/v1/dashboard/summary") return { status: 200, body: SUMMARY };
      return undefined;
    });
    const user = userEvent.setup();
    renderApp("/login?next=%2Fstudents");
    await user.type(screen.getByLabelText("Email"), ADMIN_ME.email);
    await user.type(screen.getByLabelText("Password"), "installed-pw");
    await user.click(screen.getByRole("button", { name: "Log in" }));

    expect(await screen.findByRole("heading", { name: "Change password" })).toBeInTheDocument();
    expect(screen.getByText("Choose your own password")).toBeInTheDocument();
    // Nothing else is reachable: no menu, no account link.
    expect(screen.queryByRole("link", { name: "Students" })).not.toBeInTheDocument();
    expect(screen.queryByRole("link", { name: /Your account/ })).not.toBeInTheDocument();

    // The client checks the server's rules first; nothing is sent while they fail.
    await user.type(screen.getByLabelText("Current password"), "wrong-pw");
    await user.type(screen.getByLabelText("New password"), "short");
    await user.click(screen.getByRole("button", { name: "Change password" }));
    expect(screen.getByLabelText("New password")).toHaveAccessibleDescription(
      /too short: use at least 8 characters/,
    );
    await user.clear(screen.getByLabelText("New password"));
    await user.type(screen.getByLabelText("New password"), "a-Long-new-pw");
    await user.type(screen.getByLabelText("Confirm new password"), "a-Long-new-pX");
    await user.click(screen.getByRole("button", { name: "Change password" }));
    expect(screen.getByLabelText("Confirm new password")).toHaveAccessibleDescription(
      /two new passwords differ/,
    );
    expect(calls.filter((call) => call.path === "/api/v1/auth/password")).toHaveLength(0);

    // The server's refusal lands on its field, worded by its code.
    await user.clear(screen.getByLabelText("Confirm new password"));
    await user.type(screen.getByLabelText("Confirm new password"), "a-Long-new-pw");
    await user.click(screen.getByRole("button", { name: "Change password" }));
    await waitFor(() =>
      expect(screen.getByLabelText("Current password")).toHaveAccessibleDescription(
        "The current password is wrong: type the password you logged in with.",
      ),
    );

    await user.clear(screen.getByLabelText("Current password"));
    await user.type(screen.getByLabelText("Current password"), "installed-pw");
    await user.click(screen.getByRole("button", { name: "Change password" }));
    expect(await screen.findByRole("heading", { name: "Dashboard" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Students" })).toBeInTheDocument();
    expect(sessionStorage.getItem("sms.token")).toBe("second");
    expect(calls.filter((call) => call.path === "/api/v1/auth/password").map((call) => call.body)[1]).toEqual(
      {
        current_password: "installed-pw",
        new_password: "a-Long-new-pw",
      },
    );
  });

  it("routes any page to the password change when a call answers 403 password_change_required", async () => {
    serveApi(({ path }) => {
      if (path === "/api/v1/auth/me") return { status: 200, body: ADMIN_ME };
      if (path === "/api/v1/dashboard/summary") {
        return {
          status: 403,
          body: {
            detail: "Choose a new password first",
            field: null,
            code: "password_change_required",
            params: {},
          },
        };
      }
      return undefined;
    });
    renderApp("/", { token: "tok" });
    expect(await screen.findByRole("heading", { name: "Change password" })).toBeInTheDocument();
    expect(screen.getByText("Choose your own password")).toBeInTheDocument();
  });
});

describe("logging in and out", () => {
  it("says how long to wait after too many attempts, in the reader's language", async () => {
    serveApi(({ path }) =>
      path === "/api/v1/auth/login"
        ? {
            status: 429,
            body: {
              detail: "Too many login attempts: wait 30 seconds and try again",
              field: null,
              code: "login_throttled",
              params: { retry_after_seconds: 30 },
            },
          }
        : undefined,
    );
    const user = userEvent.setup();
    renderApp("/login");
    await user.type(screen.getByLabelText("Email"), "someone@example.com");
    await user.type(screen.getByLabelText("Password"), "guess");
    await user.click(screen.getByRole("button", { name: "Log in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Too many attempts, try again in 30 seconds.");
    await user.selectOptions(screen.getByLabelText("Language"), "el");
    expect(screen.getByRole("alert")).toHaveTextContent(
      "Πάρα πολλές προσπάθειες, δοκιμάστε ξανά σε 30 δευτερόλεπτα.",
    );
  });

  it.each([
    { button: "Log out", route: "/", endpoint: "/api/v1/auth/logout" },
    { button: "Log out everywhere", route: "/account", endpoint: "/api/v1/auth/logout-everywhere" },
  ])("$button ends the session on the server ($endpoint), then forgets the token", async (which) => {
    const calls = serveApi(({ method, path }) => {
      if (path === "/api/v1/auth/me") return { status: 200, body: ADMIN_ME };
      if (path === "/api/v1/dashboard/summary") return { status: 200, body: SUMMARY };
      if (method === "POST" && path === which.endpoint) return { status: 204 };
      return undefined;
    });
    const user = userEvent.setup();
    renderApp(which.route, { token: "tok" });
    await user.click(await screen.findByRole("button", { name: which.button }));
    expect(await screen.findByRole("heading", { name: "Log in" })).toBeInTheDocument();
    expect(calls.filter((call) => call.method === "POST").map((call) => call.path)).toEqual([which.endpoint]);
    expect(sessionStorage.getItem("sms.token")).toBeNull();
  });

  it("opens the account page from the user's name: who they are, and the password change", async () => {
    serveApi(({ path }) => {
      if (path === "/api/v1/auth/me") return { status: 200, body: ADMIN_ME };
      if (path === "/api/v1/dashboard/summary") return { status: 200, body: SUMMARY };
      return undefined;
    });
    const user = userEvent.setup();
    renderApp("/", { token: "tok" });
    await user.click(await screen.findByRole("link", { name: "Your account: Ada Admin" }));
    expect(await screen.findByRole("heading", { name: "Your account" })).toBeInTheDocument();
    expect(screen.getByText(ADMIN_ME.email)).toBeInTheDocument();
    expect(screen.getByText("Administrator")).toBeInTheDocument();
    await user.click(screen.getByRole("link", { name: "Change password" }));
    expect(await screen.findByRole("heading", { name: "Change password" })).toBeInTheDocument();
  });

  it("changes the password from the account page and stays, with the new token", async () => {
    serveApi(({ method, path }) => {
      if (path === "/api/v1/auth/me") return { status: 200, body: ADMIN_ME };
      if (method === "POST" && path === "/api/v1/auth/password") {
        return {
          status: 200,
          body: {
            access_token: "renewed",
            token_type: "bearer",
            expires_at: EXPIRES,
            must_change_password: false,
          },
        };
      }
      return undefined;
    });
    const user = userEvent.setup();
    renderApp("/account/password", { token: "tok" });
    expect(await screen.findByRole("heading", { name: "Change password" })).toBeInTheDocument();
    expect(screen.queryByText("Choose your own password")).not.toBeInTheDocument();
    await user.type(screen.getByLabelText("Current password"), "old-password");
    await user.type(screen.getByLabelText("New password"), "new-password-1");
    await user.type(screen.getByLabelText("Confirm new password"), "new-password-1");
    await user.click(screen.getByRole("button", { name: "Change password" }));
    expect(await screen.findByText(/Your password was changed/)).toBeInTheDocument();
    expect(sessionStorage.getItem("sms.token")).toBe("renewed");
    expect(screen.getByLabelText("Current password")).toHaveValue("");
  });
});

describe("checkPasswordForm (the server's rules, checked before sending)", () => {
  const form = (current: string, next: string, confirm = next) => ({
    current_password: current,
    new_password: next,
    confirm_password: confirm,
  });

  it("accepts a sound change", () => {
    expect(checkPasswordForm(form("old-password", "new-password"), "a@b.test")).toEqual({});
  });

  it("refuses what the server refuses, with the server's codes", () => {
    const email = "Ada@School.test";
    expect(checkPasswordForm(form("", "new-password"), email).current_password?.code).toBe(
      "current_password_missing",
    );
    expect(checkPasswordForm(form("x", "1234567"), email).new_password).toEqual({
      code: "password_too_short",
      params: { min_length: 8 },
    });
    expect(checkPasswordForm(form("x", "p".repeat(257)), email).new_password?.code).toBe("password_too_long");
    expect(checkPasswordForm(form("x", " ada@school.TEST "), email).new_password?.code).toBe(
      "password_is_email",
    );
    expect(checkPasswordForm(form("same-password", "same-password"), email).new_password?.code).toBe(
      "password_unchanged",
    );
    expect(checkPasswordForm(form("x", "new-password", "new-passwore"), email).confirm_password?.code).toBe(
      "password_mismatch",
    );
  });

  it("counts characters as the server does (code points, not UTF-16 units)", () => {
    // Four emoji are 8 UTF-16 units but 4 characters: too short for the server, so here too.
    expect(checkPasswordForm(form("x", "😀😀😀😀"), "a@b.test").new_password?.code).toBe(
      "password_too_short",
    );
  });
});
