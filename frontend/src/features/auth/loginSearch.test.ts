import { describe, expect, it } from "vitest";
import { parseSearch } from "../../lib/searchParams";
import { loginPath, loginSearch } from "./loginSearch";

const parse = (url: string) => parseSearch(loginSearch, new URL(url, "http://app.test").searchParams);

describe("the login page's search params", () => {
  it("round-trips the page the user was on, query included", () => {
    expect(parse(loginPath("/students?q=Maria P&offset=20"))).toEqual({
      next: "/students?q=Maria P&offset=20",
      expired: undefined,
    });
    expect(parse(loginPath("/grades", { expired: true }))).toEqual({ next: "/grades", expired: "1" });
  });

  it("never sends the user to another site after logging in", () => {
    expect(parse("/login?next=//evil.example/x").next).toBe("/");
    expect(parse("/login?next=https://evil.example/").next).toBe("/");
    expect(parse("/login").next).toBe("/");
  });
});
