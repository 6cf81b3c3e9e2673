import { QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import { createMemoryRouter, RouterProvider } from "react-router";
import { vi } from "vitest";
import { APP_ROUTES, makeQueryClient } from "../App";
import { tokenStore } from "../api/http";
import { I18nProvider } from "../i18n/I18nProvider";
import { ThemeProvider } from "../theme/ThemeProvider";

type Handler = (request: {
  method: string;
  path: string;
  body: unknown;
}) => { status: number; body?: unknown } | undefined;

/**
 * Answer the app's HTTP calls from a handler (component tests only: the e2e suite runs the real
 * backend on both databases). Unhandled calls fail the test loudly.
 */
export function serveApi(handler: Handler) {
  const calls: { method: string; path: string; body: unknown }[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    const url = new URL(request.url);
    const text = await request.text();
    const call = {
      method: request.method,
      path: url.pathname + url.search,
      body: text ? JSON.parse(text) : undefined,
    };
    calls.push(call);
    const answer = handler(call);
    if (!answer) throw new Error(`unexpected request ${call.method} ${call.path}`);
    const body = answer.body === undefined ? null : JSON.stringify(answer.body);
    return new Response(body, { status: answer.status, headers: { "Content-Type": "application/json" } });
  });
  vi.stubGlobal("fetch", fetchMock);
  return calls;
}

export const ADMIN_ME = {
  id: 1,
  email: "admin@example.com",
  full_name: "Ada Admin",
  role: "admin" as const,
  must_change_password: false,
};
export const TEACHER_ME = {
  id: 2,
  email: "teacher@example.com",
  full_name: "Tom Teacher",
  role: "teacher" as const,
  must_change_password: false,
};

/** A dashboard summary, for tests that land on the dashboard. */
export const SUMMARY = {
  students: 12,
  courses: 3,
  enrollments: 20,
  attendance_today: { present: 9, absent: 2, late: 1, excused: 0 },
  term: null,
  at_risk_count: 0,
  at_risk_students: [],
};

/**
 * The whole app at `route`, logged in when a token is given; `before` are the pages visited
 * earlier (what the back button returns to). Returns the router too, to go back and forth.
 */
export function renderApp(route: string, { token, before = [] }: { token?: string; before?: string[] } = {}) {
  if (token) tokenStore.set(token);
  const queryClient = makeQueryClient();
  const router = createMemoryRouter(APP_ROUTES, { initialEntries: [...before, route] });
  const rendered = render(
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <ThemeProvider>
          <RouterProvider router={router} />
        </ThemeProvider>
      </I18nProvider>
    </QueryClientProvider>,
  );
  return { ...rendered, router };
}
