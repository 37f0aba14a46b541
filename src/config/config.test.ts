import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UPSTREAM_CONFIGS, tempDir } from "../../test/helpers.js";
import { ConfigError, loadConfig, parseConfig, requireImplemented, requireTrainable } from "./load.js";

const UPSTREAM = UPSTREAM_CONFIGS;
const FIG2 = join(UPSTREAM, "signal_fig_2.yaml");

describe("config loading", () => {
  it("parses and validates every upstream config unchanged", () => {
    const files = readdirSync(UPSTREAM).filter((f) => f.endsWith(".yaml"));
    expect(files.length).toBeGreaterThanOrEqual(27);
    for (const f of files) expect(() => loadConfig(join(UPSTREAM, f)), f).not.toThrow();
  });

  it("fills the reference defaults that matter for Figure 2 (spec 1.2)", () => {
    const { config: c, name } = loadConfig(FIG2);
    expect(name).toBe("signal_fig_2");
    expect(c.simulation.seed).toBe(42);
    expect(c.simulation.connectivity_filling_factor).toBe(1);
    expect(c.simulation.connectivity_file).toBe("");
    expect(c.simulation.Dale_law).toBe(false);
    expect(c.simulation.noise_model_level).toBe(0);
    expect(c.simulation.external_input_type).toBe("none");
    expect(c.training.measurement_noise_level).toBe(0);
    expect(c.training.n_epochs_init).toBe(0);
    expect(c.training.cluster_connectivity).toBe("single");
    expect(c.training.coeff_permutation).toBe(100);
    expect(c.training.coeff_W_L1).toBe(0);
    expect(c.graph_model.MLP_activation).toBe("relu");
    expect(c.graph_model.lin_edge_positive).toBe(false);
    expect(c.plotting.norm_method).toBe("median");
    // Values set in the yaml
    expect(c.simulation.params).toEqual([
      [10, 1, 1],
      [10, 2, 1],
      [10, 1, 2],
      [10, 2, 2],
    ]);
    expect(c.training.learning_rate_W_start).toBe(1e-3);
    expect(c.training.learning_rate_embedding_start).toBe(7.5e-4);
    expect(c.training.small_init_batch_size).toBe(false);
    expect(c.simulation.start_frame).toBe(-1000);
  });

  it("accepts numbers written as strings, as the reference does", () => {
    const { config } = loadConfig(join(UPSTREAM, "signal_fig_supp_8.yaml"));
    expect(config.simulation.max_radius).toBe(1e6);
  });

  it("names file:line:col and the closest key for an unknown key", () => {
    const text =
      "dataset: x\nsimulation:\n  params: [[1, 2, 3]]\n  n_neuronz: 10\ngraph_model:\n  aggr_type: add\nplotting: {}\ntraining: {}\n";
    expect(() => parseConfig(text, "bad.yaml")).toThrowError(
      /bad\.yaml:4:3: unknown key "n_neuronz" in simulation \(did you mean "n_neurons"\?\)/,
    );
  });

  it("reports a wrong type at its position", () => {
    const text =
      "dataset: x\nsimulation:\n  params: [[1, 2, 3]]\n  n_neurons: many\ngraph_model:\n  aggr_type: add\nplotting: {}\ntraining: {}\n";
    expect(() => parseConfig(text, "bad.yaml")).toThrowError(/bad\.yaml:4:14: simulation\.n_neurons: Expected number/);
  });

  it("reports malformed YAML with its position", () => {
    expect(() => parseConfig("simulation:\n  params: [[1, 2\n", "broken.yaml")).toThrowError(
      /broken\.yaml:\d+:\d+: malformed YAML/,
    );
  });

  it("reports a missing required key", () => {
    const text = "dataset: x\nsimulation: {}\ngraph_model:\n  aggr_type: add\nplotting: {}\ntraining: {}\n";
    expect(() => parseConfig(text, "m.yaml")).toThrowError(/missing required key "simulation\.params"/);
  });

  it("names a missing file", () => {
    expect(() => loadConfig("/nonexistent/dir/c.yaml")).toThrowError(/c\.yaml: cannot read config file \(ENOENT\)/);
  });

  it("applies --set overrides, parsed as YAML, with validation", () => {
    const { config } = loadConfig(FIG2, ["training.n_epochs=3", "simulation.params=[[1,2,3]]", "simulation.Dale_law=true"]);
    expect(config.training.n_epochs).toBe(3);
    expect(config.simulation.params).toEqual([[1, 2, 3]]);
    expect(config.simulation.Dale_law).toBe(true);
    expect(() => loadConfig(FIG2, ["training.n_epoch=3"])).toThrowError(
      /unknown key "training\.n_epoch" \(did you mean "n_epochs"\?\)/,
    );
    expect(() => loadConfig(FIG2, ["training.n_epochs=abc"])).toThrowError(/training\.n_epochs: Expected number/);
    expect(() => loadConfig(FIG2, ["noequals"])).toThrowError(/expected section\.key=value/);
  });

  it("fails clearly on features that are not implemented yet", () => {
    const { config, file } = loadConfig(join(UPSTREAM, "signal_fig_supp_13.yaml"));
    expect(() => requireImplemented(config, file)).toThrowError(/signal_model_name: "PDE_N4" is not implemented yet/);
    const fig2 = loadConfig(FIG2);
    expect(() => requireImplemented(fig2.config, fig2.file)).not.toThrow();
  });

  it("fails clearly on training features that are not implemented yet", () => {
    const fig2 = loadConfig(FIG2);
    expect(() => requireTrainable(fig2.config, fig2.file)).not.toThrow();
    const cases: [string, RegExp][] = [
      ["training.sparsity=replace_embedding", /training\.sparsity: "replace_embedding" .* is not implemented yet/],
      ["training.cluster_method=kmeans", /training\.cluster_method: "kmeans" .* is not implemented yet/],
      ["training.coeff_W_L1=0.1", /training\.coeff_W_L1 = 0\.1 \(regulariser\) is not implemented yet/],
      ["training.recurrent_training=true", /training\.recurrent_training is not implemented yet/],
      ["graph_model.MLP_activation=tanh", /graph_model\.MLP_activation: "tanh" .* is not implemented yet/],
    ];
    for (const [set, message] of cases) {
      const c = loadConfig(FIG2, [set]);
      expect(() => requireTrainable(c.config, c.file)).toThrowError(message);
    }
  });

  it("loads the project's own configs", () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "ok.yaml"),
      "dataset: x\nsimulation:\n  params: [[1, 2, 3]]\ngraph_model:\n  aggr_type: add\nplotting: {}\ntraining: {}\n",
    );
    expect(loadConfig(join(dir, "ok.yaml")).config.simulation.n_neurons).toBe(1000);
    for (const f of ["signal_fig_2.yaml", "quick.yaml"]) {
      const c = loadConfig(join(__dirname, "..", "..", "configs", f));
      expect(() => requireImplemented(c.config, c.file)).not.toThrow();
      expect(() => requireTrainable(c.config, c.file)).not.toThrow();
    }
    expect(ConfigError).toBeDefined();
  });
});
