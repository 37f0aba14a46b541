/**
 * The run report: one self-contained HTML file (no external resources: figures are embedded as
 * SVG data URIs, styles inline) with every panel of the run, its metrics next to the paper's, the
 * config, versions and timings, and the training curves.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { type Experiment, type PaperNumbers, paperOf } from "../experiments/experiment.js";
import { experimentOfConfig } from "../experiments/registry.js";
import { writeFileAtomic } from "../io/atomic.js";
import { esc } from "../plot/svg.js";
import { FIGURES, type FigureId, generalisationCaptions } from "../run-folder/figures.js";
import {
  type EdgeResults,
  type EdgeScoreResults,
  type Recording,
  type Results,
  type TrainingSummary,
  readRecordings,
  readResults,
  readRunTimings,
  readTrainingSummary,
} from "../run-folder/files.js";
import { runLayout } from "../run-folder/layout.js";
import { type DatasetMeta, readDatasetMeta } from "../simulate/dataset.js";
import { fitText, num } from "./format.js";

/** The reports' style sheet (run reports and experiment summaries). */
export const STYLE = `
body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 2em auto; max-width: 1200px; color: #222; padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 1em 0; } td, th { padding: 0.25em 0.8em; border-bottom: 1px solid #eee; text-align: left; }
th { background: #f5f5f5; } td.num { font-variant-numeric: tabular-nums; }
figure { display: inline-block; margin: 0.5em; vertical-align: top; max-width: 100%; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.9em; color: #555; max-width: 560px; }
pre { background: #f7f7f7; padding: 1em; overflow-x: auto; font-size: 0.85em; }
.note { color: #666; font-size: 0.9em; }`;

/** figures/<id>.svg embedded as a data URI, with its caption. */
export function figureHtml(figures: string, id: FigureId, caption: string): string {
  const svg = readFileSync(join(figures, `${id}.svg`));
  return `<figure id="${id}"><img alt="${esc(caption)}" src="data:image/svg+xml;base64,${svg.toString("base64")}"><figcaption>${esc(caption)}</figcaption></figure>`;
}

/** The report's sections: the experiment's, then its generalisation cases. */
function sections(e: Experiment): { title: string; figures: [FigureId, string][] }[] {
  const caption = (id: FigureId) => (FIGURES as Record<string, string>)[id] ?? id;
  const cases = Object.entries(e.generalisation);
  return [
    ...e.sections.map((s) => ({ title: s.title, figures: s.figures.map((id): [FigureId, string] => [id, caption(id)]) })),
    ...(cases.length
      ? [
          {
            title: `Generalisation to modified networks (${cases.map(([, c]) => c.label).join(", ")})`,
            figures: cases.flatMap(([key, c]) => generalisationCaptions(key, c.label)),
          },
        ]
      : []),
  ];
}

