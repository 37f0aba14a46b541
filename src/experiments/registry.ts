/** The paper's experiments by id, and which one a config belongs to. */
import type { Experiment } from "./experiment.js";
import { fig2 } from "./fig2.js";
import { fig3 } from "./fig3.js";
import { supp3 } from "./supp3.js";
import { supp7 } from "./supp7.js";
import { supp8 } from "./supp8.js";
import { supp10 } from "./supp10.js";
import { supp12 } from "./supp12.js";
import { supp13 } from "./supp13.js";
import { supp14 } from "./supp14.js";

/** Implemented experiments, in the paper's order; the others are added here. */
export const EXPERIMENTS: readonly Experiment[] = [fig2, supp3, supp7, supp8, supp10, supp12, supp13, supp14, fig3];

export function experimentById(id: string): Experiment | undefined {
  return EXPERIMENTS.find((e) => e.id === id);
}

/**
 * The experiment whose pipeline a config runs: the first listing it (or its small form), else
 * Figure 2's (a user's own PDE_N2 config runs Figure 2's steps and panels).
 */
export function experimentOfConfig(name: string): Experiment {
  return (
    EXPERIMENTS.find((e) => e.configs.includes(name) || Object.values(e.small).includes(name) || e.variants?.includes(name)) ??
    fig2
  );
}

/** The experiment's case key of a `--new-params` value, if it is one of its cases. */
export function caseOf(e: Experiment, newParams: string): string | undefined {
  return Object.entries(e.generalisation).find(([, c]) => c.newParams === newParams)?.[0];
}
