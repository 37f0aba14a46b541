/** Running one notebook's small form (`neural-gnn run <id> --scale small`) and reading its results. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { type Results, readRecordings, readResults } from "../../src/run-folder/files.js";
import { runPaths } from "../../src/run-folder/layout.js";
import { cliAsync } from "../helpers.js";

export interface NotebookRun {
  runs: string;
  stderr: string;
  results: (config: string) => Results;
  /** W R² of the recordings of a config's training, [total iterations, R²]. */
  history: (config: string) => [number, number][];
  summary: () => { rows: { config: string; label: string; W_r2: number | null }[] };
}

/** Run experiment `id` at small scale under `runs`; fails the test (with its stderr) if it fails. */
export async function runSmall(id: string, runs: string): Promise<NotebookRun> {
  const r = await cliAsync(["run", id, "--scale", "small", "--runs", runs]);
  if (r.status !== 0) console.error(r.stderr.slice(-4000));
  expect(r.status).toBe(0);
  return {
    runs,
    stderr: r.stderr,
    results: (config) => readResults(runPaths(runs, config).metrics),
    history: (config) =>
      readRecordings(runPaths(runs, config).trainingMetrics).map((x): [number, number] => [
        x.total_iterations,
        x.W_r2 ?? Number.NaN,
      ]),
    summary: () => JSON.parse(readFileSync(join(runs, `${id}-small`, "summary.json"), "utf8")),
  };
}
