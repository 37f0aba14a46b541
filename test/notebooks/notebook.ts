/** Running one notebook's small form (`neural-gnn run <id> --scale small`) and reading its results. */
import { join } from "node:path";
import { expect } from "vitest";
import {
  type ExperimentSummary,
  type Results,
  readExperimentSummary,
  readRecordings,
  readResults,
} from "../../src/run-folder/files.js";
import { runPaths } from "../../src/run-folder/layout.js";
import { cliAsync } from "../helpers.js";

export interface NotebookRun {
  runs: string;
  stderr: string;
  results: (config: string) => Results;
  /** W R² of the recordings of a config's training, [total iterations, R²]. */
  history: (config: string) => [number, number][];
  /** runs/<id>-small/summary.json (fails if absent). */
  summary: () => ExperimentSummary;
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
    summary: () => {
      const s = readExperimentSummary(join(runs, `${id}-small`, "summary.json"));
      if (!s) throw new Error(`no summary.json under ${join(runs, `${id}-small`)}`);
      return s;
    },
  };
}
