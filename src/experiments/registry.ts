/** The paper's experiments by id, and which one a config belongs to. */
import type { Experiment } from "./experiment.js";
import { fig2 } from "./fig2.js";

/** Implemented experiments; the paper's other notebooks are added here. */
export const EXPERIMENTS: readonly Experiment[] = [fig2];

export function experimentById(id: string): Experiment | undefined {
  return EXPERIMENTS.find((e) => e.id === id);
}

/**
 * The experiment whose pipeline a config runs: the one listing it, else Figure 2's (the quick
 * default and a user's own PDE_N2 config run Figure 2's steps and panels).
 */
export function experimentOfConfig(name: string): Experiment {
  return EXPERIMENTS.find((e) => e.configs.includes(name)) ?? fig2;
}

/** The experiment's case key of a `--new-params` value, if it is one of its cases. */
export function caseOf(e: Experiment, newParams: string): string | undefined {
  return Object.entries(e.generalisation).find(([, c]) => c.newParams === newParams)?.[0];
}
