/**
 * Training recipes: named sets of config overrides (`section.key=value`, applied before the
 * user's own --set). "paper" is the reference's recipe, what the paper's configs say unchanged;
 * the others are neural-gnn's, measured by `npm run bench -- convergence` (README, "Recipes").
 */
export interface Recipe {
  description: string;
  overrides: readonly string[];
}

export const RECIPES = {
  paper: { description: "the reference's recipe: the config as it is", overrides: [] },
  fast: {
    description:
      "neural-gnn's: W starts at 0 instead of 𝒩(0, 1) noise; epoch 0 in batches of 64 frames (as many frames as every epoch, so 1/8 of the iterations at Figure 2's batch of 8) with the φ*, ψ* and a learning rates ×8; later epochs are the config's",
    overrides: ["training.W_init=zeros", "training.first_epoch_batch_size=64", "training.first_epoch_learning_rate_scale=8"],
  },
} as const satisfies Record<string, Recipe>;

export type RecipeName = keyof typeof RECIPES;

/** The overrides of recipe `name`, or a clear error listing the recipes. */
export function recipeOverrides(name: string): readonly string[] {
  const r = (RECIPES as Record<string, Recipe>)[name];
  if (!r) throw new Error(`--recipe ${name}: unknown recipe (known: ${Object.keys(RECIPES).join(", ")})`);
  return r.overrides;
}
