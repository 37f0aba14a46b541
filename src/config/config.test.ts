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
    expect(() => parseConfig(text, "bad.yaml")).toThrowError(/bad\.yaml:4:14: simulation\.n_neurons = "many": Expected number/);
  });

  it("reports malformed YAML with its position", () => {
    expect(() => parseConfig("simulation:\n  params: [[1, 2\n", "broken.yaml")).toThrowError(
      /broken\.yaml:\d+:\d+: malformed YAML/,
    );
    expect(() => parseConfig("dataset: *nowhere\n", "alias.yaml")).toThrowError(/^alias\.yaml: malformed YAML: Unresolved alias/);
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let k = 1; k < 8; k++)
      bomb.push(
        `${"b".repeat(k)}: &${"b".repeat(k)} [${Array(10)
          .fill(k === 1 ? "*a" : `*${"b".repeat(k - 1)}`)
          .join(", ")}]`,
      );
    expect(() => parseConfig(`${bomb.join("\n")}\n`, "bomb.yaml")).toThrowError(
      /^bomb\.yaml: malformed YAML: Excessive alias count/,
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
    expect(() => loadConfig(FIG2, ["training.n_epochs=abc"])).toThrowError(
      /--set training\.n_epochs=abc: training\.n_epochs = "abc": Expected number/,
    );
    expect(() => loadConfig(FIG2, ["noequals"])).toThrowError(/expected section\.key=value/);
    // Nothing after "=" is YAML's null: the error says how to write an empty string.
    expect(() => loadConfig(FIG2, ["simulation.connectivity_file="])).toThrowError(
      `--set simulation.connectivity_file=: simulation.connectivity_file = null: Expected string, received null (an empty value is null; for an empty string write --set 'simulation.connectivity_file=""')`,
    );
    expect(loadConfig(FIG2, ['simulation.connectivity_file=""']).config.simulation.connectivity_file).toBe("");
  });

  it("fails clearly on features that are not implemented yet (the signal model is the registry's: signal/registry.ts)", () => {
    const { config, file } = loadConfig(join(UPSTREAM, "signal_fig_3.yaml"), ["simulation.external_input_type=signal"]);
    expect(() => requireImplemented(config, file)).toThrowError(
      /external_input_type: "signal" \(supported: none, visual\) is not implemented yet/,
    );
    for (const f of [FIG2, join(UPSTREAM, "signal_fig_supp_13.yaml")]) {
      const c = loadConfig(f);
      expect(() => requireImplemented(c.config, c.file), f).not.toThrow();
      expect(() => requireTrainable(c.config, c.file), f).not.toThrow();
    }
  });

  it("fails clearly on training features that are not implemented yet", () => {
    const fig2 = loadConfig(FIG2);
    expect(() => requireTrainable(fig2.config, fig2.file)).not.toThrow();
    const cases: [string, RegExp][] = [
      ["training.sparsity=replace_embedding", /training\.sparsity: "replace_embedding" .* is not implemented yet/],
      ["training.cluster_method=kmeans", /training\.cluster_method: "kmeans" .* is not implemented yet/],
      ["training.recurrent_training=true", /training\.recurrent_training is not implemented yet/],
      ["training.init_training_single_type=true", /training\.init_training_single_type is not implemented yet/],
      ["graph_model.MLP_activation=tanh", /graph_model\.MLP_activation: "tanh" .* is not implemented yet/],
      [
        "plotting.norm_method=mode",
        /plotting\.norm_method: "mode" \(supported: max, median, mean, plateau\) is not implemented yet/,
      ],
    ];
    for (const [set, message] of cases) {
      const c = loadConfig(FIG2, [set]);
      expect(() => requireTrainable(c.config, c.file)).toThrowError(message);
    }
    // Supp Figs 3 and 8: a fixed embedding; batch size 1 and the two-phase loss.
    for (const f of ["signal_fig_supp_3.yaml", "signal_fig_supp_8.yaml", "signal_fig_supp_12.yaml"]) {
      const c = loadConfig(join(UPSTREAM, f));
      expect(() => requireTrainable(c.config, c.file), f).not.toThrow();
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
  });
});

/** A minimal valid config with `sim` lines added to the simulation section (line 4 onwards). */
const minimal = (sim: string) =>
  `dataset: x\nsimulation:\n  params: [[1, 2, 3], [1, 2, 3]]\n${sim}graph_model:\n  aggr_type: add\nplotting: {}\ntraining: {}\n`;

