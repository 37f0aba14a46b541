import { defineConfig } from "vitest/config";

/**
 * The paper's notebooks at small scale (`neural-gnn run <id> --scale small`), end to end: each
 * asserts the result the paper shows, qualitatively. Minutes each: `npm run test:notebooks`
 * (CI runs it after `npm test`).
 */
export default defineConfig({
  test: {
    include: ["test/notebooks/**/*.test.ts"],
    // The AVX2 kernels where the CPU has them (the numbers the tests' bounds were measured with).
    setupFiles: ["test/notebooks/setup.ts"],
    reporters: ["default", "./test/summary-reporter.ts"],
    testTimeout: 900_000,
    hookTimeout: 900_000,
    fileParallelism: false,
  },
});
