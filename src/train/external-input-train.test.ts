/**
 * Joint training of the GNN and the SIREN Ω* (training.learn_external_input): the learner supplies
 * Ω* for the input neurons, takes its own steps, is saved with every checkpoint and the resume
 * state, and a resumed run continues with the same numbers as an uninterrupted one.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, allclose, nativeOrWarn, tempDir, useEngines } from "../../test/helpers.js";
import { loadConfig } from "../config/load.js";
import { Rng } from "../core/rng.js";
import { readSafetensors } from "../io/safetensors.js";
import type { Backend } from "../kernels/backend.js";
import { nativeBackend } from "../kernels/native/backend.js";
import { referenceBackend } from "../kernels/reference.js";
import { wasmBackend } from "../kernels/wasm/backend.js";
import { loadCheckpoint } from "../model/checkpoint.js";
import { ParamSet } from "../model/params.js";
import { checkpointName, sirenFileName } from "../run-folder/layout.js";
import { pdeN4 } from "../signal/pdeN4.js";
import type { TrainingData } from "./data.js";
import { omegaSourceOf } from "./external-input.js";
import type { Schedule } from "./schedule.js";
import { train } from "./trainer.js";

const FILE = join(ROOT, "configs", "small", "fig3_learned_input.yaml");
const N = 8;
const R = 60;
const loaded = loadConfig(FILE, [
  "graph_model.hidden_dim=8",
  "graph_model.hidden_dim_update=8",
  "graph_model.hidden_dim_nnr_f=8",
  "graph_model.n_layers_nnr_f=1",
  `simulation.n_frames=${R - 1}`,
  "training.learning_rate_NNR_f=1e-3",
]);

/** N = 8 neurons, the first 4 on a 2×2 input grid with Ω_p(k) = 1 + 0.3 sin(0.1k + p); y = −x + Ω ⊙ W tanh(x). */
function data(): TrainingData {
  const r = new Rng(2, 0);
  const W = Float32Array.from({ length: N * N }, (_, k) => (k % (N + 1) === 0 ? 0 : 0.3 * r.normal()));
  const omega = Float32Array.from({ length: R * 4 }, (_, n) => 1 + 0.3 * Math.sin(0.1 * Math.floor(n / 4) + (n % 4)));
  const x = Float32Array.from({ length: R * N }, (_, k) => 4 * Math.sin(0.05 * Math.floor(k / N) * (1 + (k % N)) + k));
  const y = new Float32Array(R * N);
  for (let t = 0; t < R; t++)
    for (let i = 0; i < N; i++) {
      let m = 0;
      for (let j = 0; j < N; j++) m += W[i * N + j] * Math.tanh(x[t * N + j]);
      y[t * N + i] = -x[t * N + i] + (i < 4 ? omega[t * 4 + i] : 1) * m;
    }
  const meta = {
    format: "neural-gnn-dataset" as const,
    version: 1,
    n_neurons: N,
    n_frames: R,
    delta_t: 0.01,
    model: "",
    params: [],
    n_neuron_types: 4,
    seed: 0,
  };
  const types = Int32Array.from({ length: N }, (_, i) => Math.floor(i / 2));
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
    nTypes: 4,
    xStd: 2.8,
    xnorm: 4,
    omega,
    nInput: 4,
  };
}

