/**
 * The learned functions sampled on a grid: phi*([r, a_n]) for every neuron n, and psi*(r) (PDE_N2)
 * or psi*([r, a_n]) for every neuron (PDE_N4). All evaluate an MLP on inputs [r, a_n] (d embedding
 * columns, d = 0 for PDE_N2's psi*) in chunks of neurons, so one sampler serves the evaluation,
 * the training montage and the clustering step.
 */
import type { Arr, Backend, MlpShape } from "../kernels/backend.js";
import type { ParamSet } from "./params.js";

/** Buffers for evaluating an MLP with inputs [r, a_n] on `nR` grid points for `perChunk` neurons at a time. */
export class CurveWorkspace {
  readonly perChunk: number;
  readonly X: Arr;
  readonly dX: Arr;
  readonly out: Arr;
  readonly dy: Arr;
  readonly acts: Arr[];

  /** `mlp` defaults to phi*; `nCurves` (default N) is the number of curves sampled. */
  constructor(
    backend: Backend,
    p: ParamSet,
    readonly nR: number,
    maxSamples = 1 << 16,
    readonly mlp: MlpShape = p.shape.phi,
    nCurves = p.shape.N,
  ) {
    this.perChunk = Math.max(1, Math.min(nCurves, Math.floor(maxSamples / nR)));
    const S = this.perChunk * nR;
    const nIn = mlp.sizes[0];
    this.X = backend.alloc(S * nIn);
    this.dX = backend.alloc(S * nIn);
    this.out = backend.alloc(S);
    this.dy = backend.alloc(S);
    this.acts = mlp.sizes.slice(1, -1).map((h) => backend.alloc(S * h));
  }
}

/**
 * Fill ws.X with [r, a_n] for curves n0 … n0 + count − 1 (curve-major), a: [·, d] (d may be 0);
 * with `copies` = 2, [r, a_n, a_n] (PDE_N5's psi* on the diagonal pair). Returns the sample count.
 */
export function fillCurveInput(
  ws: CurveWorkspace,
  a: Arr,
  d: number,
  rs: Float32Array,
  n0: number,
  count: number,
  copies = 1,
): number {
  const w = 1 + copies * d;
  let o = 0;
  for (let n = n0; n < n0 + count; n++) {
    for (let k = 0; k < rs.length; k++) {
      ws.X[o] = rs[k];
      for (let c = 0; c < copies; c++) for (let e = 0; e < d; e++) ws.X[o + 1 + c * d + e] = a[n * d + e];
      o += w;
    }
  }
  return count * rs.length;
}

/** out [nCurves, nR]: out[n, k] = mlp([rs[k], a_n]). */
function sampleCurves(
  backend: Backend,
  layers: readonly Arr[],
  ws: CurveWorkspace,
  rs: Float32Array,
  a: Arr,
  d: number,
  nCurves: number,
  copies = 1,
): Float32Array {
  const out = new Float32Array(nCurves * rs.length);
  for (let n0 = 0; n0 < nCurves; n0 += ws.perChunk) {
    const S = fillCurveInput(ws, a, d, rs, n0, Math.min(ws.perChunk, nCurves - n0), copies);
    backend.mlpForward(ws.mlp, layers, ws.X, S, ws.acts, ws.out);
    out.set(ws.out.subarray(0, S), n0 * rs.length);
  }
  return out;
}

/** F [N, nR]: F[n, k] = phi*([rs[k], a_n]). `ws` must be a phi* workspace for rs.length points. */
export function samplePhi(backend: Backend, p: ParamSet, ws: CurveWorkspace, rs: Float32Array): Float32Array {
  return sampleCurves(backend, p.phi, ws, rs, p.a, p.shape.embeddingDim, p.shape.N);
}

/** psi*(r) for each r: [nR] (PDE_N2's psi* takes x_j only). */
export function samplePsi(backend: Backend, p: ParamSet, rs: Float32Array): Float32Array {
  if (p.shape.psiEmbedding || p.shape.psiPairs) throw new Error("samplePsi: psi* takes embeddings: use samplePsiCurves");
  const ws = new CurveWorkspace(backend, p, rs.length, rs.length, p.shape.psi, 1);
  return sampleCurves(backend, p.psi, ws, rs, p.a, 0, 1);
}

/**
 * psi* curves [nCurves, nR]: PDE_N4's psi*([rs[k], a_n]) for every neuron n (nCurves = N), PDE_N5's
 * psi*([rs[k], a_n, a_n]) (the diagonal pair, as the reference's normalisation), or PDE_N2's one
 * curve psi*(rs[k]) (nCurves = 1). `ws`, when given, must be a psi* workspace
 * (mlp = p.shape.psi) for rs.length points.
 */
export function samplePsiCurves(
  backend: Backend,
  p: ParamSet,
  rs: Float32Array,
  ws?: CurveWorkspace,
): { Y: Float32Array; nCurves: number } {
  if (!p.shape.psiEmbedding && !p.shape.psiPairs) return { Y: samplePsi(backend, p, rs), nCurves: 1 };
  const w = ws ?? new CurveWorkspace(backend, p, rs.length, 1 << 16, p.shape.psi);
  const copies = p.shape.psiPairs ? 2 : 1;
  return { Y: sampleCurves(backend, p.psi, w, rs, p.a, p.shape.embeddingDim, p.shape.N, copies), nCurves: p.shape.N };
}
