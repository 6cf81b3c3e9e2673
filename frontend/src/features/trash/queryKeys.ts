import type { TrashKind } from "./api";

/** Every cache key of the trash: the deleted rows of a kind, and what erasing one would take. */
export const trashKeys = {
  all: ["trash"] as const,
  deleted: (kind: TrashKind) => [...trashKeys.all, kind] as const,
  losses: (kind: TrashKind, id: number) => [...trashKeys.all, kind, "losses", id] as const,
};
