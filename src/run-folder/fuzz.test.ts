/**
 * Property tests of the run folder's JSON readers: random JSON (valid JSON of any shape, mutated
 * valid files, and text that is not JSON) either reads into the typed value or fails with a
 * RunFolderError naming the file — never a TypeError, and never a value of the wrong shape.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers.js";
import {
  RunFolderError,
  readClustering,
  readRecordings,
  readResults,
  readRunTimings,
  readTrainingSummary,
  resultsSchema,
  runTimingsSchema,
  trainingSummarySchema,
} from "./files.js";

const DIR = tempDir("ngnn-runfuzz-");

/** Write `text` to a file and read it with `read`: a typed value, or a RunFolderError naming the file. */
function readOrClearError<T>(name: string, text: string, read: (p: string) => T): T | undefined {
  const path = join(DIR, name);
  writeFileSync(path, text);
  try {
    return read(path);
  } catch (e) {
    expect(e, String((e as Error)?.stack)).toBeInstanceOf(RunFolderError);
    expect((e as Error).message.startsWith(path)).toBe(true);
    return undefined;
  }
}

const anyJson = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string(),
);
const readers = [
  ["training.json", readTrainingSummary, trainingSummarySchema],
  ["metrics.json", readResults, resultsSchema],
  ["run.json", readRunTimings, runTimingsSchema],
] as const;

describe("run folder readers on random input", () => {
  it("JSON files: a valid typed value or a clear error", () => {
    fc.assert(
      fc.property(anyJson, (text) => {
        for (const [name, read, schema] of readers) {
          const v = readOrClearError(name, text, read as (p: string) => unknown);
          if (v !== undefined) expect(schema.safeParse(v).success).toBe(true);
        }
        readOrClearError("clustering_epoch_3.json", text, readClustering);
      }),
      { numRuns: 200 },
    );
  });

  it("metrics.jsonl: every line a recording, or a clear error naming the file and line", () => {
    const line = fc.oneof(
      anyJson,
      fc
        .record({
          epoch: fc.integer(),
          iteration: fc.integer(),
          total_iterations: fc.integer(),
          seconds: fc.double({ noNaN: true, noDefaultInfinity: true }),
          loss: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true })),
          W_r2: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true })),
        })
        .map((r) => JSON.stringify(r)),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 5 }), (lines) => {
        const recs = readOrClearError("metrics.jsonl", lines.join("\n"), readRecordings);
        if (recs) for (const r of recs) expect(Number.isInteger(r.total_iterations)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
