/**
 * `neural-gnn test [config]`: rollout of the trained model against the true system (Supp Fig 2),
 * and with --new-params the generalisation to a modified network (Supp Figs 5, 6). Figures go to
 * runs/<name>/figures/, numbers to runs/<name>/results/metrics.json under "rollout" and
 * "generalisation".
 */
import { join } from "node:path";
import { connectivityFit } from "../analysis/regression.js";
import {
  type RolloutFit,
  copyEmbeddings,
  fitsOverTime,
  newConnectivity,
  parseNewParams,
  reassignTypes,
  rolloutFit,
  rolloutLearned,
  rolloutTrue,
} from "../analysis/rollout.js";
import { readNpyRows } from "../io/npy.js";
import { loadCheckpoint } from "../model/checkpoint.js";
import { ParamSet } from "../model/params.js";
import { connectivityHeatmap } from "../plot/heatmap.js";
import { rolloutPanel, rolloutQuality, typeHistogram } from "../plot/rollout.js";
import { saveFigure } from "../plot/save.js";
import type { ConnectivityType } from "../simulate/connectivity.js";
import { DATASET_FILES } from "../simulate/dataset.js";
import { neuronParams } from "../simulate/neurons.js";
import { makeBackend } from "./backend.js";
import { paperCase } from "./paper.js";
import { stderrLog } from "./progress.js";
import { mergeJson, openTrainedRun } from "./trained-run.js";

export interface TestCommandOptions {
  set?: string[];
  runs: string;
  checkpoint?: string;
  newParams?: string[];
  steps?: number;
  threads?: number;
  quiet?: boolean;
}

/** Neurons whose traces the reference draws (N = 1000). */
const REFERENCE_NEURONS = [20, 30, 100, 150, 260, 270, 520, 620, 720, 780];

interface FitAt {
  r2: number;
  slope: number;
  status: RolloutFit["status"];
}

export interface RolloutMetrics {
  steps: number;
  t400: FitAt;
  t800: FitAt;
  /** R² and slope every 10 steps. */
  every10: { step: number; r2: number; slope: number }[];
}

export interface TestMetrics {
  rollout: RolloutMetrics;
  generalisation: Record<string, RolloutMetrics & { ff: number; percentages: number[]; weights: number; connectivity: string }>;
}

