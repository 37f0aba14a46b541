import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, UPSTREAM_CONFIGS, allclose, nativeOrWarn, tempDir, useEngines } from "../../test/helpers.js";
import { loadConfig } from "../config/load.js";
import { Rng } from "../core/rng.js";
import { readSafetensors } from "../io/safetensors.js";
import type { Backend } from "../kernels/backend.js";
import { nativeBackend } from "../kernels/native/backend.js";
import { referenceBackend } from "../kernels/reference.js";
import { wasmBackend } from "../kernels/wasm/backend.js";
import { loadCheckpoint } from "../model/checkpoint.js";
import { ParamSet, initParams } from "../model/params.js";
import { epochIterations, iterationsBefore, plotFrequencyOf } from "../run-folder/files.js";
import { checkpointName } from "../run-folder/layout.js";
import { pdeN2 } from "../signal/pdeN2.js";
import type { TrainingData } from "./data.js";
import { recipeOverrides } from "./recipes.js";
import {
  type Schedule,
  batchSizeOf,
  clusteringAfter,
  firstEpochRates,
  isRecording,
  iterationsPerEpoch,
  lossCoeffsOf,
  makeSchedule,
  ratesAfterEpoch,
  startRates,
} from "./schedule.js";
import { train } from "./trainer.js";

