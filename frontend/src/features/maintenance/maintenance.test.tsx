import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ADMIN_ME, renderApp, serveApi } from "../../test/render";
import type { MaintenanceNotice, MaintenanceStatus } from "./maintenanceApi";

afterEach(() => vi.unstubAllGlobals());

const MOVING = "moving to PostgreSQL";
const WRITABLE: MaintenanceNotice = { read_only: false, reason: null, since: null };
const WHY_MOVING = "SMS is read-only (moving to PostgreSQL): nothing can be saved for now.";

describe("Read-only mode", () => {
  it("a write refused with 503 read_only turns the whole app read-only at once", async () => {
    let notice = WRITABLE;
    const calls = serveApi(({ method, path }) => {
      if (path === "/api/v1/auth/me") return { status: 200, body: ADMIN_ME };
      if (path === "/api/v1/maintenance") return { status: 200, body: notice };
      if (method === "POST" && path === "/api/v1/students") {
        notice = { read_only: true, reason: MOVING, since: "2026-12-06T21:00:00Z" };
        const body = { detail: "SMS is read-only", code: "read_only", params: { reason: MOVING } };
        return { status: 503, body };
      }
      return undefined;
    });
    const user = userEvent.setup();
    renderApp("/students/new", { token: "tok" });
    const create = await screen.findByRole("button", { name: "Create student" }, { timeout: 8000 });
    expect(create).toBeEnabled();
    expect(screen.queryByTestId("read-only-banner")).toBeNull();

    await user.click(create);
    const banner = await screen.findByTestId("read-only-banner");
    expect(banner).toHaveTextContent("SMS is read-only while it moves to PostgreSQL.");
    expect(await screen.findByText(/^Since /)).toBeInTheDocument();
    expect(create).toBeDisabled();
    expect(create).toHaveAttribute("title", WHY_MOVING);
    // The form says why its save failed, worded from the code.
    expect(screen.getByRole("alert")).toHaveTextContent("SMS is read-only for now (moving to PostgreSQL)");
    // Leaving the form is no write.
    expect(screen.getByRole("link", { name: "Cancel" })).toBeInTheDocument();
    expect(calls.filter((call) => call.method === "POST")).toHaveLength(1);
  });

  it("a polled read-only mode disables write links and buttons, and only those", async () => {
    serveApi(({ path }) => {
      if (path === "/api/v1/auth/me") return { status: 200, body: ADMIN_ME };
      if (path === "/api/v1/maintenance") {
        return { status: 200, body: { read_only: true, reason: "end-of-term copy", since: null } };
      }
      if (path.startsWith("/api/v1/students?")) {
        return { status: 200, body: { items: [], total: 0, limit: 20, offset: 0 } };
      }
      return undefined;
    });
    renderApp("/students", { token: "tok" });
    const banner = await screen.findByTestId("read-only-banner", {}, { timeout: 8000 });
    expect(banner).toHaveTextContent("SMS is read-only: end-of-term copy.");
    const create = await screen.findByRole("button", { name: "New student" });
    expect(create).toBeDisabled();
    expect(create).toHaveAttribute(
      "title",
      "SMS is read-only (end-of-term copy): nothing can be saved for now.",
    );
    expect(screen.getByRole("button", { name: "Log out" })).toBeEnabled();
  });

  it("the Control Panel switch turns it on with a typed reason, and stays usable while on", async () => {
    let status: MaintenanceStatus = { ...WRITABLE, set_by: null };
    const calls = serveApi(({ method, path, body }) => {
      if (path === "/api/v1/auth/me") return { status: 200, body: ADMIN_ME };
      if (path === "/api/v1/maintenance") {
        return {
          status: 200,
          body: { read_only: status.read_only, reason: status.reason, since: status.since },
        };
      }
      if (path === "/api/v1/control/maintenance" && method === "GET") return { status: 200, body: status };
      if (path === "/api/v1/control/maintenance" && method === "PUT") {
        const asked = body as { read_only: boolean; reason?: string };
        status = asked.read_only
          ? {
              read_only: true,
              reason: asked.reason ?? "maintenance",
              since: "2026-12-06T21:00:00Z",
              set_by: ADMIN_ME.email,
            }
          : { read_only: false, reason: null, since: "2026-12-06T22:00:00Z", set_by: ADMIN_ME.email };
        return { status: 200, body: status };
      }
      return undefined;
    });
    const user = userEvent.setup();
    renderApp("/control/read-only", { token: "tok" });
    expect(await screen.findByTestId("read-only-state", {}, { timeout: 8000 })).toHaveTextContent("Writable");
    await user.type(screen.getByLabelText(/Reason everyone is shown/), "  end-of-term copy ");
    await user.click(screen.getByRole("button", { name: "Turn read-only mode on" }));

    expect(await screen.findByTestId("read-only-banner")).toHaveTextContent(
      "SMS is read-only: end-of-term copy.",
    );
    expect(screen.getByTestId("read-only-state")).toHaveTextContent("Read-only");
    expect(screen.getByTestId("read-only-reason")).toHaveTextContent("end-of-term copy");
    expect(screen.getByText(ADMIN_ME.email)).toBeInTheDocument();
    const put = calls.find((call) => call.method === "PUT");
    expect(put?.body).toEqual({ read_only: true, reason: "end-of-term copy" });

    const off = screen.getByRole("button", { name: "Turn read-only mode off" });
    expect(off).toBeEnabled();
    await user.click(off);
    expect(await screen.findByRole("button", { name: "Turn read-only mode on" })).toBeEnabled();
    await vi.waitFor(() => expect(screen.queryByTestId("read-only-banner")).toBeNull());
  });
});
