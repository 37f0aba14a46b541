import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The notebooks at small scale take minutes each: npm run test:notebooks (vitest.notebooks.config.ts).
    exclude: ["test/notebooks/**", "**/node_modules/**"],
    reporters: ["default", "./test/summary-reporter.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Kernels use all cores themselves: run test files one at a time to keep timings sane.
    fileParallelism: false,
  },
});
