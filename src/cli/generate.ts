/**
 * `neural-gnn generate [config]`: simulate the config's true system into runs/<name>/data/ and draw
 * Fig 2b (activity traces), Fig 2c (true W) and the eigenvalue spectrum of W into runs/<name>/figures/.
 * An existing dataset is kept (its figures are redrawn) unless --force.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { eigenvalues, spectralRadius } from "../analysis/eigen.js";
import type { LoadedConfig } from "../config/load.js";
import { Rng, STREAMS } from "../core/rng.js";
import { writeFileAtomic } from "../io/atomic.js";
import { readNpy, readNpyRows } from "../io/npy.js";
import { activityTraces } from "../plot/activity.js";
import { externalInputPanel } from "../plot/external-input.js";
import { connectivityHeatmap } from "../plot/heatmap.js";
import { eigenSpectrum } from "../plot/spectrum.js";
import { setAsideDerived } from "../run-folder/supersede.js";
import { signalModel } from "../signal/registry.js";
import { DATASET_FILES, readDatasetMeta } from "../simulate/dataset.js";
import { generate } from "../simulate/generate.js";
import { type RunContext, onRunFolder } from "./command.js";
import { datasetFingerprint } from "./dataset.js";
import { figureSaver } from "./figures.js";
import { packageVersion } from "./paths.js";
import { ProgressBar } from "./progress.js";

export interface GenerateCommandOptions {
  set?: string[];
  /** A training recipe (train/recipes.ts): its overrides come before --set. */
  recipe?: string;
  runs: string;
  force?: boolean;
  threads?: number;
  quiet?: boolean;
}

/** Largest N for which the eigenvalue spectrum is computed (O(N³) in plain TypeScript). */
const MAX_EIGEN_N = 3000;

export async function generateCommand(configFile: string | undefined, opts: GenerateCommandOptions): Promise<void> {
  await onRunFolder(configFile, opts, (c) => generateRun(c, opts));
}

async function generateRun({ loaded, paths, configFile, log }: RunContext, opts: GenerateCommandOptions): Promise<void> {
  const sim = loaded.config.simulation;
  log(`config ${loaded.file}${configFile ? "" : " (embedded quick default)"}`);
  log(`run folder ${paths.root}`);

  let W: Float32Array;
  let traceX: Float32Array[];
  const N = sim.n_neurons;
  if (existsSync(join(paths.data, DATASET_FILES.meta)) && !opts.force) {
    log(`dataset exists at ${paths.data}: keeping it and redrawing its figures (use --force to regenerate)`);
    const meta = readDatasetMeta(paths.data);
    if (meta.n_neurons !== N)
      throw new Error(
        `${paths.data}: dataset has ${meta.n_neurons} neurons but the config says ${N} (use --force to regenerate)`,
      );
    W = readNpy(join(paths.data, DATASET_FILES.connectivity)).data as Float32Array;
    const frames = Math.min(10001, meta.n_frames);
    const rows = readNpyRows(join(paths.data, DATASET_FILES.activity), 0, frames).data;
    const neurons = new Rng(sim.seed, STREAMS.plotSample).choose(N, Math.min(100, N));
    traceX = neurons.map((i) => Float32Array.from({ length: frames }, (_, t) => rows[t * N + i]));
  } else {
    const warmup = Math.max(0, -sim.start_frame);
    const bar = new ProgressBar("simulate", warmup + sim.n_frames + 1, "frames", process.stderr, !opts.quiet);
    const before = existsSync(join(paths.data, DATASET_FILES.meta)) ? datasetFingerprint(paths.data) : undefined;
    const result = await generate(loaded, {
      model: signalModel(loaded.config, loaded.file),
      outDir: paths.data,
      force: opts.force,
      threads: opts.threads,
      onProgress: (d, t) => bar.update(d, ""),
      version: packageVersion(),
    });
    // A different dataset invalidates what was derived from the old one; an identical one (same config and seed) does not.
    const aside = before !== undefined && before !== datasetFingerprint(paths.data) ? setAsideDerived(paths) : undefined;
    if (aside) log(`the dataset changed: the training, results and figures of the old one were moved to ${aside}`);
    const s = result.meta.stats;
    log(
      `simulated ${result.meta.n_frames} frames × ${N} neurons in ${result.seconds.toFixed(1)} s` +
        (s ? ` — std(x) ${s.x_std.toFixed(3)}, std(dx/dt) ${s.dxdt_std.toFixed(3)}, max|x| ${s.x_absmax.toFixed(1)}` : ""),
    );
    W = result.W;
    traceX = result.traces.x;
  }
  writeFileAtomic(paths.config, stringify(loaded.config));
  await drawGenerateFigures(loaded, paths.figures, W, traceX, log);
  await drawExternalInput(paths.data, paths.figures, log);
  log(`dataset: ${paths.data}`);
}

async function drawGenerateFigures(
  loaded: LoadedConfig,
  dir: string,
  W: Float32Array,
  traces: Float32Array[],
  log: (s: string) => void,
): Promise<void> {
  const N = loaded.config.simulation.n_neurons;
  const figures = figureSaver(dir, log);
  await figures.save("fig2b_activity", () => activityTraces(traces, { title: `activity x_i of ${traces.length} neurons` }));
  await figures.save("fig2c_connectivity_true", () => connectivityHeatmap(W, N, { title: "true connectivity W" }));
  if (N <= MAX_EIGEN_N) {
    const e = eigenvalues(W, N);
    const rho = spectralRadius(e.re, e.im);
    const g = signalModel(loaded.config, loaded.file).correctionGain(loaded.config.simulation.params);
    log(`spectral radius of W: ${rho.toFixed(4)} (g·ρ(W) = ${(g * rho).toFixed(2)})`);
    await figures.save("eigenvalues", () => eigenSpectrum(e.re, e.im));
  } else {
    log(`eigenvalue spectrum skipped: N = ${N} > ${MAX_EIGEN_N}`);
  }
  log(figures.summary());
}

/** Fig 3a: Ω of the input neurons at frames 0, T/4, T/2, 3T/4, when the dataset has an external input. */
async function drawExternalInput(dataDir: string, dir: string, log: (s: string) => void): Promise<void> {
  const meta = readDatasetMeta(dataDir);
  const n = meta.external_input?.n_input_neurons;
  const w = Math.round(Math.sqrt(n ?? 0));
  if (!n) return;
  if (w * w !== n) {
    log(`fig3a_external_input skipped: ${n} input neurons are not a square grid`);
    return;
  }
  const path = join(dataDir, DATASET_FILES.externalInput);
  const frames = [0, 1, 2, 3].map((q) => Math.floor((q * (meta.n_frames - 1)) / 4));
  const rows = frames.map((k) => ({ k, omega: readNpyRows(path, k, 1).data }));
  const figures = figureSaver(dir, log);
  await figures.save("fig3a_external_input", () => externalInputPanel(rows, w));
  log(figures.summary());
}
