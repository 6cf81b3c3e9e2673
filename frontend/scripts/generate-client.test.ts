import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain ESM script without type declarations
import { generateSchemaSource, SCHEMA_FILE } from "./generate-client.mjs";

describe("the generated API client", () => {
  it("matches the backend's current OpenAPI schema (run `npm run generate-client` when this fails)", async () => {
    const fresh: string = await generateSchemaSource();
    const committed = readFileSync(SCHEMA_FILE as string, "utf8");
    expect(
      committed === fresh,
      "src/api/schema.d.ts is stale: run `npm run generate-client` and commit it",
    ).toBe(true);
  });

  it("names every operation <tag>-<function> so the client reads well", () => {
    const source = readFileSync(SCHEMA_FILE as string, "utf8");
    expect(source).toContain('operations["students-list_students"]');
    expect(
      execFileSync("git", ["ls-files", "--error-unmatch", "src/api/schema.d.ts"], { encoding: "utf8" }),
    ).toContain("schema.d.ts");
  });
});
