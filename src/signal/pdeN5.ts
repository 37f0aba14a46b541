/**
 * PDE_N5, the model of Supp Fig 14 (neuron-neuron transfer functions):
 *   truth   dx_i/dt = −a_i x_i + b_i + s_i tanh(x_i) + g_i Σ_j W_ij [tanh((x_j − h_j)/w_i) − x_j ln(w_j)/50],
 *           params[type] = [a, b, g, s, w, h]: the width is the RECEIVER's, the leak ln(w_j)/50 the sender's
 *   learned dx̂_i/dt = phi*([x_i, a_i]) + Σ_j W*_ij psi*([x_j, a_i, a_j])
 * psi* depends on the pair, so it is evaluated once per connection (Backend.edgeMessages).
 */
import { modelShape } from "../model/params.js";
import { PDE_N5_SIMULATION, PdeN5Rhs, pdeN5EulerStep, pdeN5NeuronParams, pdeN5Phi, pdeN5PsiPair } from "../simulate/pdeN5.js";
import type { SignalModel } from "./signal-model.js";

export const pdeN5: SignalModel = {
  ...PDE_N5_SIMULATION,
  psiInput: "x_j,a_i,a_j",
  lossTerms: ["coeff_lin_phi_zero", "coeff_edge_diff", "coeff_W_L1"],
  modelShape: (N, gm) => modelShape(N, gm, false, true),
  trueSystem(W, types, params) {
    const rhs = new PdeN5Rhs(W, pdeN5NeuronParams(types, params));
    return { step: (x, dxdt, dt) => pdeN5EulerStep(rhs, x, dxdt, dt) };
  },
  truePhi: pdeN5Phi,
  // The diagonal pair (receiver and sender of one type): the curve the normalisation evaluates.
  truePsi: (x, p) => pdeN5PsiPair(x, p, p),
  truePsiPair: pdeN5PsiPair,
  // The reference hard-codes 10; the first type's g is 10 in Supp Fig 14's config.
  correctionGain: (params) => params[0][2],
};
