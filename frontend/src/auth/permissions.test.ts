import { describe, expect, it } from "vitest";
import { can, rolesFor } from "./permissions";

describe("permissions", () => {
  it("lets an admin do everything, a teacher mark and enrol only, a viewer nothing", () => {
    expect(can({ role: "admin" }, "students.write")).toBe(true);
    expect(can({ role: "admin" }, "trash.manage")).toBe(true);
    expect(can({ role: "teacher" }, "marks.write")).toBe(true);
    expect(can({ role: "teacher" }, "students.write")).toBe(false);
    expect(can({ role: "teacher" }, "courses.write")).toBe(false);
    expect(can({ role: "teacher" }, "users.manage")).toBe(false);
    for (const action of ["students.write", "marks.write", "enrollments.write", "users.manage"] as const) {
      expect(can({ role: "viewer" }, action)).toBe(false);
    }
    expect(can(null, "marks.write")).toBe(false);
  });

  it("names the roles a guard should let in", () => {
    expect(rolesFor("users.manage")).toEqual(["admin"]);
    expect(rolesFor("marks.write")).toEqual(["admin", "teacher"]);
  });
});
