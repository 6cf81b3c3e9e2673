import { z } from "zod";

/** Only same-app paths may follow a login, never another site. */
const appPath = z.string().refine((path) => path.startsWith("/") && !path.startsWith("//"));

/** /login?next=&expired= : where to go after logging in, and whether the session had expired. */
export const loginSearch = z.object({
  next: appPath.default("/"),
  expired: z.string().min(1).optional(),
});

/** The login page's URL that comes back to `next` (the path and query the user was on). */
export function loginPath(next: string, { expired = false }: { expired?: boolean } = {}): string {
  const params = new URLSearchParams({ next });
  if (expired) params.set("expired", "1");
  return `/login?${params}`;
}
