import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers.js";
import {
  type EvaluationMetrics,
  type GeneralisationMetrics,
  mergeResults,
  readExperimentSummary,
  readR2History,
  readRecordings,
  readResults,
  readTrainingSummary,
  truncateRecordings,
  writeExperimentSummary,
} from "./files.js";

const fit = (r2: number) => ({ r2, slope: 1, status: "ok" });
const rollout = (r2: number) => ({ steps: 1000, t400: fit(r2), t800: fit(r2 / 2), every10: [{ step: 0, r2: 1, slope: 1 }] });
const gen = (ff: number): GeneralisationMetrics => ({
  ...rollout(0.9),
  ff,
  percentages: [25, 25, 25, 25],
  weights: 10,
  connectivity: "fresh Lorentz draw",
});
const evaluation = (checkpoint: string): EvaluationMetrics => ({
  checkpoint,
  total_iterations: 10,
  connectivity: { r2: 0.99, slope: 1, r2_raw: 0.99, slope_raw: 30, psi_plateau: 0.3, g: 10 },
  clustering: { accuracy: 1, n_clusters: 4, threshold: 0.1 },
  functions: { phi_rmse_by_type: [0.1], psi_rmse: 0.01, phi_range: [-5, 5], psi_range: [-5, 5] },
});

describe("results/metrics.json", () => {
  it("merging keeps other commands' keys and merges objects one level down", () => {
    const path = join(tempDir(), "results", "metrics.json");
    mergeResults(path, evaluation("a"));
    mergeResults(path, { rollout: rollout(0.9), generalisation: { supp5: gen(0.25) } });
    mergeResults(path, { generalisation: { supp6: gen(0.5) }, checkpoint: "b" });
    expect(readResults(path)).toEqual({
      ...evaluation("b"),
      rollout: rollout(0.9),
      generalisation: { supp5: gen(0.25), supp6: gen(0.5) },
    });
  });

  it("a key given as undefined drops the earlier value (a re-plot without warnings leaves none)", () => {
    const path = join(tempDir(), "results", "metrics.json");
    mergeResults(path, { ...evaluation("a"), warnings: ["panel x not drawn"] });
    mergeResults(path, { ...evaluation("b"), warnings: undefined });
    expect(readResults(path)).toEqual(evaluation("b"));
  });

  it("refuses to overwrite a malformed file, naming it", () => {
    const path = join(tempDir(), "metrics.json");
    writeFileSync(path, "{ broken");
    expect(() => mergeResults(path, { checkpoint: "a" })).toThrowError(/metrics\.json: malformed JSON/);
    expect(readFileSync(path, "utf8")).toBe("{ broken");
  });

  it("names the file and the field of a value of the wrong type", () => {
    const path = join(tempDir(), "metrics.json");
    writeFileSync(path, JSON.stringify({ connectivity: { ...evaluation("a").connectivity, r2: "high" } }));
    expect(() => readResults(path)).toThrowError(/metrics\.json: not a valid results file \(connectivity\.r2: /);
  });
});

describe("training files", () => {
  it("metrics.jsonl: a bad line is reported with its line number; truncation keeps earlier recordings", () => {
    const path = join(tempDir(), "metrics.jsonl");
    const rec = (t: number) => ({ epoch: 0, iteration: t - 1, total_iterations: t, seconds: t, loss: 1, W_r2: null });
    writeFileSync(path, `${[1, 5, 9].map((t) => JSON.stringify(rec(t))).join("\n")}\n`);
    expect(truncateRecordings(path, 5)).toEqual(rec(5));
    expect(readRecordings(path)).toEqual([rec(1), rec(5)]);
    writeFileSync(path, `${JSON.stringify(rec(1))}\n{"epoch": 0}\n`);
    expect(() => readRecordings(path)).toThrowError(/metrics\.jsonl:2: not a valid recording \(iteration: Required\)/);
  });

  it("the W R² history of a run folder: [iterations, R²] in order, recordings without an R² left out", () => {
    const dir = tempDir();
    expect(readR2History(dir)).toEqual([]);
    const rec = (t: number, r2: number | null) => ({
      epoch: 0,
      iteration: t - 1,
      total_iterations: t,
      seconds: t,
      loss: 1,
      W_r2: r2,
    });
    mkdirSync(join(dir, "models"));
    const lines = [rec(1, 0.1), rec(5, null), rec(3, 0.2), rec(9, 0.9)].map((r) => JSON.stringify(r));
    writeFileSync(join(dir, "models", "metrics.jsonl"), `${lines.join("\n")}\n`);
    expect(readR2History(dir)).toEqual([
      [1, 0.1],
      [3, 0.2],
      [9, 0.9],
    ]);
  });

  it("training.json: missing fields are named", () => {
    const path = join(tempDir(), "training.json");
    writeFileSync(path, JSON.stringify({ schedule: { epochs: 1 } }));
    expect(() => readTrainingSummary(path)).toThrowError(
      /training\.json: not a valid training summary \(schedule\.iterationsPerEpoch: Required\)/,
    );
    expect(readTrainingSummary(join(tempDir(), "none.json"))).toBeUndefined();
  });
});

describe("experiment summary", () => {
  const row = {
    config: "supp7_frames_100",
    label: "100 %",
    W_r2: 0.99,
    W_slope: null,
    clustering_accuracy: 1,
    n_clusters: 4,
    accuracy_k_fixed: null,
    edge_precision: null,
    edge_recall: null,
    iterations: 1000,
    training_seconds: 12.5,
    paper: { W_r2: "0.99", W_slope: null, clustering: null },
  };

  it("round-trips, and names the row and field of a bad value", () => {
    const path = join(tempDir(), "supp7-small", "summary.json");
    writeExperimentSummary(path, { experiment: "supp7", scale: "small", rows: [row] });
    expect(readExperimentSummary(path)).toEqual({ experiment: "supp7", scale: "small", rows: [row] });
    writeFileSync(path, JSON.stringify({ experiment: "supp7", scale: "huge", rows: [{ ...row, W_r2: "x" }] }));
    expect(() => readExperimentSummary(path)).toThrowError(/summary\.json: not a valid experiment summary \(scale: /);
    writeFileSync(path, JSON.stringify({ experiment: "supp7", scale: "small", rows: [{ ...row, W_r2: "x" }] }));
    expect(() => readExperimentSummary(path)).toThrowError(/summary\.json: not a valid experiment summary \(rows\.0\.W_r2: /);
  });
});