describe("joint training with a learned Ω*", () => {
  const d = data();
  const schedule: Schedule = { epochs: 2, iterationsPerEpoch: 20, batchSize: 2, plotFrequency: 5 };
  const run = (outDir: string, extra: Partial<Parameters<typeof train>[0]> = {}) =>
    train({
      config: loaded.config,
      model: pdeN4,
      data: d,
      backend: referenceBackend("f32"),
      outDir,
      schedule,
      seed: 5,
      info: { data: "(memory)", data_fingerprint: "A" },
      ...extra,
    });

  it("fills Ω [B, N] with Ω* = f² for the input neurons and 1 for the others; refuses a non-square input grid", () => {
    const source = omegaSourceOf(loaded.config, d, "f.yaml", { seed: 5 })!;
    expect(source.learner?.P).toBe(4);
    const out = new Float32Array(2 * N).fill(-1);
    source.fill([3, 7], out);
    const star = source.learner!.forward([3, 7]);
    expect(Array.from(out.subarray(0, 4))).toEqual(Array.from(star.subarray(0, 4)));
    expect(Array.from(out.subarray(N, N + 4))).toEqual(Array.from(star.subarray(4, 8)));
    expect(Array.from(out.subarray(4, N))).toEqual([1, 1, 1, 1]);
    expect(() => omegaSourceOf(loaded.config, { ...d, nInput: 3 }, "f.yaml", { seed: 5 })).toThrowError(
      /f\.yaml: simulation\.n_input_neurons = 3 is not a square/,
    );
  });

  it("trains the SIREN with its own Adam, saves it with each checkpoint, and resumes with the same numbers", async () => {
    const a = tempDir("ngnn-omega-a-");
    await run(a);
    const end = join(a, sirenFileName(checkpointName(1)));
    const { metadata } = readSafetensors(end);
    expect(metadata["optimizer.step"]).toBe("40"); // one step per iteration, never reset at the epoch end
    const first = readSafetensors(join(a, sirenFileName(checkpointName(0, 0)))).tensors.get("net.0.linear.weight")!.data;
    const last = readSafetensors(end).tensors.get("net.0.linear.weight")!.data;
    expect(Array.from(last)).not.toEqual(Array.from(first));

    const b = tempDir("ngnn-omega-b-");
    let polls = 0;
    const cut = await run(b, { shouldStop: () => ++polls >= 27 });
    expect(cut.interrupted).toBe(true);
    expect(
      readdirSync(b)
        .filter((f) => f.startsWith("interrupted_"))
        .sort(),
    ).toEqual(["interrupted_epoch_1_iter_6.safetensors", "interrupted_epoch_1_iter_6.siren.safetensors"]);
    const resumed = await run(b, { resume: true });
    expect(resumed.totalIterations).toBe(40);
    for (const f of [checkpointName(1), sirenFileName(checkpointName(1))])
      expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
    expect(readdirSync(b).sort()).toEqual(readdirSync(a).sort());
  });

  const engines = useEngines();
  const native = nativeOrWarn();

  it("gives the same bytes for any thread count on wasm and native, close to the float32 reference", async () => {
    // Widths the fast MLP kernels take (H a multiple of 32).
    const fast = loadConfig(FILE, [
      "graph_model.hidden_dim=32",
      "graph_model.hidden_dim_update=32",
      "graph_model.hidden_dim_nnr_f=16",
      "graph_model.n_layers_nnr_f=1",
      `simulation.n_frames=${R - 1}`,
      "training.learning_rate_NNR_f=1e-3",
    ]).config;
    const short: Schedule = { ...schedule, epochs: 1 };
    const files = async (backend: Backend) => {
      const dir = tempDir("ngnn-omega-be-");
      await run(dir, { backend, config: fast, schedule: short });
      const p = new ParamSet(pdeN4.modelShape(N, fast.graph_model), referenceBackend("f32"));
      loadCheckpoint(join(dir, checkpointName(0)), p);
      const siren = readFileSync(join(dir, sirenFileName(checkpointName(0))));
      return { p, siren, omega: readSafetensors(join(dir, sirenFileName(checkpointName(0)))).tensors };
    };
    const ref = await files(referenceBackend("f32"));
    const sets: [string, () => Backend][] = [
      ["wasm-1t", () => wasmBackend(engines.e1)],
      ["wasm-2t", () => wasmBackend(engines.e2)],
    ];
    if ("addon" in native)
      sets.push(["native-1t", () => nativeBackend({ threads: 1 })], ["native-2t", () => nativeBackend({ threads: 2 })]);
    const got = new Map<string, Awaited<ReturnType<typeof files>>>();
    for (const [name, make] of sets) got.set(name, await files(make()));
    for (const family of ["wasm", "native"]) {
      const [a, b] = [got.get(`${family}-1t`), got.get(`${family}-2t`)];
      if (a && b) expect(a.siren.equals(b.siren), `${family}: 1 and 2 threads`).toBe(true);
    }
    for (const [name, g] of got) {
      const r = allclose(Array.from(g.p.W), Array.from(ref.p.W), 1e-3, 1e-4);
      expect(r.ok, `${name} W: ${r.worst}`).toBe(true);
      const w = allclose(
        Array.from(g.omega.get("net.0.linear.weight")!.data),
        Array.from(ref.omega.get("net.0.linear.weight")!.data),
        1e-3,
        1e-4,
      );
      expect(w.ok, `${name} SIREN: ${w.worst}`).toBe(true);
    }
  });
});
