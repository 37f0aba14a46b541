import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../test/helpers.js";
import { loadConfig } from "../config/load.js";
import { TRAINING_DEFAULTS, TRAINING_EXTENSION_KEYS } from "../config/training-schema.js";
import { referenceBackend } from "../kernels/reference.js";
import { ParamSet, initParams } from "../model/params.js";
import { pdeN2 } from "../signal/pdeN2.js";
import { RECIPES, recipeOf, recipeOverrides } from "./recipes.js";

describe("training recipes", () => {
  const fig2 = join(ROOT, "configs", "signal_fig_2.yaml");

  it("paper leaves the paper's config as it is; every recipe's overrides load", () => {
    expect(loadConfig(fig2, recipeOverrides("paper")).config).toEqual(loadConfig(fig2).config);
    for (const name of Object.keys(RECIPES)) expect(() => loadConfig(fig2, recipeOverrides(name))).not.toThrow();
    expect(loadConfig(fig2).config.training.W_init).toBe("normal");
    const fast = loadConfig(fig2, recipeOverrides("fast")).config.training;
    expect([fast.W_init, fast.first_epoch_batch_size, fast.batch_size]).toEqual(["zeros", 64, 8]);
    expect([
      fast.first_epoch_learning_rate_scale,
      fast.first_epoch_learning_rate_W_scale,
      fast.later_epochs_learning_rate_W_scale,
    ]).toEqual([8, 1, 0.125]);
    const paper = loadConfig(fig2).config.training;
    expect([
      paper.first_epoch_batch_size,
      paper.first_epoch_learning_rate_scale,
      paper.first_epoch_learning_rate_W_scale,
      paper.later_epochs_learning_rate_W_scale,
    ]).toEqual([0, 1, 1, 1]);
    expect(() => recipeOverrides("turbo")).toThrowError(/--recipe turbo: unknown recipe \(known: paper, fast\)/);
  });

  it("each recipe sets every one of neural-gnn's training keys; paper their reference values, whatever the config says", () => {
    const quick = join(ROOT, "configs", "quick.yaml");
    for (const name of Object.keys(RECIPES)) {
      const keys = recipeOverrides(name).map((o) => o.split("=")[0]);
      expect(keys, name).toEqual(expect.arrayContaining(TRAINING_EXTENSION_KEYS.map((k) => `training.${k}`)));
    }
    const asIs = loadConfig(quick).config.training;
    expect(asIs.W_init).toBe("zeros"); // the quick config carries fast's keys
    expect(loadConfig(quick, recipeOverrides("fast")).config).toEqual(loadConfig(quick).config);
    const reference = loadConfig(quick, recipeOverrides("paper")).config.training;
    for (const k of TRAINING_EXTENSION_KEYS) expect(reference[k], k).toBe(TRAINING_DEFAULTS[k]);
    expect({ ...reference, ...Object.fromEntries(TRAINING_EXTENSION_KEYS.map((k) => [k, asIs[k]])) }).toEqual(asIs);
  });

  it("recipeOf names what a training section trains with, recipe or not", () => {
    const quick = join(ROOT, "configs", "quick.yaml");
    expect(recipeOf(loadConfig(fig2).config.training)).toBe("paper");
    expect(recipeOf(loadConfig(quick).config.training)).toBe("fast");
    for (const name of Object.keys(RECIPES))
      expect(recipeOf(loadConfig(quick, recipeOverrides(name)).config.training)).toBe(name);
    const custom = loadConfig(fig2, [...recipeOverrides("fast"), "training.first_epoch_batch_size=32"]).config.training;
    expect(recipeOf(custom)).toBe(
      "custom (W_init=zeros, first_epoch_batch_size=32, first_epoch_learning_rate_scale=8, later_epochs_learning_rate_W_scale=0.125)",
    );
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