describe("the reference's training schedule", () => {
  it("gives 125,000 iterations per epoch for Figure 2 and records 21 times an epoch", () => {
    expect(iterationsPerEpoch(100_000, 50, 8)).toBe(125_000);
    const rec = Array.from({ length: 125_000 }, (_, it) => it).filter((it) => isRecording(it, 6250));
    expect(rec).toHaveLength(21);
    expect(rec.slice(0, 3)).toEqual([0, 6249, 12499]);
    expect(rec[20]).toBe(124_999);
  });

  it("takes epoch 0's batch size from first_epoch_batch_size, else small_init_batch_size; later epochs batch_size", () => {
    const t = loadConfig(join(ROOT, "configs", "signal_fig_2.yaml")).config.training;
    const sizes = (tt: typeof t) => {
      const s = makeSchedule(tt, 100_000);
      return [s.iterationsPerEpoch, ...[0, 1, 9].map((e) => batchSizeOf(e, s, tt))];
    };
    expect(sizes(t)).toEqual([125_000, 8, 8, 8]);
    expect(sizes({ ...t, small_init_batch_size: true })).toEqual([125_000, 1, 8, 8]);
    expect(sizes({ ...t, first_epoch_batch_size: 16 })).toEqual([125_000, 16, 8, 8]);
    expect(sizes({ ...t, first_epoch_batch_size: 16, small_init_batch_size: true })).toEqual([125_000, 16, 8, 8]);
  });

  it("gives epoch 0 at first_epoch_batch_size the iterations of an epoch at that batch size (as many frames)", () => {
    const t = loadConfig(join(ROOT, "configs", "signal_fig_2.yaml")).config.training;
    const s = makeSchedule({ ...t, first_epoch_batch_size: 64 }, 100_000);
    expect(s).toEqual({
      epochs: 10,
      iterationsPerEpoch: 125_000,
      batchSize: 8,
      plotFrequency: 6250,
      firstEpochIterations: 15_625,
    });
    expect([0, 1, 9].map((e) => [epochIterations(s, e), plotFrequencyOf(s, e), iterationsBefore(s, e)])).toEqual([
      [15_625, 781, 0],
      [125_000, 6250, 15_625],
      [125_000, 6250, 15_625 + 8 * 125_000],
    ]);
    // The reference's epochs (no firstEpochIterations in the schedule: older run folders read the same),
    // and an explicit number of iterations per epoch applies to epoch 0 too.
    expect(makeSchedule({ ...t, first_epoch_batch_size: 8 }, 100_000)).toEqual(makeSchedule(t, 100_000));
    expect(makeSchedule({ ...t, first_epoch_batch_size: 64 }, 100_000, 1, 300).firstEpochIterations).toBeUndefined();
  });

  it("scales epoch 0's learning rates by the first_epoch_learning_rate keys, and gives the config's after it", () => {
    const t = loadConfig(join(ROOT, "configs", "signal_fig_2.yaml")).config.training;
    expect(firstEpochRates(t)).toEqual(startRates(t));
    const s = { ...t, first_epoch_learning_rate_scale: 4, first_epoch_learning_rate_W_scale: 2 };
    expect(firstEpochRates(s)).toEqual({ W: 2e-3, phi: 2e-3, psi: 2e-3, a: 3e-3 });
    expect(ratesAfterEpoch(firstEpochRates(s), s, false, 0)).toEqual(startRates(t));
    // later_epochs_learning_rate_W_scale: W's rate from epoch 1 on; the clustering step keeps it.
    const later = { ...s, later_epochs_learning_rate_W_scale: 0.125 };
    const after0 = ratesAfterEpoch(firstEpochRates(later), later, false, 0);
    expect(after0).toEqual({ ...startRates(t), W: 1.25e-4 });
    expect(ratesAfterEpoch(after0, later, true, 3)).toEqual({ ...after0, psi: 1e-12, a: 1e-12 });
    // After the clustering step with fix_cluster_embedding psi* and a are frozen; W and phi* keep theirs.
    const frozen = ratesAfterEpoch(startRates(t), t, true, 3);
    expect(frozen).toEqual({ ...startRates(t), psi: 1e-12, a: 1e-12 });
    expect(ratesAfterEpoch(frozen, t, false, 4)).toEqual(startRates(t));
  });

  it("clusters only after epoch 3 of 10 (epoch % 4 == 3 and epoch < n_epochs − 4)", () => {
    const t = loadConfig(join(ROOT, "configs", "signal_fig_2.yaml")).config.training;
    const epochs = (n: number) => Array.from({ length: n }, (_, e) => e).filter((e) => clusteringAfter(e, n, t));
    expect(epochs(10)).toEqual([3]);
    expect(epochs(8)).toEqual([3]);
    expect(epochs(7)).toEqual([]);
    expect(epochs(20)).toEqual([3, 7, 11, 15]);
    expect(epochs(10).filter((e) => clusteringAfter(e, 10, { ...t, sparsity: "none" }))).toEqual([]);
  });

  it("switches the loss terms by epoch as n_epochs_init says (Supp Fig 8: edge_diff, then W L1)", () => {
    const supp8 = loadConfig(join(UPSTREAM_CONFIGS, "signal_fig_supp_8.yaml")).config.training;
    const coeffs = Array.from({ length: 10 }, (_, e) => lossCoeffsOf(e, supp8, 4));
    const phase1 = { phiZero: 1, edgeDiff: 100, edgeDelta: 4 / 150, WL1: 0 };
    const phase2 = { phiZero: 1, edgeDiff: 0, edgeDelta: 4 / 150, WL1: 1e-5 };
    expect(coeffs).toEqual([phase1, phase1, ...Array.from({ length: 8 }, () => phase2)]);
    // first_coeff_L1 is the L1 coefficient of the first n_epochs_init epochs.
    expect(lossCoeffsOf(1, { ...supp8, first_coeff_L1: 3e-4 }, 4).WL1).toBe(3e-4);
    expect(lossCoeffsOf(2, { ...supp8, first_coeff_L1: 3e-4 }, 4).WL1).toBe(1e-5);
    // n_epochs_init = 0 (the default): coeff_W_L1 and coeff_edge_diff in every epoch, first_coeff_L1 unused.
    const flat = { ...supp8, n_epochs_init: 0, first_coeff_L1: 3e-4 };
    for (const e of [0, 1, 5, 9])
      expect(lossCoeffsOf(e, flat, 11)).toEqual({ ...phase1, edgeDiff: 100, edgeDelta: 11 / 150, WL1: 1e-5 });
    // Figure 2: the phi-zero term only.
    const fig2 = loadConfig(join(ROOT, "configs", "signal_fig_2.yaml")).config.training;
    expect(lossCoeffsOf(0, fig2, 11)).toEqual({ phiZero: 1, edgeDiff: 0, edgeDelta: 11 / 150, WL1: 0 });
  });
});

