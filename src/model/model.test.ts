import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, fdRelativeErrors, hasNumpy, plainMlp as mlp, python, randomProblem, tempDir } from "../../test/helpers.js";
import { loadConfig } from "../config/load.js";
import { Rng } from "../core/rng.js";
import { referenceBackend } from "../kernels/reference.js";
import { Adam, lrForTensor } from "./adam.js";
import { loadCheckpoint, saveCheckpoint } from "./checkpoint.js";
import { Workspace, forward, lossAndGrad } from "./gnn.js";
import { type ModelShape, ParamSet, initParams, modelShape, tensorSpecs } from "./params.js";
import { lossCoeffs } from "./regularisers.js";

const f64 = referenceBackend("f64");
const PHI0 = lossCoeffs({ phiZero: 1 });

/** A small random problem: N neurons, B frames, MLP widths h; parameters perturbed off init. */
function smallProblem(N: number, B: number, h: number, seed: number, backend = f64) {
  const shape: ModelShape = { N, embeddingDim: 2, psi: { sizes: [1, h, h, 1] }, phi: { sizes: [3, h, h, 1] } };
  const p = new ParamSet(shape, backend);
  initParams(p, seed);
  const r = new Rng(seed, 55);
  for (let k = 0; k < p.a.length; k++) p.a[k] += 0.5 * r.normal();
  for (const t of [...p.psi, ...p.phi]) for (let k = 0; k < t.length; k++) t[k] += 0.05 * r.normal();
  for (let k = 0; k < p.W.length; k++) p.W[k] *= 0.1;
  for (let i = 0; i < N; i++) p.W[i * N + i] = 0;
  const X = backend.alloc(B * N);
  const Y = backend.alloc(B * N);
  for (let k = 0; k < B * N; k++) {
    X[k] = 3 * r.normal();
    Y[k] = r.normal();
  }
  return { shape, p, X, Y };
}

