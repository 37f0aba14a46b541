import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, allclose, useEngines, useTempDir } from "../../test/helpers.js";
import { omegaScore } from "../analysis/siren-score.js";
import { readStimulus } from "../io/tiff.js";
import { referenceSirenKernels } from "../kernels/siren.js";
import { wasmSirenKernels } from "../kernels/wasm/siren.js";
import { downsampleVideo, fitSirenToVideo } from "./siren-fit.js";
import { SirenLearner, defaultSirenKernels, loadSirenLearner, saveSirenLearner } from "./siren-learner.js";
import { sirenTape, sirenTrainBackward, sirenTrainForward } from "./siren-train.js";
import { type SirenShape, initSiren, readSiren, sirenGrid, sirenOmega } from "./siren.js";

const SMALL: SirenShape = {
  inFeatures: 3,
  hiddenFeatures: 32,
  hiddenLayers: 2,
  outFeatures: 1,
  outermostLinear: true,
  omega0: 30,
};
const tmp = useTempDir("ngnn-siren-");

describe("SirenLearner", () => {
  it("gives Ω* = f² of the plain forward pass for each frame, neuron p = width·r + c", () => {
    const siren = initSiren(SMALL, 1);
    const L = new SirenLearner(siren, 8, 1000, 1e-4);
    const omega = L.forward([0, 370]);
    expect(omega.length).toBe(128);
    [0, 370].forEach((k, b) => {
      const r = allclose(omega.subarray(b * 64, (b + 1) * 64), sirenOmega(siren, 8, Math.fround(k / 1000)), 1e-4, 1e-5);
      expect(r.ok, r.worst).toBe(true);
    });
  });

  it("accumulates dL/dθ = Σ dL/dΩ*·2f·∂f/∂θ over backward calls, and step zeroes it", () => {
    const k = referenceSirenKernels("f64");
    const siren = initSiren(SMALL, 2);
    const L = new SirenLearner(siren, 4, 100, 1e-4, k);
    const dOmega = Float64Array.from({ length: 16 }, (_, p) => Math.sin(p));
    // The same pass by hand: dL/df = 2f·dΩ, twice.
    const params = siren.layers.map((l) => ({ W: l.weight, b: l.bias }));
    const grads = siren.layers.map((l) => ({ W: new Float64Array(l.weight.length), b: new Float64Array(l.bias.length) }));
    const tape = sirenTape(k, siren, 16);
    L.forward([30]);
    tape.X.set(sirenGrid(4, Math.fround(30 / 100)));
    const f = sirenTrainForward(k, siren, params, tape, 16);
    const df = Array.from(f, (v, p) => 2 * v * dOmega[p]);
    sirenTrainBackward(k, siren, params, tape, df, grads);
    sirenTrainBackward(k, siren, params, tape, df, grads);
    L.backward(dOmega);
    L.backward(dOmega);
    L.grads.forEach((g, l) => {
      expect(allclose(g.W, grads[l].W, 1e-12, 1e-14).ok).toBe(true);
      expect(allclose(g.b, grads[l].b, 1e-12, 1e-14).ok).toBe(true);
    });
    L.step();
    expect(L.t).toBe(1);
    for (const g of L.grads) expect(Math.max(...g.W.map(Math.abs))).toBe(0);
  });

  const engines = useEngines();

  it("steps Adam as PyTorch (first step moves every parameter by lr·sign(g)) on every kernel set", () => {
    for (const kernels of [referenceSirenKernels("f32"), defaultSirenKernels(), wasmSirenKernels(engines.e2)]) {
      const siren = initSiren(SMALL, 3);
      const before = Float32Array.from(siren.layers[1].weight);
      const L = new SirenLearner(siren, 4, 100, 1e-3, kernels);
      L.forward([5]);
      L.backward(new Float32Array(16).fill(0.1));
      const g = Float32Array.from(L.grads[1].W);
      L.step();
      const moved = siren.layers[1].weight.map((w, j) => (before[j] - w) / 1e-3);
      const r = allclose(moved, g.map(Math.sign), 1e-3, 1e-3);
      expect(r.ok, `${kernels.name}: ${r.worst}`).toBe(true);
    }
  });

  it("saves and loads its SIREN and Adam state: training goes on identically, and readSiren reads the file", () => {
    const run = (L: SirenLearner, frames: number[]) => {
      for (const k of frames) {
        const omega = L.forward([k]);
        L.backward(omega.map((o) => o - 1));
        L.step();
      }
    };
    const a = new SirenLearner(initSiren(SMALL, 4), 4, 100, 1e-3);
    run(a, [1, 2, 3]);
    const path = join(tmp.fresh(), "siren.safetensors");
    saveSirenLearner(path, a, { epoch: "0" });
    const b = new SirenLearner(initSiren(SMALL, 99), 4, 100, 1e-3);
    expect(loadSirenLearner(path, b)).toMatchObject({ epoch: "0", "optimizer.step": "3" });
    expect(b.t).toBe(3);
    run(a, [7, 8]);
    run(b, [7, 8]);
    a.siren.layers.forEach((l, i) => {
      expect(b.siren.layers[i].weight).toEqual(l.weight);
      expect(b.siren.layers[i].bias).toEqual(l.bias);
    });
    expect(b.m).toEqual(a.m);
    const read = readSiren(path, 30);
    expect(read.layers.length).toBe(4);
  });
});

describe("SIREN fit to the video (8×8 block means, hidden 32, 2 hidden layers)", () => {
  const video = downsampleVideo(readStimulus(join(ROOT, "data", "video_bisons_32.tif")), 4);

  it("downsamples by block means", () => {
    const full = readStimulus(join(ROOT, "data", "video_bisons_32.tif"));
    expect([video.frames, video.height, video.width]).toEqual([257, 8, 8]);
    let s = 0;
    for (let r = 4; r < 8; r++) for (let c = 8; c < 12; c++) s += full.data[5 * 1024 + r * 32 + c];
    expect(video.data[5 * 64 + 1 * 8 + 2]).toBeCloseTo(s / 16, 5);
  });

  it("reaches R² ≥ 0.95 on the √ scale in 2000 iterations (a static per-pixel mean scores 0.66)", () => {
    const siren = initSiren(SMALL, 42);
    const L = new SirenLearner(siren, 8, 50000, 1e-4);
    const before = omegaScore(siren, video, 50000).r2;
    const fit = fitSirenToVideo(L, video, { iterations: 2000, logEvery: 500 });
    const score = omegaScore(siren, video, 50000, 100, (t) => L.field(t));
    expect(before).toBeLessThan(0.1);
    expect(fit.curve.length).toBe(4);
    expect(fit.curve[3].loss).toBeLessThan(fit.curve[0].loss / 10);
    expect(score.r2).toBeGreaterThanOrEqual(0.95);
    expect(score.slope).toBeGreaterThan(0.9);
    expect(score.slope).toBeLessThan(1.1);
  });
});
