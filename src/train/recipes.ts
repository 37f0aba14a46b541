/**
 * Training recipes: named sets of config overrides (`section.key=value`, applied before the
 * user's own --set); without one a config trains as it is. "paper" is the reference's recipe: it
 * sets neural-gnn's training keys to the reference's behaviour (the paper's configs have none, so
 * for them it changes nothing; configs/quick.yaml has fast's). The others are neural-gnn's,
 * measured by `npm run bench -- convergence` (README, "Recipes").
 */
import { applyOverride } from "../config/load.js";
import { TRAINING_DEFAULTS, TRAINING_EXTENSION_KEYS } from "../config/training-schema.js";

export interface Recipe {
  description: string;
  overrides: readonly string[];
}

export const RECIPES = {
  paper: {
    description: "the reference's recipe: the config without neural-gnn's training keys (the paper's configs as they are)",
    overrides: TRAINING_EXTENSION_KEYS.map((key) => `training.${key}=${TRAINING_DEFAULTS[key]}`),
  },
  fast: {
    description:
      "neural-gnn's: W starts at 0 instead of 𝒩(0, 1) noise; epoch 0 in batches of 64 frames (as many frames as every epoch, so 1/8 of the iterations at Figure 2's batch of 8) with the φ*, ψ* and a learning rates ×8; later epochs are the config's but for W's learning rate, ×1/8",
    overrides: [
      "training.W_init=zeros",
      "training.first_epoch_batch_size=64",
      "training.first_epoch_learning_rate_scale=8",
      "training.first_epoch_learning_rate_W_scale=1",
      "training.later_epochs_learning_rate_W_scale=0.125",
    ],
  },
} as const satisfies Record<string, Recipe>;

export type RecipeName = keyof typeof RECIPES;

/** The overrides of recipe `name`, or a clear error listing the recipes. */
export function recipeOverrides(name: string): readonly string[] {
  const r = (RECIPES as Record<string, Recipe>)[name];
  if (!r) throw new Error(`--recipe ${name}: unknown recipe (known: ${Object.keys(RECIPES).join(", ")})`);
  return r.overrides;
}

/** The training keys recipe `r` sets, parsed as --set parses them (config/load.ts applyOverride). */
function recipeKeys(r: Recipe): [string, unknown][] {
  const raw: Record<string, unknown> = {};
  for (const o of r.overrides) applyOverride(raw, o);
  return Object.entries(raw.training as Record<string, unknown>);
}

/**
 * What a training section trained with, for the run's records: the recipe whose neural-gnn keys
 * it has ("paper" for the paper's configs, "fast" for configs/quick.yaml), or "custom" and the keys
 * that differ from the reference's.
 */
export function recipeOf(training: Readonly<Record<(typeof TRAINING_EXTENSION_KEYS)[number], unknown>>): string {
  const values = training as Readonly<Record<string, unknown>>;
  for (const [name, r] of Object.entries(RECIPES) as [string, Recipe][])
    if (recipeKeys(r).every(([key, value]) => values[key] === value)) return name;
  const own = TRAINING_EXTENSION_KEYS.filter((k) => training[k] !== TRAINING_DEFAULTS[k]).map((k) => `${k}=${training[k]}`);
  return `custom (${own.join(", ")})`;
}
