import { describe, expect, it } from "vitest";
import { mapWithConcurrency } from "../../../src/corpus/pool.js";

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("mapWithConcurrency", () => {
  it("keeps item order whatever the completion order, and bounds the tasks in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    const items = Array.from({ length: 40 }, (_, i) => i);
    const results = await mapWithConcurrency(items, 5, async (item) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await delay((item * 7) % 5);
      inFlight--;
      return item * 2;
    });
    expect(results).toEqual(items.map((i) => i * 2));
    expect(peak).toBe(5);
  });

  it("throws the error of the lowest failing index and starts nothing after a failure", async () => {
    const started: number[] = [];
    const run = mapWithConcurrency(Array.from({ length: 20 }, (_, i) => i), 4, async (item) => {
      started.push(item);
      // item 5 fails late, item 6 fails early: the reported error must still be item 5's.
      if (item === 5) {
        await delay(20);
        throw new Error("five");
      }
      if (item === 6) throw new Error("six");
      await delay(1);
      return item;
    });
    await expect(run).rejects.toThrow("five");
    expect(Math.max(...started)).toBeLessThan(10);
  });

  it("handles an empty list", async () => {
    expect(await mapWithConcurrency([], 8, async () => 1)).toEqual([]);
  });
});
