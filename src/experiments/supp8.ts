/**
 * Supp Figs 8 and 9 (Notebook_04): sparse connectivity. Filling factors 5, 10, 20, 50 % (the
 * reference's nested masks, non-zeros not rescaled, no warm-up) at batch 1 with all learning rates
 * 1e-4, the ψ* monotonicity penalty in epochs 0–1 and the W L1 penalty after; Figure 2 as 100 %.
 * Per-run panels, edge detection (ours) and W R² against iterations for every fill on one plot.
 * Paper numbers read from the authors' documentation (spec pdeN2-variants §3).
 */
import type { Experiment, PaperNumbers } from "./experiment.js";
import { fig2 } from "./fig2.js";
import { pdeN2Sections } from "./sections.js";

const paper = (fill: string, W_slope: string, training?: PaperNumbers["training"]): PaperNumbers => ({
  source: `Supp Figs 8, 9, ${fill} filling`,
  W_r2: "1.0",
  W_slope,
  clustering: "4 tight clusters",
  training,
});

export const supp8: Experiment = {
  id: "supp8",
  title: "Supp Figs 8, 9: sparse connectivity, 5 % to 100 % filling (5 runs), edge detection",
  configs: ["signal_fig_supp_8", "signal_fig_supp_8_3", "signal_fig_supp_8_2", "signal_fig_supp_8_1", "signal_fig_2"],
  small: {
    signal_fig_supp_8: "supp8_fill_05",
    signal_fig_supp_8_3: "supp8_fill_10",
    signal_fig_supp_8_2: "supp8_fill_20",
    signal_fig_supp_8_1: "supp8_fill_50",
    signal_fig_2: "supp8_fill_100",
  },
  labels: {
    signal_fig_supp_8: "5 %",
    signal_fig_supp_8_3: "10 %",
    signal_fig_supp_8_2: "20 %",
    signal_fig_supp_8_1: "50 %",
    signal_fig_2: "100 %",
  },
  overlay: "supp9_W_r2_vs_iterations_sparsity",
  steps: ["generate", "train", "plot"],
  generalisation: {},
  sections: pdeN2Sections("Supp Fig 8"),
  paper: paper("5 %", "0.99"),
  papers: {
    signal_fig_supp_8: paper("5 %", "0.99", [
      [2_000_000, 0.17],
      [4_000_000, 0.85],
      [5_000_000, 0.88],
      [8_000_000, 1.0],
    ]),
    signal_fig_supp_8_3: paper("10 %", "1.0", [[5_500_000, 1.0]]),
    signal_fig_supp_8_2: paper("20 %", "1.0", [[4_000_000, 1.0]]),
    signal_fig_supp_8_1: paper("50 %", "1.0", [[3_000_000, 1.0]]),
    signal_fig_2: { ...fig2.paper, source: "Supp Figs 8, 9, 100 % (Figure 2)" },
  },
};