/** The rows of the results table: this run against the paper. */
function resultRows(m: Results, e: Experiment, paper: PaperNumbers): [string, string, string][] {
  const c = m.connectivity;
  return [
    ["W R² (corrected, off-diagonal)", num(c?.r2, 4), paper.W_r2 ?? "—"],
    ["W slope (corrected)", num(c?.slope), paper.W_slope ?? "—"],
    ["W R² / slope (raw)", `${num(c?.r2_raw, 4)} / ${num(c?.slope_raw)}`, "—"],
    ["ψ* plateau ψ̄", num(c?.psi_plateau), "—"],
    [
      "clustering accuracy (clusters)",
      `${num(m.clustering?.accuracy)} (${m.clustering?.n_clusters ?? "—"})`,
      paper.clustering ?? "—",
    ],
    ["clustering accuracy cut at K clusters (ours)", kFixedText(m.clustering), "—"],
    ["φ* RMSE by type", (m.functions?.phi_rmse_by_type ?? []).map((v) => num(v)).join(" / ") || "—", "—"],
    ...psiRows(m),
    ...(m.external_input || paper.external_input
      ? [
          [
            "Ω* R² / slope (√ scale, Fig 3e)",
            m.external_input ? `${num(m.external_input.r2, 4)} / ${num(m.external_input.slope)}` : "— (Ω given)",
            paper.external_input ?? "—",
          ] as [string, string, string],
        ]
      : []),
    ["rollout R² (slope), step 400", fitText(m.rollout?.t400), fitText(paper.rollout?.t400)],
    ["rollout R² (slope), step 800", fitText(m.rollout?.t800), fitText(paper.rollout?.t800)],
    ...Object.entries(e.generalisation).flatMap(([key, c]): [string, string, string][] => {
      const g = m.generalisation?.[key];
      const label = c.label.replace("Supp Fig", "Supp");
      return [
        [`${label} R² (slope), step 400`, fitText(g?.t400), fitText(c.paper?.t400)],
        [`${label} R² (slope), step 800`, fitText(g?.t800), fitText(c.paper?.t800)],
        [`${label} weights kept`, g?.weights.toLocaleString("en-US") ?? "—", c.paper?.weights.toLocaleString("en-US") ?? "—"],
      ];
    }),
  ];
}

/** psi* recovery: against tanh (PDE_N2), or per sending type with the fitted widths (PDE_N4; PDE_N5 adds the pairs' receiver widths). */
function psiRows(m: Results): [string, string, string][] {
  const f = m.functions;
  if (!f?.psi_rmse_by_type) return [["ψ*/ψ̄ RMSE against tanh", num(f?.psi_rmse), "—"]];
  return [
    [
      "ψ*/ψ̄ⱼ RMSE by sending type, against its true ψ (PDE_N5: the same-type pair's)",
      f.psi_rmse_by_type.map((v) => num(v)).join(" / "),
      "—",
    ],
    ["ψ* width by type (fit k·tanh(x/w))", (f.psi_width_by_type ?? []).map((v) => num(v, 2)).join(" / ") || "—", "—"],
    ...(f.psi_pairs
      ? ([
          [
            "ψ* of pairs: width by receiving type (type-0 senders; true)",
            `${f.psi_pairs.receiver_width.map((v) => num(v, 2)).join(" / ")} (${f.psi_pairs.true_receiver_width.join(" / ")})`,
            "follows the receiver",
          ],
        ] as [string, string, string][])
      : []),
  ];
}

/** "accuracy (K = k)" of the clustering cut at K clusters. */
function kFixedText(c: Results["clustering"]): string {
  return c?.k_fixed ? `${num(c.accuracy_k_fixed)} (K = ${c.k_fixed})` : "—";
}

/** A number with 3 significant digits ("0" for 0), "—" when missing. */
const sig = (v: number | null | undefined) =>
  typeof v === "number" && Number.isFinite(v) ? (v === 0 ? "0" : v.toPrecision(3)) : "—";

