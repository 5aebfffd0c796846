/** The online flags: the default number of passes, and the argv -> options mapping of fit and update. */
import { describe, expect, it } from "vitest";
import { defaultOnlinePasses, MIN_ONLINE_STEPS, onlineSettingsFrom } from "../../../src/cli/options.js";
import { buildProgram } from "../../../src/cli/program.js";

describe("defaultOnlinePasses: enough passes for 50 batches, at least one", () => {
  it.each([
    [11_314, 2048, 9], // 20 Newsgroups: 6 batches per pass
    [250, 64, 13],
    [102_400, 2048, 1],
    [1_000_000, 2048, 1],
    [100, 2048, 50], // one batch per pass
    [1, 1, 50],
  ])("%i documents, batches of %i: %i passes", (nDocs, batchSize, passes) => {
    expect(defaultOnlinePasses(nDocs, batchSize)).toBe(passes);
    const batchesPerPass = Math.ceil(nDocs / Math.min(batchSize, nDocs));
    expect(passes * batchesPerPass).toBeGreaterThanOrEqual(MIN_ONLINE_STEPS);
    if (passes > 1) expect((passes - 1) * batchesPerPass).toBeLessThan(MIN_ONLINE_STEPS);
  });
});

describe("flags", () => {
  /** Parses argv with the real program and returns the options its action would receive. */
  function parse(argv: string[]): Record<string, unknown> {
    const program = buildProgram("0.0.0");
    let seen: Record<string, unknown> = {};
    for (const cmd of program.commands) {
      cmd.action((...args: unknown[]) => (seen = args[args.length - 2] as Record<string, unknown>));
      cmd.configureOutput({ writeErr: () => {} });
    }
    program.parse(["node", "nmf-topics", ...argv]);
    return seen;
  }

  it("fit: --online off by default; --batch-size 2048; --passes unset (the default rule)", () => {
    const o = parse(["fit", "x", "-k", "3"]);
    expect(o.online).toBe(false);
    expect(onlineSettingsFrom(o)).toEqual({ batchSize: 2048, passes: null });
    const p = parse(["fit", "x", "-k", "3", "--online", "--batch-size", "100", "--passes", "4"]);
    expect(p.online).toBe(true);
    expect(onlineSettingsFrom(p)).toEqual({ batchSize: 100, passes: 4 });
  });

  it("update: model, inputs, --passes, --save with or without a file", () => {
    const o = parse(["update", "model.json", "a", "b", "--passes", "2", "--save"]);
    expect(onlineSettingsFrom(o)).toEqual({ batchSize: 2048, passes: 2 });
    expect(o.save).toBe(true);
    expect(parse(["update", "m.json", "a", "--save", "out.json"]).save).toBe("out.json");
  });

  it("bad values are commander errors naming the flag", () => {
    expect(() => parse(["fit", "x", "-k", "3", "--batch-size", "0"])).toThrow(/--batch-size/);
    expect(() => parse(["fit", "x", "-k", "3", "--passes", "1.5"])).toThrow(/--passes/);
    expect(() => parse(["update", "m.json"])).toThrow(/input/);
  });
});
