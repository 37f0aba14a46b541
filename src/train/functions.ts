/**
 * The reference's "function replacement" (spec 4.5):
 * a few full-batch Adam steps pulling each neuron's curve phi*([r, a_n]) towards its group's
 * target curve, with loss ‖phi*([r, a_n]) − target_{group(n)}(r)‖₂ (un-squared Frobenius norm over
 * all neurons × grid points).
 */
import { median } from "../core/stats.js";
import type { Backend } from "../kernels/backend.js";
import type { Adam } from "../model/adam.js";
import { type CurveWorkspace, fillCurveInput } from "../model/curves.js";
import type { ParamSet } from "../model/params.js";

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
    const S = fillCurveInput(ws, p.a, d, rs, n0, count);
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
    const S = fillCurveInput(ws, p.a, d, rs, n0, count);
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
