import { createContext, useContext } from "react";

/**
 * Whether this page may write now. One value for the whole signed-in app (features/maintenance
 * provides it from read-only mode), read by Button and ButtonLink, so a write control on any page,
 * including pages added later, is disabled with the reason while SMS is read-only.
 */
export interface WriteGuard {
  blocked: boolean;
  /** The sentence a disabled write control shows (its tooltip); null while writes are allowed. */
  why: string | null;
}

const OPEN: WriteGuard = { blocked: false, why: null };
const WriteGuardContext = createContext<WriteGuard>(OPEN);

export const WriteGuardProvider = WriteGuardContext.Provider;

export function useWriteGuard(): WriteGuard {
  return useContext(WriteGuardContext);
}

/** A link that opens a form to create or edit a record (`/students/new`, `/students/7/edit`). */
export function isWriteLink(to: unknown): boolean {
  const path = typeof to === "string" ? to : (to as { pathname?: string } | null)?.pathname;
  return typeof path === "string" && /\/(new|edit)\/?$/.test(path.split(/[?#]/)[0] ?? "");
}
