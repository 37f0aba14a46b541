#!/usr/bin/env node
// Benchmarks, one JSON line per measurement:
//   npm run bench -- [simulate] [generate] [step] [convergence] [siren] [--threads N] [--profile]
//   siren: the SIREN Ω* (Figure 3: hidden 128, 5 hidden layers) forward, backward and Adam step for P = 1024 and 256
//     points, one line per kernel set, thread count and P;
//   step: one line per model (PDE_N2, PDE_N4, PDE_N5, fig3, fig3_learned), backend and thread count; --iterations N
//     caps its steps; --model picks one (fig3: PDE_N4 with the external input Ω and a 5-layer psi*, N = 2048, B = 1;
//     fig3_learned: the same with Ω* of the 1024 input neurons from the SIREN, its backward pass and Adam step);
//     --neurons N (default 1000) sets PDE_N5's network size; --checkpoint FILE --data DIR (PDE_N2): the step
//     from a trained model (a Figure 2 checkpoint) on random frames of its data, as in training (with fresh
//     weights ~half of the MLPs' ReLUs are on, in a trained model fewer: the sparse kernels skip the others);
//     --isa avx512,avx2 times these native kernel sets (default: the best this CPU runs), `isa` in each row
//     (siren too);
//   --profile: the step's time per backend op, one more line per backend and thread count;
//   convergence options: --recipes paper,fast  --iterations N (cap, default 125000)  --data DIR
//     --config FILE (default configs/signal_fig_2.yaml; --data must then hold that config's data)
//     --set section.key=value (repeatable, after the recipe's overrides)  --stop-at R² (default 0.999)
// Uses the built package (dist/, build/kernels.wasm): run `npm run build` first.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const args = process.argv.slice(2);
const which = args.filter((a) => !a.startsWith("--"));
const threadsArg = args.indexOf("--threads");
const threads = threadsArg >= 0 ? Number(args[threadsArg + 1]) : undefined;
const profile = args.includes("--profile");
const option = (name, fallback) => {
  const k = args.indexOf(name);
  return k >= 0 ? args[k + 1] : fallback;
};
/** Every value of a repeatable option. */
function optionAll(name) {
  return args.flatMap((a, k) => (a === name && k + 1 < args.length ? [args[k + 1]] : []));
}
const optionValues = new Set(
  [
    "--threads",
    "--recipes",
    "--iterations",
    "--data",
    "--config",
    "--batch",
    "--loss",
    "--model",
    "--neurons",
    "--stop-at",
    "--checkpoint",
    "--isa",
  ]
    .map(option)
    .filter(Boolean)
    .concat(optionAll("--set")),
);
const benches = {
  simulate: benchSimulate,
  generate: benchGenerate,
  step: benchStep,
  convergence: benchConvergence,
  siren: benchSiren,
};
const selected = which.length ? which.filter((w) => !optionValues.has(w)) : ["simulate"];
for (const name of selected) {
  if (!benches[name]) {
    console.error(`unknown bench "${name}" (known: ${Object.keys(benches).join(", ")})`);
    process.exit(2);
  }
  await benches[name]();
}

