/**
 * Property tests of config loading: random YAML documents, random values for the schema's keys and
 * random --set overrides either load into a config that satisfies the schema's limits, or fail with
 * a ConfigError whose message names the file (or the --set override) — never a TypeError/RangeError.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { ROOT } from "../../test/helpers.js";
import { ConfigError, parseConfig } from "./load.js";
import { type Config, LIMITS, knownKeys } from "./schema.js";

const FILE = "fuzz.yaml";
const BASE = parse(readFileSync(join(ROOT, "configs", "quick.yaml"), "utf8")) as Record<string, Record<string, unknown>>;
const SECTIONS = ["simulation", "graph_model", "plotting", "training"] as const;

/** Values a user (or a typo) could put in a YAML config. */
const yamlValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.integer({ min: -3, max: 3 }),
  fc.double(),
  fc.constantFrom(0, -1, 1, 1e9, 1e300, -1e300, 2 ** 53, 0.5, Number.NaN, Number.POSITIVE_INFINITY),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 12 }),
  fc.constantFrom("1e9", "-5", "0", ".inf", "nan", "1.0E6", "", "tanh", "add"),
  fc.array(fc.oneof(fc.double(), fc.integer(), fc.string({ maxLength: 4 })), { maxLength: 4 }),
  fc.array(fc.array(fc.double({ noNaN: true }), { maxLength: 4 }), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.integer(), { maxKeys: 3 }),
);

/** The config `text` either loads (and then satisfies the limits) or throws a ConfigError naming where. */
function loadsOrExplains(text: string, overrides: string[] = []): void {
  let config: Config;
  try {
    config = parseConfig(text, FILE, overrides);
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(ConfigError);
    const message = (e as Error).message;
    expect(message.startsWith(FILE) || message.startsWith("--set "), message).toBe(true);
    return;
  }
  const sim = config.simulation;
  expect(Number.isInteger(sim.n_neurons) && sim.n_neurons >= 1 && sim.n_neurons <= LIMITS.maxNeurons).toBe(true);
  expect(sim.n_neuron_types >= 1 && sim.n_neuron_types <= sim.n_neurons).toBe(true);
  expect(sim.delta_t > 0 && Number.isFinite(sim.delta_t)).toBe(true);
  const stored = sim.n_frames + 1 - Math.max(0, sim.start_frame);
  expect(stored >= LIMITS.minStoredFrames && stored * sim.n_neurons <= LIMITS.maxActivityValues).toBe(true);
  expect(config.training.batch_size >= 1 && config.training.batch_size <= LIMITS.maxBatchSize).toBe(true);
  expect(config.training.n_epochs >= 1 && config.training.learning_rate_W_start >= 0).toBe(true);
  for (const k of ["xlim", "mlp0_xlim", "mlp0_ylim", "mlp1_xlim", "mlp1_ylim"] as const) {
    const [lo, hi] = config.plotting[k];
    expect(lo < hi).toBe(true);
  }
}

describe("config loading under random input (property tests)", () => {
  it("random YAML text and random mappings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => loadsOrExplains(text)),
      { numRuns: 150 },
    );
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...SECTIONS, "dataset", "zarr", "other"), yamlValue), (doc) =>
        loadsOrExplains(stringify(doc)),
      ),
      { numRuns: 150 },
    );
  });

  it("random values for known keys of a valid config", () => {
    const key = fc
      .constantFrom(...SECTIONS)
      .chain((section) => fc.tuple(fc.constant(section), fc.constantFrom(...knownKeys([section]))));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, yamlValue), { minLength: 1, maxLength: 4 }), (changes) => {
        const doc = structuredClone(BASE);
        for (const [[section, k], v] of changes) doc[section][k] = v;
        loadsOrExplains(stringify(doc));
      }),
      { numRuns: 300 },
    );
  });

  it("random --set overrides", () => {
    const text = stringify(BASE);
    const known = fc
      .constantFrom(...SECTIONS)
      .chain((section) => fc.constantFrom(...knownKeys([section])).map((k) => `${section}.${k}`));
    const keyPath = fc.oneof(known, fc.string({ maxLength: 15 }), fc.constantFrom("simulation", "simulation.n_neurons.x", ""));
    const valueText = fc.oneof(
      fc.string({ maxLength: 15 }),
      yamlValue.map((v) => stringify(v).trim()),
      fc.constantFrom("[", "{a: 1", "- x", "0x10", "1e9", "-5", ".nan"),
    );
    const override = fc.oneof(
      fc.tuple(keyPath, valueText).map(([k, v]) => `${k}=${v}`),
      fc.string({ maxLength: 20 }),
    );
    fc.assert(
      fc.property(fc.array(override, { minLength: 1, maxLength: 3 }), (overrides) => loadsOrExplains(text, overrides)),
      { numRuns: 300 },
    );
  });
});
