/**
 * `neural-gnn train [config]`: train the GNN on the dataset of runs/<name>/data (or --data <folder>)
 * with the config's model and training settings; checkpoints, metrics.jsonl and training.json go to
 * runs/<name>/models/. Ctrl-C saves the state; --resume continues it.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { stringify } from "yaml";
import { requireTrainable } from "../config/load.js";
import { writeFileAtomic } from "../io/atomic.js";
import { clearTrainingOutputs, hasTrainingOutputs } from "../run-folder/checkpoints.js";
import { epochIterations } from "../run-folder/files.js";
import { MODEL_FILES } from "../run-folder/layout.js";
import { requireLossTerms, signalModel } from "../signal/registry.js";
import { DATASET_FILES } from "../simulate/dataset.js";
import { loadTrainingData } from "../train/data.js";
import { recipeOf } from "../train/recipes.js";
import { batchSizeOf, makeSchedule } from "../train/schedule.js";
import { type TrainResult, train } from "../train/trainer.js";
import { type BackendChoice, makeBackend } from "./backend.js";
import { type RunContext, onRunFolder } from "./command.js";
import { dataPathFor, datasetFingerprint } from "./dataset.js";
import { packageVersion } from "./paths.js";
import { ProgressBar } from "./progress.js";

export interface TrainCommandOptions {
  set?: string[];
  /** A training recipe (train/recipes.ts): its overrides come before --set. */
  recipe?: string;
  runs: string;
  data?: string;
  epochs?: number;
  iterationsPerEpoch?: number;
  threads?: number;
  backend?: BackendChoice;
  seed?: number;
  resume?: boolean;
  force?: boolean;
  quiet?: boolean;
}

export async function trainCommand(configFile: string | undefined, opts: TrainCommandOptions): Promise<TrainResult> {
  return onRunFolder(configFile, opts, (c) => trainRun(c, opts));
}

async function trainRun({ loaded, paths, configFile, log }: RunContext, opts: TrainCommandOptions): Promise<TrainResult> {
  requireTrainable(loaded.config, loaded.file);
  const model = signalModel(loaded.config, loaded.file);
  requireLossTerms(model, loaded.config, loaded.file);
  const config = loaded.config;
  const t = config.training;
  const dataDir = opts.data ?? paths.data;
  if (!existsSync(join(dataDir, DATASET_FILES.meta))) {
    throw new Error(
      opts.data
        ? `${dataDir}: no ${DATASET_FILES.meta} (not a dataset folder)`
        : `no dataset at ${dataDir}: run "neural-gnn generate${configFile ? ` ${configFile}` : ""}" first, or pass --data <folder>`,
    );
  }
  log(`config ${loaded.file}${configFile ? "" : " (embedded quick default)"}`);
  const data = loadTrainingData(dataDir);
  if (!opts.data && data.N !== config.simulation.n_neurons) {
    throw new Error(
      `${dataDir}: dataset has ${data.N} neurons but ${loaded.file} says n_neurons = ${config.simulation.n_neurons}`,
    );
  }
  if (data.xStd === 0) log(`warning: ${dataDir}: the activity is constant, so W, φ* and ψ* cannot be identified from it`);
  log(
    `data ${dataDir}: ${data.N} neurons, ${data.nFrames + 1} frames, Δt ${data.deltaT}, dx/dt from ${data.derivative}` +
      `, ground truth: ${[data.W && "W", data.types && "types"].filter(Boolean).join(" and ") || "none"}` +
      `; std(x) ${data.xStd.toFixed(3)}, xnorm ${data.xnorm}`,
  );

  const schedule = makeSchedule(t, data.nFrames, opts.epochs, opts.iterationsPerEpoch);
  const seed = opts.seed ?? t.seed;

  const outDir = paths.models;
  if (opts.resume) {
    if (!existsSync(paths.resume)) throw new Error(`${outDir}: nothing to resume (no ${MODEL_FILES.resume})`);
  } else if (hasTrainingOutputs(outDir)) {
    if (!opts.force) throw new Error(`${outDir} holds an earlier training: use --resume to continue it or --force to start over`);
    clearTrainingOutputs(outDir);
  }

  const shape = model.modelShape(data.N, config.graph_model);
  const { backend, engine } = await makeBackend(opts.backend ?? "auto", opts.threads, data.N, [shape.psi, shape.phi], log);
  const B0 = batchSizeOf(0, schedule, t);
  const batch = B0 === schedule.batchSize ? `${B0}` : `${schedule.batchSize} (epoch 0: ${B0})`;
  const first = schedule.firstEpochIterations;
  const iterations = `${schedule.iterationsPerEpoch} iterations${first === undefined ? "" : ` (epoch 0: ${first})`}`;
  log(`training: ${schedule.epochs} epochs × ${iterations}, batch ${batch}, seed ${seed}, backend ${backend.name}`);
  let stop = false;
  const onSigint = () => {
    if (stop) process.exit(130);
    stop = true;
    log("\nstopping after this iteration (Ctrl-C again to quit without saving)…");
  };
  process.on("SIGINT", onSigint);
  let bar: ProgressBar | undefined;
  try {
    mkdirSync(outDir, { recursive: true });
    writeFileAtomic(join(outDir, MODEL_FILES.config), stringify(config));
    const result = await train({
      config,
      model,
      data,
      backend,
      outDir,
      schedule,
      seed,
      resume: opts.resume,
      shouldStop: () => stop,
      log: (s) => {
        bar?.interrupt();
        log(s);
      },
      onEpochStart: (epoch, s) => {
        bar = new ProgressBar(
          `epoch ${epoch} [${epoch + 1}/${s.epochs}]`,
          epochIterations(s, epoch),
          "it",
          process.stderr,
          !opts.quiet,
        );
      },
      onProgress: (p) =>
        bar?.update(p.iteration, `loss ${p.loss.toFixed(3)}${p.W_r2 === null ? "" : ` R² ${p.W_r2.toFixed(3)}`}`),
      info: {
        config: loaded.file,
        recipe: recipeOf(t),
        data: dataPathFor(paths.root, resolve(dataDir)),
        data_fingerprint: datasetFingerprint(dataDir),
        backend: backend.name,
        version: packageVersion(),
      },
    });
    const r = result.lastRecording;
    if (result.interrupted) {
      log(`stopped at epoch ${result.epoch}, iteration ${result.iteration}: run again with --resume to continue`);
      process.exitCode = 130;
    } else {
      log(
        `training done: ${result.totalIterations} iterations in ${result.seconds.toFixed(1)} s` +
          (r?.W_r2 != null ? `, W R² ${r.W_r2.toFixed(4)}` : ""),
      );
    }
    log(`models: ${outDir}`);
    return result;
  } finally {
    process.off("SIGINT", onSigint);
    await engine?.close();
  }
}