/** A small synthetic dataset: N neurons of 2 types, x from a sine mixture, y = −x + W tanh(x). */
function syntheticData(N: number, R: number): TrainingData {
  const r = new Rng(1, 0);
  const W = Float32Array.from({ length: N * N }, (_, k) => (k % (N + 1) === 0 ? 0 : 0.3 * r.normal()));
  const x = Float32Array.from({ length: R * N }, (_, k) => 4 * Math.sin(0.05 * Math.floor(k / N) * (1 + (k % N)) + k));
  const y = new Float32Array(R * N);
  for (let t = 0; t < R; t++) {
    for (let i = 0; i < N; i++) {
      let m = 0;
      for (let j = 0; j < N; j++) m += W[i * N + j] * Math.tanh(x[t * N + j]);
      y[t * N + i] = -(1 + (i % 2)) * x[t * N + i] + Math.tanh(x[t * N + i]) + m;
    }
  }
  const types = Int32Array.from({ length: N }, (_, i) => i % 2);
  const meta = {
    format: "neural-gnn-dataset" as const,
    version: 1,
    n_neurons: N,
    n_frames: R,
    delta_t: 0.01,
    model: "",
    params: [],
    n_neuron_types: 2,
    seed: 0,
  };
  return {
    dir: "(memory)",
    meta,
    N,
    nFrames: R - 1,
    deltaT: 0.01,
    x,
    y,
    derivative: "derivative.npy",
    W,
    types,
    nTypes: 2,
    xStd: 2.8,
    xnorm: 4,
  };
}

