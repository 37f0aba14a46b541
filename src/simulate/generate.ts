/**
 * `generate`: simulate the true system of a config and write the dataset folder, streaming frames
 * to disk chunk by chunk (never a second copy of the activity in memory). The folder is written
 * under a temporary name and renamed into place at the end, so an existing dataset is only ever
 * replaced by a complete one (and only with `force`).
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { type LoadedConfig, requireImplemented } from "../config/load.js";
import { Rng, STREAMS } from "../core/rng.js";
import { writeFileAtomic } from "../io/atomic.js";
import { NpyWriter, writeNpy } from "../io/npy.js";
import {
  type ConnectivityType,
  applyDaleLaw,
  applyFillingFactor,
  countNonZero,
  drawConnectivity,
  loadConnectivity,
} from "./connectivity.js";
import { DATASET_FILES, DATASET_FORMAT, DATASET_VERSION, type DatasetMeta, StatsAccumulator, firstNonFinite } from "./dataset.js";
import { type PdeN2Engine, openPdeN2Engine } from "./engine.js";
import { externalInputOf } from "./external-input.js";
import { PDE_N2_SIMULATION, type SimulationModel, neuronTypes, requireParams } from "./neurons.js";

export interface GenerateOptions {
  /** Dataset folder to write. */
  outDir: string;
  /** Replace an existing dataset. */
  force?: boolean;
  threads?: number;
  /** Frames per chunk written to disk (default 1000). */
  chunkFrames?: number;
  /** Called after each chunk with (frames done, total frames incl. warm-up). */
  onProgress?: (done: number, total: number) => void;
  /** Number of activity traces kept for Fig 2b (default 100) and frames per trace (default 10,001). */
  traces?: { count: number; frames: number };
  version?: string;
  /**
   * The signal model of graph_model.signal_model_name (SignalModel: signal/registry.ts); default
   * PDE_N2. A config naming another model is refused without it.
   */
  model?: SimulationModel;
}

export interface GenerateResult {
  meta: DatasetMeta;
  W: Float32Array;
  types: Int32Array;
  /** Sampled traces for Fig 2b: neuron indices and x [count][frames]. */
  traces: { neurons: number[]; x: Float32Array[] };
  seconds: number;
}

/** Resolve the connectivity file named in a config (relative paths against the config's folder). */
export function connectivityPath(loaded: LoadedConfig): string | undefined {
  const f = loaded.config.simulation.connectivity_file;
  if (!f) return undefined;
  return isAbsolute(f) ? f : resolve(loaded.baseDir, f);
}

/**
 * The true W of a config: loaded, or drawn and then masked by the filling factor (a Bernoulli(ff)
 * mask, non-zeros not rescaled); then Dale's law. A loaded matrix is never masked again: the
 * reference's shipped sparse matrices are already masked (its regeneration masks them a second
 * time, spec pdeN2-variants §3; we do not reproduce that).
 */
export function buildConnectivity(loaded: LoadedConfig): { W: Float32Array; source: string } {
  const sim = loaded.config.simulation;
  const N = sim.n_neurons;
  const file = connectivityPath(loaded);
  let W: Float32Array;
  let source: string;
  if (file) {
    if (!existsSync(file)) throw new Error(`${loaded.file}: simulation.connectivity_file not found: ${file}`);
    W = loadConnectivity(file, N);
    source = `file:${basename(file)}`;
  } else {
    W = drawConnectivity(sim.connectivity_type as ConnectivityType, N, sim.seed);
    source = `${sim.connectivity_type}(seed ${sim.seed})`;
    if (sim.connectivity_filling_factor !== 1) applyFillingFactor(W, sim.connectivity_filling_factor, sim.seed);
  }
  for (let i = 0; i < N; i++) W[i * N + i] = 0;
  if (sim.Dale_law) applyDaleLaw(W, N, sim.Dale_law_factor);
  return { W, source };
}

