// bench step: one training step per model, backend, kernel set and thread count (--profile: per op).
import { join, resolve } from "node:path";
import { FIG3_SIREN, isaOption, option, profile, root, round, threads } from "./options.js";

/**
 * One training step, forward, backward, Adam (W's step fused into the backward pass where the
 * backend has it), of the Figure 2 model (PDE_N2: N = 1000, B = 8, the phi*(0, a) regulariser) and
 * of Supp Fig 13's (PDE_N4: psi*([x_j, a_j]), N = 1000, B = 1, edge_diff 100 with δ = 10/150) and
 * of Supp Fig 14's (PDE_N5: psi*([x_j, a_i, a_j]) per edge, B = 1, edge_diff 500 with δ = 10/150),
 * on the native backend (when built) and wasm, for each thread count, then the float32 reference
 * (PDE_N5: only up to N = 100). PDE_N5 takes 10 timed steps after 1 warm-up step (N = 1000: seconds each).
 * --iterations N caps the timed steps per row (a quick check of this code).
 */
export async function benchStep() {
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
      const learner = learned ? new SirenLearner(initSiren(FIG3_SIREN, 1), 32, 50000, 1e-5, backend.siren) : undefined;
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
