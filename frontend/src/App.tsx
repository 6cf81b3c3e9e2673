import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { createBrowserRouter, RouterProvider, type RouteObject } from "react-router";
import { ApiError } from "./api/errors";
import { AuthProvider } from "./auth/AuthProvider";
import { I18nProvider } from "./i18n/I18nProvider";
import { AppRoutes } from "./routes";
import { ThemeProvider } from "./theme/ThemeProvider";
import { UnauthorizedRedirect } from "./auth/UnauthorizedRedirect";

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // Retrying a 4xx cannot help; retry network blips and 5xx once.
        retry: (count, error) =>
          count < 1 && (!(error instanceof ApiError) || error.status === 0 || error.status >= 500),
      },
    },
  });
}

/**
 * The app under a data router (one splat route holding AppRoutes' own <Routes>): a data router
 * is what lets a page block leaving (useBlocker), the back button included.
 */
export const APP_ROUTES: RouteObject[] = [
  {
    path: "*",
    element: (
      <AuthProvider>
        <UnauthorizedRedirect />
        <AppRoutes />
      </AuthProvider>
    ),
  },
];

export function App() {
  const [queryClient] = useState(makeQueryClient);
  const [router] = useState(() => createBrowserRouter(APP_ROUTES));
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <ThemeProvider>
          <RouterProvider router={router} />
        </ThemeProvider>
      </I18nProvider>
    </QueryClientProvider>
  );
}
