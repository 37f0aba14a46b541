/**
 * The seam for the paper's experiments (its notebooks): one declarative description each — the
 * configs it runs, the steps per config, the generalisation cases, the report's sections (figure
 * ids with captions) and the paper's numbers to put next to ours. `run <id>` executes one and
 * `run --list` lists them; a new notebook is a new file here and one line in registry.ts.
 */
import type { FigureId } from "../run-folder/figures.js";

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

export interface Experiment {
  id: string;
  /** One line for `run --list`. */
  title: string;
  /** Config file names under configs/ (without .yaml), run in this order. */
  configs: readonly string[];
  steps: readonly Step[];
  /** Generalisation cases of the test step, by key (the key names their figures: supp5b_…). */
  generalisation: Readonly<Record<string, GeneralisationCase>>;
  sections: readonly ReportSection[];
  /** The paper's numbers for this experiment's main config. */
  paper: {
    /** What the numbers are of, e.g. "Figure 2". */
    source: string;
    W_r2?: string;
    W_slope?: string;
    clustering?: string;
    rollout?: { t400: PaperFit; t800: PaperFit };
    /** W R² during training at (iterations, R²). */
    training?: readonly (readonly [number, number])[];
  };
}
