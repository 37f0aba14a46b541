import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, UPSTREAM_CONFIGS } from "../../test/helpers.js";
import { loadConfig } from "../config/load.js";
import { pdeN2 } from "./pdeN2.js";
import { pdeN4 } from "./pdeN4.js";
import { pdeN5 } from "./pdeN5.js";
import { requireLossTerms, signalModel } from "./registry.js";

describe("signal models", () => {
  it("looks PDE_N2, PDE_N4 and PDE_N5 up by graph_model.signal_model_name and refuses the others by name", () => {
    const fig2 = loadConfig(join(ROOT, "configs", "signal_fig_2.yaml"));
    expect(signalModel(fig2.config, fig2.file)).toBe(pdeN2);
    const supp13 = loadConfig(join(UPSTREAM_CONFIGS, "signal_fig_supp_13.yaml"));
    expect(signalModel(supp13.config, supp13.file)).toBe(pdeN4);
    const n5 = loadConfig(join(UPSTREAM_CONFIGS, "signal_fig_supp_14.yaml"));
    expect(signalModel(n5.config, n5.file)).toBe(pdeN5);
    const n6 = loadConfig(join(UPSTREAM_CONFIGS, "signal_fig_supp_14.yaml"), ["graph_model.signal_model_name=PDE_N6"]);
    expect(() => signalModel(n6.config, "x.yaml")).toThrowError(
      /x\.yaml: graph_model\.signal_model_name: "PDE_N6" is not implemented yet \(available: PDE_N2, PDE_N4, PDE_N5\)/,
    );
  });

  it("checks simulation.params against the model's parameter names", () => {
    const n4 = loadConfig(join(ROOT, "configs", "signal_fig_2.yaml"), ["graph_model.signal_model_name=PDE_N4"]);
    expect(() => signalModel(n4.config, "x.yaml")).toThrowError(
      "x.yaml: simulation.params[0] must be [a, b, g, s, w, h] for PDE_N4, got 3 values",
    );
    const n2 = loadConfig(join(UPSTREAM_CONFIGS, "signal_fig_supp_13.yaml"), ["graph_model.signal_model_name=PDE_N2"]);
    expect(() => signalModel(n2.config, "y.yaml")).toThrowError(
      "y.yaml: simulation.params[0] must be [g, s, c] for PDE_N2, got 6 values",
    );
    const few = loadConfig(join(ROOT, "configs", "signal_fig_2.yaml"), ["simulation.n_neuron_types=5"]);
    expect(() => signalModel(few.config, "z.yaml")).toThrowError("z.yaml: simulation.params has 4 rows but n_neuron_types is 5");
  });

  it("refuses by name the loss terms PDE_N2's training does not implement, and accepts its own and the inert ones", () => {
    const fig2 = loadConfig(join(ROOT, "configs", "signal_fig_2.yaml"));
    expect(() => requireLossTerms(pdeN2, fig2.config, fig2.file)).not.toThrow();
    const l2 = loadConfig(join(ROOT, "configs", "signal_fig_2.yaml"), ["training.coeff_W_L2=0.1"]);
    expect(() => requireLossTerms(pdeN2, l2.config, "f.yaml")).toThrowError(
      /f\.yaml: training\.coeff_W_L2 = 0\.1 \(regulariser\) is not implemented yet for PDE_N2/,
    );
    const ok = loadConfig(join(ROOT, "configs", "signal_fig_2.yaml"), [
      "training.coeff_lin_phi_zero=2",
      "training.coeff_permutation=5",
      "training.coeff_edge_diff=10",
      "training.coeff_W_L1=1e-5",
    ]);
    expect(() => requireLossTerms(pdeN2, ok.config, ok.file)).not.toThrow();
    for (const f of ["signal_fig_supp_8.yaml", "signal_fig_supp_8_1.yaml", "signal_fig_supp_3.yaml"]) {
      const c = loadConfig(join(UPSTREAM_CONFIGS, f));
      expect(() => requireLossTerms(pdeN2, c.config, c.file), f).not.toThrow();
    }
  });

  it("refuses first_coeff_L1 (W L1 of the first n_epochs_init epochs) for a model without the W L1 term", () => {
    const noL1 = { ...pdeN2, lossTerms: ["coeff_lin_phi_zero"] as const };
    const set = ["training.n_epochs_init=2", "training.first_coeff_L1=1e-4"];
    const c = loadConfig(join(ROOT, "configs", "signal_fig_2.yaml"), set);
    expect(() => requireLossTerms(noL1, c.config, "f.yaml")).toThrowError(
      /f\.yaml: training\.first_coeff_L1 = 0\.0001 .* is not implemented yet for PDE_N2/,
    );
    expect(() => requireLossTerms(pdeN2, c.config, "f.yaml")).not.toThrow();
    // Without an initial phase (n_epochs_init 0) the reference never reads first_coeff_L1.
    const inert = loadConfig(join(ROOT, "configs", "signal_fig_2.yaml"), ["training.first_coeff_L1=1e-4"]);
    expect(() => requireLossTerms(noL1, inert.config, "f.yaml")).not.toThrow();
  });

  it("PDE_N2's true system is −c x + s tanh x + g W tanh x, stepped by explicit Euler", () => {
    const W = Float32Array.of(0, 0.5, -0.25, 0);
    const sys = pdeN2.trueSystem(W, Int32Array.of(0, 1), [
      [10, 1, 2],
      [5, 2, 1],
    ]);
    const x = Float64Array.of(0.3, -1.2);
    const d = new Float64Array(2);
    sys.step(x, d, 0.1);
    const f0 = -2 * 0.3 + Math.tanh(0.3) + 10 * 0.5 * Math.tanh(-1.2);
    const f1 = -1 * -1.2 + 2 * Math.tanh(-1.2) + 5 * -0.25 * Math.tanh(0.3);
    expect(d[0]).toBeCloseTo(f0, 6);
    expect(d[1]).toBeCloseTo(f1, 6);
    expect(x[0]).toBeCloseTo(0.3 + 0.1 * f0, 6);
    expect(pdeN2.truePhi(1, [10, 2, 3])).toBeCloseTo(-3 + 2 * Math.tanh(1), 12);
    expect(pdeN2.correctionGain([[7, 1, 1]])).toBe(7);
  });

  it("PDE_N4's true system is −a x + b + s tanh x + g W tanh((x − h)/w) with the sender's w and h", () => {
    const W = Float32Array.of(0, 0.5, -0.25, 0);
    const params = [
      [1, 0.5, 10, 1, 2, 0.3],
      [2, -1, 5, 2, 8, -1],
    ];
    const sys = pdeN4.trueSystem(W, Int32Array.of(0, 1), params);
    const x = Float64Array.of(0.3, -1.2);
    const d = new Float64Array(2);
    sys.step(x, d, 0.1);
    const f0 = -1 * 0.3 + 0.5 + Math.tanh(0.3) + 10 * 0.5 * Math.tanh((-1.2 + 1) / 8);
    const f1 = -2 * -1.2 - 1 + 2 * Math.tanh(-1.2) + 5 * -0.25 * Math.tanh((0.3 - 0.3) / 2);
    expect(d[0]).toBeCloseTo(f0, 6);
    expect(d[1]).toBeCloseTo(f1, 6);
    expect(x[1]).toBeCloseTo(-1.2 + 0.1 * f1, 6);
    expect(pdeN4.truePhi(1, params[1])).toBeCloseTo(-2 - 1 + 2 * Math.tanh(1), 12);
    expect(pdeN4.truePsi(3, params[1])).toBeCloseTo(Math.tanh(4 / 8), 12);
    expect(pdeN4.correctionGain(params)).toBe(10);
    const supp13 = loadConfig(join(ROOT, "configs", "signal_fig_supp_13.yaml"));
    expect(() => requireLossTerms(pdeN4, supp13.config, supp13.file)).not.toThrow(); // edge_diff 100
    expect(pdeN4.psiInput).toBe("x_j,a_j");
    expect(
      pdeN4.modelShape(10, loadConfig(join(UPSTREAM_CONFIGS, "signal_fig_supp_13.yaml")).config.graph_model).psi.sizes,
    ).toEqual([3, 64, 64, 1]);
  });

  it("PDE_N5's true system uses the receiver's width and the sender's leak ln(w_j)/50", () => {
    const W = Float32Array.of(0, 0.5, -0.25, 0);
    const params = [
      [1, 0.5, 10, 1, 2, 0.25],
      [2, -1, 5, 2, 8, -1],
    ];
    const sys = pdeN5.trueSystem(W, Int32Array.of(0, 1), params);
    const x = Float64Array.of(0.3, -1.2);
    const d = new Float64Array(2);
    sys.step(x, d, 0.1);
    const f0 = -1 * 0.3 + 0.5 + Math.tanh(0.3) + 10 * 0.5 * (Math.tanh((-1.2 + 1) / 2) - (-1.2 * Math.log(8)) / 50);
    const f1 = -2 * -1.2 - 1 + 2 * Math.tanh(-1.2) + 5 * -0.25 * (Math.tanh((0.3 - 0.25) / 8) - (0.3 * Math.log(2)) / 50);
    expect(d[0]).toBeCloseTo(f0, 12);
    expect(d[1]).toBeCloseTo(f1, 12);
    expect(x[0]).toBeCloseTo(0.3 + 0.1 * f0, 12);
    expect(pdeN5.truePsiPair?.(3, params[0], params[1])).toBeCloseTo(Math.tanh(4 / 2) - (3 * Math.log(8)) / 50, 12);
    expect(pdeN5.truePsi(3, params[1])).toBeCloseTo(Math.tanh(4 / 8) - (3 * Math.log(8)) / 50, 12);
    expect(pdeN5.correctionGain(params)).toBe(10);
    const supp14 = loadConfig(join(ROOT, "configs", "signal_fig_supp_14.yaml"));
    expect(() => requireLossTerms(pdeN5, supp14.config, supp14.file)).not.toThrow(); // edge_diff 500
    const shape = pdeN5.modelShape(10, supp14.config.graph_model);
    expect(shape.psi.sizes).toEqual([5, 64, 64, 1]);
    expect(shape.psiPairs).toBe(true);
    expect(() => pdeN5.modelShape(10, { ...supp14.config.graph_model, input_size: 3 })).toThrowError(
      /input_size must be 1 \+ 2·embedding_dim = 5/,
    );
  });
});
