/**
 * `neural-gnn run [config | experiment id]`: the paper's notebook pipeline, as its experiment
 * description says (experiments/): generate → train → plot → test (rollout and generalisation) →
 * report, for each of its configs. A step whose outputs exist is skipped unless --force; once a
 * step has run, every later step runs again. An interrupted training is resumed. Step timings go
 * to runs/<name>/run.json. `run --list` lists the experiments.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Experiment, type Step, paperOf } from "../experiments/experiment.js";
import { EXPERIMENTS, experimentById, experimentOfConfig } from "../experiments/registry.js";
import { type Results, type StepTiming, readResults, readTrainingSummary, writeRunTimings } from "../run-folder/files.js";
import { DATASET_FILES } from "../simulate/dataset.js";
import { type RunContext, onRunFolder } from "./command.js";
import { datasetFingerprint } from "./dataset.js";
import { type Scale, configNames, writeExperimentReport } from "./experiment-report.js";
import { num } from "./format.js";
import { generateCommand } from "./generate.js";
import { PACKAGE_ROOT } from "./paths.js";
import { plotCommand } from "./plot.js";
import { formatSeconds, stderrLog } from "./progress.js";
import { writeReport } from "./report.js";
import { testCommand } from "./test.js";
import { trainCommand } from "./train.js";

export interface RunCommandOptions {
  set?: string[];
  /** A training recipe (train/recipes.ts): its overrides come before --set. */
  recipe?: string;
  runs: string;
  force?: boolean;
  threads?: number;
  quiet?: boolean;
  /** With an experiment id: its paper configs (default) or its scaled-down form. */
  scale?: string;
}

/** One line per experiment: id, title and configs. */
export function listExperiments(): string {
  const w = Math.max(...EXPERIMENTS.map((e) => e.id.length));
  return EXPERIMENTS.map((e) => `${e.id.padEnd(w)}  ${e.title} [${e.configs.join(", ")}]`).join("\n");
}

/** A shipped config by name: configs/small/<name>.yaml (scaled-down forms) or configs/<name>.yaml. */
export function shippedConfig(name: string): string {
  const small = join(PACKAGE_ROOT, "configs", "small", `${name}.yaml`);
  return existsSync(small) ? small : join(PACKAGE_ROOT, "configs", `${name}.yaml`);
}

function parseScale(scale: string | undefined, e: Experiment | undefined): Scale {
  if (scale === undefined) return "paper";
  if (scale !== "paper" && scale !== "small") throw new Error(`--scale ${scale}: expected paper or small`);
  if (!e && scale === "small")
    throw new Error("--scale small applies to an experiment id (see run --list), not to a config file");
  return scale;
}

/** Run the pipeline for `target`; returns the report paths (an experiment's summary report last). */
export async function runCommand(target: string | undefined, opts: RunCommandOptions): Promise<string[]> {
  const e = target === undefined ? undefined : experimentById(target);
  const scale = parseScale(opts.scale, e);
  if (!e) {
    if (target !== undefined && !existsSync(target) && !/[./\\]/.test(target)) {
      throw new Error(`${target}: no such config file or experiment (experiments: ${EXPERIMENTS.map((x) => x.id).join(", ")})`);
    }
    return [await runConfig(target, opts)];
  }
  const reports: string[] = [];
  for (const name of configNames(e, scale)) reports.push(await runConfig(shippedConfig(name), opts, e));
  if (e.configs.length > 1 || e.overlay) {
    const log = stderrLog(opts.quiet);
    log(`\n━━ ${e.id}: summary over its ${e.configs.length} configs`);
    const report = await writeExperimentReport(e, scale, opts.runs, log);
    log(`report: ${report}`);
    reports.push(report);
  }
  return reports;
}

async function runConfig(configFile: string | undefined, opts: RunCommandOptions, e?: Experiment): Promise<string> {
  return onRunFolder(configFile, opts, (c) => runSteps(c, opts, e ?? experimentOfConfig(c.loaded.name)));
}

