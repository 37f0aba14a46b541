import { afterAll, describe, expect, it } from "vitest";
import { allclose, fdRelativeErrors, nativeOrWarn, useEngines } from "../../test/helpers.js";
import { Rng } from "../core/rng.js";
import type { Arr } from "../kernels/backend.js";
import { nativeIsas } from "../kernels/native/addon.js";
import { type NativeBackend, nativeBackend } from "../kernels/native/backend.js";
import { type SirenKernels, referenceSirenKernels } from "../kernels/siren.js";
import { wasmSirenKernels } from "../kernels/wasm/siren.js";
import { type SirenParams, sirenTape, sirenTrainBackward, sirenTrainForward } from "./siren-train.js";
import { type Siren, type SirenShape, initSiren, sirenForward } from "./siren.js";

const SMALL: SirenShape = {
  inFeatures: 3,
  hiddenFeatures: 12,
  hiddenLayers: 2,
  outFeatures: 1,
  outermostLinear: true,
  omega0: 30,
};

/** Random coordinates in [0, 1]³ for P points. */
function coords(P: number, seed: number): Float64Array {
  const r = new Rng(seed, 5);
  return Float64Array.from({ length: 3 * P }, () => r.uniform());
}

/** The SIREN's parameters copied into the kernels' buffers, and zeroed gradients of the same layout. */
function copyParams(k: SirenKernels, siren: Siren): { params: SirenParams[]; grads: SirenParams[] } {
  const copy = (a: ArrayLike<number>) => {
    const out = k.alloc(a.length);
    out.set(a);
    return out;
  };
  return {
    params: siren.layers.map((l) => ({ W: copy(l.weight), b: copy(l.bias) })),
    grads: siren.layers.map((l) => ({ W: k.alloc(l.weight.length), b: k.alloc(l.bias.length) })),
  };
}

/** Named view of per-layer tensors for fdRelativeErrors. */
function named(ps: SirenParams[]) {
  const map = new Map<string, Arr>(ps.flatMap((p, l) => [[`net.${l}.weight`, p.W] as const, [`net.${l}.bias`, p.b] as const]));
  return { specs: [...map.keys()].map((name) => ({ name })), tensor: (name: string) => map.get(name)! };
}

describe("SIREN training passes (float64 reference)", () => {
  const k = referenceSirenKernels("f64");
  const siren = initSiren(SMALL, 3);
  const P = 9;
  const X = coords(P, 1);
  const c = coords(P, 2); // loss weights: L = Σ_p c_p·f_p²
  const { params, grads } = copyParams(k, siren);
  const tape = sirenTape(k, siren, P);
  const forward = () => {
    tape.X.set(X);
    return sirenTrainForward(k, siren, params, tape, P);
  };
  const loss = () => {
    const f = forward();
    let s = 0;
    for (let p = 0; p < P; p++) s += c[p] * f[p] * f[p];
    return s;
  };

  it("forward equals the plain forward pass of model/siren.ts", () => {
    const r = allclose(forward(), sirenForward(siren, X, P), 1e-12, 1e-12);
    expect(r.ok, r.worst).toBe(true);
  });

  it("backward equals central finite differences, every tensor", () => {
    const f = forward();
    sirenTrainBackward(
      k,
      siren,
      params,
      tape,
      Array.from({ length: P }, (_, p) => 2 * c[p] * f[p]),
      grads,
    );
    const errors = fdRelativeErrors(named(params), named(grads), 0, loss, 1e-6);
    expect(errors.size).toBe(8);
    for (const [name, e] of errors) expect(e, name).toBeLessThan(1e-6);
  });
});

nativeOrWarn();
const ISAS = nativeIsas();

/** A forward and backward pass with upstream gradient g = cos(index): f and every gradient, in float64 arrays. */
function run(k: SirenKernels, siren: Siren, X: Float64Array, P: number) {
  const { params, grads } = copyParams(k, siren);
  const tape = sirenTape(k, siren, P);
  tape.X.set(X);
  const f = Float64Array.from(sirenTrainForward(k, siren, params, tape, P));
  const g = Array.from({ length: f.length }, (_, p) => Math.cos(p));
  sirenTrainBackward(k, siren, params, tape, g, grads);
  return { f, grads: grads.flatMap((q) => [Float64Array.from(q.W), Float64Array.from(q.b)]) };
}

