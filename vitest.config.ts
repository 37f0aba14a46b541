import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    reporters: ["default", "./test/summary-reporter.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Kernels use all cores themselves: run test files one at a time to keep timings sane.
    fileParallelism: false,
  },
});
