import { describe, expect, it } from "vitest";
import { allPages, PAGE_LIMIT } from "./allPages";

describe("allPages", () => {
  it("reads page after page until every row is in", async () => {
    const total = PAGE_LIMIT * 2 + 3;
    const asked: number[] = [];
    const rows = await allPages(async (offset, limit) => {
      asked.push(offset);
      const items = Array.from(
        { length: Math.max(0, Math.min(limit, total - offset)) },
        (_, i) => offset + i,
      );
      return { items, total };
    });
    expect(rows).toHaveLength(total);
    expect(rows.at(-1)).toBe(total - 1);
    expect(asked).toEqual([0, PAGE_LIMIT, PAGE_LIMIT * 2]);
  });

  it("stops on an empty page even if the total said more (rows deleted meanwhile)", async () => {
    const rows = await allPages(async (offset) => ({ items: offset === 0 ? [1, 2] : [], total: 10_000 }));
    expect(rows).toEqual([1, 2]);
  });
});
