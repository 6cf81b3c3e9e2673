import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseSearch } from "./searchParams";

const schema = z.object({
  course: z.coerce.number().int().positive().optional(),
  offset: z.coerce.number().int().min(0).default(0),
  order: z.enum(["asc", "desc"]).default("asc"),
  date: z.iso.date().default(() => "2025-11-25"),
});

const parse = (query: string) => parseSearch(schema, new URLSearchParams(query));

describe("parseSearch", () => {
  it("reads valid params with their types", () => {
    expect(parse("course=12&offset=40&order=desc&date=2025-01-31")).toEqual({
      course: 12,
      offset: 40,
      order: "desc",
      date: "2025-01-31",
    });
  });

  it("gives the defaults for missing params and ignores unknown ones", () => {
    expect(parse("other=1")).toEqual({ course: undefined, offset: 0, order: "asc", date: "2025-11-25" });
  });

  it("falls back to the default for each invalid param, keeping the valid ones", () => {
    expect(parse("course=abc&offset=-5&order=sideways&date=2025-02-30")).toEqual({
      course: undefined,
      offset: 0,
      order: "asc",
      date: "2025-11-25",
    });
    expect(parse("course=0&offset=1.5&order=desc")).toEqual({
      course: undefined,
      offset: 0,
      order: "desc",
      date: "2025-11-25",
    });
    expect(parse("course=&offset=20")).toEqual({
      course: undefined,
      offset: 20,
      order: "asc",
      date: "2025-11-25",
    });
  });
});
