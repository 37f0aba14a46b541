// bench simulate, bench generate: Figure 2's simulation on each engine, and `generate` end to end.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root, round, threads } from "./options.js";

/** The Figure 2 simulation (1000 neurons, 1000 warm-up + 100,001 recorded Euler steps), in memory, on each engine. */
export async function benchSimulate() {
  const { loadConfig } = await import(join(root, "dist/config/load.js"));
  const { buildConnectivity } = await import(join(root, "dist/simulate/generate.js"));
  const { openPdeN2Engine } = await import(join(root, "dist/simulate/engine.js"));
  const { loadNative } = await import(join(root, "dist/kernels/native/addon.js"));
  const { neuronParams, neuronTypes } = await import(join(root, "dist/simulate/neurons.js"));
  const { Rng, STREAMS } = await import(join(root, "dist/core/rng.js"));
  const loaded = loadConfig(join(root, "configs/signal_fig_2.yaml"));
  const sim = loaded.config.simulation;
  const { W } = buildConnectivity(loaded);
  const types = neuronTypes(sim.n_neurons, sim.n_neuron_types);
  const x0 = new Float32Array(sim.n_neurons);
  new Rng(sim.seed, STREAMS.initialState).fillNormal(x0, 5);
  const frames = sim.n_frames + 1;
  const steps = frames - sim.start_frame;
  const engines = "addon" in loadNative() ? ["native", "wasm"] : ["wasm"];
  for (const which of engines) {
    const engine = await openPdeN2Engine(sim.n_neurons, threads, which === "wasm" ? "wasm" : "auto");
    const integ = engine.integrator(W, neuronParams(types, sim.params), x0, 1000, sim.delta_t);
    const t0 = performance.now();
    integ.run(-sim.start_frame, false);
    for (let f = 0; f < frames; f += 1000) integ.run(Math.min(1000, frames - f), true);
    const seconds = (performance.now() - t0) / 1000;
    await engine.close();
    console.log(
      JSON.stringify({
        bench: "simulate",
        backend: which,
        n_neurons: sim.n_neurons,
        frames,
        steps,
        threads: engine.threads,
        seconds: round(seconds),
        frames_per_s: Math.round(steps / seconds),
        peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      }),
    );
  }
}

/** `generate` of Figure 2 end to end (simulation + writing the 800 MB dataset), without figures. */
export async function benchGenerate() {
  const { loadConfig } = await import(join(root, "dist/config/load.js"));
  const { generate } = await import(join(root, "dist/simulate/generate.js"));
  const dir = mkdtempSync(join(tmpdir(), "ngnn-bench-"));
  try {
    const loaded = loadConfig(join(root, "configs/signal_fig_2.yaml"));
    const r = await generate(loaded, { outDir: join(dir, "data"), threads });
    console.log(
      JSON.stringify({
        bench: "generate",
        n_neurons: r.meta.n_neurons,
        frames: r.meta.n_frames,
        threads: r.meta.generator.threads,
        seconds: round(r.seconds),
        frames_per_s: Math.round(r.meta.n_frames / r.seconds),
        peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
