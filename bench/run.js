#!/usr/bin/env node
// Benchmarks, one JSON line per measurement: `npm run bench -- [simulate] [--threads N]`.
// Uses the built package (dist/, build/kernels.wasm): run `npm run build` first.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const args = process.argv.slice(2);
const which = args.filter((a) => !a.startsWith("--"));
const threadsArg = args.indexOf("--threads");
const threads = threadsArg >= 0 ? Number(args[threadsArg + 1]) : undefined;
const benches = { simulate: benchSimulate, generate: benchGenerate };
const selected = which.length ? which.filter((w) => w !== String(threads)) : ["simulate"];
for (const name of selected) {
  if (!benches[name]) {
    console.error(`unknown bench "${name}" (known: ${Object.keys(benches).join(", ")})`);
    process.exit(2);
  }
  await benches[name]();
}

/** The Figure 2 simulation (1000 neurons, 1000 warm-up + 100,001 recorded Euler steps), in memory. */
async function benchSimulate() {
  const { loadConfig } = await import(join(root, "dist/config/load.js"));
  const { buildConnectivity } = await import(join(root, "dist/simulate/generate.js"));
  const { WasmEngine } = await import(join(root, "dist/kernels/wasm/engine.js"));
  const { PdeN2Integrator } = await import(join(root, "dist/simulate/integrate.js"));
  const { neuronParams, neuronTypes } = await import(join(root, "dist/simulate/neurons.js"));
  const { Rng, STREAMS } = await import(join(root, "dist/simulate/rng.js"));
  const loaded = loadConfig(join(root, "configs/signal_fig_2.yaml"));
  const sim = loaded.config.simulation;
  const { W } = buildConnectivity(loaded);
  const types = neuronTypes(sim.n_neurons, sim.n_neuron_types);
  const x0 = new Float32Array(sim.n_neurons);
  new Rng(sim.seed, STREAMS.initialState).fillNormal(x0, 5);
  const engine = await WasmEngine.create({ threads });
  const integ = new PdeN2Integrator(engine, W, neuronParams(types, sim.params), x0, 1000, sim.delta_t);
  const frames = sim.n_frames + 1;
  const t0 = performance.now();
  integ.run(-sim.start_frame, false);
  for (let f = 0; f < frames; f += 1000) integ.run(Math.min(1000, frames - f), true);
  const seconds = (performance.now() - t0) / 1000;
  await engine.close();
  const steps = frames - sim.start_frame;
  console.log(
    JSON.stringify({
      bench: "simulate",
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

/** `generate` of Figure 2 end to end (simulation + writing the 800 MB dataset), without figures. */
async function benchGenerate() {
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

function round(x) {
  return Math.round(x * 1000) / 1000;
}