describe("GNN model (reference backend)", () => {
  it("has the reference's parameter names, shapes and count (1,010,834 for Figure 2)", () => {
    const shape = modelShape(1000, {
      hidden_dim: 64,
      n_layers: 3,
      hidden_dim_update: 64,
      n_layers_update: 3,
      embedding_dim: 2,
      input_size: 1,
      input_size_update: 3,
    });
    const specs = tensorSpecs(shape);
    expect(specs.map((s) => s.name)).toEqual([
      "W",
      "a",
      "lin_edge.layers.0.weight",
      "lin_edge.layers.0.bias",
      "lin_edge.layers.1.weight",
      "lin_edge.layers.1.bias",
      "lin_edge.layers.2.weight",
      "lin_edge.layers.2.bias",
      "lin_phi.layers.0.weight",
      "lin_phi.layers.0.bias",
      "lin_phi.layers.1.weight",
      "lin_phi.layers.1.bias",
      "lin_phi.layers.2.weight",
      "lin_phi.layers.2.bias",
    ]);
    const count = (prefix: string) => specs.filter((s) => s.name.startsWith(prefix)).reduce((a, s) => a + s.size, 0);
    expect(count("lin_phi")).toBe(4481);
    expect(count("lin_edge")).toBe(4353);
    expect(specs.reduce((a, s) => a + s.size, 0)).toBe(1_010_834);
  });

  it("initialises as the reference: a = 1, W ~ 𝒩(0,1) with zero diagonal, first layers uniform", () => {
    const shape: ModelShape = { N: 200, embeddingDim: 2, psi: { sizes: [1, 64, 64, 1] }, phi: { sizes: [3, 64, 64, 1] } };
    const p = new ParamSet(shape, f64);
    initParams(p, 1);
    expect(Array.from(p.a).every((v) => v === 1)).toBe(true);
    let ss = 0;
    for (let i = 0; i < 200; i++) expect(p.W[i * 201]).toBe(0);
    for (const v of p.W) ss += v * v;
    expect(Math.sqrt(ss / (200 * 199))).toBeCloseTo(1, 1);
    expect(Math.max(...Array.from(p.psi[0]).map(Math.abs))).toBeLessThanOrEqual(1);
    expect(Math.max(...Array.from(p.phi[0]).map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(3));
    expect(Array.from(p.phi[3]).every((v) => v === 0)).toBe(true);
  });

  it("computes pred = phi*([x, a]) + Σ_{j≠i} W_ij psi*(x_j) (dense form equals per-edge form)", () => {
    const { p, X } = smallProblem(5, 2, 4, 3);
    const ws = new Workspace(p, 2, f64);
    const pred = f64.alloc(10);
    forward(f64, p, ws, X, 2, pred);
    for (let b = 0; b < 2; b++) {
      for (let i = 0; i < 5; i++) {
        let msg = 0;
        for (let j = 0; j < 5; j++) if (j !== i) msg += p.W[i * 5 + j] * mlp(p.psi, [X[b * 5 + j]]); // one psi* per edge
        const expected = mlp(p.phi, [X[b * 5 + i], p.a[2 * i], p.a[2 * i + 1]]) + msg;
        expect(pred[b * 5 + i]).toBeCloseTo(expected, 12);
      }
    }
  });

  it("PDE_N4: pred = phi*([x_i, a_i]) + Σ_{j≠i} W_ij psi*([x_j, a_j]) (per-neuron psi* equals the per-edge form)", () => {
    const N = 5;
    const B = 2;
    const { p, X } = randomProblem(f64, N, B, 3, 4, true);
    const ws = new Workspace(p, B, f64);
    const pred = f64.alloc(B * N);
    forward(f64, p, ws, X, B, pred);
    const a = (n: number) => [p.a[2 * n], p.a[2 * n + 1]];
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < N; i++) {
        let msg = 0;
        for (let j = 0; j < N; j++) if (j !== i) msg += p.W[i * N + j] * mlp(p.psi, [X[b * N + j], ...a(j)]);
        expect(pred[b * N + i]).toBeCloseTo(mlp(p.phi, [X[b * N + i], ...a(i)]) + msg, 12);
      }
    }
  });

  it("shapes PDE_N4's psi* [x_j, a_j] → 64 → 64 → 1 and refuses an input_size that does not fit", () => {
    const gm = { ...loadConfig(join(ROOT, "configs", "signal_fig_2.yaml")).config.graph_model, input_size: 3 };
    const shape = modelShape(1000, gm, true);
    expect(shape.psi.sizes).toEqual([3, 64, 64, 1]);
    expect(shape.psiEmbedding).toBe(true);
    expect(tensorSpecs(shape).find((t) => t.name === "lin_edge.layers.0.weight")?.shape).toEqual([64, 3]);
    expect(() => modelShape(1000, { ...gm, input_size: 1 }, true)).toThrowError(
      "graph_model.input_size must be 1 + embedding_dim = 3 (psi* takes [x_j, a_j]), got 1",
    );
    expect(() => modelShape(1000, gm)).toThrowError(/graph_model\.input_size = 3: .*not implemented/);
  });

  it("shapes the model of configs/signal_fig_2.yaml as the reference's Figure 2 checkpoint", () => {
    const { config } = loadConfig(join(ROOT, "configs", "signal_fig_2.yaml"));
    const shape = modelShape(config.simulation.n_neurons, config.graph_model);
    const dir = tempDir();
    const file = join(dir, "fig2.safetensors");
    saveCheckpoint(file, new ParamSet(shape, referenceBackend("f32")), { epoch: "0" });
    // The safetensors header read by hand: the reference's state_dict, Linear weights [out, in].
    const bytes = readFileSync(file);
    rmSync(dir, { recursive: true });
    const n = Number(bytes.readBigUInt64LE(0));
    const header = JSON.parse(bytes.subarray(8, 8 + n).toString("utf8")) as Record<
      string,
      { dtype: string; shape: number[]; data_offsets: [number, number] }
    >;
    const { __metadata__, ...tensors } = header;
    expect(Object.fromEntries(Object.entries(tensors).map(([name, t]) => [name, [t.dtype, ...t.shape]]))).toEqual({
      W: ["F32", 1000, 1000],
      a: ["F32", 1000, 2],
      mask: ["F32", 1000, 1000],
      "lin_edge.layers.0.weight": ["F32", 64, 1],
      "lin_edge.layers.0.bias": ["F32", 64],
      "lin_edge.layers.1.weight": ["F32", 64, 64],
      "lin_edge.layers.1.bias": ["F32", 64],
      "lin_edge.layers.2.weight": ["F32", 1, 64],
      "lin_edge.layers.2.bias": ["F32", 1],
      "lin_phi.layers.0.weight": ["F32", 64, 3],
      "lin_phi.layers.0.bias": ["F32", 64],
      "lin_phi.layers.1.weight": ["F32", 64, 64],
      "lin_phi.layers.1.bias": ["F32", 64],
      "lin_phi.layers.2.weight": ["F32", 1, 64],
      "lin_phi.layers.2.bias": ["F32", 1],
    });
    // Each tensor's bytes are 4 × its element count, back to back, filling the file.
    const spans = Object.values(tensors)
      .map((t) => t.data_offsets)
      .sort((u, v) => u[0] - v[0]);
    let at = 0;
    for (const [name, t] of Object.entries(tensors)) {
      expect(t.data_offsets[1] - t.data_offsets[0], name).toBe(4 * t.shape.reduce((x, y) => x * y, 1));
    }
    for (const [from, to] of spans) {
      expect(from).toBe(at);
      at = to;
    }
    expect(at).toBe(4 * (1_010_834 + 1000 * 1000)); // parameters and the mask
    expect(8 + n + at).toBe(bytes.length);
  });

  it("refuses a graph_model whose layer sizes do not fit together, naming the keys", () => {
    const fig2 = join(ROOT, "configs", "signal_fig_2.yaml");
    const specsOf = (...set: string[]) => {
      const { config } = loadConfig(fig2, set);
      return tensorSpecs(modelShape(config.simulation.n_neurons, config.graph_model));
    };
    expect(() => specsOf("graph_model.input_size_update=2")).toThrowError(
      "graph_model.input_size_update must be 1 + embedding_dim = 3, got 2",
    );
    expect(() => specsOf("graph_model.embedding_dim=3")).toThrowError(
      "graph_model.input_size_update must be 1 + embedding_dim = 4, got 3",
    );
    expect(() => specsOf("graph_model.input_size=2")).toThrowError(/graph_model\.input_size = 2: .*not implemented/);
    // Sizes that fit together are taken as they are.
    const specs = specsOf("graph_model.embedding_dim=3", "graph_model.input_size_update=4", "graph_model.n_layers=2");
    const shapeOf = (name: string) => specs.find((t) => t.name === name)?.shape;
    expect(shapeOf("a")).toEqual([1000, 3]);
    expect(shapeOf("lin_phi.layers.0.weight")).toEqual([64, 4]);
    expect(specs.filter((t) => t.name.startsWith("lin_edge.")).map((t) => [t.name, t.shape])).toEqual([
      ["lin_edge.layers.0.weight", [64, 1]],
      ["lin_edge.layers.0.bias", [64]],
      ["lin_edge.layers.1.weight", [1, 64]],
      ["lin_edge.layers.1.bias", [1]],
    ]);
  });

  it("has gradients equal to central finite differences (float64, rel. error < 1e-5)", () => {
    const N = 6;
    const B = 3;
    const { p, X, Y, shape } = smallProblem(N, B, 5, 7);
    const grad = new ParamSet(shape, f64);
    const ws = new Workspace(p, B, f64);
    lossAndGrad(f64, p, grad, ws, X, Y, B, PHI0);
    const loss = () => lossAndGrad(f64, p, new ParamSet(shape, f64), ws, X, Y, B, PHI0).total;
    for (const [name, err] of fdRelativeErrors(p, grad, N, loss)) expect(err, name).toBeLessThan(1e-5);
  });

  it("counts the phi*(a_i, 0) regulariser once per batch element", () => {
    const { p, X, Y, shape } = smallProblem(4, 3, 4, 9);
    const ws3 = new Workspace(p, 3, f64);
    const l3 = lossAndGrad(f64, p, new ParamSet(shape, f64), ws3, X, Y, 3, PHI0);
    const l1 = lossAndGrad(f64, p, new ParamSet(shape, f64), new Workspace(p, 1, f64), X, Y, 1, PHI0);
    expect(l3.regul).toBeCloseTo(3 * l1.regul, 12);
    expect(l3.total).toBeCloseTo(l3.pred + l3.regul, 12);
  });

  it("steps Adam with PyTorch's formula and the three learning-rate groups", () => {
    const rates = { W: 1e-3, psi: 5e-4, phi: 5e-4, a: 7.5e-4 };
    expect(["W", "a", "lin_edge.layers.0.weight", "lin_phi.layers.2.bias"].map((n) => lrForTensor(n, rates))).toEqual([
      1e-3, 7.5e-4, 5e-4, 5e-4,
    ]);
    const { p, shape } = smallProblem(3, 1, 2, 1);
    const g = new ParamSet(shape, f64);
    for (let k = 0; k < g.data.length; k++) g.data[k] = Math.sin(k + 1);
    const before = Float64Array.from(p.data);
    const opt = new Adam(f64, p, rates);
    opt.step(p, g);
    opt.step(p, g);
    // Two steps with a constant gradient g: m̂ = g, v̂ = g², so each step moves by lr·g/(|g| + ε).
    for (const s of p.specs) {
      const lr = lrForTensor(s.name, rates);
      for (let k = s.offset; k < s.offset + s.size; k++) {
        if (s.name === "W" && Math.floor((k - s.offset) / 3) === (k - s.offset) % 3) continue;
        const gk = g.data[k];
        expect(p.data[k]).toBeCloseTo(before[k] - 2 * lr * (gk / (Math.abs(gk) + 1e-8)), 9);
      }
    }
  });

  it("never steps a fixed tensor (training_single_type's a), whatever its rate and gradient", () => {
    const { p, shape } = smallProblem(4, 1, 3, 6);
    p.a.fill(1);
    const g = new ParamSet(shape, f64);
    for (let k = 0; k < g.data.length; k++) g.data[k] = Math.cos(k + 1);
    const before = Float64Array.from(p.data);
    const opt = new Adam(f64, p, { W: 1e-3, psi: 5e-4, phi: 5e-4, a: 1 });
    opt.fixed.add("a");
    for (let k = 0; k < 3; k++) opt.step(p, g);
    expect(Array.from(p.a)).toEqual(Array.from({ length: 8 }, () => 1));
    expect(Array.from(opt.m.a).every((v) => v === 0)).toBe(true);
    for (const name of ["W", "lin_edge.layers.0.weight", "lin_phi.layers.2.bias"]) {
      const s = p.specs.find((t) => t.name === name)!;
      const moved = Array.from(p.data.subarray(s.offset, s.offset + s.size)).some((v, k) => v !== before[s.offset + k]);
      expect(moved, name).toBe(true);
    }
  });

  it("saves and loads safetensors checkpoints with the reference's names; rejects bad ones clearly", () => {
    const dir = tempDir();
    const { p, shape } = smallProblem(5, 1, 4, 2, referenceBackend("f32"));
    const file = join(dir, "m.safetensors");
    saveCheckpoint(file, p, { epoch: "0", iteration: "12" });
    const q = new ParamSet(shape, referenceBackend("f32"));
    expect(loadCheckpoint(file, q)).toEqual({ epoch: "0", iteration: "12" });
    expect(Array.from(q.data)).toEqual(Array.from(p.data));
    const other = new ParamSet({ ...shape, N: 6 }, referenceBackend("f32"));
    expect(() => loadCheckpoint(file, other)).toThrowError(/tensor "W" has shape \(5, 5\), the model expects \(6, 6\)/);
    const bytes = readFileSync(file);
    writeFileSync(join(dir, "trunc.safetensors"), bytes.subarray(0, bytes.length - 10));
    expect(() => loadCheckpoint(join(dir, "trunc.safetensors"), q)).toThrowError(/trunc\.safetensors: tensor .* truncated/);
    writeFileSync(join(dir, "junk.safetensors"), "garbage!garbage!");
    expect(() => loadCheckpoint(join(dir, "junk.safetensors"), q)).toThrowError(
      /junk\.safetensors: corrupted safetensors header/,
    );
    if (hasNumpy()) {
      // Readable without our code: parse with the format's definition in Python.
      const out = python(
        `import json, struct, numpy as np
b=open('${file}','rb').read(); n=struct.unpack('<Q', b[:8])[0]; h=json.loads(b[8:8+n])
e=h['lin_phi.layers.0.weight']; a=np.frombuffer(b[8+n+e['data_offsets'][0]:8+n+e['data_offsets'][1]], dtype='<f4').reshape(e['shape'])
m=h['mask']; print(e['shape'], float(a[1,2]), m['shape'], h['__metadata__']['iteration'])`,
      );
      const w = p.tensor("lin_phi.layers.0.weight");
      expect(out.trim()).toBe(`[4, 3] ${Number(Math.fround(w[5]))} [5, 5] 12`);
    }
  });
});
