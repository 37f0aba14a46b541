// bench convergence: iterations and seconds to W R² thresholds per recipe on Figure 2's data.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { option, optionAll, root, threads } from "./options.js";

/**
 * Iterations and seconds to W R² 0.9 / 0.99 / 0.999 on Figure 2's data, one line per recipe, and
 * the model's quality where it stopped (R² 0.999 or the --iterations cap).
 */
export async function benchConvergence() {
  const { loadConfig } = await import(join(root, "dist/config/load.js"));
  const { generate } = await import(join(root, "dist/simulate/generate.js"));
  const { loadTrainingData } = await import(join(root, "dist/train/data.js"));
  const { recipeOverrides } = await import(join(root, "dist/train/recipes.js"));
  const { signalModel } = await import(join(root, "dist/signal/registry.js"));
  const { makeBackend } = await import(join(root, "dist/cli/backend.js"));
  const { measureConvergence } = await import(join(root, "dist/analysis/convergence.js"));
  const fig2 = resolve(option("--config", join(root, "configs/signal_fig_2.yaml")));
  const dataDir = resolve(option("--data", join(root, "runs", "bench", "signal_fig_2", "data")));
  if (!existsSync(join(dataDir, "dataset.json"))) {
    console.error(`generating Figure 2's data into ${dataDir} (~800 MB, once)`);
    await generate(loadConfig(fig2), { outDir: dataDir, threads });
  }
  const data = loadTrainingData(dataDir);
  const maxIterations = Number(option("--iterations", "125000"));
  const stopAt = Number(option("--stop-at", "0.999"));
  const sets = optionAll("--set");
  for (const recipe of option("--recipes", "paper,fast").split(",")) {
    const loaded = loadConfig(fig2, [...recipeOverrides(recipe), ...sets]);
    const model = signalModel(loaded.config, loaded.file);
    const shape = model.modelShape(data.N, loaded.config.graph_model);
    const { backend, engine } = await makeBackend("auto", threads, data.N, [shape.psi, shape.phi], (s) => console.error(s));
    const outDir = mkdtempSync(join(tmpdir(), "ngnn-conv-"));
    try {
      const r = await measureConvergence({
        config: loaded.config,
        model,
        data,
        params: data.meta.params,
        backend,
        outDir,
        maxIterations,
        stopAt,
      });
      const extra = sets.length ? { set: sets } : {};
      console.log(
        JSON.stringify({ bench: "convergence", recipe, ...extra, backend: backend.name, threads: threads ?? null, ...r }),
      );
    } finally {
      await engine?.close();
      rmSync(outDir, { recursive: true, force: true });
    }
  }
}
