/**
 * `neural-gnn plot [config]`: evaluate the final checkpoint of a training against the ground truth
 * and draw Fig 2d–h, the training montage (Supp Fig 1) and the W R² curve into runs/<name>/figures/;
 * the numbers go to runs/<name>/results/metrics.json, with two of ours beyond the paper: the
 * clustering cut at K = the number of types, and edge detection (precision/recall of |W*| > τ).
 * Per-type colours follow plotting.colormap (tab10, tab20).
 */
import { type EdgeMetrics, type EdgeScore, TRUTH_FREE_RULE } from "../analysis/edges.js";
import { type EvalSettings, type Evaluation, evalSettings, evaluate } from "../analysis/evaluate.js";
import { montageColumn } from "../analysis/montage.js";
import { linspace } from "../core/stats.js";
import { loadCheckpoint } from "../model/checkpoint.js";
import { CurveWorkspace } from "../model/curves.js";
import { ParamSet } from "../model/params.js";
import type { Colormap } from "../plot/colors.js";
import { embeddingPanel, phiPanel, psiByNeuronPanel, psiPanel, r2Curve } from "../plot/functions.js";
import { connectivityHeatmap } from "../plot/heatmap.js";
import { rasterScatter } from "../plot/scatter.js";
import { fmt } from "../plot/svg.js";
import { trainingMontage } from "../plot/training-montage.js";
import { montageColumns } from "../run-folder/checkpoints.js";
import {
  type EdgeResults,
  type EdgeScoreResults,
  type EvaluationMetrics,
  iterationsBefore,
  mergeResults,
  readRecordings,
} from "../run-folder/files.js";
import { makeBackend } from "./backend.js";
import { onRunFolder } from "./command.js";
import { figureSaver } from "./figures.js";
import { plotLearnedOmega } from "./plot-omega.js";
import { plotPsiPairs } from "./plot-pairs.js";
import { type OpenOptions, type TrainedRun, openTrainedRun } from "./trained-run.js";

export interface PlotCommandOptions extends OpenOptions {
  set?: string[];
  /** A training recipe (train/recipes.ts): its overrides come before --set. */
  recipe?: string;
  runs: string;
  threads?: number;
  quiet?: boolean;
}

/** Points per curve of the montage thumbnails. */
const MONTAGE_POINTS = 51;

export async function plotCommand(configFile: string | undefined, opts: PlotCommandOptions): Promise<EvaluationMetrics> {
  return onRunFolder(configFile, opts, ({ loaded, paths, log }) => plotRun(openTrainedRun(loaded, paths, opts), opts, log));
}

