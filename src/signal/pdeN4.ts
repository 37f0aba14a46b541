/**
 * PDE_N4, the model of Supp Fig 13 (heterogeneous transfer functions):
 *   truth   dx_i/dt = −a_i x_i + b_i + s_i tanh(x_i) + g_i Σ_j W_ij tanh((x_j − h_j)/w_j),
 *           params[type] = [a, b, g, s, w, h], w and h the SENDER's
 *   learned dx̂_i/dt = phi*([x_i, a_i]) + Σ_j W*_ij psi*([x_j, a_j])
 * psi* depends on the sender only, so it is still evaluated once per neuron and frame; a_j gets a
 * gradient through psi*'s input.
 */
import { modelShape } from "../model/params.js";
import { PDE_N4_SIMULATION, pdeN4EulerStep, pdeN4NeuronParams, pdeN4Phi, pdeN4Psi } from "../simulate/pdeN4.js";
import type { SignalModel } from "./signal-model.js";

export const pdeN4: SignalModel = {
  ...PDE_N4_SIMULATION,
  psiInput: "x_j,a_j",
  lossTerms: ["coeff_lin_phi_zero", "coeff_edge_diff", "coeff_W_L1"],
  modelShape: (N, gm) => modelShape(N, gm, true),
  trueSystem(W, types, params) {
    const p = pdeN4NeuronParams(types, params);
    return { step: (x, dxdt, dt) => pdeN4EulerStep(W, p, x, dxdt, dt) };
  },
  truePhi: pdeN4Phi,
  truePsi: pdeN4Psi,
  // The reference hard-codes 10; the first type's g is 10 in Supp Fig 13's config.
  correctionGain: (params) => params[0][2],
};
