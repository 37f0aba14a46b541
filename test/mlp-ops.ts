/**
 * Checks of a backend's mlpForward / mlpBackward against the float64 reference on the same float32
 * numbers, for MLPs of any depth: y, the gradients of L = Σ_s c_s y_s (accumulated onto non-zero
 * gradients), dX, and finite differences of the reference's L.
 */
import { expect } from "vitest";
import { Rng } from "../src/core/rng.js";
import type { Arr, Backend, MlpShape } from "../src/kernels/backend.js";
import { referenceBackend } from "../src/kernels/reference.js";
import { allclose } from "./helpers.js";

export interface MlpProblem {
  shape: MlpShape;
  S: number;
  layers: Arr[];
  X: Arr;
  c: Arr;
  acts: Arr[];
  y: Arr;
  grads: Arr[];
  dX: Arr;
}

/** Kaiming-uniform-like layers (biases ±0.3 so that ReLUs cut), inputs ~N(0, 1), c ~N(0, 1), gradients pre-filled with 0.5. */
export function mlpProblem(be: Backend, sizes: number[], S: number, seed: number): MlpProblem {
  const r = new Rng(seed, 3);
  const fill = (n: number, f: () => number) => {
    const a = be.alloc(n);
    for (let k = 0; k < n; k++) a[k] = f();
    return a;
  };
  const layers: Arr[] = [];
  const grads: Arr[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const bound = Math.sqrt(6 / sizes[l]);
    layers.push(fill(sizes[l + 1] * sizes[l], () => bound * (2 * r.uniform() - 1)));
    layers.push(fill(sizes[l + 1], () => 0.3 * (2 * r.uniform() - 1)));
    grads.push(
      fill(sizes[l + 1] * sizes[l], () => 0.5),
      fill(sizes[l + 1], () => 0.5),
    );
  }
  return {
    shape: { sizes },
    S,
    layers,
    grads,
    X: fill(S * sizes[0], () => r.normal()),
    c: fill(S, () => r.normal()),
    acts: sizes.slice(1, -1).map((h) => be.alloc(S * h)),
    y: be.alloc(S),
    dX: be.alloc(S * sizes[0]),
  };
}

/** Forward and backward (dy = c) on `be`; returns the problem. */
export function runMlp(be: Backend, p: MlpProblem, withDX = true): MlpProblem {
  be.mlpForward(p.shape, p.layers, p.X, p.S, p.acts, p.y);
  be.mlpBackward(p.shape, p.layers, p.X, p.S, p.acts, p.c, p.grads, withDX ? p.dX : undefined);
  return p;
}

/** Every array of `got` within rtol of `want`'s, relative to the array's largest entry. */
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, rtol: number, what: string): void {
  let scale = 0;
  for (let k = 0; k < want.length; k++) scale = Math.max(scale, Math.abs(want[k]));
  const r = allclose(got, want, rtol, rtol * scale);
  expect(r.ok, `${what}: ${r.worst}`).toBe(true);
}

/**
 * `be`'s y, gradients and dX against the float64 reference's; `actsFrom`: the first hidden layer
 * whose activations `be` writes (the native backend recomputes h_0).
 */
export function expectMlpMatchesReference(be: Backend, sizes: number[], S: number, seed: number, actsFrom = 0): void {
  const f64 = referenceBackend("f64");
  const got = runMlp(be, mlpProblem(be, sizes, S, seed));
  const want = mlpProblem(f64, sizes, S, seed);
  // The same float32 numbers in float64.
  const copy = (dst: Arr[], src: Arr[]) => dst.forEach((d, k) => d.set(src[k]));
  copy(want.layers, got.layers);
  want.X.set(got.X);
  want.c.set(got.c);
  runMlp(f64, want);
  expectClose(got.y, want.y, 1e-5, "y");
  for (let a = actsFrom; a < want.acts.length; a++) expectClose(got.acts[a], want.acts[a], 1e-5, `acts[${a}]`);
  want.grads.forEach((g, k) => expectClose(got.grads[k], g, 1e-4, `grads[${k}] of ${sizes.join("-")}`));
  expectClose(got.dX, want.dX, 1e-4, "dX");
}

/** `be`'s gradients of L = Σ_s c_s y_s against central differences of the float64 reference's L (relative L2 error per layer). */
export function expectMlpMatchesFiniteDifferences(be: Backend, sizes: number[], S: number, seed: number): void {
  const f64 = referenceBackend("f64");
  const got = mlpProblem(be, sizes, S, seed);
  for (const g of got.grads) g.fill(0);
  runMlp(be, got);
  const ref = mlpProblem(f64, sizes, S, seed);
  ref.layers.forEach((d, k) => d.set(got.layers[k]));
  ref.X.set(got.X);
  const loss = () => {
    f64.mlpForward(ref.shape, ref.layers, ref.X, S, ref.acts, ref.y);
    let L = 0;
    for (let s = 0; s < S; s++) L += got.c[s] * ref.y[s];
    return L;
  };
  const h = 1e-6;
  ref.layers.forEach((theta, k) => {
    let num2 = 0;
    let diff2 = 0;
    for (let e = 0; e < theta.length; e++) {
      const t0 = theta[e];
      theta[e] = t0 + h;
      const lp = loss();
      theta[e] = t0 - h;
      const lm = loss();
      theta[e] = t0;
      const fd = (lp - lm) / (2 * h);
      num2 += fd * fd;
      diff2 += (fd - got.grads[k][e]) ** 2;
    }
    expect(Math.sqrt(diff2 / num2), `layer array ${k}`).toBeLessThan(1e-4);
  });
}
