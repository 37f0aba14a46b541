/**
 * Supp Fig 10 (Notebook_05): process noise, std 7.2 added to x after every Euler step (not scaled
 * by Δt; the training targets stay the exact derivatives), batch 1. Paper numbers read from the
 * authors' documentation (spec pdeN2-variants §4).
 */
import type { Experiment } from "./experiment.js";
import { pdeN2Sections } from "./sections.js";

export const supp10: Experiment = {
  id: "supp10",
  title: "Supp Fig 10: process noise (std 7.2 per Euler step), batch 1",
  configs: ["signal_fig_supp_10"],
  small: { signal_fig_supp_10: "supp10_noise" },
  steps: ["generate", "train", "plot"],
  generalisation: {},
  sections: pdeN2Sections("Supp Fig 10"),
  paper: { source: "Supp Fig 10", W_r2: "1.0", W_slope: "1.0", clustering: "4 tight clusters" },
};
