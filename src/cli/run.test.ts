import { describe, expect, it } from "vitest";
import { fig2 } from "../experiments/fig2.js";
import type { Results } from "../run-folder/files.js";
import { listExperiments, runCommand, summaryTable } from "./run.js";

describe("run targets", () => {
  it("lists the experiments, one line each with their configs", () => {
    const lines = listExperiments().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines[0]).toMatch(/^fig2 +Figure 2 .*\[signal_fig_2\]$/);
  });

  it("refuses a target that is neither a config file nor an experiment, naming the experiments", async () => {
    await expect(runCommand("supp99", { runs: "/nonexistent" })).rejects.toThrowError(
      /supp99: no such config file or experiment \(experiments: fig2, supp3, supp7, supp8, supp10, supp12, supp13, supp14, fig3\)/,
    );
  });

  it("takes --scale small only with an experiment id", async () => {
    await expect(runCommand("my.yaml", { runs: "/nonexistent", scale: "small" })).rejects.toThrowError(
      /--scale small applies to an experiment id/,
    );
    await expect(runCommand("supp8", { runs: "/nonexistent", scale: "tiny" })).rejects.toThrowError(
      /--scale tiny: expected paper or small/,
    );
  });

  it("lists the paper's notebooks in its order, each with its configs", () => {
    const ids = listExperiments()
      .split("\n")
      .map((l) => l.split(" ")[0]);
    expect(ids).toEqual(["fig2", "supp3", "supp7", "supp8", "supp10", "supp12", "supp13", "supp14", "fig3"]);
    expect(listExperiments()).toMatch(
      /^supp8 +Supp Figs 8, 9: .*\[signal_fig_supp_8, signal_fig_supp_8_3, signal_fig_supp_8_2, signal_fig_supp_8_1, signal_fig_2\]$/m,
    );
  });
});

describe("the console summary", () => {
  const score = (f1: number, mcc: number) => ({
    tau: 0.001,
    tp: 1,
    fp: 0,
    fn: 0,
    tn: 1,
    precision: 1,
    recall: 1,
    f1,
    specificity: 1,
    mcc,
  });
  it("shows the clustering cut at K clusters and the edge F1 (ours), dashes where absent", () => {
    const m: Results = {
      connectivity: { r2: 0.9999, slope: 1, r2_raw: 0.99, slope_raw: 3, psi_plateau: 3, g: 10 },
      clustering: { accuracy: 0.25, n_clusters: 1, threshold: 0.1, k_fixed: 4, n_clusters_k_fixed: 1, accuracy_k_fixed: 0.25 },
      edges: {
        rule: "r",
        n_edges: 10,
        n_zeros: 5,
        prevalence: 0.66,
        truth_free: score(0.944, 0.943),
        oracle: score(0.945, null as unknown as number),
        mixture: { sigma: 1, gamma: 2, absent_share: 0.3 },
        r2_nonzero: 1,
        slope_nonzero: 1,
        rms_on_zeros: 0,
        rms_on_zeros_relative: 0,
      },
    };
    const lines = summaryTable(m, fig2, [], 1, "signal_fig_2").split("\n");
    expect(lines.find((l) => l.startsWith("clustering at K clusters (ours)"))).toMatch(/0\.250 \(K = 4\)\s+—$/);
    expect(lines.find((l) => l.startsWith("edge F1 truth-free / best (ours)"))).toMatch(/0\.944 \/ 0\.945 \(MCC 0\.943\)/);
    const empty = summaryTable({}, fig2, [], 1, "signal_fig_2").split("\n");
    expect(empty.find((l) => l.startsWith("edge F1"))).toMatch(/—\s+—$/);
  });
});
