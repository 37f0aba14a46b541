/**
 * PDE_N2, the model of Figure 2 and Supp Figs 1–12:
 *   truth   dx_i/dt = −c_i x_i + s_i tanh(x_i) + g_i Σ_j W_ij tanh(x_j),   params[type] = [g, s, c]
 *   learned dx̂_i/dt = phi*([x_i, a_i]) + Σ_j W*_ij psi*(x_j)
 */
import { modelShape } from "../model/params.js";
import { PDE_N2_SIMULATION, neuronParams, truePhi } from "../simulate/neurons.js";
import { pdeN2EulerStep } from "../simulate/pdeN2.js";
import type { SignalModel } from "./signal-model.js";

export const pdeN2: SignalModel = {
  ...PDE_N2_SIMULATION,
  psiInput: "x_j",
  lossTerms: ["coeff_lin_phi_zero", "coeff_edge_diff", "coeff_W_L1"],
  modelShape: (N, gm) => modelShape(N, gm),
  trueSystem(W, types, params) {
    const p = neuronParams(types, params);
    return { step: (x, dxdt, dt) => pdeN2EulerStep(W, p, x, dxdt, dt) };
  },
  truePhi,
  truePsi: (x) => Math.tanh(x),
  // The reference hard-codes 10 (Figure 2's g); the first type's g is the same for every paper config.
  correctionGain: (params) => params[0][0],
};
