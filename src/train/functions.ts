/**
 * phi* evaluated on a grid for every neuron, and the reference's "function replacement" (spec 4.5):
 * a few full-batch Adam steps pulling each neuron's curve phi*([r, a_n]) towards its group's
 * target curve, with loss ‖phi*([r, a_n]) − target_{group(n)}(r)‖₂ (un-squared Frobenius norm over
 * all neurons × grid points).
 */
import { median } from "../analysis/stats.js";
import type { Arr, Backend } from "../kernels/backend.js";
import type { Adam } from "../model/adam.js";
import type { ParamSet } from "../model/params.js";

/** Buffers for evaluating phi* on `nR` grid points for `perChunk` neurons at a time. */
export class CurveWorkspace {
  readonly perChunk: number;
  readonly X: Arr;
  readonly dX: Arr;
  readonly out: Arr;
  readonly dy: Arr;
  readonly acts: Arr[];

  constructor(
    backend: Backend,
    p: ParamSet,
    readonly nR: number,
    maxSamples = 1 << 16,
  ) {
    this.perChunk = Math.max(1, Math.min(p.shape.N, Math.floor(maxSamples / nR)));
    const S = this.perChunk * nR;
    const nIn = p.shape.phi.sizes[0];
    this.X = backend.alloc(S * nIn);
    this.dX = backend.alloc(S * nIn);
    this.out = backend.alloc(S);
    this.dy = backend.alloc(S);
    this.acts = p.shape.phi.sizes.slice(1, -1).map((h) => backend.alloc(S * h));
  }
}

/** Fill ws.X with [r, a_n] for neurons n0 … n0 + count − 1 (neuron-major); returns the sample count. */
function fillCurveInput(ws: CurveWorkspace, p: ParamSet, rs: Float32Array, n0: number, count: number): number {
  const d = p.shape.embeddingDim;
  const w = 1 + d;
  let o = 0;
  for (let n = n0; n < n0 + count; n++) {
    for (let k = 0; k < rs.length; k++) {
      ws.X[o] = rs[k];
      for (let e = 0; e < d; e++) ws.X[o + 1 + e] = p.a[n * d + e];
      o += w;
    }
  }
  return count * rs.length;
}

/** F [N, nR]: F[n, k] = phi*([rs[k], a_n]). */
export function sampleUpdateFunction(backend: Backend, p: ParamSet, ws: CurveWorkspace, rs: Float32Array): Float32Array {
  const { N } = p.shape;
  const F = new Float32Array(N * rs.length);
  for (let n0 = 0; n0 < N; n0 += ws.perChunk) {
    const S = fillCurveInput(ws, p, rs, n0, Math.min(ws.perChunk, N - n0));
    backend.mlpForward(p.shape.phi, p.phi, ws.X, S, ws.acts, ws.out);
    F.set(ws.out.subarray(0, S), n0 * rs.length);
  }
  return F;
}

/** Per-point median curve of the rows of F [N, nR] in each group: targets [nGroups, nR] (NaN if empty). */
export function groupMedianCurves(F: Float32Array, nR: number, groups: Int32Array, nGroups: number): Float32Array {
  const targets = new Float32Array(nGroups * nR).fill(Number.NaN);
  const members = Array.from({ length: nGroups }, () => [] as number[]);
  groups.forEach((g, n) => members[g].push(n));
  members.forEach((m, g) => {
    if (m.length === 0) return;
    for (let k = 0; k < nR; k++) targets[g * nR + k] = median(m.map((n) => F[n * nR + k]));
  });
  return targets;
}

/**
 * L = ‖phi*([r, a_n]) − targets[groups[n]]‖₂ over all neurons n and grid points r, and its
 * gradient (overwrites `grad`: phi* and a; zero for the other tensors). `R` [N, nR] is scratch.
 */
export function curveLossAndGrad(
  backend: Backend,
  p: ParamSet,
  grad: ParamSet,
  ws: CurveWorkspace,
  rs: Float32Array,
  groups: Int32Array,
  targets: Float32Array,
  R: Float64Array = new Float64Array(p.shape.N * rs.length),
  withGrad = true,
): number {
  const { N, embeddingDim: d } = p.shape;
  const nR = rs.length;
  const w = 1 + d;
  let rr = 0;
  for (let n0 = 0; n0 < N; n0 += ws.perChunk) {
    const count = Math.min(ws.perChunk, N - n0);
    const S = fillCurveInput(ws, p, rs, n0, count);
    backend.mlpForward(p.shape.phi, p.phi, ws.X, S, ws.acts, ws.out);
    for (let n = n0; n < n0 + count; n++) {
      const t = groups[n] * nR;
      for (let k = 0; k < nR; k++) {
        const r = ws.out[(n - n0) * nR + k] - targets[t + k];
        R[n * nR + k] = r;
        rr += r * r;
      }
    }
  }
  const norm = Math.sqrt(rr);
  if (!withGrad) return norm;
  const inv = norm > 0 ? 1 / norm : 0;
  // Backward, chunk by chunk (activations recomputed unless there is a single chunk).
  grad.data.fill(0);
  for (let n0 = 0; n0 < N; n0 += ws.perChunk) {
    const count = Math.min(ws.perChunk, N - n0);
    const S = fillCurveInput(ws, p, rs, n0, count);
    if (ws.perChunk < N) backend.mlpForward(p.shape.phi, p.phi, ws.X, S, ws.acts, ws.out);
    for (let s = 0; s < S; s++) ws.dy[s] = R[n0 * nR + s] * inv;
    backend.mlpBackward(p.shape.phi, p.phi, ws.X, S, ws.acts, ws.dy, grad.phi, ws.dX);
    for (let n = n0; n < n0 + count; n++) {
      for (let k = 0; k < nR; k++) {
        const o = ((n - n0) * nR + k) * w;
        for (let e = 0; e < d; e++) grad.a[n * d + e] += ws.dX[o + 1 + e];
      }
    }
  }
  return norm;
}

/**
 * `steps` full-batch Adam steps on the curve loss of `curveLossAndGrad`. Returns the loss before
 * each step and after the last.
 */
export function fitToCurves(
  backend: Backend,
  p: ParamSet,
  grad: ParamSet,
  adam: Adam,
  ws: CurveWorkspace,
  rs: Float32Array,
  groups: Int32Array,
  targets: Float32Array,
  steps: number,
): number[] {
  const R = new Float64Array(p.shape.N * rs.length);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    losses.push(curveLossAndGrad(backend, p, grad, ws, rs, groups, targets, R));
    adam.step(p, grad);
  }
  losses.push(curveLossAndGrad(backend, p, grad, ws, rs, groups, targets, R, false));
  return losses;
}