/** The edge-detection section (ours): scores at the truth-free and the oracle threshold, and the fits. */
function edgeSection(e: EdgeResults): string {
  const row = (name: string, s: EdgeScoreResults) =>
    `<tr><td>${esc(name)}</td>${[sig(s.tau), num(s.precision), num(s.recall), num(s.f1), num(s.specificity), num(s.mcc)]
      .map((v) => `<td class="num">${v}</td>`)
      .join("")}</tr>`;
  const fits: [string, string][] = [
    ["true edges / true zeros (off-diagonal)", `${e.n_edges.toLocaleString("en-US")} / ${e.n_zeros.toLocaleString("en-US")}`],
    ["prevalence of edges", num(e.prevalence)],
    ["W R² / slope on the true non-zeros", `${num(e.r2_nonzero, 4)} / ${num(e.slope_nonzero)}`],
    [
      "RMS of W* on the true zeros (relative to RMS of true non-zeros)",
      `${sig(e.rms_on_zeros)} (${sig(e.rms_on_zeros_relative)})`,
    ],
    [
      "truth-free fit: noise σ, weight scale γ, share of absent edges",
      `${sig(e.mixture.sigma)}, ${sig(e.mixture.gamma)}, ${num(e.mixture.absent_share)}`,
    ],
  ];
  return [
    "<h2>Edge detection (ours, beyond the paper)</h2>",
    `<p class="note">An edge j → i is called present when |W*ᵢⱼ| &gt; τ (W* the corrected learned W of the W R²) and is
     present in truth when Wᵢⱼ ≠ 0; the diagonal is left out. Truth-free τ: ${esc(e.rule)}. The oracle τ maximises F1
     using the truth. When almost every entry is an edge (dense W: 97.5 %), precision stays near the prevalence
     whatever τ; specificity and MCC then tell whether the true zeros are found.</p>`,
    '<table id="edges"><tr><th>threshold</th><th>τ</th><th>precision</th><th>recall</th><th>F1</th><th>specificity</th><th>MCC</th></tr>',
    row("truth-free", e.truth_free),
    row("best (oracle)", e.oracle),
    "</table>",
    `<table id="edges-fit">${fits.map(([k, v]) => `<tr><td>${esc(k)}</td><td class="num">${esc(v)}</td></tr>`).join("")}</table>`,
  ].join("\n");
}