async function runSteps(
  { loaded, paths, configFile, log: out }: RunContext,
  opts: RunCommandOptions,
  experiment: Experiment,
): Promise<string> {
  const common = { set: opts.set, recipe: opts.recipe, runs: opts.runs, threads: opts.threads, quiet: opts.quiet };
  const cases = Object.entries(experiment.generalisation);
  const timings: StepTiming[] = [];
  let redo = Boolean(opts.force);
  const t0 = performance.now();
  const again = `"neural-gnn run${configFile ? ` ${configFile}` : ""}"`;

  /** Each step: header, whether its outputs exist, and what it does. */
  const steps: Record<Step, { title: string; done: () => boolean; action: () => Promise<unknown> }> = {
    generate: {
      title: "simulate the true system (Fig 2b, 2c)",
      done: () => existsSync(join(paths.data, DATASET_FILES.meta)),
      action: () => generateCommand(configFile, { ...common, force: true }),
    },
    train: {
      title: "train the GNN",
      done: () => {
        // Done when complete and trained on the data that is there now.
        const s = readTrainingSummary(paths.summary);
        const sameData =
          s?.data_fingerprint === undefined || s.data_fingerprint === datasetFingerprint(resolve(paths.root, s.data));
        return s !== undefined && s.epochs_done >= s.schedule.epochs && sameData;
      },
      action: async () => {
        // An interrupted training of the same data is continued.
        const resume = !redo && existsSync(paths.resume);
        const result = await trainCommand(configFile, { ...common, force: !resume, resume });
        if (result.interrupted) throw new Error(`training interrupted: run ${again} again to resume it`);
      },
    },
    plot: {
      title: "evaluate the trained model (Fig 2d–h, Supp Fig 1)",
      done: () => readResults(paths.metrics).connectivity !== undefined,
      action: () => plotCommand(configFile, common),
    },
    test: {
      title: `rollout and generalisation (Supp Figs 2${cases.map(([, c]) => `, ${c.label.replace("Supp Fig ", "")}`).join("")})`,
      done: () => {
        const m = readResults(paths.metrics);
        return m.rollout !== undefined && cases.every(([k]) => m.generalisation?.[k] !== undefined);
      },
      action: () => testCommand(configFile, { ...common, newParams: cases.map(([, c]) => c.newParams) }),
    },
  };

  out(`neural-gnn run ${loaded.file}${configFile ? "" : " (embedded quick default)"} → ${paths.root}`);
  for (const name of experiment.steps) {
    const step = steps[name];
    const skip = !redo && step.done();
    out(`\n━━ ${name}: ${step.title}${skip ? " (done: skipped; --force redoes it)" : ""}`);
    const start = performance.now();
    if (!skip) {
      await step.action();
      redo = true;
    }
    timings.push({ step: name, seconds: (performance.now() - start) / 1000, skipped: skip });
  }
  const total = (performance.now() - t0) / 1000;
  writeRunTimings(paths.run, { timings, total_seconds: total });
  out("\n━━ report");
  const report = await writeReport(paths.root);
  out(summaryTable(readResults(paths.metrics), experiment, timings, total, loaded.name));
  out(`report: ${report}`);
  return report;
}

/** "R² at 400 / R² at 800" with 3 decimals. */
const r2Pair = (f: { t400?: { r2: number | null }; t800?: { r2: number | null } } | undefined) =>
  `${num(f?.t400?.r2)} / ${num(f?.t800?.r2)}`;

/** The console summary: the key numbers next to the paper's, and the step times. */
export function summaryTable(m: Results, e: Experiment, timings: StepTiming[], total: number, configName: string): string {
  const paper = paperOf(e, configName);
  const rows: [string, string, string][] = [
    ["W R² (corrected)", num(m.connectivity?.r2), paper.W_r2 ?? "—"],
    ["W slope", num(m.connectivity?.slope), paper.W_slope ?? "—"],
    [
      "clustering accuracy",
      `${num(m.clustering?.accuracy)} (${m.clustering?.n_clusters ?? "—"} clusters)`,
      paper.clustering ?? "—",
    ],
    [
      "clustering at K clusters (ours)",
      m.clustering?.k_fixed ? `${num(m.clustering.accuracy_k_fixed)} (K = ${m.clustering.k_fixed})` : "—",
      "—",
    ],
    [
      "edge F1 truth-free / best (ours)",
      m.edges ? `${num(m.edges.truth_free.f1)} / ${num(m.edges.oracle.f1)} (MCC ${num(m.edges.truth_free.mcc)})` : "—",
      "—",
    ],
    ["φ* RMSE by type", (m.functions?.phi_rmse_by_type ?? []).map((v) => num(v)).join(" / ") || "—", "—"],
    ["rollout R² step 400 / 800", r2Pair(m.rollout), r2Pair(paper.rollout)],
    // Fig 3e: the learned Ω* (training.learn_external_input), "Ω given" when trained with the true Ω.
    ...(paper.external_input || m.external_input
      ? [
          [
            "Ω* R² / slope (√ scale)",
            m.external_input ? `${num(m.external_input.r2)} / ${num(m.external_input.slope)}` : "— (Ω given)",
            paper.external_input ?? "—",
          ] as [string, string, string],
        ]
      : []),
    ...Object.entries(e.generalisation).map(([key, c]): [string, string, string] => [
      `${c.label.replace("Supp Fig", "Supp")} R² step 400 / 800`,
      r2Pair(m.generalisation?.[key]),
      r2Pair(c.paper),
    ]),
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(10, ...rows.map((r) => r[1].length));
  const lines = [
    "",
    `${"".padEnd(w0)}  ${"this run".padEnd(w1)}  paper (${paper.source})`,
    ...rows.map(([a, b, c]) => `${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`),
    "",
    `time: ${timings.map((t) => `${t.step} ${t.skipped ? "skipped" : formatSeconds(t.seconds)}`).join(", ")}; total ${formatSeconds(total)}`,
  ];
  return lines.join("\n");
}
