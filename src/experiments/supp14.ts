/**
 * Supp Fig 14 (Notebook_09): neuron-neuron transfer functions (PDE_N5). The message's width is the
 * receiver's and a linear leak ln(w_j)/50 the sender's, so psi* takes both embeddings:
 * psi*([x_j, a_i, a_j]), evaluated once per connection. Paper numbers read from the authors'
 * documentation (spec models-n4-n5 §3.5).
 */
import type { Experiment } from "./experiment.js";
import { signalSections } from "./sections.js";

export const supp14: Experiment = {
  id: "supp14",
  title:
    "Supp Fig 14: neuron-neuron transfer functions tanh(x_j/w_i) − x_j ln(w_j)/50 (PDE_N5, ψ*(a_i, a_j, x_j) per edge), batch 1",
  configs: ["signal_fig_supp_14"],
  small: { signal_fig_supp_14: "supp14_pairs" },
  steps: ["generate", "train", "plot"],
  generalisation: {},
  sections: signalSections("Supp Fig 14", "supp14h_psi_diagonal", ["supp14h_psi_pairs"]),
  paper: {
    source: "Supp Fig 14",
    W_r2: "0.958",
    // The correction ψ̄_j uses the diagonal pair [r, a_j, a_j] and ignores the receiver's width:
    // one slope per (receiving, sending) type pair, a fan of lines.
    W_slope: "0.8 (a fan of lines: one per receiving/sending type pair)",
    clustering: "4 point-like clusters",
  },
};
