/**
 * The report's contents, from a run folder written by hand: the metrics next to the paper's, the
 * figures present (and only those), the training tables, provenance and the escaped config. The
 * rendering in a browser is checked end to end in test/run.e2e.test.ts.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { useTempDir } from "../../test/helpers.js";
import { buildReport } from "./report.js";

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/** Write `files` (path relative to `dir` → content) under `dir`. */
function writeRun(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

const svg = (label: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="120"><text x="10" y="20">${label}</text></svg>`;

const METRICS = {
  checkpoint: "/runs/fig2/models/epoch_9_iter_12499.safetensors",
  total_iterations: 125000,
  connectivity: { r2: 0.987654, slope: 1.0234, r2_raw: 0.912345, slope_raw: 0.87649, psi_plateau: 2.34571, g: 10 },
  clustering: { n_clusters: 5, accuracy: 0.96, threshold: 0.1, k_fixed: 4, n_clusters_k_fixed: 4, accuracy_k_fixed: 0.99 },
  edges: {
    rule: "a <rule>",
    n_edges: 487,
    n_zeros: 9413,
    prevalence: 0.04919,
    truth_free: {
      tau: 0.0011032,
      tp: 440,
      fp: 3,
      fn: 47,
      tn: 9410,
      precision: 0.99323,
      recall: 0.90349,
      f1: 0.94624,
      specificity: 0.99968,
      mcc: 0.9431,
    },
    oracle: {
      tau: 0.0011101,
      tp: 438,
      fp: 2,
      fn: 49,
      tn: 9411,
      precision: 0.99545,
      recall: 0.89938,
      f1: 0.94499,
      specificity: 0.99979,
      mcc: 0.9432,
    },
    mixture: { sigma: 0.00031, gamma: 0.006736, absent_share: 0.9512 },
    r2_nonzero: 0.99988,
    slope_nonzero: 0.9,
    rms_on_zeros: 0.000311,
    rms_on_zeros_relative: 0.01,
  },
  functions: { phi_rmse_by_type: [0.0123, 0.0456, 0.0789, 0.1011], psi_rmse: 0.0321, phi_range: [-5, 5], psi_range: [-5, 5] },
  rollout: { steps: 1000, t400: { r2: 0.9512, slope: 0.9876 }, t800: { r2: 0.6012, slope: 0.7788 }, every10: [] },
  // Supp 6 not run: its cells read "—".
  generalisation: {
    supp5: {
      steps: 1000,
      t400: { r2: 0.9911, slope: 1.0043 },
      t800: { r2: 0.9012, slope: 0.9456 },
      every10: [],
      weights: 2471,
      ff: 0.25,
      percentages: [10, 20, 30, 40],
      connectivity: "fresh Lorentz draw",
    },
  },
};

const TRAINING = {
  schedule: { epochs: 2, iterationsPerEpoch: 62500, batchSize: 8, plotFrequency: 3125 },
  seed: 24,
  n_neurons: 100,
  n_frames: 10000,
  derivative: "derivative.npy",
  x_std: 11.2,
  xnorm: 17,
  epochs_done: 2,
  last_recording: null,
  data: "data",
  total_iterations: 125000,
  seconds: 3723.456,
  epoch_losses: [1234.5, 567.891],
  clustering: [
    { epoch: 1, n_clusters: 4, cluster_sizes: [25, 24, 26, 25], accuracy: 0.97, replacement_loss: [1, 0.5], seconds: 1.5 },
  ],
  backend: "wasm-simd (2 threads)",
  version: "9.8.7",
};

/** Recordings: W R² at total iteration counts, one without ground truth (null). */
const RECORDINGS: [number, number | null][] = [
  [20000, 0.21],
  [43750, 0.55],
  [60000, 0.8],
  [100000, 0.95],
  [118000, null],
];

const CONFIG = `description: "a <b>bold</b> & 'quoted' \\"config\\""
dataset: fig2
training:
  n_epochs: 2
`;

/** Text of the cells of each row of the table with id `id` (entities decoded). */
function tableRows(html: string, id: string): string[][] {
  const table = html.match(new RegExp(`<table id="${id}">([\\s\\S]*?)</table>`))?.[1];
  if (table === undefined) throw new Error(`no table #${id}`);
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1].matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((cell) => decodeEntities(cell[1])),
  );
}

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

/** The figures embedded in the report: id → the decoded SVG of its data URI. */
function embeddedFigures(html: string): Map<string, string> {
  const figures = new Map<string, string>();
  for (const m of html.matchAll(/<figure id="([^"]+)">\s*<img [^>]*src="data:image\/svg\+xml;base64,([^"]+)"/g)) {
    figures.set(m[1], Buffer.from(m[2], "base64").toString("utf8"));
  }
  return figures;
}