export async function testCommand(configFile: string | undefined, opts: TestCommandOptions): Promise<TestMetrics> {
  const log = stderrLog(opts.quiet);
  const run = openTrainedRun(configFile, opts.set ?? [], opts.runs, opts.checkpoint);
  const { loaded, paths, summary, chosen, gt, params, N, shape } = run;
  if (!gt.W || !gt.types || !gt.nTypes) {
    throw new Error(
      `${summary.data}: the rollout test re-simulates the true system and needs connectivity.npy and neuron_types.npy`,
    );
  }
  const trueW = gt.W;
  const types = gt.types;
  const nTypes = gt.nTypes;
  const cases = (opts.newParams ?? []).map((text) => ({ text, ...parseNewParams(text, nTypes) }));
  const steps = opts.steps ?? 1000;
  const dt = gt.meta.delta_t;
  const x0 = readNpyRows(join(summary.data, DATASET_FILES.activity), 0, 1).data;
  const neurons =
    N >= 1000
      ? REFERENCE_NEURONS
      : Array.from({ length: Math.min(10, N) }, (_, k) => Math.floor(((k + 0.5) * N) / Math.min(10, N)));
  const { backend, engine } = await makeBackend("auto", opts.threads, N, [shape.psi, shape.phi], log);
  const figures: string[] = [];
  const save = async (name: string, svg: string) => figures.push((await saveFigure(paths.figures, name, svg)).svg);
  try {
    const p = new ParamSet(shape, backend);
    loadCheckpoint(chosen.path, p);
    log(`model ${chosen.path}; ${steps} Euler steps of Δt ${dt} from frame 0 of ${summary.data}`);

    /** Both rollouts, their fits; figures `names.t400`, `names.t800`, `names.quality`. */
    const compare = async (
      names: { t400: string; t800: string; quality: string },
      label: string,
      W: Float32Array,
      caseTypes: Int32Array,
    ): Promise<RolloutMetrics> => {
      const t0 = performance.now();
      const truth = rolloutTrue(W, neuronParams(caseTypes, params), x0, steps, dt);
      const learned = rolloutLearned(backend, p, x0, steps, dt);
      const at = (step: number): RolloutFit =>
        step > steps
          ? { r2: Number.NaN, slope: Number.NaN, intercept: Number.NaN, status: "too few points" }
          : rolloutFit(truth.subarray(step * N, (step + 1) * N), learned.subarray(step * N, (step + 1) * N));
      const fits = { 400: at(400), 800: at(800) };
      const m: RolloutMetrics = {
        steps,
        t400: strip(fits[400]),
        t800: strip(fits[800]),
        every10: fitsOverTime(truth, learned, N, 10).map(({ step, fit }) => ({ step, r2: fit.r2, slope: fit.slope })),
      };
      for (const step of [400, 800] as const) {
        if (step > steps) continue;
        const title = `${label}: step ${step}`;
        await save(names[`t${step}`], rolloutPanel({ truth, learned, N, step, neurons, ...fits[step], title }));
      }
      await save(names.quality, rolloutQuality(m.every10, { title: `${label}: true vs learned over the rollout` }));
      log(
        `${label}: R² ${fmtFit(m.t400)} at step 400, ${fmtFit(m.t800)} at step 800 (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
      );
      return m;
    };

    const rollout = await compare(
      { t400: "supp2_rollout_t400", t800: "supp2_rollout_t800", quality: "supp2_rollout_quality" },
      "rollout",
      trueW,
      types,
    );
    const generalisation: TestMetrics["generalisation"] = {};
    if (cases.length) {
      const slopeRaw = connectivityFit(p.W, trueW, N).slope;
      const learnedW = Float32Array.from(p.W);
      const learnedA = Float32Array.from(p.a);
      const sim = loaded.config.simulation;
      const type = (
        ["Lorentz", "Gaussian", "uniform"].includes(sim.connectivity_type) ? sim.connectivity_type : "Lorentz"
      ) as ConnectivityType;
      for (const c of cases) {
        // The paper's cases are named after their figures (supp5, supp6).
        const key = paperCase([c.ff, ...c.percentages].join(",")) ?? `ff${c.ff}_types${c.percentages.join("-")}`;
        const { W, nonZeros } = newConnectivity(type, N, sim.seed, c.ff);
        const newTypes = reassignTypes(types, c.percentages);
        p.a.set(copyEmbeddings(learnedA, shape.embeddingDim, types, newTypes, sim.seed));
        for (let k = 0; k < W.length; k++) p.W[k] = W[k] * slopeRaw;
        await save(
          `${key}b_type_histogram`,
          typeHistogram(newTypes, nTypes, { title: `new neuron types (${c.percentages.join(" / ")} %)` }),
        );
        await save(
          `${key}d_connectivity`,
          connectivityHeatmap(W, N, {
            title: "new connectivity W",
            limit: 0.1,
            note: `${nonZeros.toLocaleString("en-US")} weights kept (ff = ${c.ff})`,
          }),
        );
        const paper = key.startsWith("supp");
        const names = {
          t400: paper ? `${key}ef_rollout_t400` : `${key}_rollout_t400`,
          t800: paper ? `${key}gh_rollout_t800` : `${key}_rollout_t800`,
          quality: `${key}_rollout_quality`,
        };
        const m = await compare(names, `generalisation ${key} (ff ${c.ff}, types ${c.percentages.join("/")} %)`, W, newTypes);
        generalisation[key] = {
          ...m,
          ff: c.ff,
          percentages: c.percentages,
          weights: nonZeros,
          connectivity: `fresh ${type} draw`,
        };
        p.W.set(learnedW);
        p.a.set(learnedA);
      }
    }
    const metrics: TestMetrics = { rollout, generalisation };
    mergeJson(paths.metrics, { ...metrics });
    log(`figures: ${figures.map((f) => f.replace(/\.svg$/, ".{svg,png}")).join(", ")}`);
    log(`metrics: ${paths.metrics}`);
    return metrics;
  } finally {
    await engine?.close();
  }
}

function strip(f: FitAt): FitAt {
  return { r2: f.r2, slope: f.slope, status: f.status };
}

function fmtFit(f: FitAt): string {
  return Number.isFinite(f.r2) ? `${f.r2.toFixed(3)} (slope ${Number.isFinite(f.slope) ? f.slope.toFixed(3) : "—"})` : "—";
}
