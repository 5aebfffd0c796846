/** Bounded-concurrency map with a deterministic outcome. */

/**
 * Runs `task(items[i], i)` for every item with at most `limit` tasks in flight and returns the
 * results in item order. Items are started in index order; once a task fails no later item is
 * started, and when several started tasks fail the error of the lowest index is thrown, so the
 * reported error does not depend on timing. A task may return its result directly: it is then not
 * awaited, so a long run of synchronous tasks costs no promise per item.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => R | Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failedIndex = Infinity;
  let failure: unknown;
  const worker = async (): Promise<void> => {
    while (next < items.length && next < failedIndex) {
      const index = next++;
      try {
        const result = task(items[index], index);
        results[index] = result instanceof Promise ? await result : result;
      } catch (error) {
        if (index < failedIndex) {
          failedIndex = index;
          failure = error;
        }
      }
    }
  };
  const workers: Promise<void>[] = [];
  for (let w = 0; w < Math.min(Math.max(1, limit), items.length); w++) workers.push(worker());
  await Promise.all(workers);
  if (failedIndex !== Infinity) throw failure;
  return results;
}