describe("training loop", () => {
  const loaded = loadConfig(join(ROOT, "configs", "quick.yaml"), ["graph_model.hidden_dim=8", "graph_model.hidden_dim_update=8"]);
  const data = syntheticData(8, 120);
  const schedule: Schedule = { epochs: 8, iterationsPerEpoch: 20, batchSize: 4, plotFrequency: 5 };
  const run = (outDir: string, extra: Partial<Parameters<typeof train>[0]> = {}) =>
    train({
      config: loaded.config,
      model: pdeN2,
      data,
      backend: referenceBackend("f32"),
      outDir,
      schedule,
      seed: 3,
      info: { data: "(memory)", data_fingerprint: "A" },
      ...extra,
    });
  const metrics = (dir: string) =>
    readFileSync(join(dir, "metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => ({ ...JSON.parse(l), seconds: 0 }));

  it("resumes after an interrupt exactly as an uninterrupted run (across the clustering step)", async () => {
    const a = tempDir("ngnn-train-a-");
    const full = await run(a);
    expect(full.interrupted).toBe(false);
    expect(full.totalIterations).toBe(160);
    expect(full.clustering.map((c) => c.epoch)).toEqual([3]);
    expect(metrics(a)).toHaveLength(8 * 5);

    const b = tempDir("ngnn-train-b-");
    let polls = 0;
    const cut = await run(b, { shouldStop: () => ++polls >= 93 });
    expect(cut.interrupted).toBe(true);
    expect(cut.totalIterations).toBe(93);
    expect(readdirSync(b).filter((f) => f.startsWith("interrupted_"))).toEqual(["interrupted_epoch_4_iter_12.safetensors"]);
    await expect(run(b, { resume: true, info: { data: "(memory)", data_fingerprint: "B" } })).rejects.toThrowError(
      /used other data/,
    );
    const resumed = await run(b, { resume: true });
    expect(resumed.interrupted).toBe(false);
    expect(resumed.totalIterations).toBe(160);
    const last = checkpointName(7);
    expect(readFileSync(join(b, last)).equals(readFileSync(join(a, last)))).toBe(true);
    expect(metrics(b)).toEqual(metrics(a));
    // The same files as the uninterrupted run: the model saved at the interrupt is gone.
    expect(readdirSync(b).sort()).toEqual(readdirSync(a).sort());
  });

  it("trains epoch 0 at the first_epoch_learning_rate scales, later epochs at the config's rates (W's scaled)", async () => {
    const scaled = loadConfig(join(ROOT, "configs", "quick.yaml"), [
      "graph_model.hidden_dim=8",
      "graph_model.hidden_dim_update=8",
      "training.first_epoch_learning_rate_scale=4",
      "training.first_epoch_learning_rate_W_scale=2",
      "training.later_epochs_learning_rate_W_scale=0.5",
    ]).config;
    const t = scaled.training;
    const ratesAt = async (stopAfter: number) => {
      const dir = tempDir("ngnn-train-lr-");
      let polls = 0;
      await run(dir, { config: scaled, shouldStop: () => ++polls >= stopAfter });
      return JSON.parse(readSafetensors(join(dir, "resume.safetensors")).metadata.state).rates;
    };
    expect(await ratesAt(10)).toEqual(firstEpochRates(t));
    expect(firstEpochRates(t).W).toBeCloseTo(2 * t.learning_rate_W_start, 15);
    expect(await ratesAt(30)).toEqual({ ...startRates(t), W: 0.5 * t.learning_rate_W_start });
    // The scales change the numbers of epoch 0.
    const [a, b] = [tempDir("ngnn-train-lr-a-"), tempDir("ngnn-train-lr-b-")];
    const one: Schedule = { ...schedule, epochs: 1 };
    await run(a, { schedule: one });
    await run(b, { schedule: one, config: scaled });
    expect(readFileSync(join(a, checkpointName(0))).equals(readFileSync(join(b, checkpointName(0))))).toBe(false);
  });

  it("runs epoch 0 for firstEpochIterations at first_epoch_batch_size, and resumes in it exactly", async () => {
    const config = loadConfig(join(ROOT, "configs", "quick.yaml"), [
      "graph_model.hidden_dim=8",
      "graph_model.hidden_dim_update=8",
      "training.first_epoch_batch_size=2",
    ]).config;
    const twoPart: Schedule = { ...schedule, epochs: 2, firstEpochIterations: 40 };
    const a = tempDir("ngnn-train-e0-a-");
    const full = await run(a, { config, schedule: twoPart });
    expect(full.totalIterations).toBe(60);
    const recs = metrics(a);
    // 21 recordings in epoch 0 (every 2 iterations), 5 in epoch 1 (every 5).
    expect(recs.filter((r) => r.epoch === 0).map((r) => r.iteration)).toEqual([
      0,
      ...Array.from({ length: 20 }, (_, k) => 2 * k + 1),
    ]);
    expect(recs.filter((r) => r.epoch === 1).map((r) => r.total_iterations)).toEqual([41, 45, 50, 55, 60]);
    const b = tempDir("ngnn-train-e0-b-");
    let polls = 0;
    expect((await run(b, { config, schedule: twoPart, shouldStop: () => ++polls >= 25 })).interrupted).toBe(true);
    expect((await run(b, { config, schedule: twoPart, resume: true })).totalIterations).toBe(60);
    expect(readFileSync(join(b, checkpointName(1))).equals(readFileSync(join(a, checkpointName(1))))).toBe(true);
    expect(metrics(b)).toEqual(metrics(a));
  });

  it("is deterministic and refuses to resume with different settings", async () => {
    const a = tempDir("ngnn-train-c-");
    const b = tempDir("ngnn-train-d-");
    const short: Schedule = { ...schedule, epochs: 1 };
    await run(a, { schedule: short });
    await run(b, { schedule: short });
    expect(readFileSync(join(a, checkpointName(0))).equals(readFileSync(join(b, checkpointName(0))))).toBe(true);
    await expect(run(a, { resume: true, schedule: { ...short, iterationsPerEpoch: 30 } })).rejects.toThrowError(
      /Resume with the same settings/,
    );
  });

  it("keeps a constant with training_single_type (all ones, in every checkpoint), across the clustering step", async () => {
    const single = loadConfig(join(ROOT, "configs", "quick.yaml"), [
      "graph_model.hidden_dim=8",
      "graph_model.hidden_dim_update=8",
      "training.training_single_type=true",
    ]);
    const dir = tempDir("ngnn-train-single-");
    const res = await run(dir, { config: single.config });
    expect(res.clustering.map((c) => c.epoch)).toEqual([3]);
    const be = referenceBackend("f32");
    const init = new ParamSet(pdeN2.modelShape(8, single.config.graph_model), be);
    initParams(init, 3);
    const changed = (q: ParamSet, name: string) => q.tensor(name).some((v, k) => v !== init.tensor(name)[k]);
    for (const name of [checkpointName(0, 4), checkpointName(3), checkpointName(7)]) {
      const q = new ParamSet(init.shape, be);
      loadCheckpoint(join(dir, name), q); // a is in the checkpoint (loadCheckpoint requires every tensor)
      expect(
        Array.from(q.a).every((v) => v === 1),
        name,
      ).toBe(true);
      for (const t of ["W", "lin_edge.layers.0.weight", "lin_phi.layers.0.weight"])
        expect(changed(q, t), `${name} ${t}`).toBe(true);
    }
  });
});

describe("training at batch size 1 with the two-phase loss (edge_diff, then W L1)", () => {
  const engines = useEngines();
  const native = nativeOrWarn();
  const loaded = loadConfig(join(ROOT, "configs", "quick.yaml"), [
    "graph_model.hidden_dim=32",
    "graph_model.hidden_dim_update=32",
    "training.batch_size=1",
    "training.n_epochs_init=1",
    "training.coeff_edge_diff=10",
    "training.coeff_W_L1=1e-4",
    ...recipeOverrides("paper"), // configs/quick.yaml trains with fast's keys
  ]);
  const data = syntheticData(8, 120);
  const schedule: Schedule = { epochs: 2, iterationsPerEpoch: 15, batchSize: 1, plotFrequency: 5 };
  const run = async (
    backend: Backend,
    config = loaded.config,
    dir = tempDir("ngnn-train-b1-"),
    extra: Partial<Parameters<typeof train>[0]> = {},
  ) => {
    const res = await train({
      config,
      model: pdeN2,
      data,
      backend,
      outDir: dir,
      schedule,
      seed: 3,
      info: { data: "(memory)", data_fingerprint: "A" },
      ...extra,
    });
    if (res.interrupted) return { res, params: new Float32Array(), losses: [] };
    const q = new ParamSet(pdeN2.modelShape(8, loaded.config.graph_model), referenceBackend("f32"));
    loadCheckpoint(join(dir, checkpointName(1)), q);
    const losses = readFileSync(join(dir, "metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).loss as number);
    return { res, params: q.data as Float32Array, losses };
  };

  it("resumes in the first phase and switches phase as an uninterrupted run (nothing of the schedule is saved)", async () => {
    const be = referenceBackend("f32");
    const full = await run(be);
    const dir = tempDir("ngnn-train-b1-cut-");
    let polls = 0;
    const cut = await run(be, loaded.config, dir, { shouldStop: () => ++polls >= 8 });
    expect(cut.res.interrupted).toBe(true);
    const resumed = await run(be, loaded.config, dir, { resume: true });
    expect(resumed.res.totalIterations).toBe(30);
    expect(resumed.params).toEqual(full.params);
    expect(resumed.losses).toEqual(full.losses);
  });

  it("agrees with the float32 reference (wasm, and native where it builds)", async () => {
    const ref = await run(referenceBackend("f32"));
    expect(ref.res.totalIterations).toBe(30);
    // The first recording's loss includes the edge_diff term of epoch 0.
    const plain = await run(referenceBackend("f32"), {
      ...loaded.config,
      training: { ...loaded.config.training, coeff_edge_diff: 0 },
    });
    expect(ref.losses[0]).toBeGreaterThan(plain.losses[0]);
    const nat = "addon" in native ? nativeBackend({ threads: 2 }) : undefined;
    const others: [string, Backend][] = [["wasm", wasmBackend(engines.e2)]];
    if (nat) others.push(["native", nat]);
    for (const [name, be] of others) {
      const got = await run(be);
      got.losses.forEach((l, k) => expect(Math.abs(l - ref.losses[k]) / ref.losses[k], `${name} loss ${k}`).toBeLessThan(1e-4));
      const r = allclose(got.params, ref.params, 1e-3, 1e-4);
      expect(r.ok, `${name}: ${r.worst}`).toBe(true);
    }
    nat?.close();
  });
});