const SHAPES: [SirenShape, number][] = [
  [{ ...SMALL, hiddenFeatures: 128, hiddenLayers: 5 }, 67],
  [{ ...SMALL, hiddenFeatures: 20, hiddenLayers: 1 }, 13],
  [{ ...SMALL, hiddenFeatures: 40, hiddenLayers: 2, outFeatures: 3, outermostLinear: false }, 5],
];

/** f within 1e-4 and every gradient within 2e-3 (relative to the tensor's largest entry: 2e-4) of the float64 reference's. */
function expectClose(got: ReturnType<typeof run>, ref: ReturnType<typeof run>): void {
  const scale = (a: Float64Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  let r = allclose(got.f, ref.f, 1e-4, 1e-4 * scale(ref.f));
  expect(r.ok, `f: ${r.worst}`).toBe(true);
  ref.grads.forEach((g, j) => {
    r = allclose(got.grads[j], g, 2e-3, 2e-4 * scale(g));
    expect(r.ok, `tensor ${j}: ${r.worst}`).toBe(true);
  });
}

/** Largest |sin − Math.sin| and |cos − Math.cos| of a kernel set's sine layer at ω₀z ∈ [−3000, 3000]. */
function sinCosError(k: SirenKernels): { sin: number; cos: number } {
  const P = 60001;
  const W = k.alloc(8).fill(1);
  const X = k.alloc(P);
  const A = k.alloc(8 * P);
  const C = k.alloc(8 * P);
  for (let p = 0; p < P; p++) X[p] = (p - 30000) / 300;
  k.layerForward(W, k.alloc(8), X, P, 1, 8, 30, true, A, C);
  let sin = 0;
  let cos = 0;
  for (let p = 0; p < P; p++) {
    const x = Math.fround(30 * X[p]); // ω₀z as the kernels round it
    sin = Math.max(sin, Math.abs(A[8 * p] - Math.sin(x)));
    cos = Math.max(cos, Math.abs(C[8 * p] / 30 - Math.cos(x)));
  }
  return { sin, cos };
}

describe("wasm SIREN kernels vs the reference", () => {
  const engines = useEngines();
  it("computes sin and ω₀cos to 3e-7", () => {
    const e = sinCosError(wasmSirenKernels(engines.e1));
    expect(e.sin).toBeLessThan(3e-7);
    expect(e.cos).toBeLessThan(3e-7);
  });

  it.each(SHAPES)("agree with the float64 reference (%o, %i points), the same for 1 and 2 threads", (shape, P) => {
    const siren = initSiren(shape, 11);
    const X = coords(P, 4);
    const ref = run(referenceSirenKernels("f64"), siren, X, P);
    const w1 = run(wasmSirenKernels(engines.e1), siren, X, P);
    const w2 = run(wasmSirenKernels(engines.e2), siren, X, P);
    expectClose(w1, ref);
    expect(w2.f).toEqual(w1.f);
    expect(w2.grads).toEqual(w1.grads);
  });
});

describe.skipIf(ISAS.length === 0)("native SIREN kernels vs the reference", () => {
  const opened: NativeBackend[] = [];
  afterAll(() => {
    for (const be of opened) be.close();
  });
  const make = (isa: string, threads: number) => {
    const be = nativeBackend({ isa, threads, alwaysSplit: true });
    opened.push(be);
    return be.siren;
  };

  describe.each(ISAS)("%s", (isa) => {
    it("computes sin and ω₀cos to 3e-7", () => {
      const e = sinCosError(make(isa, 2));
      expect(e.sin).toBeLessThan(3e-7);
      expect(e.cos).toBeLessThan(3e-7);
    });
    it.each(SHAPES)("agrees with the float64 reference (%o, %i points), the same for 1 and 2 threads", (shape, P) => {
      const siren = initSiren(shape, 11);
      const X = coords(P, 4);
      const ref = run(referenceSirenKernels("f64"), siren, X, P);
      const n1 = run(make(isa, 1), siren, X, P);
      const n2 = run(make(isa, 2), siren, X, P);
      expectClose(n1, ref);
      expect(n2.f).toEqual(n1.f);
      expect(n2.grads).toEqual(n1.grads);
    });
  });
});
