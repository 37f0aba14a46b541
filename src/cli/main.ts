/** The `neural-gnn` command line. */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Command, InvalidArgumentError, Option } from "commander";
import { RECIPES } from "../train/recipes.js";
import { commandLine, withRunLock } from "./command.js";
import { generateCommand } from "./generate.js";
import { packageVersion } from "./paths.js";
import { plotCommand } from "./plot.js";
import { writeReport } from "./report.js";
import { listExperiments, runCommand } from "./run.js";
import { sirenFitCommand } from "./siren-fit.js";
import { testCommand } from "./test.js";
import { trainCommand } from "./train.js";

const collect = (value: string, previous: string[] = []) => [...previous, value];
/** plot's and test's --data: they read the data folder from the training's record. */
const DATA_CHECK = "the dataset folder trained on (default: the training's; another one is an error)";
const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a positive integer");
  return n;
};

/**
 * --threads: a positive integer, capped at the available cores with a warning (each thread is a
 * worker with its own WebAssembly instance: --threads 999 took gigabytes before any work).
 */
export const threadsOption = (value: string): number => {
  const n = positiveInt(value);
  const cores = availableParallelism();
  if (n <= cores) return n;
  process.stderr.write(`neural-gnn: warning: --threads ${value}: only ${cores} cores are available; using ${cores}\n`);
  return cores;
};

/** Most Euler steps of a rollout (`test --steps`): it keeps every step of every neuron, twice. */
export const MAX_STEPS = 100_000;

export const stepsOption = (value: string): number => {
  const n = positiveInt(value);
  if (n > MAX_STEPS)
    throw new InvalidArgumentError(`must be at most ${MAX_STEPS} (the rollout keeps every step of every neuron)`);
  return n;
};

const nonNegativeInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("must be a non-negative integer");
  return n;
};

/** A sub-command taking an optional config, with the options every such command has. */
function configCommand(
  parent: Command,
  name: string,
  description: string,
  configHelp = "config YAML (default: the embedded quick config)",
): Command {
  return parent
    .command(name)
    .description(description)
    .argument("[config]", configHelp)
    .option("--set <section.key=value>", "override a config value (repeatable)", collect, [])
    .option("--runs <dir>", "folder holding run folders", "runs")
    .option("--threads <n>", "compute threads (default and maximum: all cores)", threadsOption)
    .option(
      "--recipe <name>",
      `training recipe: ${Object.keys(RECIPES).join(", ")} (paper: the reference's; default: the config as it is)`,
    )
    .option("-q, --quiet", "no progress output");
}

