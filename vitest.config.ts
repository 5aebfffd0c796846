import { defineConfig } from "vitest/config";

// Two projects: `unit` runs on a fresh clone (npm test); `corpora` needs ../shared/corpora
// (npm run test:corpora) and unpacks the big corpora into .cache/.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts", "test/e2e/**/*.test.ts", "test/golden/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "corpora",
          include: ["test/corpora/**/*.test.ts"],
          testTimeout: 900_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