/** The Figure 2 simulation (1000 neurons, 1000 warm-up + 100,001 recorded Euler steps), in memory, on each engine. */
async function benchSimulate() {
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

/**
 * Iterations and seconds to W R² 0.9 / 0.99 / 0.999 on Figure 2's data, one line per recipe, and
 * the model's quality where it stopped (R² 0.999 or the --iterations cap).
 */
async function benchConvergence() {
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

function round(x) {
  return Math.round(x * 1000) / 1000;
}

/**
 * One training step, forward, backward, Adam (W's step fused into the backward pass where the
 * backend has it), of the Figure 2 model (PDE_N2: N = 1000, B = 8, the phi*(0, a) regulariser) and
 * of Supp Fig 13's (PDE_N4: psi*([x_j, a_j]), N = 1000, B = 1, edge_diff 100 with δ = 10/150) and
 * of Supp Fig 14's (PDE_N5: psi*([x_j, a_i, a_j]) per edge, B = 1, edge_diff 500 with δ = 10/150),
 * on the native backend (when built) and wasm, for each thread count, then the float32 reference
 * (PDE_N5: only up to N = 100). PDE_N5 takes 10 timed steps after 1 warm-up step (N = 1000: seconds each).
 * --iterations N caps the timed steps per row (a quick check of this code).
 */
async function benchStep() {
  const { WasmEngine } = await import(join(root, "dist/kernels/wasm/engine.js"));
  const { wasmBackend } = await import(join(root, "dist/kernels/wasm/backend.js"));
  const { nativeBackend, nativeUnsupported } = await import(join(root, "dist/kernels/native/backend.js"));
  const { referenceBackend } = await import(join(root, "dist/kernels/reference.js"));
  const { ParamSet, initParams } = await import(join(root, "dist/model/params.js"));
  const { Workspace, lossAndGrad } = await import(join(root, "dist/model/gnn.js"));
  const { Adam } = await import(join(root, "dist/model/adam.js"));
  const { initSiren } = await import(join(root, "dist/model/siren.js"));
  const { SirenLearner } = await import(join(root, "dist/model/siren-learner.js"));
  const cap = Number(option("--iterations", "Infinity"));
  const nPairs = Number(option("--neurons", "1000"));
  // PDE_N2's loss terms by --loss: Figure 2's, or with Supp Fig 8's regularisers (δ = 4/150).
  const LOSSES = {
    fig2: { phiZero: 1, edgeDiff: 0, edgeDelta: 0, WL1: 0 },
    edge_diff: { phiZero: 1, edgeDiff: 100, edgeDelta: 4 / 150, WL1: 0 },
    W_L1: { phiZero: 1, edgeDiff: 0, edgeDelta: 0, WL1: 1e-5 },
  };
  const loss = option("--loss", "fig2");
  const batch = Number(option("--batch", "8"));
  const only = option("--model", undefined);
  const MODELS = ["PDE_N2", "PDE_N4", "PDE_N5", "fig3", "fig3_learned"];
  if (!LOSSES[loss] || !(batch >= 1) || (only && !MODELS.includes(only)) || !(nPairs >= 2)) {
    console.error(
      `step: --batch ≥ 1, --loss one of ${Object.keys(LOSSES).join(", ")}, --model one of ${MODELS.join(", ")}, --neurons ≥ 2`,
    );
    process.exit(2);
  }
  const models = [
    {
      model: "PDE_N2",
      B: batch,
      loss,
      shape: { N: 1000, embeddingDim: 2, psi: { sizes: [1, 64, 64, 1] }, phi: { sizes: [3, 64, 64, 1] } },
      coeffs: LOSSES[loss],
    },
    {
      model: "PDE_N4",
      B: 1,
      loss: "supp13",
      shape: { N: 1000, embeddingDim: 2, psi: { sizes: [3, 64, 64, 1] }, phi: { sizes: [3, 64, 64, 1] }, psiEmbedding: true },
      coeffs: { phiZero: 0, edgeDiff: 100, edgeDelta: 10 / 150, WL1: 0 },
    },
    {
      model: "PDE_N5",
      B: 1,
      loss: "supp14",
      shape: { N: nPairs, embeddingDim: 2, psi: { sizes: [5, 64, 64, 1] }, phi: { sizes: [3, 64, 64, 1] }, psiPairs: true },
      coeffs: { phiZero: 0, edgeDiff: 500, edgeDelta: 10 / 150, WL1: 0 },
      iterations: 10,
      warmup: 1,
    },
    {
      // Figure 3 (configs/signal_fig_3.yaml): Ω ⊙ messages, psi* with 5 layers (xnorm 13).
      model: "fig3",
      B: 1,
      loss: "fig3",
      shape: {
        N: 2048,
        embeddingDim: 2,
        psi: { sizes: [3, 64, 64, 64, 64, 1] },
        phi: { sizes: [3, 64, 64, 1] },
        psiEmbedding: true,
      },
      coeffs: { phiZero: 1, edgeDiff: 10, edgeDelta: 13 / 150, WL1: 1e-12 },
      externalInput: true,
    },
  ];
  // Figure 3 with the learned Ω* (the paper's config): the SIREN 3 → 128 → 5 × 128 → 1 on 32×32.
  models.push({ ...models.find((m) => m.model === "fig3"), model: "fig3_learned", learned: true });
  const trained = await trainedState(option("--checkpoint", undefined), option("--data", undefined), models[0].shape);
  const threadCounts = threads ? [threads] : [...new Set([1, 2, (await import("node:os")).availableParallelism()])];
  const isas = await isaOption("step");
  const selected = models.filter((m) => !only || m.model === only);
  for (const { model, B, loss, shape, coeffs, iterations, warmup = 5, externalInput, learned } of selected) {
    const N = shape.N;
    const from = model === "PDE_N2" ? trained : undefined;
    const row = { model, n_neurons: N, batch: B, loss, ...(from ? { checkpoint: from.name } : {}) };
    const measure = (backend, wanted) => {
      const iters = Math.min(iterations ?? wanted, cap);
      const p = new ParamSet(shape, backend);
      if (from) from.load(p);
      else initParams(p, 1);
      const grad = new ParamSet(shape, backend);
      const ws = new Workspace(p, B, backend, externalInput === true);
      if (ws.omega) for (let k = 0; k < B * N; k++) ws.omega[k] = k % N < N / 2 ? 0.5 + ((k * 7) % 10) / 10 : 1;
      const opt = new Adam(backend, p, { W: 1e-3, psi: 5e-4, phi: 5e-4, a: 7.5e-4 });
      const X = backend.alloc(B * N);
      const Y = backend.alloc(B * N);
      for (let k = 0; k < B * N; k++) {
        X[k] = 7.5 * Math.sin(k * 12.9898);
        Y[k] = 3.8 * Math.cos(k * 78.233);
      }
      // The SIREN Ω* as train/external-input.ts runs it: forward → Ω[0 … P), then dL/dΩ* → backward, step.
      const sirenShape = {
        inFeatures: 3,
        hiddenFeatures: 128,
        hiddenLayers: 5,
        outFeatures: 1,
        outermostLinear: true,
        omega0: 30,
      };
      const learner = learned ? new SirenLearner(initSiren(sirenShape, 1), 32, 50000, 1e-5, backend.siren) : undefined;
      const P = 1024;
      const times = [];
      for (let it = 0; it < iters + warmup; it++) {
        if (from) from.fill(X, Y, B);
        const t0 = performance.now();
        if (learner) ws.omega.set(learner.forward([(it * 7919) % 50000]));
        lossAndGrad(backend, p, grad, ws, X, Y, B, coeffs, opt);
        opt.step(p, grad);
        if (learner) {
          learner.backward(ws.dOmega.subarray(0, P));
          learner.step();
        }
        if (it >= warmup) times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const q = (f) => round(times[Math.min(times.length - 1, Math.floor(f * times.length))]);
      return { ms_median: q(0.5), ms_p10: q(0.1), ms_p90: q(0.9) };
    };
    const report = (backend, name, t, iters, isa) => {
      const id = { backend: name, ...(isa ? { isa } : {}), threads: t };
      console.log(JSON.stringify({ bench: "train_step", ...row, ...id, ...measure(backend, iters) }));
      if (!profile) return;
      const { timed, ops } = timedBackend(backend, shape, B * N);
      const steps = Math.min(iterations ?? iters, cap) + warmup;
      const ms = measure(timed, iters).ms_median;
      const perStep = Object.fromEntries(Object.entries(ops).map(([k, v]) => [k, round(v / steps)]));
      const inOps = Object.values(perStep).reduce((a, b) => a + b, 0);
      console.log(
        JSON.stringify({
          bench: "train_step_profile",
          ...row,
          ...id,
          ms_median: ms,
          ops_ms: perStep,
          other_ms: round(ms - inOps),
        }),
      );
    };
    const nativeWhy = nativeUnsupported([shape.psi, shape.phi]);
    if (nativeWhy) console.error(`native backend skipped: ${nativeWhy}`);
    for (const t of threadCounts) {
      for (const isa of nativeWhy ? [] : isas) {
        const backend = nativeBackend({ threads: t, isa });
        report(backend, "native", t, 400, backend.isa);
        backend.close();
      }
      const engine = await WasmEngine.create({ threads: t });
      report(wasmBackend(engine), "wasm", t, 200);
      await engine.close();
    }
    if (model !== "PDE_N5" || N <= 100) {
      const r = measure(referenceBackend("f32"), 3);
      console.log(JSON.stringify({ bench: "train_step", ...row, backend: "reference-f32", threads: 1, ...r }));
    }
  }
}

/**
 * --checkpoint FILE --data DIR: { name, load(p), fill(X, Y, B) } (the model's parameters; B random
 * frames of x and dx/dt, drawn with a fixed seed), or undefined without --checkpoint.
 */
async function trainedState(file, dataDir, shape) {
  if (!file) return undefined;
  if (!dataDir) {
    console.error("step: --checkpoint needs --data DIR (the dataset the model was trained on)");
    process.exit(2);
  }
  const { loadCheckpoint } = await import(join(root, "dist/model/checkpoint.js"));
  const { loadTrainingData } = await import(join(root, "dist/train/data.js"));
  const { Rng } = await import(join(root, "dist/core/rng.js"));
  const { fillBatch } = await import(join(root, "dist/train/trainer.js"));
  const { ParamSet } = await import(join(root, "dist/model/params.js"));
  const { referenceBackend } = await import(join(root, "dist/kernels/reference.js"));
  let data;
  try {
    data = loadTrainingData(resolve(dataDir));
    if (data.N !== shape.N) throw new Error(`${dataDir} has ${data.N} neurons; the PDE_N2 row is Figure 2's model (${shape.N})`);
    loadCheckpoint(resolve(file), new ParamSet(shape, referenceBackend("f32")));
  } catch (e) {
    console.error(`step: ${e.message}`);
    process.exit(2);
  }
  const rng = new Rng(1);
  return {
    name: file,
    load: (p) => loadCheckpoint(resolve(file), p),
    fill: (X, Y, B) =>
      fillBatch(
        data,
        Array.from({ length: B }, () => rng.int(data.nFrames - 1)),
        X,
        Y,
      ),
  };
}

/** Native kernel sets to time (--isa avx2,generic; default "": the best this CPU runs); exits on one it cannot run. */
async function isaOption(bench) {
  const isas = option("--isa", "").split(",");
  const { nativeIsas } = await import(join(root, "dist/kernels/native/addon.js"));
  const runnable = nativeIsas();
  const unknown = isas.filter((isa) => isa && !runnable.includes(isa));
  if (unknown.length) {
    console.error(
      `${bench}: --isa ${unknown.join(",")}: not a kernel set this CPU runs (${runnable.join(", ") || "native off"})`,
    );
    process.exit(2);
  }
  return isas;
}

/** SirenLearner's passes at Figure 3's size: median ms of forward, forward + backward, and the whole step. */
async function benchSiren() {
  const { initSiren } = await import(join(root, "dist/model/siren.js"));
  const { SirenLearner } = await import(join(root, "dist/model/siren-learner.js"));
  const { referenceSirenKernels } = await import(join(root, "dist/kernels/siren.js"));
  const { nativeBackend } = await import(join(root, "dist/kernels/native/backend.js"));
  const { loadNative } = await import(join(root, "dist/kernels/native/addon.js"));
  const shape = { inFeatures: 3, hiddenFeatures: 128, hiddenLayers: 5, outFeatures: 1, outermostLinear: true, omega0: 30 };
  const threadCounts = threads ? [threads] : [1, 2];
  const sets = [];
  const isas = await isaOption("siren");
  if ("addon" in loadNative())
    for (const t of threadCounts)
      for (const isa of isas) sets.push({ name: "native", t, make: () => nativeBackend({ threads: t, isa }) });
  else console.error("native backend skipped: addon not available");
  const { WasmEngine } = await import(join(root, "dist/kernels/wasm/engine.js"));
  const { wasmSirenKernels } = await import(join(root, "dist/kernels/wasm/siren.js"));
  for (const t of threadCounts) {
    const engine = await WasmEngine.create({ threads: t });
    sets.push({ name: "wasm", t, make: () => ({ siren: wasmSirenKernels(engine), close() {} }), engine });
  }
  sets.push({ name: "reference-f32", t: 1, make: () => ({ siren: referenceSirenKernels("f32"), close() {} }) });
  for (const set of sets) {
    for (const width of [32, 16]) {
      const be = set.make();
      const learner = new SirenLearner(initSiren(shape, 1), width, 50000, 1e-5, be.siren);
      const dOmega = new Float32Array(width * width).fill(1e-3);
      const reps = set.name === "reference-f32" ? 4 : 40;
      const t = { fwd: [], fwdBwd: [], step: [] };
      for (let it = 0; it < reps + 2; it++) {
        const t0 = performance.now();
        learner.forward([it * 7]);
        const t1 = performance.now();
        learner.backward(dOmega);
        const t2 = performance.now();
        learner.step();
        const t3 = performance.now();
        if (it < 2) continue;
        t.fwd.push(t1 - t0);
        t.fwdBwd.push(t2 - t0);
        t.step.push(t3 - t0);
      }
      const med = (a) => round(a.sort((x, y) => x - y)[Math.floor(a.length / 2)]);
      const isa = be.isa ? { isa: be.isa } : {};
      const row = { bench: "siren", backend: set.name, ...isa, threads: set.t, P: width * width, hidden: 128, layers: 7 };
      console.log(JSON.stringify({ ...row, ms_forward: med(t.fwd), ms_forward_backward: med(t.fwdBwd), ms_step: med(t.step) }));
      be.close();
    }
    await set.engine?.close();
  }
}

/**
 * `backend` with every op timed, by op and role (psi*, phi*, the phi*(0, a) regulariser: phi* on
 * other than the batch's BN samples); sums in `ops`.
 */
function timedBackend(backend, shape, BN) {
  const ops = {};
  const add = (key, ms) => {
    ops[key] = (ops[key] ?? 0) + ms;
  };
  const role = (mlp, S) => (mlp === shape.psi ? "psi" : S === BN ? "phi" : "phi_regul");
  const timed = Object.create(backend);
  const names = ["mlpForward", "mlpBackward", "messages", "messagesBackward", "messagesBackwardAdamW", "adam"];
  for (const name of [...names, "edgeMessages", "edgeMessagesBackward"]) {
    if (!backend[name]) continue;
    timed[name] = (...a) => {
      const t0 = performance.now();
      backend[name](...a);
      const key = name.startsWith("mlp") ? `${name} ${role(a[0], a[3])}` : name;
      add(key, performance.now() - t0);
    };
  }
  return { timed, ops };
}