/** The HTML of the report of run folder `dir`. */
export function buildReport(dir: string): string {
  const name = basename(dir);
  const paths = runLayout(dir);
  const experiment = experimentOfConfig(name);
  const paper = paperOf(experiment, name);
  const metrics = readResults(paths.metrics);
  const training = readTrainingSummary(paths.summary);
  const dataset: DatasetMeta | undefined = existsSync(join(paths.data, "dataset.json")) ? readDatasetMeta(paths.data) : undefined;
  const run = readRunTimings(paths.run);
  const present = sections(experiment).map((s) => ({
    ...s,
    figures: s.figures.filter(([f]) => existsSync(join(paths.figures, `${f}.svg`))),
  }));
  if (!training && !dataset && Object.keys(metrics).length === 0 && present.every((s) => s.figures.length === 0)) {
    throw new Error(
      `${dir}: nothing to report (no data/dataset.json, models/training.json, results/metrics.json or figures); run "neural-gnn run" or its steps first`,
    );
  }
  const config = existsSync(paths.config) ? readFileSync(paths.config, "utf8") : "";
  const parts: string[] = [];
  parts.push(
    "<!DOCTYPE html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>neural-gnn report: ${esc(name)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<h1>neural-gnn report: ${esc(name)}</h1>`,
    `<p class="note">Graph neural network recovery of connectivity, neuron types and signalling functions
     (Allier, Heinrich, Schneider &amp; Saalfeld, arXiv 2602.13325). Paper values are those of ${esc(paper.source)};
     other configs are not expected to match them exactly.</p>`,
  );

  parts.push(
    "<h2>Results</h2>",
    `<table id="metrics"><tr><th>quantity</th><th>this run</th><th>paper (${esc(paper.source)})</th></tr>`,
    ...resultRows(metrics, experiment, paper).map(
      ([q, v, p]) => `<tr><td>${esc(q)}</td><td class="num">${esc(v)}</td><td class="num">${esc(p)}</td></tr>`,
    ),
    "</table>",
  );
  if (metrics.checkpoint) parts.push(`<p class="note">Evaluated checkpoint: ${esc(metrics.checkpoint)}</p>`);
  if (metrics.warnings?.length) {
    parts.push(`<ul class="note" id="warnings">${metrics.warnings.map((w) => `<li>${esc(w)}</li>`).join("")}</ul>`);
  }
  if (metrics.edges) parts.push(edgeSection(metrics.edges));

  for (const s of present) {
    if (s.figures.length === 0) continue;
    parts.push(`<h2>${esc(s.title)}</h2>`);
    if (s.title === "Training" && training) parts.push(trainingTable(training, dir, paper));
    for (const [f, caption] of s.figures) parts.push(figureHtml(paths.figures, f, caption));
  }

  // Provenance.
  parts.push("<h2>Run</h2>", "<table>");
  const info: [string, string][] = [
    ["neural-gnn", String(training?.version ?? dataset?.generator?.version ?? "—")],
    ["Node.js", process.version],
    ["compute backend", String(training?.backend ?? "—")],
    ["training recipe", training?.recipe ?? "—"],
    ["data", `${dataset?.n_neurons ?? "—"} neurons, ${dataset?.n_frames ?? "—"} frames, Δt ${dataset?.delta_t ?? "—"}`],
    ["simulation", dataset?.generator ? `${num(dataset.generator.seconds, 1)} s on ${dataset.generator.threads} threads` : "—"],
    [
      "training",
      training
        ? `${training.total_iterations} iterations (${training.schedule.epochs} epochs × ${training.schedule.iterationsPerEpoch}${
            training.schedule.firstEpochIterations === undefined ? "" : `, epoch 0: ${training.schedule.firstEpochIterations}`
          }) in ${num(training.seconds, 1)} s`
        : "—",
    ],
  ];
  for (const t of run?.timings ?? [])
    info.push([`step ${t.step}`, t.skipped ? "skipped (done earlier)" : `${num(t.seconds, 1)} s`]);
  if (run) info.push(["total", `${num(run.total_seconds, 1)} s`]);
  parts.push(...info.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`), "</table>");
  parts.push(
    "<h2>Config</h2>",
    `<pre>${esc(config)}</pre>`,
    `<p class="note">Written ${new Date().toISOString()}</p>`,
    "</body></html>",
  );
  return `${parts.join("\n")}\n`;
}

/** Training summary: epoch losses, the clustering step, W R² at the paper's montage iterations. */
function trainingTable(t: TrainingSummary, dir: string, paper: PaperNumbers): string {
  const rows: string[] = [];
  t.epoch_losses.forEach((l, k) => rows.push(`<tr><td>epoch ${k}</td><td class="num">${num(l, 2)}</td></tr>`));
  for (const c of t.clustering) {
    rows.push(
      `<tr><td>clustering after epoch ${c.epoch}</td><td>${c.n_clusters} clusters (sizes ${c.cluster_sizes.join(", ")}), accuracy ${num(c.accuracy)}</td></tr>`,
    );
  }
  const models = runLayout(dir).models;
  const files = existsSync(models) ? readdirSync(models).filter((f) => f.startsWith("epoch_")).length : 0;
  // W R² at the iteration counts of the paper's montage: this run's last recording at or before each.
  const recs = readRecordings(runLayout(dir).trainingMetrics).filter((r) => r.W_r2 !== null);
  const r2rows = (paper.training ?? []).map(([it, r2]) => {
    const mine: Recording | undefined = recs.filter((r) => r.total_iterations <= it + 1).pop();
    const at = mine ? `${num(mine.W_r2)} (at ${mine.total_iterations.toLocaleString("en-US")})` : "—";
    return `<tr><td class="num">${it.toLocaleString("en-US")}</td><td class="num">${num(r2)}</td><td class="num">${at}</td></tr>`;
  });
  return (
    `<table><tr><th>epoch</th><th>prediction loss (sum over iterations / N)</th></tr>${rows.join("")}</table>` +
    `<table id="training-r2"><tr><th>iterations</th><th>W R², paper</th><th>W R², this run</th></tr>${r2rows.join("")}</table>` +
    `<p class="note">${files} checkpoints; xnorm ${t.xnorm}; seed ${t.seed}</p>`
  );
}

/** Write runDir/report.html atomically; returns its path. */
export async function writeReport(runDir: string): Promise<string> {
  const path = runLayout(runDir).report;
  writeFileAtomic(path, buildReport(runDir));
  return path;
}
