import { describe, expect, it } from "vitest";
import { el } from "./el";
import { en } from "./en";
import { format, localNumbers } from "./I18nProvider";

const greek = new Intl.NumberFormat("el-GR");
const english = new Intl.NumberFormat("en-GB");

describe("numbers inside messages", () => {
  it("are written the reader's way, but years, ids and ports stay as they are", () => {
    const vars = {
      count: 1234,
      grade: 87.5,
      year: 2026,
      student_id: 12345,
      courseId: 20001,
      port: 5432,
      name: "Ann",
    };
    expect(localNumbers(vars, greek)).toEqual({
      count: "1.234",
      grade: "87,5",
      year: 2026,
      student_id: 12345,
      courseId: 20001,
      port: 5432,
      name: "Ann",
    });
    expect(format(en["dashboard.preview.other"], localNumbers({ shown: 10, count: 1447 }, english))).toBe(
      "The 10 students with the lowest attendance, of 1,447.",
    );
    expect(format(el["dashboard.preview.one"], localNumbers({ shown: 1, count: 1447 }, greek))).toBe(
      "1 μαθητής με τη χαμηλότερη παρουσία, από 1.447.",
    );
  });

  it("every message that counts with {count} or {shown} has both plural forms, in both languages", () => {
    for (const catalogue of [en, el]) {
      const counting = Object.entries(catalogue)
        .filter(([, text]) => /\{(count|shown)\}/.test(text))
        .map(([key]) => key);
      // "and {count} more" reads right for every count in both languages.
      const single = counting.filter((key) => !/\.(one|other)$/.test(key) && key !== "migration.more");
      expect(single).toEqual([]);
      for (const key of counting.filter((k) => k.endsWith(".one"))) {
        expect(Object.keys(catalogue)).toContain(key.replace(/\.one$/, ".other"));
      }
    }
  });
});
