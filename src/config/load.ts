/**
 * Config loading: YAML text → validated `Config`, with errors that name file:line:col and, for an
 * unknown key, the closest known key. `--set section.key=value` overrides are applied before
 * validation.
 */
import { readFileSync } from "node:fs";
import { basename, dirname, extname, resolve } from "node:path";
import { type Document, LineCounter, isMap, isScalar, isSeq, parseDocument, parse as parseYaml } from "yaml";
import type { ZodIssue } from "zod";
import { type Config, configSchema, knownKeys } from "./schema.js";

export class ConfigError extends Error {
  override name = "ConfigError";
}

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the file, or "<embedded:NAME>" for a built-in config. */
  file: string;
  /** Config name: the file's base name without extension (names the run folder). */
  name: string;
  /** Folder against which relative paths in the config (connectivity_file) resolve. */
  baseDir: string;
}

/** Load and validate a config file. `overrides` are "section.key=value" strings. */
export function loadConfig(file: string, overrides: readonly string[] = []): LoadedConfig {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError(`${file}: cannot read config file (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  return {
    config: parseConfig(text, file, overrides),
    file: path,
    name: basename(path, extname(path)),
    baseDir: dirname(path),
  };
}

/** Parse and validate YAML `text`; `file` is used in messages only. */
export function parseConfig(text: string, file: string, overrides: readonly string[] = []): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
    const where = `${file}:${pos.line}:${pos.col}`;
    throw new ConfigError(`${where}: malformed YAML: ${e.message.split("\n")[0]}`);
  }
  let raw: unknown;
  try {
    // Throws on an alias without its anchor, or on too many aliases (an "alias bomb").
    raw = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    throw new ConfigError(`${file}: malformed YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError(`${file}: a config must be a YAML mapping with sections simulation, graph_model, plotting, training`);
  }
  // Keys set by --set: their errors name the override, not the file's line (whose value was replaced).
  const overridden = new Map<string, string>();
  for (const o of overrides) overridden.set(applyOverride(raw as Record<string, unknown>, o).join("."), o);
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  const ctx: IssueContext = { doc, lc: lineCounter, file, raw, overridden };
  const messages = result.error.issues.slice(0, 5).map((issue) => describeIssue(issue, ctx));
  const more = result.error.issues.length > 5 ? `\n  … and ${result.error.issues.length - 5} more` : "";
  throw new ConfigError(messages.join("\n") + more);
}

interface IssueContext {
  doc: Document;
  lc: LineCounter;
  file: string;
  /** The config object that was validated (after overrides). */
  raw: unknown;
  /** "section.key" → the --set text that replaced it. */
  overridden: ReadonlyMap<string, string>;
}

/** Issue codes whose message reads better with the offending value: "n_neurons = -5: must be ≥ 1". */
const SHOW_VALUE = new Set(["invalid_type", "too_small", "too_big", "not_finite", "not_multiple_of"]);

function describeIssue(issue: ZodIssue, ctx: IssueContext): string {
  const { doc, lc, file } = ctx;
  if (issue.code === "unrecognized_keys") {
    return issue.keys
      .map((key) => {
        const where = locate(doc, lc, [...issue.path, key], true) ?? locate(doc, lc, issue.path, false);
        const section = issue.path.length ? issue.path.join(".") : "top level";
        const hint = closest(key, knownKeys(issue.path));
        return `${file}${where}: unknown key "${key}" in ${section}${hint ? ` (did you mean "${hint}"?)` : ""}`;
      })
      .join("\n");
  }
  const key = issue.path.join(".") || "(top level)";
  const value = valueAt(ctx.raw, issue.path);
  if (issue.code === "invalid_type" && issue.received === "undefined") {
    return `${file}${locate(doc, lc, issue.path.slice(0, -1), false) ?? ""}: missing required key "${key}"`;
  }
  const message =
    SHOW_VALUE.has(issue.code) && value !== undefined ? `${key} = ${show(value)}: ${issue.message}` : `${key}: ${issue.message}`;
  const own = overrideOf(ctx.overridden, issue.path);
  if (own) return `--set ${own}: ${message}${emptyHint(own)}`;
  // A check between keys (custom issue) lists the other keys involved: name an override among them.
  const related = (issue.code === "custom" ? ((issue.params?.related as string[] | undefined) ?? []) : []).map((k) => [
    ...issue.path.slice(0, -1),
    k,
  ]);
  const other = related.map((p) => overrideOf(ctx.overridden, p)).find((o) => o !== undefined);
  const where = locate(doc, lc, issue.path, false) ?? locate(doc, lc, issue.path.slice(0, -1), false) ?? "";
  return `${file}${where}: ${message}${other ? ` (with --set ${other})` : ""}`;
}