async function plotRun(run: TrainedRun, opts: PlotCommandOptions, log: (s: string) => void): Promise<EvaluationMetrics> {
  const { loaded, paths, summary, chosen, truth, params, N, shape, model } = run;
  const { backend, engine } = await makeBackend("auto", opts.threads, N, [shape.psi, shape.phi], log);
  try {
    const p = new ParamSet(shape, backend);
    loadCheckpoint(chosen.path, p);
    log(`evaluating ${chosen.path}${Number.isFinite(chosen.totalIterations) ? ` (${chosen.totalIterations} iterations)` : ""}`);
    const pl = loaded.config.plotting;
    const settings = evalSettings(loaded.config, summary.xnorm, model.correctionGain(params));
    const ev = evaluate(backend, p, truth, settings);
    const figures = figureSaver(paths.figures, log);
    const save = figures.save;
    const colormap = figures.colormap(pl.colormap);

    // Fig 2d: learned W (corrected, divided by the corrected slope), same orientation as Fig 2c.
    const slope = ev.corrected?.slope ?? 1;
    await save("fig2d_connectivity_learned", () =>
      connectivityHeatmap(
        ev.Wcorr.map((w) => w / slope),
        N,
        { title: "learned connectivity W*" },
      ),
    );
    const { corrected } = ev;
    const trueW = truth.W;
    if (corrected && trueW) {
      await save("fig2e_W_learned_vs_true", () =>
        rasterScatter(trueW, ev.Wcorr, {
          xLabel: "true Wᵢⱼ",
          yLabel: "learned Wᵢⱼ",
          text: [`R² ${fmt(corrected.r2, 4)}`, `slope ${fmt(corrected.slope, 3)}`],
        }),
      );
    } else log("Fig 2e skipped: the dataset has no true connectivity");
    await save("fig2f_embeddings", () => embeddingPanel(p.a, shape.embeddingDim, truth.types, { colormap }));
    await save("fig2g_phi", () =>
      phiPanel(ev.phi.r, ev.phi.F, truth.types, [...(truth.phi ?? [])], {
        colormap,
        xDomain: settings.phiRange as [number, number],
        yDomain: pl.mlp0_ylim as [number, number],
      }),
    );
    const psiDomains = { xDomain: settings.psiRange as [number, number], yDomain: pl.mlp1_ylim as [number, number] };
    if (ev.psi.nCurves > 1) {
      // PDE_N4: psi*([x, a_j]); PDE_N5: psi*([x, a_j, a_j]), the diagonal pair.
      await save(p.shape.psiPairs ? "supp14h_psi_diagonal" : "supp13h_psi", () =>
        psiByNeuronPanel(ev.psi.r, ev.psi.y, truth.types, [...(truth.psi ?? [])], { colormap, ...psiDomains }),
      );
    } else await save("fig2h_psi", () => psiPanel(ev.psi.r, ev.psi.y, psiDomains));
    const psiPairs = await plotPsiPairs(run, backend, p, save, log);

    // Training curve and montage (Supp Fig 1) from what training wrote.
    const recs = readRecordings(paths.trainingMetrics).filter((r) => r.W_r2 !== null);
    if (recs.length > 0) {
      const epochs = [...new Set(recs.map((r) => r.epoch))].map((e) => iterationsBefore(summary.schedule, e));
      await save("training_W_r2", () =>
        r2Curve(
          recs.map((r) => ({ iteration: r.total_iterations, r2: r.W_r2 as number })),
          epochs,
        ),
      );
    }
    if (montageColumns(run.checkpoints).length > 0)
      await save("supp1_training_montage", () => montageFigure(run, backend, ev, settings, colormap));

    // Fig 3e–g: the learned Ω* of the same checkpoint against the true input (a missing or
    // unreadable SIREN file is a warning: W and the functions are still scored).
    const externalInput = await plotLearnedOmega(run, backend, save, log).catch((e: Error) => {
      figures.warnings.push(`Ω* not scored: ${e.message}`);
      log(`warning: Ω* not scored: ${e.message}`);
      return undefined;
    });

    if (figures.warnings.length) log(`${figures.warnings.length} panel(s) not drawn; see the warnings above`);
    const metrics: EvaluationMetrics = {
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
              psi_norm: {
                method: ev.psiNorm.method,
                range: ev.psiNorm.range,
                fallback: ev.psiNorm.fallback,
                per_neuron: ev.psiNorm.perNeuron,
              },
            }
          : null,
      clustering: {
        accuracy: ev.clustering.accuracy,
        n_clusters: ev.clustering.nClusters,
        threshold: settings.clusterThreshold,
        k_fixed: ev.clustering.kFixed?.k ?? null,
        n_clusters_k_fixed: ev.clustering.kFixed?.nClusters ?? null,
        accuracy_k_fixed: ev.clustering.kFixed?.accuracy ?? null,
      },
      edges: ev.edges ? edgeResults(ev.edges) : null,
      functions: {
        phi_rmse_by_type: ev.phiRmseByType,
        psi_rmse: ev.psiRmse,
        ...(ev.psiRmseByType ? { psi_rmse_by_type: ev.psiRmseByType, psi_width_by_type: ev.psiWidthByType } : {}),
        ...(psiPairs ? { psi_pairs: psiPairs } : {}),
        phi_range: [...settings.phiRange],
        psi_range: [...settings.psiRange],
      },
      // undefined drops an earlier plot's score or warnings from results/metrics.json
      external_input: externalInput,
      warnings: figures.warnings.length ? figures.warnings : undefined,
    };
    mergeResults(paths.metrics, metrics);
    logSummary(log, ev, metrics);
    log(figures.summary());
    log(`metrics: ${paths.metrics}`);
    return metrics;
  } finally {
    await engine?.close();
  }
}

/** The results file's form of the edge metrics (snake_case). */
function edgeResults(e: EdgeMetrics): EdgeResults {
  const score = (s: EdgeScore): EdgeScoreResults => ({ ...s });
  return {
    rule: TRUTH_FREE_RULE,
    n_edges: e.nEdges,
    n_zeros: e.nZeros,
    prevalence: e.prevalence,
    truth_free: score(e.truthFree),
    oracle: score(e.oracle),
    mixture: { sigma: e.mixture.sigma, gamma: e.mixture.gamma, absent_share: e.mixture.absentShare },
    r2_nonzero: e.r2Nonzero,
    slope_nonzero: e.slopeNonzero,
    rms_on_zeros: e.rmsOnZeros,
    rms_on_zeros_relative: e.rmsOnZerosRelative,
  };
}

