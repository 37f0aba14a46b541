/** Report sections shared by the notebooks (the panels of Fig 2 and their supplementary twins). */
import type { ReportSection } from "./experiment.js";

/** Data, training and recovery panels, titled with the notebook's figure (e.g. "Supp Fig 8"). */
export function pdeN2Sections(figure: string): ReportSection[] {
  return signalSections(figure, "fig2h_psi");
}

/**
 * The same panels with the model's psi* panel (one curve per neuron: PDE_N4 supp13h_psi, PDE_N5
 * supp14h_psi_diagonal) and its extra panels (PDE_N5: supp14h_psi_pairs).
 */
export function signalSections(
  figure: string,
  psiFigure: "fig2h_psi" | "supp13h_psi" | "supp14h_psi_diagonal",
  extra: readonly "supp14h_psi_pairs"[] = [],
): ReportSection[] {
  return [
    { title: `Data (${figure}b, c)`, figures: ["fig2b_activity", "fig2c_connectivity_true", "eigenvalues"] },
    { title: "Training", figures: ["training_W_r2", "supp1_training_montage"] },
    {
      title: `Recovered connectivity, neuron types and functions (${figure}d–h)`,
      figures: ["fig2d_connectivity_learned", "fig2e_W_learned_vs_true", "fig2f_embeddings", "fig2g_phi", psiFigure, ...extra],
    },
  ];
}
