/**
 * `neural-gnn run [config]`: the whole Figure 2 pipeline, as the paper's notebook: generate → train →
 * plot → test (rollout) → generalisation (Supp Figs 5, 6) → report. A step whose outputs exist is
 * skipped unless --force; once a step has run, every later step runs again. An interrupted training
 * is resumed. Step timings go to runs/<name>/run.json.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../config/load.js";
import { writeFileAtomic } from "../io/atomic.js";
import { DATASET_FILES } from "../simulate/dataset.js";
import { RESUME_FILE, SUMMARY_FILE } from "../train/trainer.js";
import { generateCommand } from "./generate.js";
import { PAPER, num } from "./paper.js";
import { DEFAULT_CONFIG, runPaths } from "./paths.js";
import { plotCommand } from "./plot.js";
import { formatSeconds, stderrLog } from "./progress.js";
import { writeReport } from "./report.js";
import { testCommand } from "./test.js";
import { trainCommand } from "./train.js";

export interface RunCommandOptions {
  set?: string[];
  runs: string;
  force?: boolean;
  threads?: number;
  quiet?: boolean;
}

interface StepTiming {
  step: string;
  seconds: number;
  skipped: boolean;
}

export async function runCommand(configFile: string | undefined, opts: RunCommandOptions): Promise<string> {
  const out = stderrLog(opts.quiet);
  const loaded = loadConfig(configFile ?? DEFAULT_CONFIG, opts.set ?? []);
  const paths = runPaths(opts.runs, loaded.name);
  const metrics = (): MetricsFile => (existsSync(paths.metrics) ? JSON.parse(readFileSync(paths.metrics, "utf8")) : {});
  const trainingDone = () => {
    const p = join(paths.models, SUMMARY_FILE);
    if (!existsSync(p)) return false;
    const s = JSON.parse(readFileSync(p, "utf8"));
    return s.epochs_done >= s.schedule.epochs;
  };
  const common = { set: opts.set, runs: opts.runs, threads: opts.threads, quiet: opts.quiet };
  const timings: StepTiming[] = [];
  let redo = Boolean(opts.force);
  const t0 = performance.now();

  const step = async (name: string, title: string, done: () => boolean, action: () => Promise<unknown>) => {
    const skip = !redo && done();
    out(`\n━━ ${name}: ${title}${skip ? " (done: skipped; --force redoes it)" : ""}`);
    const start = performance.now();
    if (!skip) {
      await action();
      redo = true;
    }
    timings.push({ step: name, seconds: (performance.now() - start) / 1000, skipped: skip });
  };

  out(`neural-gnn run ${loaded.file}${configFile ? "" : " (embedded quick default)"} → ${paths.root}`);
  await step(
    "generate",
    "simulate the true system (Fig 2b, 2c)",
    () => existsSync(join(paths.data, DATASET_FILES.meta)),
    () => generateCommand(configFile, { ...common, force: true }),
  );
  await step("train", "train the GNN", trainingDone, async () => {
    // An interrupted training of the same data is continued.
    const resume = !redo && existsSync(join(paths.models, RESUME_FILE));
    const result = await trainCommand(configFile, { ...common, force: !resume, resume });
    if (result.interrupted)
      throw new Error(`training interrupted: run "neural-gnn run${configFile ? ` ${configFile}` : ""}" again to resume it`);
  });
  await step(
    "plot",
    "evaluate the trained model (Fig 2d–h, Supp Fig 1)",
    () => metrics().connectivity !== undefined,
    () => plotCommand(configFile, common),
  );
  await step(
    "test",
    "rollout and generalisation (Supp Figs 2, 5, 6)",
    () => {
      const m = metrics();
      return m.rollout !== undefined && Object.keys(PAPER.generalisation).every((k) => m.generalisation?.[k] !== undefined);
    },
    () => testCommand(configFile, { ...common, newParams: Object.values(PAPER.generalisation).map((c) => c.newParams) }),
  );
  const total = (performance.now() - t0) / 1000;
  writeFileAtomic(paths.run, `${JSON.stringify({ timings, total_seconds: total }, null, 2)}\n`);
  out("\n━━ report");
  const report = await writeReport(paths.root);
  out(summaryTable(metrics(), timings, total));
  out(`report: ${report}`);
  return report;
}

interface FitAt {
  r2?: number;
}

/** results/metrics.json as written by plot and test (every part optional). */
export interface MetricsFile {
  connectivity?: { r2?: number; slope?: number } | null;
  clustering?: { accuracy?: number | null; n_clusters?: number };
  functions?: { phi_rmse_by_type?: number[] | null };
  rollout?: { t400?: FitAt; t800?: FitAt };
  generalisation?: Record<string, { t400?: FitAt; t800?: FitAt }>;
}

/** "R² at 400 / R² at 800" with 3 decimals. */
const r2Pair = (f: { t400?: FitAt; t800?: FitAt } | undefined) => `${num(f?.t400?.r2)} / ${num(f?.t800?.r2)}`;

/** The console summary: the key numbers next to the paper's, and the step times. */
export function summaryTable(m: MetricsFile, timings: StepTiming[], total: number): string {
  const rows: [string, string, string][] = [
    ["W R² (corrected)", num(m.connectivity?.r2), PAPER.W_r2],
    ["W slope", num(m.connectivity?.slope), PAPER.W_slope],
    ["clustering accuracy", `${num(m.clustering?.accuracy)} (${m.clustering?.n_clusters ?? "—"} clusters)`, PAPER.clustering],
    ["φ* RMSE by type", (m.functions?.phi_rmse_by_type ?? []).map((v) => num(v)).join(" / ") || "—", "—"],
    ["rollout R² step 400 / 800", r2Pair(m.rollout), r2Pair(PAPER.rollout)],
    ...Object.entries(PAPER.generalisation).map(([key, paper]): [string, string, string] => [
      `Supp ${key.slice(4)} R² step 400 / 800`,
      r2Pair(m.generalisation?.[key]),
      r2Pair(paper),
    ]),
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(10, ...rows.map((r) => r[1].length));
  const lines = [
    "",
    `${"".padEnd(w0)}  ${"this run".padEnd(w1)}  paper (Figure 2)`,
    ...rows.map(([a, b, c]) => `${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`),
    "",
    `time: ${timings.map((t) => `${t.step} ${t.skipped ? "skipped" : formatSeconds(t.seconds)}`).join(", ")}; total ${formatSeconds(total)}`,
  ];
  return lines.join("\n");
}