function logSummary(log: (s: string) => void, ev: Evaluation, m: EvaluationMetrics): void {
  const f = (v: number | null, d = 3) => (v === null || !Number.isFinite(v) ? "—" : v.toFixed(d));
  const n = ev.psiNorm;
  const how = `${n.fallback ? "max |ψ*| (the norm_x range is empty)" : n.method} on [${fmt(n.range[0], 3)}, ${fmt(n.range[1], 3)}]`;
  log(`ψ* plateau ψ̄ = ${fmt(ev.psiPlateau, 4)}${n.perNeuron ? ` (median over senders of ψ̄_j: ${how})` : ""}`);
  if (m.connectivity) {
    const c = m.connectivity;
    log(`W: R² ${f(c.r2, 4)}, slope ${f(c.slope)} (raw: R² ${f(c.r2_raw, 4)}, slope ${f(c.slope_raw)})`);
  }
  log(
    `embeddings: ${m.clustering.n_clusters} clusters at distance ${m.clustering.threshold}` +
      (m.clustering.accuracy === null ? "" : `, accuracy ${m.clustering.accuracy.toFixed(3)} against the true types`) +
      (ev.clustering.kFixed
        ? `; cut at K = ${ev.clustering.kFixed.k}: ${ev.clustering.kFixed.nClusters} clusters, accuracy ${f(ev.clustering.kFixed.accuracy)}`
        : ""),
  );
  if (ev.edges) {
    const e = ev.edges;
    const s = (x: EdgeScore) => `precision ${f(x.precision)}, recall ${f(x.recall)}, F1 ${f(x.f1)}, MCC ${f(x.mcc)}`;
    log(`edge detection, ours (|W*| > τ; ${e.nEdges} true edges, prevalence ${f(e.prevalence)}):`);
    log(`  truth-free τ ${e.truthFree.tau.toPrecision(3)}: ${s(e.truthFree)}`);
    log(`  best (oracle) τ ${e.oracle.tau.toPrecision(3)}: ${s(e.oracle)}`);
    log(`  W R² on true non-zeros ${f(e.r2Nonzero, 4)}, RMS of W* on true zeros ${e.rmsOnZeros.toPrecision(3)}`);
  }
  if (m.functions.phi_rmse_by_type) log(`φ* RMSE by type: ${m.functions.phi_rmse_by_type.map((v) => f(v)).join(", ")}`);
  if (m.functions.psi_rmse_by_type) {
    log(`ψ*/ψ̄ RMSE by sending type against its true ψ: ${m.functions.psi_rmse_by_type.map((v) => f(v)).join(", ")}`);
    log(`ψ* width by type (fit k·tanh(x/w)): ${(m.functions.psi_width_by_type ?? []).map((v) => f(v, 2)).join(", ")}`);
  } else log(`ψ*/ψ̄ RMSE against tanh: ${f(m.functions.psi_rmse)}`);
}

/** Supp Fig 1 over the reference's montage checkpoints, each corrected with the final model's ψ̄ and slope. */
function montageFigure(
  run: TrainedRun,
  backend: Parameters<typeof evaluate>[0],
  final: Evaluation,
  s: EvalSettings,
  colormap: Colormap,
): string {
  const { shape, truth, N } = run;
  const pl = run.loaded.config.plotting;
  const p = new ParamSet(shape, backend);
  const rPhi = linspace(s.phiRange[0], s.phiRange[1], MONTAGE_POINTS);
  const rPsi = linspace(s.psiRange[0], s.psiRange[1], MONTAGE_POINTS);
  const curves = new CurveWorkspace(backend, p, MONTAGE_POINTS);
  const columns = montageColumns(run.checkpoints).map((c) => {
    loadCheckpoint(c.path, p);
    const label = `${c.totalIterations.toLocaleString("en-US")} iteration${c.totalIterations === 1 ? "" : "s"}`;
    return { label, ...montageColumn(backend, p, curves, rPhi, rPsi, final, s.g, truth.W) };
  });
  return trainingMontage(columns, {
    N,
    embeddingDim: shape.embeddingDim,
    rPhi,
    rPsi,
    phiDomain: { x: s.phiRange as [number, number], y: pl.mlp0_ylim as [number, number] },
    psiDomain: { x: s.psiRange as [number, number], y: pl.mlp1_ylim as [number, number] },
    types: truth.types,
    truePhi: [...(truth.phi ?? [])],
    trueW: truth.W,
    colormap,
    ...(final.psi.nCurves > 1 ? { truePsi: [...(truth.psi ?? [])] } : {}),
  });
}
