/**
 * The summary of an experiment over its configs (runs/<id>/, or runs/<id>-small/ for the small
 * form): summary.json with one row per config (this run's numbers next to the paper's), the
 * multi-run figure of W R² against iterations, and report.html linking each config's report.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join, relative } from "node:path";
import { type Experiment, labelOf, paperOf } from "../experiments/experiment.js";
import { writeFileAtomic } from "../io/atomic.js";
import { r2OverIterations } from "../plot/r2-over-iterations.js";
import { esc } from "../plot/svg.js";
import { FIGURES } from "../run-folder/figures.js";
import {
  type ExperimentRow,
  type ExperimentSummary,
  readR2History,
  readResults,
  readTrainingSummary,
  writeExperimentSummary,
} from "../run-folder/files.js";
import { runPaths } from "../run-folder/layout.js";
import { figureSaver } from "./figures.js";
import { num } from "./format.js";
import { STYLE, figureHtml } from "./report.js";

export type Scale = ExperimentSummary["scale"];
export type { ExperimentRow };

/** The config names of `e` at `scale`, in its order. */
export function configNames(e: Experiment, scale: Scale): string[] {
  return e.configs.map((c) => (scale === "small" ? e.small[c] : c));
}

/** The experiment's folder under `runs`. */
export function experimentFolder(e: Experiment, scale: Scale, runs: string): string {
  return join(runs, scale === "small" ? `${e.id}-small` : e.id);
}

/** The summary row of config `name`, read from its run folder. */
export function experimentRow(e: Experiment, name: string, runs: string): ExperimentRow {
  const paths = runPaths(runs, name);
  const m = readResults(paths.metrics);
  const t = readTrainingSummary(paths.summary);
  const p = paperOf(e, name);
  return {
    config: name,
    label: labelOf(e, name),
    W_r2: m.connectivity?.r2 ?? null,
    W_slope: m.connectivity?.slope ?? null,
    clustering_accuracy: m.clustering?.accuracy ?? null,
    n_clusters: m.clustering?.n_clusters ?? null,
    accuracy_k_fixed: m.clustering?.accuracy_k_fixed ?? null,
    edge_precision: m.edges?.truth_free.precision ?? null,
    edge_recall: m.edges?.truth_free.recall ?? null,
    iterations: t?.total_iterations ?? null,
    training_seconds: t?.seconds ?? null,
    paper: { W_r2: p.W_r2 ?? null, W_slope: p.W_slope ?? null, clustering: p.clustering ?? null },
  };
}

/** The W R² history of each config (models/metrics.jsonl): [total iterations, R²]. */
export function r2Histories(e: Experiment, scale: Scale, runs: string): { label: string; points: [number, number][] }[] {
  return configNames(e, scale).map((name) => ({
    label: labelOf(e, name),
    points: readR2History(runPaths(runs, name).root),
  }));
}

/** Write runs/<id>[-small]/summary.json, its figure and report.html; returns the report's path. */
export async function writeExperimentReport(
  e: Experiment,
  scale: Scale,
  runs: string,
  log: (s: string) => void,
): Promise<string> {
  const dir = experimentFolder(e, scale, runs);
  const rows = configNames(e, scale).map((name) => experimentRow(e, name, runs));
  mkdirSync(dir, { recursive: true });
  writeExperimentSummary(join(dir, "summary.json"), { experiment: e.id, scale, rows });
  if (e.overlay) {
    const figures = figureSaver(join(dir, "figures"), log);
    await figures.save(e.overlay, () => r2OverIterations(r2Histories(e, scale, runs)));
  }
  const report = join(dir, "report.html");
  writeFileAtomic(report, experimentHtml(e, scale, rows, dir, runs));
  log(experimentTable(rows));
  return report;
}

/** The console table: one row per config, this run against the paper. */
export function experimentTable(rows: ExperimentRow[]): string {
  const cells = rows.map((r) => [
    r.label,
    `${num(r.W_r2)} (${r.paper.W_r2 ?? "—"})`,
    `${num(r.W_slope)} (${r.paper.W_slope ?? "—"})`,
    `${num(r.clustering_accuracy)}, ${r.n_clusters ?? "—"} clusters`,
    num(r.accuracy_k_fixed),
    `${num(r.edge_precision)} / ${num(r.edge_recall)}`,
    r.iterations?.toLocaleString("en-US") ?? "—",
  ]);
  const head = ["config", "W R² (paper)", "slope (paper)", "clustering", "at K (ours)", "edges P / R (ours)", "iterations"];
  const w = head.map((h, k) => Math.max(h.length, ...cells.map((c) => c[k].length)));
  const line = (c: string[]) => c.map((x, k) => x.padEnd(w[k])).join("  ");
  return ["", line(head), ...cells.map(line)].join("\n");
}

function experimentHtml(e: Experiment, scale: Scale, rows: ExperimentRow[], dir: string, runs: string): string {
  const link = (name: string) => {
    const report = runPaths(runs, name).report;
    return existsSync(report) ? `<a href="${esc(relative(dir, report))}">${esc(name)}</a>` : esc(name);
  };
  const figures = join(dir, "figures");
  const figure =
    e.overlay && existsSync(join(figures, `${e.overlay}.svg`)) ? figureHtml(figures, e.overlay, FIGURES[e.overlay]) : "";
  const td = (v: string) => `<td class="num">${esc(v)}</td>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>neural-gnn: ${esc(e.id)}</title>
<style>${STYLE}</style></head><body>
<h1>${esc(e.title)}</h1>
<p class="note">${scale === "small" ? "Scaled-down form (configs/small/): same features, smaller network and shorter training; the paper's numbers are for the full configs." : "The paper's configs."}</p>
<table id="experiment"><tr><th>config</th><th></th><th>W R²</th><th>paper</th><th>slope</th><th>paper</th><th>clustering accuracy (clusters)</th><th>paper</th><th>accuracy at K clusters (ours)</th><th>edge precision / recall, truth-free threshold (ours)</th><th>iterations</th></tr>
${rows
  .map(
    (r) =>
      `<tr><td>${esc(r.label)}</td><td>${link(r.config)}</td>${td(num(r.W_r2, 4))}${td(r.paper.W_r2 ?? "—")}${td(num(r.W_slope))}${td(r.paper.W_slope ?? "—")}${td(`${num(r.clustering_accuracy)} (${r.n_clusters ?? "—"})`)}${td(r.paper.clustering ?? "—")}${td(num(r.accuracy_k_fixed))}${td(`${num(r.edge_precision)} / ${num(r.edge_recall)}`)}${td(r.iterations?.toLocaleString("en-US") ?? "—")}</tr>`,
  )
  .join("\n")}
</table>
${figure}
<p class="note">Written ${new Date().toISOString()}</p>
</body></html>
`;
}
