/**
 * `neural-gnn test [config]`: rollout of the trained model against the true system (Supp Fig 2),
 * and with --new-params the generalisation to a modified network (Supp Figs 5, 6). Figures go to
 * runs/<name>/figures/, numbers to runs/<name>/results/metrics.json under "rollout" and
 * "generalisation".
 */
import { ROLLOUT_FRAMES, type RolloutComparison, compareRollouts, generalisationNetwork } from "../analysis/generalisation.js";
import { parseNewParams } from "../analysis/rollout.js";
import { experimentOfConfig } from "../experiments/registry.js";
import { caseOf } from "../experiments/registry.js";
import { readNpyRows } from "../io/npy.js";
import { loadCheckpoint } from "../model/checkpoint.js";
import { ParamSet } from "../model/params.js";
import { connectivityHeatmap } from "../plot/heatmap.js";
import { rolloutPanel, rolloutQuality, typeHistogram } from "../plot/rollout.js";
import { type FigureId, generalisationFigures } from "../run-folder/figures.js";
import { type FitAt, type TestMetrics, mergeResults } from "../run-folder/files.js";
import type { ConnectivityType } from "../simulate/connectivity.js";
import { DATASET_FILES } from "../simulate/dataset.js";
import { makeBackend } from "./backend.js";
import { onRunFolder } from "./command.js";
import { figureSaver } from "./figures.js";
import { type OpenOptions, type TrainedRun, openTrainedRun } from "./trained-run.js";

export interface TestCommandOptions extends OpenOptions {
  set?: string[];
  /** A training recipe (train/recipes.ts): its overrides come before --set. */
  recipe?: string;
  runs: string;
  newParams?: string[];
  steps?: number;
  threads?: number;
  quiet?: boolean;
}

/** Neurons whose traces the reference draws (N = 1000). */
const REFERENCE_NEURONS = [20, 30, 100, 150, 260, 270, 520, 620, 720, 780];
/** Most float32 values the two rollouts may hold together (2 GiB). */
const MAX_ROLLOUT_VALUES = 2 ** 29;

export async function testCommand(configFile: string | undefined, opts: TestCommandOptions): Promise<TestMetrics> {
  return onRunFolder(configFile, opts, ({ loaded, paths, log }) => testRun(openTrainedRun(loaded, paths, opts), opts, log));
}

async function testRun(run: TrainedRun, opts: TestCommandOptions, log: (s: string) => void): Promise<TestMetrics> {
  const { loaded, paths, dataDir, dataset, chosen, truth, params, N, shape, model } = run;
  if (!truth.W || !truth.types || !truth.nTypes) {
    throw new Error(`${dataDir}: the rollout test re-simulates the true system and needs connectivity.npy and neuron_types.npy`);
  }
  if (dataset.external_input) {
    throw new Error(
      `${dataDir}: the rollout test with an external input (Figure 3's Ω, external_input.npy) is not implemented yet`,
    );
  }
  const { W: trueW, types, nTypes } = truth;
  const cases = (opts.newParams ?? []).map((text) => ({ text, ...parseNewParams(text, nTypes) }));
  const steps = opts.steps ?? 1000;
  if (2 * (steps + 1) * N > MAX_ROLLOUT_VALUES) {
    throw new Error(
      `--steps ${steps}: two rollouts of ${N} neurons would hold ${2 * (steps + 1) * N} values; at most ${Math.floor(MAX_ROLLOUT_VALUES / (2 * N)) - 1} steps`,
    );
  }
  const dt = dataset.delta_t;
  const x0 = readNpyRows(`${dataDir}/${DATASET_FILES.activity}`, 0, 1).data;
  const neurons =
    N >= 1000
      ? REFERENCE_NEURONS
      : Array.from({ length: Math.min(10, N) }, (_, k) => Math.floor(((k + 0.5) * N) / Math.min(10, N)));
  const experiment = experimentOfConfig(loaded.name);
  const { backend, engine } = await makeBackend("auto", opts.threads, N, [shape.psi, shape.phi], log);
  const figures = figureSaver(paths.figures, log);
  try {
    const p = new ParamSet(shape, backend);
    loadCheckpoint(chosen.path, p);
    log(`model ${chosen.path}; ${steps} Euler steps of Δt ${dt} from frame 0 of ${dataDir}`);

    /** Panels of a comparison: figures `ids.t400`, `ids.t800`, `ids.quality`. */
    const draw = async (ids: { t400: FigureId; t800: FigureId; quality: FigureId }, label: string, c: RolloutComparison) => {
      for (const step of ROLLOUT_FRAMES) {
        if (step > steps) continue;
        const title = `${label}: step ${step}`;
        await figures.save(ids[`t${step}`], () =>
          rolloutPanel({ truth: c.truth, learned: c.learned, N, step, neurons, ...c.fits[step], title }),
        );
      }
      await figures.save(ids.quality, () =>
        rolloutQuality(c.metrics.every10, { title: `${label}: true vs learned over the rollout` }),
      );
      log(`${label}: R² ${fmtFit(c.metrics.t400)} at step 400, ${fmtFit(c.metrics.t800)} at step 800`);
    };

    const base = compareRollouts(backend, p, model.trueSystem(trueW, types, params), x0, steps, dt);
    await draw({ t400: "supp2_rollout_t400", t800: "supp2_rollout_t800", quality: "supp2_rollout_quality" }, "rollout", base);

    const generalisation: TestMetrics["generalisation"] = {};
    const sim = loaded.config.simulation;
    const type = (
      ["Lorentz", "Gaussian", "uniform"].includes(sim.connectivity_type) ? sim.connectivity_type : "Lorentz"
    ) as ConnectivityType;
    for (const c of cases) {
      const key = caseOf(experiment, [c.ff, ...c.percentages].join(",")) ?? `ff${c.ff}_types${c.percentages.join("-")}`;
      const net = generalisationNetwork(backend, p, trueW, types, c, type, sim.seed);
      const ids = generalisationFigures(key);
      await figures.save(ids.histogram, () =>
        typeHistogram(net.types, nTypes, {
          title: `new neuron types (${c.percentages.join(" / ")} %)`,
          colormap: figures.colormap(loaded.config.plotting.colormap),
        }),
      );
      await figures.save(ids.connectivity, () =>
        connectivityHeatmap(net.W, N, {
          title: "new connectivity W",
          limit: 0.1,
          note: `${net.nonZeros.toLocaleString("en-US")} weights kept (ff = ${c.ff})`,
        }),
      );
      const cmp = compareRollouts(backend, net.model, model.trueSystem(net.W, net.types, params), x0, steps, dt);
      await draw(ids, `generalisation ${key} (ff ${c.ff}, types ${c.percentages.join("/")} %)`, cmp);
      generalisation[key] = {
        ...cmp.metrics,
        ff: c.ff,
        percentages: c.percentages,
        weights: net.nonZeros,
        connectivity: `fresh ${type} draw`,
      };
    }
    const metrics: TestMetrics = { rollout: base.metrics, generalisation };
    mergeResults(paths.metrics, metrics);
    log(figures.summary());
    log(`metrics: ${paths.metrics}`);
    return metrics;
  } finally {
    await engine?.close();
  }
}

function fmtFit(f: FitAt): string {
  const ok = (v: number | null): v is number => v !== null && Number.isFinite(v);
  return ok(f.r2) ? `${f.r2.toFixed(3)} (slope ${ok(f.slope) ? f.slope.toFixed(3) : "—"})` : "—";
}
