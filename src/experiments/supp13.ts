/**
 * Supp Fig 13 (Notebook_08): heterogeneous transfer functions (PDE_N4). Each type sends through
 * its own tanh((x − h)/w) (w = 1, 2, 4, 8), so psi* takes the sender's embedding: psi*([x_j, a_j]).
 * Paper numbers read from the authors' documentation (spec models-n4-n5 §2.6).
 */
import type { Experiment } from "./experiment.js";
import { signalSections } from "./sections.js";

export const supp13: Experiment = {
  id: "supp13",
  title: "Supp Fig 13: heterogeneous transfer functions tanh(x/w), w = 1, 2, 4, 8 (PDE_N4, ψ*(a_j, x_j)), batch 1",
  configs: ["signal_fig_supp_13"],
  small: { signal_fig_supp_13: "supp13_transfer" },
  steps: ["generate", "train", "plot"],
  generalisation: {},
  sections: signalSections("Supp Fig 13", "supp13h_psi"),
  paper: {
    source: "Supp Fig 13",
    W_r2: "0.99",
    // The max normalisation on [0.8·xnorm, xnorm] under-scales the w = 8 senders' columns by
    // tanh(xnorm/8) ≈ 0.85: a second line in the scatter; with an exact psi* it alone gives ≈ 0.95.
    W_slope: "0.94 (two lines: the w = 8 senders at tanh(xnorm/8))",
    clustering: "4 tight clusters",
  },
};