/** The ConfigError thrown by `f` (fails the test if it returns or throws something else). */
function configError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("config value checks (one validation for every command)", () => {
  it("a bad value is a ConfigError that starts with file:line:col of the value and names key and value", () => {
    const e = configError(() => parseConfig(minimal("  n_neuron_types: 2\n  n_neurons: -5\n"), "c.yaml"));
    expect(e.message).toBe("c.yaml:5:14: simulation.n_neurons = -5: must be ≥ 1");
  });

  it("refuses values that would make generate write a useless dataset or allocate without bound", () => {
    const cases: [string, RegExp][] = [
      ["simulation.delta_t=0", /simulation\.delta_t = 0: must be > 0/],
      ["simulation.delta_t=-0.01", /simulation\.delta_t = -0\.01: must be > 0/],
      ["simulation.delta_t=.inf", /simulation\.delta_t = Infinity: must be a finite number/],
      ["simulation.n_neurons=0", /simulation\.n_neurons = 0: must be ≥ 1/],
      ["simulation.n_neurons=-5", /simulation\.n_neurons = -5: must be ≥ 1/],
      ["simulation.n_neurons=1e9", /simulation\.n_neurons = 1000000000: must be ≤ 32768 \(W is N × N float32\)/],
      ["simulation.n_neurons=2.5", /simulation\.n_neurons = 2\.5: must be an integer/],
      ["simulation.n_neuron_types=0", /simulation\.n_neuron_types = 0: must be ≥ 1/],
      ["simulation.n_frames=0", /simulation\.n_frames = 0: must be ≥ 1/],
      ["simulation.n_frames=1e12", /simulation\.n_frames = 1000000000000: must be ≤ 100000000/],
      ["simulation.connectivity_filling_factor=0", /connectivity_filling_factor = 0: must be > 0/],
      ["simulation.Dale_law_factor=2", /Dale_law_factor = 2: must be ≤ 1/],
      ["simulation.noise_model_level=-1", /noise_model_level = -1: must be ≥ 0/],
      ["training.batch_size=0", /training\.batch_size = 0: must be ≥ 1/],
      ["training.batch_size=1e6", /training\.batch_size = 1000000: must be ≤ 4096/],
      ["training.n_epochs=0", /training\.n_epochs = 0: must be ≥ 1/],
      ["training.learning_rate_W_start=-0.001", /learning_rate_W_start = -0\.001: must be ≥ 0/],
      ["training.data_augmentation_loop=0", /data_augmentation_loop = 0: must be ≥ 1/],
      ["training.sparsity_freq=0", /sparsity_freq = 0: must be ≥ 1/],
      ["training.cluster_distance_threshold=0", /cluster_distance_threshold = 0: must be > 0/],
      ["graph_model.hidden_dim=0", /graph_model\.hidden_dim = 0: must be ≥ 1/],
      ["graph_model.hidden_dim=100000", /graph_model\.hidden_dim = 100000: must be ≤ 8192/],
      ["graph_model.embedding_dim=0", /embedding_dim = 0: must be ≥ 1/],
      ["plotting.mlp1_ylim=[1, -1]", /plotting\.mlp1_ylim: must be \[lo, hi\] with lo < hi/],
      ["plotting.xlim=[1]", /plotting\.xlim: must be \[lo, hi\]/],
    ];
    for (const [set, message] of cases) {
      const e = configError(() => loadConfig(FIG2, [set]));
      expect(e.message, set).toMatch(message);
      // The value came from --set, not from the file's line: the message names the override.
      expect(e.message.startsWith(`--set ${set}: `), e.message).toBe(true);
    }
  });

  it("checks keys against each other: types vs neurons, stored frames, activity size", () => {
    expect(configError(() => parseConfig(minimal("  n_neurons: 1\n  n_neuron_types: 2\n"), "t.yaml")).message).toBe(
      "t.yaml:5:19: simulation.n_neuron_types: more neuron types (2) than neurons (n_neurons = 1)",
    );
    // The other key involved came from --set: named after the file position.
    expect(configError(() => loadConfig(FIG2, ["simulation.n_neurons=3"])).message).toMatch(
      /signal_fig_2\.yaml:\d+:\d+: simulation\.n_neuron_types: more neuron types \(4\) than neurons \(n_neurons = 3\) \(with --set simulation\.n_neurons=3\)/,
    );
    expect(configError(() => loadConfig(FIG2, ["simulation.n_frames=5", "simulation.start_frame=0"])).message).toMatch(
      /--set simulation\.n_frames=5: simulation\.n_frames: stores 6 frame\(s\) .*training needs at least 8/,
    );
    expect(configError(() => loadConfig(FIG2, ["simulation.start_frame=99999"])).message).toMatch(
      /--set simulation\.start_frame=99999: simulation\.start_frame: stores 2 frame\(s\)/,
    );
    expect(configError(() => loadConfig(FIG2, ["simulation.n_neurons=32768", "simulation.n_frames=1e6"])).message).toMatch(
      /simulation\.n_frames: the activity \[1000001 frames, 32768 neurons\] has 32768032768 values, more than one float32 array holds/,
    );
    expect(configError(() => parseConfig(minimal("  n_neuron_types: 2\n  start_frame: 999\n"), "d.yaml")).message).toBe(
      "d.yaml:5:16: simulation.start_frame: stores 2 frame(s) (n_frames + 1 − max(0, start_frame)); training needs at least 8",
    );
    // A key that is not in the file (the default n_neuron_types, 5) is reported at its section.
    expect(configError(() => parseConfig(minimal("  n_neurons: 1\n"), "d.yaml")).message).toBe(
      "d.yaml:3:3: simulation.n_neuron_types: more neuron types (5) than neurons (n_neurons = 1)",
    );
  });

  it("points into lists and reports --set errors on keys that are not mappings", () => {
    expect(
      configError(() => parseConfig(minimal("  n_neuron_types: 2\n  connectivity_init: [0, oops]\n"), "l.yaml")).message,
    ).toBe('l.yaml:5:26: simulation.connectivity_init.1 = "oops": Expected number, received string');
    const text = "dataset: x\nsimulation: 5\ngraph_model:\n  aggr_type: add\nplotting: {}\ntraining: {}\n";
    expect(configError(() => parseConfig(text, "m.yaml", ["simulation.n_neurons=5"])).message).toBe(
      '--set simulation.n_neurons=5: "simulation" is not a mapping in the config',
    );
  });
});
