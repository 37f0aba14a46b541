import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../test/helpers.js";
import { loadConfig } from "../config/load.js";
import { referenceBackend } from "../kernels/reference.js";
import { ParamSet, initParams } from "../model/params.js";
import { pdeN2 } from "../signal/pdeN2.js";
import { RECIPES, recipeOverrides } from "./recipes.js";

describe("training recipes", () => {
  const fig2 = join(ROOT, "configs", "signal_fig_2.yaml");

  it("paper leaves the paper's config as it is; every recipe's overrides load", () => {
    expect(loadConfig(fig2, recipeOverrides("paper")).config).toEqual(loadConfig(fig2).config);
    for (const name of Object.keys(RECIPES)) expect(() => loadConfig(fig2, recipeOverrides(name))).not.toThrow();
    expect(loadConfig(fig2).config.training.W_init).toBe("normal");
    const fast = loadConfig(fig2, recipeOverrides("fast")).config.training;
    expect([fast.W_init, fast.first_epoch_batch_size, fast.batch_size]).toEqual(["zeros", 64, 8]);
    expect([fast.first_epoch_learning_rate_scale, fast.first_epoch_learning_rate_W_scale]).toEqual([8, 1]);
    const paper = loadConfig(fig2).config.training;
    expect([
      paper.first_epoch_batch_size,
      paper.first_epoch_learning_rate_scale,
      paper.first_epoch_learning_rate_W_scale,
    ]).toEqual([0, 1, 1]);
    expect(() => recipeOverrides("turbo")).toThrowError(/--recipe turbo: unknown recipe \(known: paper, fast\)/);
  });

  it("W_init zeros starts W at 0 and the MLPs exactly as the reference's initialisation", () => {
    const shape = pdeN2.modelShape(20, loadConfig(fig2).config.graph_model);
    const a = new ParamSet(shape, referenceBackend("f32"));
    const b = new ParamSet(shape, referenceBackend("f32"));
    initParams(a, 3, "normal");
    initParams(b, 3, "zeros");
    expect(Array.from(b.W).every((w) => w === 0)).toBe(true);
    expect(Array.from(a.W).filter((w) => w !== 0).length).toBe(20 * 19);
    expect(Array.from(b.data.subarray(b.W.length))).toEqual(Array.from(a.data.subarray(a.W.length)));
  });
});