describe("buildReport on a run folder written by hand", () => {
  const tmp = useTempDir("ngnn-report-");
  let dir: string;
  let html: string;
  beforeAll(() => {
    dir = join(tmp.root, "fig2 & co");
    writeRun(dir, {
      "config.yaml": CONFIG,
      "data/dataset.json": json({
        format: "neural-gnn-dataset",
        version: 1,
        n_neurons: 100,
        n_frames: 10001,
        delta_t: 0.01,
        generator: { name: "neural-gnn", version: "9.8.7", seconds: 12.345, threads: 2 },
      }),
      "models/training.json": json(TRAINING),
      "models/metrics.jsonl": RECORDINGS.map(([it, r2], k) =>
        JSON.stringify({ epoch: 0, iteration: it - 1, total_iterations: it, seconds: k, loss: 1 / (k + 1), W_r2: r2 }),
      )
        .map((l) => `${l}\n`)
        .join(""),
      "models/epoch_0_end.safetensors": "",
      "models/epoch_1_end.safetensors": "",
      "models/epoch_1_iter_62499.safetensors": "",
      "results/metrics.json": json(METRICS),
      "run.json": json({
        timings: [
          { step: "generate", seconds: 12.04, skipped: false },
          { step: "train", seconds: 0.001, skipped: true },
        ],
        total_seconds: 98.76,
      }),
      "figures/fig2b_activity.svg": svg("activity"),
      "figures/fig2e_W_learned_vs_true.svg": svg("W learned vs true"),
      "figures/training_W_r2.svg": svg("W R2 over training"),
      // A PNG without its SVG is not embedded.
      "figures/fig2g_phi.png": "not an svg",
    });
    html = buildReport(dir);
  });

  it("puts this run's numbers next to the paper's in the metrics table", () => {
    const rows = tableRows(html, "metrics");
    expect(rows[0]).toEqual(["quantity", "this run", "paper (Figure 2)"]);
    expect(rows.slice(1)).toEqual([
      ["W R² (corrected, off-diagonal)", "0.9877", "1.0 (≥ 0.9995)"],
      ["W slope (corrected)", "1.023", "1.0"],
      ["W R² / slope (raw)", "0.9123 / 0.876", "—"],
      ["ψ* plateau ψ̄", "2.346", "—"],
      ["clustering accuracy (clusters)", "0.960 (5)", "4 tight clusters"],
      ["clustering accuracy cut at K clusters (ours)", "0.990 (K = 4)", "—"],
      ["φ* RMSE by type", "0.012 / 0.046 / 0.079 / 0.101", "—"],
      ["ψ*/ψ̄ RMSE against tanh", "0.032", "—"],
      ["rollout R² (slope), step 400", "0.951 (0.988)", "0.987 (0.992)"],
      ["rollout R² (slope), step 800", "0.601 (0.779)", "0.625 (0.805)"],
      ["Supp 5 R² (slope), step 400", "0.991 (1.004)", "1.000 (1.001)"],
      ["Supp 5 R² (slope), step 800", "0.901 (0.946)", "0.983 (0.992)"],
      ["Supp 5 weights kept", "2,471", "243,831"],
      ["Supp 6 R² (slope), step 400", "— (—)", "0.999 (1.000)"],
      ["Supp 6 R² (slope), step 800", "— (—)", "0.910 (0.948)"],
      ["Supp 6 weights kept", "—", "487,401"],
    ]);
    expect(html).toContain(`Evaluated checkpoint: ${METRICS.checkpoint}`);
  });

  it("has an edge-detection section (ours): both thresholds' scores, the fits, the rule escaped", () => {
    expect(html).toContain("<h2>Edge detection (ours, beyond the paper)</h2>");
    expect(html).toContain("Truth-free τ: a &lt;rule&gt;.");
    expect(tableRows(html, "edges")).toEqual([
      ["threshold", "τ", "precision", "recall", "F1", "specificity", "MCC"],
      ["truth-free", "0.00110", "0.993", "0.903", "0.946", "1.000", "0.943"],
      ["best (oracle)", "0.00111", "0.995", "0.899", "0.945", "1.000", "0.943"],
    ]);
    expect(tableRows(html, "edges-fit")).toEqual([
      ["true edges / true zeros (off-diagonal)", "487 / 9,413"],
      ["prevalence of edges", "0.049"],
      ["W R² / slope on the true non-zeros", "0.9999 / 0.900"],
      ["RMS of W* on the true zeros (relative to RMS of true non-zeros)", "0.000311 (0.0100)"],
      ["truth-free fit: noise σ, weight scale γ, share of absent edges", "0.000310, 0.00674, 0.951"],
    ]);
  });

  it("embeds the SVG of each figure present, with its caption, and only those", () => {
    const figures = embeddedFigures(html);
    expect([...figures.keys()]).toEqual(["fig2b_activity", "training_W_r2", "fig2e_W_learned_vs_true"]); // the paper's order
    expect(figures.get("fig2b_activity")).toBe(svg("activity"));
    expect(figures.get("fig2e_W_learned_vs_true")).toBe(svg("W learned vs true"));
    expect(figures.get("training_W_r2")).toBe(svg("W R2 over training"));
    expect(html.match(/<figure /g)).toHaveLength(3);
    expect(html).toContain("<figcaption>Fig 2e: learned against true W</figcaption>");
    for (const absent of ["fig2c_connectivity_true", "fig2g_phi", "supp2_rollout_t400", "supp5ef_rollout_t400"]) {
      expect(html).not.toContain(`id="${absent}"`);
    }
    // Sections without any figure are left out.
    expect(html).not.toContain("Rollout (Supp Fig 2)");
    expect(html).not.toMatch(/src="(?!data:)/); // nothing loaded from elsewhere
  });

  it("lists W R² at the paper's training checkpoints: its value, this run's last recording at or before", () => {
    expect(tableRows(html, "training-r2")).toEqual([
      ["iterations", "W R², paper", "W R², this run"],
      ["18,749", "0.147", "—"],
      ["43,749", "0.592", "0.550 (at 43,750)"],
      ["68,749", "0.893", "0.800 (at 60,000)"],
      ["93,749", "0.992", "0.800 (at 60,000)"],
      ["118,749", "1.000", "0.950 (at 100,000)"],
    ]);
    expect(html).toContain('<tr><td>epoch 0</td><td class="num">1234.50</td></tr>');
    expect(html).toContain('<tr><td>epoch 1</td><td class="num">567.89</td></tr>');
    expect(html).toContain("4 clusters (sizes 25, 24, 26, 25), accuracy 0.970");
    expect(html).toContain("3 checkpoints; xnorm 17; seed 24");
  });

  it("states the versions, data, timings and the run folder's name, escaped", () => {
    expect(html).toContain("<title>neural-gnn report: fig2 &amp; co</title>");
    expect(html).toContain("<h1>neural-gnn report: fig2 &amp; co</h1>");
    for (const [key, value] of [
      ["neural-gnn", "9.8.7"],
      ["Node.js", process.version],
      ["compute backend", "wasm-simd (2 threads)"],
      ["data", "100 neurons, 10001 frames, Δt 0.01"],
      ["simulation", "12.3 s on 2 threads"],
      ["training", "125000 iterations (2 epochs × 62500) in 3723.5 s"],
      ["step generate", "12.0 s"],
      ["step train", "skipped (done earlier)"],
      ["total", "98.8 s"],
    ]) {
      expect(html).toContain(`<tr><td>${key}</td><td>${value}</td></tr>`);
    }
  });

  it("shows the config verbatim, HTML-escaped", () => {
    const pre = html.match(/<pre>([\s\S]*?)<\/pre>/)?.[1];
    expect(pre).toBeDefined();
    expect(pre).not.toMatch(/<b>|"/);
    expect(pre).toContain("a &lt;b&gt;bold&lt;/b&gt; &amp; 'quoted'");
    expect(decodeEntities(pre!)).toBe(CONFIG);
  });
});

describe("buildReport on a run folder with only a dataset, and on an empty one", () => {
  const tmp = useTempDir("ngnn-report-");
  let html: string;
  beforeAll(() => {
    const dir = join(tmp.root, "data-only");
    writeRun(dir, {
      "data/dataset.json": json({ format: "neural-gnn-dataset", version: 1, n_neurons: 10, n_frames: 100, delta_t: 0.01 }),
    });
    html = buildReport(dir);
  });

  it("still gives the paper's column, with this run's cells empty, and no figures", () => {
    const rows = tableRows(html, "metrics").slice(1);
    expect(rows).toHaveLength(16);
    expect(rows[0]).toEqual(["W R² (corrected, off-diagonal)", "—", "1.0 (≥ 0.9995)"]);
    expect(rows.every(([, mine]) => /^[—/ ()]+$/.test(mine))).toBe(true);
    expect(html).not.toContain("<figure");
    expect(html).not.toContain('id="training-r2"');
    expect(html).not.toContain('id="edges"');
    expect(html).toContain("<pre></pre>");
  });

  it("refuses an empty folder, saying what is missing", () => {
    const dir = join(tmp.root, "empty");
    mkdirSync(dir);
    expect(() => buildReport(dir)).toThrowError(/empty: nothing to report \(no data\/dataset\.json, models\/training\.json/);
  });
});
