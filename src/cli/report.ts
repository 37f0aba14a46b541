/**
 * The run report: one self-contained HTML file (no external resources: figures are embedded as
 * SVG data URIs, styles inline) with every panel of the run, its metrics next to the paper's, the
 * config, versions and timings, and the training curves.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { writeFileAtomic } from "../io/atomic.js";
import { esc } from "../plot/svg.js";
import { DATASET_FILES } from "../simulate/dataset.js";
import { METRICS_FILE, SUMMARY_FILE, readMetrics } from "../train/trainer.js";
import { PAPER, fitText, num } from "./paper.js";
import { runLayout } from "./paths.js";

interface Section {
  title: string;
  intro?: string;
  figures: [name: string, caption: string][];
}

/** Figures of a run folder, in the order of the paper. */
const SECTIONS: Section[] = [
  {
    title: "Data: the simulated neural assembly",
    figures: [
      ["fig2b_activity", "Fig 2b: activity x_i of 100 neurons (offset traces)"],
      ["fig2c_connectivity_true", "Fig 2c: true connectivity W (row i receives from column j), 20×20 inset"],
      ["eigenvalues", "Eigenvalues of W and the spectral radius"],
    ],
  },
  {
    title: "Training",
    figures: [
      ["training_W_r2", "W R² of learned against true weights during training"],
      ["supp1_training_montage", "Supp Fig 1: embeddings, φ*, ψ*, W and learned-vs-true W over training"],
    ],
  },
  {
    title: "Recovered connectivity, neuron types and functions",
    figures: [
      ["fig2d_connectivity_learned", "Fig 2d: learned W (same orientation as Fig 2c)"],
      ["fig2e_W_learned_vs_true", "Fig 2e: learned against true W"],
      ["fig2f_embeddings", "Fig 2f: learned embeddings a_i coloured by true type"],
      ["fig2g_phi", "Fig 2g: φ*(a_i, x) of every neuron over the true functions (grey)"],
      ["fig2h_psi", "Fig 2h: ψ*(x)/ψ̄ over tanh (grey)"],
    ],
  },
  {
    title: "Rollout (Supp Fig 2)",
    figures: [
      ["supp2_rollout_t400", "Supp Fig 2: rollout, step 400"],
      ["supp2_rollout_t800", "Supp Fig 2: rollout, step 800"],
      ["supp2_rollout_quality", "Rollout R² and slope over time"],
    ],
  },
  {
    title: "Generalisation to modified networks (Supp Figs 5, 6)",
    figures: [
      ["supp5b_type_histogram", "Supp Fig 5b: new neuron types"],
      ["supp5d_connectivity", "Supp Fig 5d: new connectivity"],
      ["supp5ef_rollout_t400", "Supp Fig 5e,f: step 400"],
      ["supp5gh_rollout_t800", "Supp Fig 5g,h: step 800"],
      ["supp6b_type_histogram", "Supp Fig 6b: new neuron types"],
      ["supp6d_connectivity", "Supp Fig 6d: new connectivity"],
      ["supp6ef_rollout_t400", "Supp Fig 6e,f: step 400"],
      ["supp6gh_rollout_t800", "Supp Fig 6g,h: step 800"],
    ],
  },
];

const STYLE = `
body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 2em auto; max-width: 1200px; color: #222; padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 1em 0; } td, th { padding: 0.25em 0.8em; border-bottom: 1px solid #eee; text-align: left; }
th { background: #f5f5f5; } td.num { font-variant-numeric: tabular-nums; }
figure { display: inline-block; margin: 0.5em; vertical-align: top; max-width: 100%; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.9em; color: #555; max-width: 560px; }
pre { background: #f7f7f7; padding: 1em; overflow-x: auto; font-size: 0.85em; }
.note { color: #666; font-size: 0.9em; }`;

const readJson = (path: string): Record<string, unknown> | undefined =>
  existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>) : undefined;

// biome-ignore lint/suspicious/noExplicitAny: untyped JSON read from the run folder; every field is optional and checked where used.
type Json = Record<string, any>;

