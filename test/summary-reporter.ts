/**
 * Vitest reporter that ends the run with the plain closing line "N passed, N failed" (", N skipped"
 * when some were skipped), which CI reads to count tests.
 */
import type { Reporter, TestModule } from "vitest/node";

export default class SummaryReporter implements Reporter {
  private line = "";

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of testModules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else skipped++;
      }
      if (m.state() === "failed" && [...m.children.allTests()].length === 0) failed++;
    }
    this.line = `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`;
  }

  /** Runs after the default reporter's summary, so the count is the last line. */
  onFinished(): void {
    if (this.line) process.stdout.write(`\n${this.line}\n`);
  }
}
