/**
 * `neural-gnn plot [config]`: evaluate the final checkpoint of a training against the ground truth
 * and draw Fig 2d–h, the training montage (Supp Fig 1) and the W R² curve into runs/<name>/figures/;
 * the numbers go to runs/<name>/results/metrics.json.
 */
import { join } from "node:path";
import { type EvalSettings, type Evaluation, type Truth, evaluate, samplePsi } from "../analysis/evaluate.js";
import { connectivityFit } from "../analysis/regression.js";
import { linspace } from "../analysis/stats.js";
import type { LoadedConfig } from "../config/load.js";
import type { Backend } from "../kernels/backend.js";
import { loadCheckpoint } from "../model/checkpoint.js";
import { ParamSet } from "../model/params.js";
import { embeddingPanel, phiPanel, psiPanel, r2Curve } from "../plot/functions.js";
import { absQuantile, connectivityHeatmap, strided } from "../plot/heatmap.js";
import { montage } from "../plot/montage.js";
import { saveFigure } from "../plot/save.js";
import { rasterScatter } from "../plot/scatter.js";
import { fmt } from "../plot/svg.js";
import { truePhi } from "../simulate/neurons.js";
import { type CheckpointFile, montageColumns } from "../train/checkpoints.js";
import { CurveWorkspace, sampleUpdateFunction } from "../train/functions.js";
import { METRICS_FILE, type modelShapeFor, readMetrics } from "../train/trainer.js";
import { makeBackend } from "./backend.js";
import { stderrLog } from "./progress.js";
import { mergeJson, openTrainedRun } from "./trained-run.js";

export interface PlotCommandOptions {
  set?: string[];
  runs: string;
  checkpoint?: string;
  threads?: number;
  quiet?: boolean;
}

/** The part of results/metrics.json that `plot` writes. */
export interface PlotMetrics {
  checkpoint: string;
  total_iterations: number | null;
  connectivity: { r2: number; slope: number; r2_raw: number; slope_raw: number; psi_plateau: number; g: number } | null;
  clustering: { accuracy: number | null; n_clusters: number; threshold: number };
  functions: { phi_rmse_by_type: number[] | null; psi_rmse: number; phi_range: number[]; psi_range: number[] };
}

