import type { Middleware } from "openapi-fetch";
import { api } from "../../api/client";

type Listener = (reason: string | null) => void;
const listeners = new Set<Listener>();

/** Be told at once when any call is refused because SMS is read-only (503 `read_only`). */
export function onReadOnlyRefusal(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

async function readOnlyReason(response: Response): Promise<string | null | undefined> {
  try {
    const body: unknown = await response.clone().json();
    if (typeof body !== "object" || body === null || (body as { code?: unknown }).code !== "read_only") {
      return undefined;
    }
    const reason = (body as { params?: { reason?: unknown } }).params?.reason;
    return typeof reason === "string" ? reason : null;
  } catch {
    return undefined; // not JSON: some other 503
  }
}

/** Watches every call of the generated client, so no page has to report a refused write itself. */
export const readOnlyWatch: Middleware = {
  async onResponse({ response }) {
    if (response.status === 503) {
      const reason = await readOnlyReason(response);
      if (reason !== undefined) for (const listener of listeners) listener(reason);
    }
    return response;
  },
};

let installed = false;

/** Install the watch on the app's client once (the provider calls it). */
export function installReadOnlyWatch(): void {
  if (installed) return;
  api.use(readOnlyWatch);
  installed = true;
}
