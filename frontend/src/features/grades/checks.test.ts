import { describe, expect, it } from "vitest";
import { gradeProblem, gradeValue } from "./checks";

describe("gradeProblem", () => {
  it("flags values above the course's maximum as well as below zero", () => {
    expect(gradeProblem("120", 100)).toBe("above_max");
    expect(gradeProblem("21", 20)).toBe("above_max");
    expect(gradeProblem("-5", 100)).toBe("below_zero");
    expect(gradeProblem("abc", 20)).toBe("not_a_number");
  });

  it("accepts the bounds, empty cells and a comma as decimal separator", () => {
    expect(gradeProblem("0", 20)).toBeNull();
    expect(gradeProblem("20", 20)).toBeNull();
    expect(gradeProblem("  ", 20)).toBeNull();
    expect(gradeProblem("12,5", 20)).toBeNull();
    expect(gradeValue("12,5")).toBe(12.5);
  });
});
