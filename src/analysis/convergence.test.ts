import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, useTempDir } from "../../test/helpers.js";
import { loadConfig } from "../config/load.js";
import { referenceBackend } from "../kernels/reference.js";
import { signalModel } from "../signal/registry.js";
import { generate } from "../simulate/generate.js";
import { loadTrainingData } from "../train/data.js";
import { measureConvergence } from "./convergence.js";

describe("convergence measurement", () => {
  const tmp = useTempDir("ngnn-conv-");

  it("evaluates the model where training stopped: at an R² threshold, or after the cap's last iteration", async () => {
    const sets = [
      "simulation.n_neurons=20",
      "simulation.n_frames=300",
      "graph_model.hidden_dim=16",
      "graph_model.hidden_dim_update=16",
    ];
    const loaded = loadConfig(join(ROOT, "configs", "quick.yaml"), sets);
    const model = signalModel(loaded.config, loaded.file);
    const dataDir = join(tmp.root, "data");
    await generate(loaded, { model, outDir: dataDir });
    const data = loadTrainingData(dataDir);
    const measure = (maxIterations: number, stopAt: number) =>
      measureConvergence({
        config: loaded.config,
        model,
        data,
        params: data.meta.params,
        backend: referenceBackend("f32"),
        outDir: tmp.fresh(),
        maxIterations,
        stopAt,
      });
    // 45 iterations, recorded every 2: the last one is not a recording, the epoch's end file is read.
    const capped = await measure(45, 2);
    expect(capped.final.iterations).toBe(45);
    expect(capped.iterations_to["0.999"]).toBeNull();
    expect(capped.final.W_r2).not.toBeNull();
    // Stopped at the first R² ≥ −1 (the first check): the model saved at the interrupt.
    const early = await measure(45, -1);
    expect(early.final.iterations).toBeLessThan(45);
    expect(early.final.clustering_accuracy).not.toBeNull();
  });
});
