import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../test/helpers.js";
import { loadConfig } from "../config/load.js";
import { FIGURES } from "../run-folder/figures.js";
import { labelOf, paperOf } from "./experiment.js";
import { EXPERIMENTS, caseOf, experimentById, experimentOfConfig } from "./registry.js";

describe("experiments", () => {
  it("have unique ids and configs that ship in configs/", () => {
    expect(new Set(EXPERIMENTS.map((e) => e.id)).size).toBe(EXPERIMENTS.length);
    for (const e of EXPERIMENTS) for (const c of e.configs) expect(existsSync(join(ROOT, "configs", `${c}.yaml`)), c).toBe(true);
  });

  it("have a small form per config, in configs/small/ (or the quick default), with the same features", () => {
    const smallFile = (n: string) =>
      [join(ROOT, "configs", "small", `${n}.yaml`), join(ROOT, "configs", `${n}.yaml`)].find((f) => existsSync(f));
    for (const e of EXPERIMENTS) {
      expect(Object.keys(e.small), e.id).toEqual([...e.configs]);
      for (const [full, small] of Object.entries(e.small)) {
        const file = smallFile(small);
        expect(file, `${e.id}: ${small}`).toBeDefined();
        const [a, b] = [loadConfig(join(ROOT, "configs", `${full}.yaml`)).config, loadConfig(file as string).config];
        // The features the notebook is about survive the scaling down.
        expect(b.simulation.n_neuron_types, small).toBe(a.simulation.n_neuron_types);
        expect(b.simulation.noise_model_level, small).toBe(a.simulation.noise_model_level);
        expect(b.simulation.connectivity_filling_factor, small).toBe(a.simulation.connectivity_filling_factor);
        expect(b.simulation.start_frame < 0, small).toBe(a.simulation.start_frame < 0);
        for (const k of ["batch_size", "training_single_type", "n_epochs_init", "coeff_edge_diff", "coeff_W_L1"] as const)
          expect(b.training[k], `${small}: training.${k}`).toBe(a.training[k]);
        expect(b.training.cluster_distance_threshold, small).toBe(a.training.cluster_distance_threshold);
        expect(b.plotting.colormap, small).toBe(a.plotting.colormap);
        expect(b.graph_model.signal_model_name, small).toBe(a.graph_model.signal_model_name);
        expect(b.simulation.params, small).toEqual(a.simulation.params);
        for (const k of ["norm_method", "norm_x_start", "norm_x_stop", "mlp1_xlim"] as const)
          expect(b.plotting[k], `${small}: plotting.${k}`).toEqual(a.plotting[k]);
        // Its labels and paper numbers are its full config's.
        expect(labelOf(e, small) === labelOf(e, full) || e.labels?.[small] !== undefined).toBe(true);
        expect(paperOf(e, small)).toBe(paperOf(e, full));
      }
    }
  });

  it("are listed in the paper's order: fig2, supp3, supp7, supp8, supp10, supp12, supp13, supp14, fig3", () => {
    expect(EXPERIMENTS.map((e) => e.id)).toEqual([
      "fig2",
      "supp3",
      "supp7",
      "supp8",
      "supp10",
      "supp12",
      "supp13",
      "supp14",
      "fig3",
    ]);
    expect(experimentOfConfig("fig3_known_input").id).toBe("fig3");
    expect(experimentOfConfig("fig3_learned_input").id).toBe("fig3");
    expect(experimentOfConfig("supp13_transfer").id).toBe("supp13");
    expect(experimentOfConfig("supp14_pairs").id).toBe("supp14");
    expect(experimentOfConfig("signal_fig_supp_8_3").id).toBe("supp8");
    expect(experimentOfConfig("supp8_fill_05").id).toBe("supp8");
    expect(labelOf(experimentById("supp8")!, "supp8_fill_05")).toBe("5 %");
    expect(paperOf(experimentById("supp7")!, "signal_fig_supp_7_5").W_slope).toBe("−0.05");
  });

  it("report sections name known figures", () => {
    for (const e of EXPERIMENTS) for (const s of e.sections) for (const f of s.figures) expect(Object.keys(FIGURES)).toContain(f);
  });

  it("maps configs and --new-params values to their experiment and case", () => {
    const fig2 = experimentById("fig2")!;
    expect(experimentOfConfig("signal_fig_2")).toBe(fig2);
    expect(experimentOfConfig("quick")).toBe(fig2);
    expect(caseOf(fig2, "0.25,10,20,30,40")).toBe("supp5");
    expect(caseOf(fig2, "0.5,60,40,0,0")).toBe("supp6");
    expect(caseOf(fig2, "0.5,50,50,0,0")).toBeUndefined();
  });
});