/** For `--set key=` (YAML reads nothing as null): how to write an empty string; else "". */
function emptyHint(override: string): string {
  const eq = override.indexOf("=");
  if (override.slice(eq + 1).trim() !== "") return "";
  return ` (an empty value is null; for an empty string write --set '${override.slice(0, eq)}=""')`;
}

/** The --set text that replaced `path` or one of its ancestors, if any. */
function overrideOf(overridden: ReadonlyMap<string, string>, path: readonly (string | number)[]): string | undefined {
  for (let n = path.length; n > 0; n--) {
    const o = overridden.get(path.slice(0, n).join("."));
    if (o !== undefined) return o;
  }
  return undefined;
}

function valueAt(obj: unknown, path: readonly (string | number)[]): unknown {
  let v = obj;
  for (const p of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

/** A value as written in a message (strings quoted, long values cut). */
function show(v: unknown): string {
  let text: string;
  try {
    text = typeof v === "number" ? String(v) : (JSON.stringify(v) ?? String(v));
  } catch {
    text = String(v);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** ":line:col" of the key (keyNode) or value at `path`, or undefined when it is not in the file. */
function locate(doc: Document, lc: LineCounter, path: readonly (string | number)[], keyNode: boolean): string | undefined {
  if (path.length === 0) return undefined;
  let node: unknown = doc.contents;
  for (let i = 0; i < path.length; i++) {
    if (isSeq(node) && typeof path[i] === "number") {
      node = node.items[path[i] as number];
      if (node === undefined) return undefined;
      continue;
    }
    if (!isMap(node)) return undefined;
    const pair = node.items.find((p) => isScalar(p.key) && p.key.value === path[i]);
    if (!pair) return undefined;
    if (i === path.length - 1 && keyNode) node = pair.key;
    else node = pair.value;
  }
  const range = (node as { range?: [number, number, number] } | null)?.range;
  if (!range) return undefined;
  const { line, col } = lc.linePos(range[0]);
  return `:${line}:${col}`;
}

/** Apply "section.key=value" (value parsed as YAML) to the raw config object; returns the key path. */
export function applyOverride(raw: Record<string, unknown>, override: string): string[] {
  const eq = override.indexOf("=");
  if (eq <= 0) throw new ConfigError(`--set ${override}: expected section.key=value`);
  const keyPath = override.slice(0, eq).trim().split(".");
  let value: unknown;
  try {
    value = parseYaml(override.slice(eq + 1));
  } catch (e) {
    throw new ConfigError(`--set ${override}: cannot parse value (${(e as Error).message.split("\n")[0]})`);
  }
  let obj = raw;
  for (let i = 0; i < keyPath.length; i++) {
    const k = keyPath[i];
    const known = knownKeys(keyPath.slice(0, i));
    if (!known.includes(k)) {
      const hint = closest(k, known);
      throw new ConfigError(
        `--set ${override}: unknown key "${keyPath.slice(0, i + 1).join(".")}"${hint ? ` (did you mean "${hint}"?)` : ""}`,
      );
    }
    if (i === keyPath.length - 1) {
      obj[k] = value;
    } else {
      if (obj[k] === undefined || obj[k] === null) obj[k] = {};
      if (typeof obj[k] !== "object" || Array.isArray(obj[k])) {
        throw new ConfigError(`--set ${override}: "${keyPath.slice(0, i + 1).join(".")}" is not a mapping in the config`);
      }
      obj = obj[k] as Record<string, unknown>;
    }
  }
  return keyPath;
}

/** The known key closest to `key` (edit distance, case-insensitive), if reasonably close. */
export function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/**
 * Simulation features this implementation supports so far; anything else fails with "not
 * implemented yet". The signal model (graph_model.signal_model_name) and its simulation.params
 * are checked by the model (signal/registry.ts: signalModel).
 */
export function requireImplemented(config: Config, file: string): void {
  const sim = config.simulation;
  const fail = (what: string) => {
    throw new ConfigError(`${file}: ${what} is not implemented yet`);
  };
  if (!["Lorentz", "Gaussian", "uniform"].includes(sim.connectivity_type) && !sim.connectivity_file) {
    fail(`simulation.connectivity_type: ${JSON.stringify(sim.connectivity_type)} (supported: Lorentz, Gaussian, uniform)`);
  }
  if (sim.external_input_type !== "none") requireExternalInput(config, file);
  if (sim.phi !== "tanh") fail(`simulation.phi: ${JSON.stringify(sim.phi)} (supported: tanh)`);
  if (config.training.measurement_noise_level > 0) fail("training.measurement_noise_level > 0");
  if (sim.shuffle_neuron_types) fail("simulation.shuffle_neuron_types");
}

/**
 * The external inputs implemented: Figure 3's, external_input_type "visual" with
 * external_input_mode "multiplicative" on PDE_N4 (simulate/external-input.ts checks the video
 * against n_input_neurons when it reads it).
 */
function requireExternalInput(config: Config, file: string): void {
  const sim = config.simulation;
  const fail = (what: string) => {
    throw new ConfigError(`${file}: ${what} is not implemented yet`);
  };
  if (sim.external_input_type !== "visual")
    fail(`simulation.external_input_type: ${JSON.stringify(sim.external_input_type)} (supported: none, visual)`);
  if (sim.external_input_mode !== "multiplicative") {
    fail(
      `simulation.external_input_mode: ${JSON.stringify(sim.external_input_mode)} with external_input_type "visual" (supported: multiplicative)`,
    );
  }
  const model = config.graph_model.signal_model_name;
  if (model !== "PDE_N4")
    fail(
      `simulation.external_input_type "visual" with graph_model.signal_model_name ${JSON.stringify(model)} (supported: PDE_N4)`,
    );
  if (!(sim.n_input_neurons >= 1 && sim.n_input_neurons <= sim.n_neurons)) {
    throw new ConfigError(
      `${file}: simulation.n_input_neurons = ${sim.n_input_neurons}: the visual input needs 1 to n_neurons (${sim.n_neurons}) input neurons`,
    );
  }
}

/** The methods of plotting.norm_method (the psi* normalisation of the evaluation: analysis/normalise.ts). */
export const PSI_NORM_METHODS = ["max", "median", "mean", "plateau"] as const;

/** Loss coefficients the reference's training of these models never reads: any value is accepted. */
export const INERT_COEFFS: ReadonlySet<string> = new Set([
  "coeff_permutation",
  "coeff_W_L1_rate",
  "coeff_edge_weight_L1_rate",
  "coeff_phi_weight_L1_rate",
  // Acts only with update_type "generic" (its other effect, a forward with return_all, changes no number).
  "coeff_update_diff",
]);

/**
 * Training features this implementation supports; anything else fails with "not implemented yet".
 * The signal model and its loss terms are checked by the model (signal/registry.ts).
 */
export function requireTrainable(config: Config, file: string): void {
  const gm = config.graph_model;
  const t = config.training;
  const fail = (what: string) => {
    throw new ConfigError(`${file}: ${what} is not implemented yet`);
  };
  if (gm.MLP_activation !== "relu") fail(`graph_model.MLP_activation: ${JSON.stringify(gm.MLP_activation)} (supported: relu)`);
  if (gm.lin_edge_positive) fail("graph_model.lin_edge_positive");
  if (gm.aggr_type !== "add") fail(`graph_model.aggr_type: ${JSON.stringify(gm.aggr_type)}`);
  if (gm.update_type !== "none") fail(`graph_model.update_type: ${JSON.stringify(gm.update_type)}`);
  if (gm.prediction !== "first_derivative") fail(`graph_model.prediction: ${JSON.stringify(gm.prediction)}`);
  const flags = [
    "recurrent_training",
    "neural_ODE_training",
    "init_training_single_type",
    "with_connectivity_mask",
    "multi_connectivity",
    "low_rank_factorization",
    "has_missing_activity",
    "denoiser",
    "embedding_trial",
  ] as const;
  for (const f of flags) if (t[f]) fail(`training.${f}`);
  if (t.time_step !== 1) fail(`training.time_step = ${t.time_step}`);
  if (t.batch_ratio !== 1) fail(`training.batch_ratio = ${t.batch_ratio}`);
  if (t.n_ghosts > 0) fail("training.n_ghosts > 0");
  if (t.particle_dropout > 0) fail("training.particle_dropout > 0");
  if (t.measurement_noise_level > 0) fail("training.measurement_noise_level > 0");
  if (t.sparsity !== "none" && t.sparsity !== "replace_embedding_function") {
    fail(`training.sparsity: ${JSON.stringify(t.sparsity)} (supported: none, replace_embedding_function)`);
  }
  if (t.sparsity !== "none" && t.cluster_method !== "distance_plot") {
    fail(`training.cluster_method: ${JSON.stringify(t.cluster_method)} (supported: distance_plot)`);
  }
  // The evaluation's psi* normalisation, refused before a training rather than after it.
  const norm = config.plotting.norm_method;
  if (!(PSI_NORM_METHODS as readonly string[]).includes(norm))
    fail(`plotting.norm_method: ${JSON.stringify(norm)} (supported: ${PSI_NORM_METHODS.join(", ")})`);
  if (t.sparsity !== "none" && t.cluster_connectivity !== "single")
    fail(`training.cluster_connectivity: ${JSON.stringify(t.cluster_connectivity)}`);
}