export function program(): Command {
  const cmd = new Command("neural-gnn")
    .description("Recover connectivity, neuron types and signalling functions of simulated neural assemblies with a GNN")
    .version(packageVersion());
  configCommand(
    cmd,
    "run",
    "a paper experiment or a config through the whole pipeline: generate, train, plot, test, generalisation, report",
    "an experiment id (see --list) or a config YAML (default: the embedded quick config, about a minute)",
  )
    .option("--force", "redo every step even if its outputs exist")
    .option("--list", "list the paper's experiments and exit")
    .addOption(
      new Option("--scale <scale>", "with an experiment id: the paper's configs, or their scaled-down form (minutes)")
        .choices(["paper", "small"])
        .default("paper"),
    )
    .action(async (config: string | undefined, opts) => {
      if (opts.list) process.stdout.write(`${listExperiments()}\n`);
      else await runCommand(config, opts);
    });
  cmd
    .command("report")
    .description("write <run folder>/report.html: every panel, the metrics next to the paper's, config, timings")
    .argument("<run folder>", "e.g. runs/quick")
    .action(async (dir: string) => {
      if (!existsSync(dir)) throw new Error(`${dir}: no such run folder`);
      const log = (s: string) => process.stderr.write(`${s}\n`);
      log(`report: ${await withRunLock(dir, commandLine(), log, () => writeReport(dir))}`);
    });
  configCommand(
    cmd,
    "generate",
    "simulate a config's neural assembly and write its dataset and figures (Fig 2b, 2c, eigenvalues)",
  )
    .option("--force", "replace an existing dataset")
    .action(async (config: string | undefined, opts) => generateCommand(config, opts));
  configCommand(
    cmd,
    "train",
    "train the GNN on a config's dataset (or --data <folder>): checkpoints and metrics in runs/<name>/models/",
  )
    .option("--data <folder>", "train on this dataset folder instead of runs/<name>/data")
    .option("--epochs <n>", "number of epochs (default: training.n_epochs)", positiveInt)
    .option("--iterations-per-epoch <n>", "iterations per epoch (default: the reference's formula)", positiveInt)
    .option("--seed <n>", "training seed (default: training.seed)", nonNegativeInt)
    .addOption(new Option("--backend <name>", "compute backend").choices(["auto", "native", "wasm", "reference"]).default("auto"))
    .option("--resume", "continue the training saved in runs/<name>/models/")
    .option("--force", "discard an earlier training in runs/<name>/models/ and start over")
    .action(async (config: string | undefined, opts) => {
      await trainCommand(config, opts);
    });
  configCommand(cmd, "plot", "evaluate the final checkpoint: Fig 2d–h, training montage (Supp Fig 1), results/metrics.json")
    .option("--checkpoint <file>", "evaluate this checkpoint instead of the final one")
    .option("--data <folder>", DATA_CHECK)
    .action(async (config: string | undefined, opts) => {
      await plotCommand(config, opts);
    });
  configCommand(
    cmd,
    "test",
    "rollout of the trained model against the true system (Supp Fig 2); --new-params: generalisation (Supp Figs 5, 6)",
  )
    .option("--new-params <ff,p0,p1,…>", "modified network: fill fraction and percent per type (repeatable)", collect, [])
    .option("--steps <n>", `Euler steps of the rollout (at most ${MAX_STEPS})`, stepsOption, 1000)
    .option("--checkpoint <file>", "test this checkpoint instead of the final one")
    .option("--data <folder>", DATA_CHECK)
    .action(async (config: string | undefined, opts) => {
      await testCommand(config, opts);
    });
  const positiveNumber = (value: string) => {
    const x = Number(value);
    if (!(x > 0 && Number.isFinite(x))) throw new InvalidArgumentError("must be a positive number");
    return x;
  };
  cmd
    .command("siren-fit")
    .description("fit the SIREN Ω* alone to the Figure 3 video and score it as Fig 3e (R² on the √ scale)")
    .option("--out <dir>", "output folder", "runs/siren-fit")
    .option("--video <tif>", "the video (default: data/video_bisons_32.tif)")
    .option("--iterations <n>", "Adam steps", positiveInt, 10000)
    .option("--lr <x>", "learning rate", positiveNumber, 1e-4)
    .option("--batch <n>", "frames per step", positiveInt, 1)
    .option("--downsample <k>", "k×k block means of the video (1: 32×32, 2: 16×16, 4: 8×8)", positiveInt, 1)
    .option("--hidden <n>", "hidden width (hidden_dim_nnr_f)", positiveInt, 128)
    .option("--layers <n>", "hidden sine layers after the first (n_layers_nnr_f)", positiveInt, 5)
    .option("--omega0 <x>", "ω₀ (omega_f)", positiveNumber, 30)
    .option("--n-frames <n>", "n_frames: time input k/n_frames, page ⌊256·k/n_frames⌋", positiveInt, 50000)
    .option("--seed <n>", "seed of the initialisation and the frame draws", nonNegativeInt, 42)
    .option("--threads <n>", "compute threads (default and maximum: all cores)", threadsOption)
    .option("-q, --quiet", "no progress output")
    .action(async (opts) => sirenFitCommand(opts));
  return cmd;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (e) {
    process.stderr.write(`neural-gnn: error: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}