export async function plotCommand(configFile: string | undefined, opts: PlotCommandOptions): Promise<PlotMetrics> {
  const log = stderrLog(opts.quiet);
  const run = openTrainedRun(configFile, opts.set ?? [], opts.runs, opts.checkpoint);
  const { loaded, paths, summary, chosen, truth, params, N, shape } = run;
  const list = run.checkpoints;
  const { backend, engine } = await makeBackend("auto", opts.threads, N, [shape.psi, shape.phi], log);
  try {
    const p = new ParamSet(shape, backend);
    loadCheckpoint(chosen.path, p);
    log(`evaluating ${chosen.path}${Number.isFinite(chosen.totalIterations) ? ` (${chosen.totalIterations} iterations)` : ""}`);
    const pl = loaded.config.plotting;
    const settings = {
      xnorm: summary.xnorm,
      g: params[0][0],
      phiRange: pl.mlp0_xlim as [number, number],
      psiRange: pl.mlp1_xlim as [number, number],
      clusterThreshold: loaded.config.training.cluster_distance_threshold,
    };
    const ev = evaluate(backend, p, truth, settings);
    const figures: string[] = [];
    const save = async (name: string, svg: string) => figures.push((await saveFigure(paths.figures, name, svg)).svg);

    // Fig 2d: learned W (corrected, divided by the corrected slope), same orientation as Fig 2c.
    const slope = ev.corrected?.slope ?? 1;
    const Wshow = ev.Wcorr.map((w) => w / slope);
    await save("fig2d_connectivity_learned", connectivityHeatmap(Wshow, N, { title: "learned connectivity W*" }));
    if (ev.corrected && truth.W) {
      await save(
        "fig2e_W_learned_vs_true",
        rasterScatter(truth.W, ev.Wcorr, {
          xLabel: "true Wᵢⱼ",
          yLabel: "learned Wᵢⱼ",
          text: [`R² ${fmt(ev.corrected.r2, 4)}`, `slope ${fmt(ev.corrected.slope, 3)}`],
        }),
      );
    } else log("Fig 2e skipped: the dataset has no true connectivity");
    await save("fig2f_embeddings", embeddingPanel(p.a, shape.embeddingDim, truth.types));
    await save(
      "fig2g_phi",
      phiPanel(ev.phi.r, ev.phi.F, truth.types, trueCurves(truth), {
        xDomain: settings.phiRange,
        yDomain: pl.mlp0_ylim as [number, number],
      }),
    );
    await save(
      "fig2h_psi",
      psiPanel(ev.psi.r, ev.psi.y, { xDomain: settings.psiRange, yDomain: pl.mlp1_ylim as [number, number] }),
    );

    // Training curve and montage (Supp Fig 1) from what training wrote.
    const recs = readMetrics(join(paths.models, METRICS_FILE)).filter((r) => r.W_r2 !== null);
    if (recs.length > 0) {
      const epochs = [...new Set(recs.map((r) => r.epoch))].map((e) => e * summary.schedule.iterationsPerEpoch);
      await save(
        "training_W_r2",
        r2Curve(
          recs.map((r) => ({ iteration: r.total_iterations, r2: r.W_r2 as number })),
          epochs,
        ),
      );
    }
    const columns = montageColumns(list);
    if (columns.length > 0) {
      await save("supp1_training_montage", trainingMontage(backend, shape, columns, truth, ev, loaded, settings));
    }

    const metrics: PlotMetrics = {
      checkpoint: chosen.path,
      total_iterations: Number.isFinite(chosen.totalIterations) ? chosen.totalIterations : null,
      connectivity:
        ev.raw && ev.corrected
          ? {
              r2: ev.corrected.r2,
              slope: ev.corrected.slope,
              r2_raw: ev.raw.r2,
              slope_raw: ev.raw.slope,
              psi_plateau: ev.psiPlateau,
              g: settings.g,
            }
          : null,
      clustering: { accuracy: ev.clustering.accuracy, n_clusters: ev.clustering.nClusters, threshold: settings.clusterThreshold },
      functions: {
        phi_rmse_by_type: ev.phiRmseByType,
        psi_rmse: ev.psiRmse,
        phi_range: [...settings.phiRange],
        psi_range: [...settings.psiRange],
      },
    };
    mergeJson(paths.metrics, { ...metrics });
    logSummary(log, ev, metrics);
    log(`figures: ${figures.map((f) => f.replace(/\.svg$/, ".{svg,png}")).join(", ")}`);
    log(`metrics: ${paths.metrics}`);
    return metrics;
  } finally {
    await engine?.close();
  }
}

function logSummary(log: (s: string) => void, ev: Evaluation, m: PlotMetrics): void {
  log(`ψ* plateau ψ̄ = ${fmt(ev.psiPlateau, 4)}`);
  if (m.connectivity) {
    const c = m.connectivity;
    log(
      `W: R² ${c.r2.toFixed(4)}, slope ${c.slope.toFixed(3)} (raw: R² ${c.r2_raw.toFixed(4)}, slope ${c.slope_raw.toFixed(3)})`,
    );
  }
  log(
    `embeddings: ${m.clustering.n_clusters} clusters` +
      (m.clustering.accuracy === null ? "" : `, accuracy ${m.clustering.accuracy.toFixed(3)} against the true types`),
  );
  if (m.functions.phi_rmse_by_type) log(`φ* RMSE by type: ${m.functions.phi_rmse_by_type.map((v) => v.toFixed(3)).join(", ")}`);
  log(`ψ*/ψ̄ RMSE against tanh: ${m.functions.psi_rmse.toFixed(3)}`);
}