/** The HTML of the report of run folder `dir`. */
export function buildReport(dir: string): string {
  const name = basename(dir);
  const paths = runLayout(dir);
  const figuresDir = paths.figures;
  const metrics = (readJson(paths.metrics) ?? {}) as Json;
  const training = readJson(join(paths.models, SUMMARY_FILE)) as Json | undefined;
  const dataset = readJson(join(paths.data, DATASET_FILES.meta)) as Json | undefined;
  const run = readJson(paths.run) as Json | undefined;
  const config = existsSync(paths.config) ? readFileSync(paths.config, "utf8") : "";
  const parts: string[] = [];
  parts.push(
    "<!DOCTYPE html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>neural-gnn report: ${esc(name)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<h1>neural-gnn report: ${esc(name)}</h1>`,
    `<p class="note">Graph neural network recovery of connectivity, neuron types and signalling functions
     (Allier, Heinrich, Schneider &amp; Saalfeld, arXiv 2602.13325). Paper values are those of Figure 2
     (1000 neurons, 100,001 frames); other configs are not expected to match them exactly.</p>`,
  );

  // Metrics against the paper.
  const c = metrics.connectivity ?? {};
  const cl = metrics.clustering ?? {};
  const fn = metrics.functions ?? {};
  const ro = metrics.rollout ?? {};
  const gen = metrics.generalisation ?? {};
  const rows: [string, string, string][] = [
    ["W R² (corrected, off-diagonal)", num(c.r2, 4), PAPER.W_r2],
    ["W slope (corrected)", num(c.slope), PAPER.W_slope],
    ["W R² / slope (raw)", `${num(c.r2_raw, 4)} / ${num(c.slope_raw)}`, "—"],
    ["ψ* plateau ψ̄", num(c.psi_plateau), "—"],
    ["clustering accuracy (clusters)", `${num(cl.accuracy)} (${cl.n_clusters ?? "—"})`, PAPER.clustering],
    ["φ* RMSE by type", (fn.phi_rmse_by_type ?? []).map((v: number) => num(v)).join(" / ") || "—", "—"],
    ["ψ*/ψ̄ RMSE against tanh", num(fn.psi_rmse), "—"],
    ["rollout R² (slope), step 400", fitText(ro.t400), fitText(PAPER.rollout.t400)],
    ["rollout R² (slope), step 800", fitText(ro.t800), fitText(PAPER.rollout.t800)],
    ...Object.entries(PAPER.generalisation).flatMap(([key, paper]): [string, string, string][] => {
      const label = `Supp ${key.slice(4)}`;
      return [
        [`${label} R² (slope), step 400`, fitText(gen[key]?.t400), fitText(paper.t400)],
        [`${label} R² (slope), step 800`, fitText(gen[key]?.t800), fitText(paper.t800)],
        [`${label} weights kept`, gen[key]?.weights?.toLocaleString("en-US") ?? "—", paper.weights.toLocaleString("en-US")],
      ];
    }),
  ];
  parts.push(
    "<h2>Results</h2>",
    '<table id="metrics"><tr><th>quantity</th><th>this run</th><th>paper (Figure 2)</th></tr>',
    ...rows.map(([q, v, p]) => `<tr><td>${esc(q)}</td><td class="num">${esc(v)}</td><td class="num">${esc(p)}</td></tr>`),
    "</table>",
  );
  if (metrics.checkpoint) parts.push(`<p class="note">Evaluated checkpoint: ${esc(String(metrics.checkpoint))}</p>`);

  // Figures.
  for (const s of SECTIONS) {
    const present = s.figures.filter(([f]) => existsSync(join(figuresDir, `${f}.svg`)));
    if (present.length === 0) continue;
    parts.push(`<h2>${esc(s.title)}</h2>`);
    if (s.title === "Training" && training) parts.push(trainingTable(training, dir));
    for (const [f, caption] of present) {
      const svg = readFileSync(join(figuresDir, `${f}.svg`));
      parts.push(
        `<figure id="${f}"><img alt="${esc(caption)}" src="data:image/svg+xml;base64,${svg.toString("base64")}"><figcaption>${esc(caption)}</figcaption></figure>`,
      );
    }
  }

  // Provenance.
  parts.push("<h2>Run</h2>", "<table>");
  const info: [string, string][] = [
    ["neural-gnn", String(training?.version ?? dataset?.generator?.version ?? "—")],
    ["Node.js", process.version],
    ["compute backend", String(training?.backend ?? "—")],
    ["data", `${dataset?.n_neurons ?? "—"} neurons, ${dataset?.n_frames ?? "—"} frames, Δt ${dataset?.delta_t ?? "—"}`],
    ["simulation", dataset?.generator ? `${num(dataset.generator.seconds, 1)} s on ${dataset.generator.threads} threads` : "—"],
    [
      "training",
      training
        ? `${training.total_iterations} iterations (${training.schedule?.epochs} epochs × ${training.schedule?.iterationsPerEpoch}) in ${num(training.seconds, 1)} s`
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

/** Training summary: epoch losses and the clustering step. */
function trainingTable(t: Json, dir: string): string {
  const rows: string[] = [];
  (t.epoch_losses ?? []).forEach((l: number, e: number) =>
    rows.push(`<tr><td>epoch ${e}</td><td class="num">${num(l, 2)}</td></tr>`),
  );
  for (const c of t.clustering ?? []) {
    rows.push(
      `<tr><td>clustering after epoch ${c.epoch}</td><td>${c.n_clusters} clusters (sizes ${(c.cluster_sizes ?? []).join(", ")}), accuracy ${num(c.accuracy)}</td></tr>`,
    );
  }
  const models = runLayout(dir).models;
  const files = existsSync(models) ? readdirSync(models).filter((f) => f.startsWith("epoch_")).length : 0;
  // W R² at the iteration counts of the paper's montage: this run's last recording at or before each.
  const recs = readMetrics(join(models, METRICS_FILE)).filter((r) => r.W_r2 !== null);
  const r2rows = PAPER.training.map(([it, r2]) => {
    const mine = recs.filter((r) => r.total_iterations <= it + 1).pop();
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