/** Simulate `loaded` and write its dataset folder. */
export async function generate(loaded: LoadedConfig, options: GenerateOptions): Promise<GenerateResult> {
  const { config } = loaded;
  requireImplemented(config, loaded.file);
  const model = options.model ?? PDE_N2_SIMULATION;
  if (config.graph_model.signal_model_name !== model.name) {
    throw new Error(
      `${loaded.file}: graph_model.signal_model_name is ${JSON.stringify(config.graph_model.signal_model_name)}, the simulation given is ${model.name}`,
    );
  }
  const sim = config.simulation;
  requireParams(model, sim, loaded.file);
  const N = sim.n_neurons;
  const K = sim.n_neuron_types;
  const dt = sim.delta_t;
  const outDir = resolve(options.outDir);
  if (existsSync(outDir) && readdirSync(outDir).length > 0 && !options.force) {
    const what = existsSync(join(outDir, DATASET_FILES.meta)) ? "a dataset already exists" : "the folder is not empty";
    throw new Error(`${outDir}: ${what} (use --force to replace it)`);
  }
  const warmup = Math.max(0, -sim.start_frame);
  const saved = sim.n_frames + 1 - Math.max(0, sim.start_frame);
  if (saved < 2) throw new Error(`${loaded.file}: simulation.n_frames must be at least 1`);
  const chunk = Math.max(1, Math.min(options.chunkFrames ?? 1000, saved));
  const t0 = performance.now();

  const { W, source } = buildConnectivity(loaded);
  const types = neuronTypes(N, K);
  const p = model.neuronParams(types, sim.params);
  const x0 = new Float32Array(N);
  new Rng(sim.seed, STREAMS.initialState).fillNormal(x0, 5);
  const noiseRng = sim.noise_model_level > 0 ? new Rng(sim.seed, STREAMS.processNoise) : undefined;
  // Figure 3: Ω_i(k) multiplies neuron i's message (0 during the warm-up); stored for the inputs.
  const input = externalInputOf(loaded);

  const nTraces = Math.min(options.traces?.count ?? 100, N);
  const traceFrames = Math.min(options.traces?.frames ?? 10001, saved);
  const traceNeurons = new Rng(sim.seed, STREAMS.plotSample).choose(N, nTraces);
  const traces = traceNeurons.map(() => new Float32Array(traceFrames));

  const parent = dirname(outDir);
  mkdirSync(parent, { recursive: true });
  const tmpDir = join(parent, `.${basename(outDir)}.tmp-${process.pid}-${Date.now().toString(36)}`);
  mkdirSync(tmpDir);
  const own = model.integrator;
  const engine: Pick<PdeN2Engine, "threads" | "integrator" | "close"> = own
    ? { threads: 1, integrator: own.bind(model), close: async () => {} }
    : await openPdeN2Engine(N, options.threads);
  const writers: NpyWriter[] = [];
  try {
    const integ = engine.integrator(W, p, x0, chunk, dt, sim.noise_model_level, input !== undefined);
    const total = warmup + saved;
    const fillNoise = (frames: number) => {
      if (noiseRng) noiseRng.fillNormal(integ.noiseBuffer(frames));
    };
    /** Ω of frames k0 … k0 + frames − 1 into the integrator (frame k < 0: the warm-up). */
    const fillInput = (k0: number, frames: number) => {
      if (!input) return;
      const O = integ.omegaBuffer(frames);
      for (let f = 0; f < frames; f++) input.fill(k0 + f, O.subarray(f * N, (f + 1) * N));
    };
    let done = 0;
    for (let k = 0; k < warmup; k += chunk) {
      const n = Math.min(chunk, warmup - k);
      fillNoise(n);
      fillInput(k - warmup, n);
      integ.run(n, false);
      done += n;
      options.onProgress?.(done, total);
    }
    const warm = integ.state();
    for (let i = 0; i < N; i++) {
      if (!Number.isFinite(warm[i])) throw new Error(`simulation diverged during warm-up: x[${i}] = ${warm[i]} (non-finite)`);
    }
    const xw = new NpyWriter(join(tmpDir, DATASET_FILES.activity), "<f4", [saved, N]);
    writers.push(xw);
    const yw = new NpyWriter(join(tmpDir, DATASET_FILES.derivative), "<f4", [saved, N]);
    writers.push(yw);
    const ow = input && new NpyWriter(join(tmpDir, DATASET_FILES.externalInput), "<f4", [saved, input.nInput]);
    if (ow) writers.push(ow);
    const first = Math.max(0, sim.start_frame);
    const stats = new StatsAccumulator(types, K);
    for (let f0 = 0; f0 < saved; f0 += chunk) {
      const n = Math.min(chunk, saved - f0);
      fillNoise(n);
      fillInput(first + f0, n);
      if (ow && input) {
        // The input neurons' columns of Ω [n, N] → [n, n_input].
        const O = integ.omegaBuffer(n);
        const rows = new Float32Array(n * input.nInput);
        for (let f = 0; f < n; f++) rows.set(O.subarray(f * N, f * N + input.nInput), f * input.nInput);
        ow.write(rows);
      }
      integ.run(n, true);
      const X = integ.framesX(n);
      const Y = integ.framesY(n);
      if (!stats.add(X, Y, n)) {
        const bad = firstNonFinite(X, N) ?? firstNonFinite(Y, N);
        const at = bad ? `frame ${f0 + bad.frame}, neuron ${bad.neuron}` : `frames ${f0}–${f0 + n - 1}`;
        throw new Error(`simulation diverged: non-finite state at ${at} (check delta_t, params and connectivity)`);
      }
      for (let f = f0; f < Math.min(f0 + n, traceFrames); f++) {
        const o = (f - f0) * N;
        for (let k = 0; k < nTraces; k++) traces[k][f] = X[o + traceNeurons[k]];
      }
      xw.write(X);
      yw.write(Y);
      done += n;
      options.onProgress?.(done, total);
    }
    xw.close();
    yw.close();
    ow?.close();
    writers.length = 0;
    writeNpy(join(tmpDir, DATASET_FILES.types), types, [N]);
    writeNpy(join(tmpDir, DATASET_FILES.connectivity), W, [N, N]);
    const seconds = (performance.now() - t0) / 1000;
    const meta: DatasetMeta = {
      format: DATASET_FORMAT,
      version: DATASET_VERSION,
      n_neurons: N,
      n_frames: saved,
      delta_t: dt,
      model: config.graph_model.signal_model_name,
      params: sim.params.slice(0, K),
      n_neuron_types: K,
      seed: sim.seed,
      start_frame: sim.start_frame,
      noise_model_level: sim.noise_model_level,
      connectivity: {
        source,
        filling_factor: sim.connectivity_filling_factor,
        Dale_law: sim.Dale_law,
        non_zeros: countNonZero(W),
      },
      ...(input
        ? {
            external_input: {
              type: "visual" as const,
              mode: "multiplicative" as const,
              n_input_neurons: input.nInput,
              source: input.source,
            },
          }
        : {}),
      stats: stats.result(),
      generator: { name: "neural-gnn", version: options.version ?? "", seconds, threads: engine.threads },
    };
    writeFileAtomic(join(tmpDir, DATASET_FILES.meta), `${JSON.stringify(meta, null, 2)}\n`);
    replaceDir(tmpDir, outDir);
    return { meta, W, types, traces: { neurons: traceNeurons, x: traces }, seconds };
  } catch (e) {
    for (const w of writers) w.abort();
    rmSync(tmpDir, { recursive: true, force: true });
    throw e;
  } finally {
    await engine.close();
  }
}

/** Move `src` to `dst`, replacing an existing `dst` only once `src` is complete. */
function replaceDir(src: string, dst: string): void {
  if (existsSync(dst)) {
    const old = `${dst}.old-${process.pid}-${Date.now().toString(36)}`;
    renameSync(dst, old);
    renameSync(src, dst);
    rmSync(old, { recursive: true, force: true });
  } else {
    renameSync(src, dst);
  }
}
