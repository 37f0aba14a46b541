/**
 * The seam for the paper's experiments (its notebooks): one declarative description each — the
 * configs it runs, the steps per config, the generalisation cases, the report's sections (figure
 * ids with captions) and the paper's numbers to put next to ours. `run <id>` executes one and
 * `run --list` lists them; a new notebook is a new file here and one line in registry.ts.
 */
import type { FigureId, OverlayFigureId } from "../run-folder/figures.js";

/** The pipeline steps of one config. */
export type Step = "generate" | "train" | "plot" | "test";

/** R² and slope of a rollout frame, as the paper reports them. */
export interface PaperFit {
  r2: number;
  slope: number;
}

export interface GeneralisationCase {
  /** The value of `test --new-params`: ff, then one percentage per type. */
  newParams: string;
  /** The paper's figure, e.g. "Supp Fig 5". */
  label: string;
  paper?: { t400: PaperFit; t800: PaperFit; weights: number };
}

export interface ReportSection {
  title: string;
  figures: FigureId[];
}

/** The paper's numbers for one config, as read from its figures. */
export interface PaperNumbers {
  /** What the numbers are of, e.g. "Figure 2". */
  source: string;
  W_r2?: string;
  W_slope?: string;
  clustering?: string;
  rollout?: { t400: PaperFit; t800: PaperFit };
  /** The learned external input Ω* against the true Ω (Figure 3e: R² and slope on the √ scale). */
  external_input?: string;
  /** W R² during training at (iterations, R²). */
  training?: readonly (readonly [number, number])[];
}

export interface Experiment {
  id: string;
  /** One line for `run --list`. */
  title: string;
  /** Config file names under configs/ (without .yaml), run in this order. */
  configs: readonly string[];
  /**
   * The scaled-down form (`run <id> --scale small`): per config, a config under configs/small/
   * with the same features at a size that runs in minutes on 2 cores.
   */
  small: Readonly<Record<string, string>>;
  /**
   * Further configs of this experiment that `run <id>` does not run, run by path (`run
   * configs/small/<name>.yaml`) with this experiment's steps and report (e.g. Figure 3 with Ω given).
   */
  variants?: readonly string[];
  /**
   * Per config, its label in multi-run figures and tables (e.g. "100k", "5 %"); a small form
   * without a label of its own takes its full config's.
   */
  labels?: Readonly<Record<string, string>>;
  /** A figure of W R² against iterations with one line per config, drawn after the last config. */
  overlay?: OverlayFigureId;
  steps: readonly Step[];
  /** Generalisation cases of the test step, by key (the key names their figures: supp5b_…). */
  generalisation: Readonly<Record<string, GeneralisationCase>>;
  sections: readonly ReportSection[];
  /** The paper's numbers for this experiment's main config. */
  paper: PaperNumbers;
  /** The paper's numbers of the other configs, by config name. */
  papers?: Readonly<Record<string, PaperNumbers>>;
}

/** The paper config of `configName`: itself, or the config whose small form it is. */
function fullConfigOf(e: Experiment, configName: string): string {
  return Object.entries(e.small).find(([, s]) => s === configName)?.[0] ?? configName;
}

/** The paper's numbers for `configName` of `e` (its small form included): its own, else the main config's. */
export function paperOf(e: Experiment, configName: string): PaperNumbers {
  return e.papers?.[fullConfigOf(e, configName)] ?? e.paper;
}

/** The label of `configName` (or of its small form) in `e`'s multi-run figures and tables. */
export function labelOf(e: Experiment, configName: string): string {
  const full = fullConfigOf(e, configName);
  return e.labels?.[configName] ?? e.labels?.[full] ?? full;
}