/** Most neurons drawn per φ* thumbnail, thumbnail heatmap size, points per thumbnail curve. */
const MONTAGE_CURVES = 200;
const MONTAGE_HEATMAP = 200;
const MONTAGE_POINTS = 51;

/** The true φ of each type (PDE_N2: −c·x + s·tanh x), when the types are known. */
function trueCurves(truth: Truth): ((x: number) => number)[] {
  return truth.params && truth.nTypes ? truth.params.slice(0, truth.nTypes).map((pp) => (x: number) => truePhi(x, pp)) : [];
}

/**
 * Supp Fig 1: rows a–e = embeddings (min-max per dimension), φ* curves, ψ* divided by ψ̄ (of the final
 * model), W heatmap and learned-vs-true scatter (W*·ψ̄/g divided by the final corrected slope, with
 * R² and slope), one column per checkpoint labelled with its iteration count.
 */
function trainingMontage(
  backend: Backend,
  shape: ReturnType<typeof modelShapeFor>,
  columns: CheckpointFile[],
  truth: Truth,
  final: Evaluation,
  loaded: LoadedConfig,
  settings: EvalSettings,
): string {
  const N = shape.N;
  const pl = loaded.config.plotting;
  const slope = final.corrected?.slope ?? 1;
  const scale = final.psiPlateau / settings.g / slope;
  const rows: string[][] = [[], [], [], [], []];
  const p = new ParamSet(shape, backend);
  const small = { width: 300, height: 300 };
  const truthCurves = trueCurves(truth);
  const limit = truth.W ? 1.1 * absQuantile(truth.W, 0.99) : undefined;
  // Only the curves are needed per checkpoint (not a whole evaluation): φ* and ψ* on 51 points.
  const rPhi = linspace(settings.phiRange[0], settings.phiRange[1], MONTAGE_POINTS);
  const rPsi = linspace(settings.psiRange[0], settings.psiRange[1], MONTAGE_POINTS);
  const curves = new CurveWorkspace(backend, p, MONTAGE_POINTS);
  for (const c of columns) {
    loadCheckpoint(c.path, p);
    rows[0].push(embeddingPanel(p.a, shape.embeddingDim, truth.types, { ...small, normalise: true }));
    rows[1].push(
      phiPanel(rPhi, sampleUpdateFunction(backend, p, curves, rPhi), truth.types, truthCurves, {
        ...small,
        xDomain: settings.phiRange as [number, number],
        yDomain: pl.mlp0_ylim as [number, number],
        every: Math.max(1, Math.ceil(N / MONTAGE_CURVES)),
      }),
    );
    const psi = samplePsi(backend, p, rPsi).map((v) => v / final.psiPlateau);
    rows[2].push(
      psiPanel(rPsi, psi, {
        ...small,
        xDomain: settings.psiRange as [number, number],
        yDomain: pl.mlp1_ylim as [number, number],
      }),
    );
    const W = Float32Array.from(p.W, (w) => w * scale);
    for (let i = 0; i < N; i++) W[i * N + i] = 0;
    const { M, n } = strided(W, N, Math.max(1, Math.ceil(N / MONTAGE_HEATMAP)));
    rows[3].push(connectivityHeatmap(M, n, { inset: 0, limit, lastTick: N }));
    if (truth.W) {
      const f = connectivityFit(W, truth.W, N);
      rows[4].push(
        rasterScatter(truth.W, W, {
          ...small,
          xLabel: "true Wᵢⱼ",
          yLabel: "learned Wᵢⱼ",
          text: [`R² ${f.r2.toFixed(3)}`, `slope ${f.slope.toFixed(2)}`],
        }),
      );
    }
  }
  return montage(
    rows.filter((r) => r.length > 0),
    {
      rowLabels: ["a", "b", "c", "d", "e"],
      columnLabels: columns.map(
        (c) => `${c.totalIterations.toLocaleString("en-US")} iteration${c.totalIterations === 1 ? "" : "s"}`,
      ),
      title: "training: embeddings, φ*, ψ*, W and learned vs true W",
    },
  );
}
