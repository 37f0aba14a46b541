/**
 * Supp Fig 7 (Notebook_03): dataset size. Figure 2 and signal_fig_supp_7_1…7_5 (50k … 10k frames,
 * data_augmentation_loop raised so that an epoch keeps ≈125,000 iterations); per-run panels and W R²
 * against iterations for every size on one plot. Paper numbers read from the authors'
 * documentation (spec pdeN2-variants §2).
 */
import type { Experiment, PaperNumbers } from "./experiment.js";
import { fig2 } from "./fig2.js";
import { pdeN2Sections } from "./sections.js";

const paper = (frames: string, W_r2: string, W_slope: string, clustering: string): PaperNumbers => ({
  source: `Supp Fig 7, ${frames} frames`,
  W_r2,
  W_slope,
  clustering,
});

export const supp7: Experiment = {
  id: "supp7",
  title: "Supp Fig 7: dataset size, 100k to 10k frames (6 runs), W R² against iterations",
  configs: [
    "signal_fig_2",
    "signal_fig_supp_7_1",
    "signal_fig_supp_7_2",
    "signal_fig_supp_7_3",
    "signal_fig_supp_7_4",
    "signal_fig_supp_7_5",
  ],
  small: {
    signal_fig_2: "supp7_frames_100",
    signal_fig_supp_7_1: "supp7_frames_050",
    signal_fig_supp_7_2: "supp7_frames_040",
    signal_fig_supp_7_3: "supp7_frames_030",
    signal_fig_supp_7_4: "supp7_frames_020",
    signal_fig_supp_7_5: "supp7_frames_010",
  },
  labels: {
    signal_fig_2: "100k",
    signal_fig_supp_7_1: "50k",
    signal_fig_supp_7_2: "40k",
    signal_fig_supp_7_3: "30k",
    signal_fig_supp_7_4: "20k",
    signal_fig_supp_7_5: "10k",
    // The small forms: 100 neurons, 10k to 1k frames.
    supp7_frames_100: "10k",
    supp7_frames_050: "5k",
    supp7_frames_040: "4k",
    supp7_frames_030: "3k",
    supp7_frames_020: "2k",
    supp7_frames_010: "1k",
  },
  overlay: "supp7_W_r2_vs_iterations",
  steps: ["generate", "train", "plot"],
  generalisation: {},
  sections: pdeN2Sections("Supp Fig 7"),
  paper: fig2.paper,
  papers: {
    signal_fig_2: { ...fig2.paper, source: "Supp Fig 7, 100k frames (Figure 2)" },
    signal_fig_supp_7_1: paper("50k", "1.0", "0.99", "4 tight clusters"),
    signal_fig_supp_7_2: paper("40k", "1.0", "0.98", "—"),
    signal_fig_supp_7_3: paper("30k", "0.998", "0.94", "4 tight clusters"),
    signal_fig_supp_7_4: paper("20k", "0.936", "0.64", "4 diffuse clusters"),
    signal_fig_supp_7_5: paper("10k", "0.45", "−0.05", "one diffuse cloud"),
  },
};
