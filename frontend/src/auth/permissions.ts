/**
 * What each role may do, in one place: pages and buttons ask `can(user, action)` instead of
 * naming roles. The API enforces the same rules (backend/api/actors.py, deps.py); this only keeps
 * a person from being shown an action that would be refused.
 */
import { useAuth, type Role } from "./AuthProvider";

export type Action =
  /** Create, edit students; delete them (soft). */
  | "students.write"
  | "students.delete"
  /** Create and edit courses, their rules, term and teachers. */
  | "courses.write"
  | "courses.delete"
  /** Enrol students into courses (a teacher only into their own, which the API checks). */
  | "enrollments.write"
  /** Grades and attendance (a teacher only in their own courses). */
  | "marks.write"
  /** Accounts, the trash, terms and the year-end step, the Control Panel. */
  | "users.manage"
  | "trash.manage"
  | "terms.manage"
  | "control.view";

const ADMIN_ONLY: Action[] = [
  "students.write",
  "students.delete",
  "courses.write",
  "courses.delete",
  "users.manage",
  "trash.manage",
  "terms.manage",
  "control.view",
];

const RULES: Record<Role, ReadonlySet<Action>> = {
  admin: new Set<Action>([...ADMIN_ONLY, "enrollments.write", "marks.write"]),
  teacher: new Set<Action>(["enrollments.write", "marks.write"]),
  // A viewer reads everything it is shown and changes nothing.
  viewer: new Set<Action>(),
};

/** Whether this account may take this action (no account: nothing). */
export function can(user: { role: Role } | null | undefined, action: Action): boolean {
  return !!user && RULES[user.role].has(action);
}

/** The roles that may take an action (for route guards that name roles). */
export function rolesFor(action: Action): Role[] {
  return (Object.keys(RULES) as Role[]).filter((role) => RULES[role].has(action));
}

/** `can` for the signed-in account: `const may = useCan(); may("students.write")`. */
export function useCan(): (action: Action) => boolean {
  const { user } = useAuth();
  return (action) => can(user, action);
}
