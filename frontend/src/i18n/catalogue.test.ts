import { describe, expect, it } from "vitest";
import { el } from "./el";
import { en } from "./en";
import { format } from "./I18nProvider";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("message catalogues", () => {
  it("Greek has every English key, none empty, with the same placeholders", () => {
    expect(Object.keys(el).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(el[key].trim(), key).not.toBe("");
      expect(placeholders(el[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    expect(format("{from}–{to} of {total}", { from: 1, to: 20, total: 42 })).toBe("1–20 of 42");
    expect(format("Hello {name}", {})).toBe("Hello {name}");
  });
});
