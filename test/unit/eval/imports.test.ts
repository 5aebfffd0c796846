/** src/eval is numerical code: no node:* modules, no printing, no Math.random, no CLI/report imports. */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const dir = new URL("../../../src/eval/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".ts"));

describe("src/eval boundaries", () => {
  it("has source files to check", () => {
    expect(files).toContain("index.ts");
  });
  for (const f of files) {
    it(f, () => {
      const src = readFileSync(new URL(f, dir), "utf8");
      const imports = [...src.matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]);
      for (const spec of imports) {
        // Only relative imports with .js extensions, and never into cli/ or report/.
        expect(spec, `${f} imports ${spec}`).toMatch(/^\.\.?\/.*\.js$/);
        expect(spec, `${f} imports ${spec}`).not.toMatch(/\/(cli|report)\//);
      }
      expect(src).not.toMatch(/\bconsole\.|process\.|Math\.random|require\(/);
    });
  }
});
