/**
 * The regularisers of the training loss (spec: PDE_N2 variants §0.3), for B frames X: [B, N]:
 *   phi-zero   B · λ_φ0 · ‖( phi*([0, a_i]) )_{i=1..N}‖₂                  (counted once per frame)
 *   edge_diff  Σ_b λ_ed · ‖( relu(psi*(x_bj) − psi*(x_bj + δ)) )_{j=1..N}‖₂,  δ = xnorm / 150
 *              (PDE_N4: psi*([x_bj, a_j]) − psi*([x_bj + δ, a_j]), inputs detached)
 *   W L1       λ_L1 · Σ_ij |W_ij|                                         (once per iteration)
 * Each term is a function that returns its value and ACCUMULATES its gradient into the caller's
 * buffers; `lossAndGrad` (gnn.ts) calls those whose coefficient is non-zero.
 */
import type { Arr, Backend, MlpShape } from "../kernels/backend.js";
import type { ParamSet } from "./params.js";

/** The coefficients of the loss terms for one iteration (train/schedule.ts: lossCoeffsOf). */
export interface LossCoeffs {
  /** λ_φ0 (training.coeff_lin_phi_zero): phi* at x = 0 pulled towards 0. */
  phiZero: number;
  /** λ_ed (training.coeff_edge_diff, by epoch): psi* penalised where it decreases over a step δ. */
  edgeDiff: number;
  /** δ of the edge_diff term, in units of x (xnorm / 150). */
  edgeDelta: number;
  /** λ_L1 (training.coeff_W_L1 or first_coeff_L1, by epoch): L1 norm of W. */
  WL1: number;
}

/** Coefficients with every term off unless given. */
export function lossCoeffs(c: Partial<LossCoeffs> = {}): LossCoeffs {
  return { phiZero: 0, edgeDiff: 0, edgeDelta: 0, WL1: 0, ...c };
}

/** Buffers of the phi-zero term: inputs [0, a_i] zIn: [N, 1 + d], output Z: [N], activations, gradients. */
export interface PhiZeroBuffers {
  readonly zIn: Arr;
  readonly Z: Arr;
  readonly dZ: Arr;
  readonly dZIn: Arr;
  readonly zActs: Arr[];
}

/**
 * L = B · λ · ‖z‖₂ with z_i = phi*([0, a_i]) (i < N, a: [N, d]). Gradient: ∂L/∂z_i = B λ z_i / ‖z‖
 * (0 when z = 0), backpropagated through phi* into grad.phi and grad.a (accumulated).
 */
export function phiZeroTerm(
  backend: Backend,
  p: ParamSet,
  grad: ParamSet,
  buf: PhiZeroBuffers,
  B: number,
  coeff: number,
): number {
  const { N, embeddingDim: d, phi } = p.shape;
  const w = 1 + d;
  for (let i = 0; i < N; i++) {
    buf.zIn[i * w] = 0;
    for (let e = 0; e < d; e++) buf.zIn[i * w + 1 + e] = p.a[i * d + e];
  }
  backend.mlpForward(phi, p.phi, buf.zIn, N, buf.zActs, buf.Z);
  let zz = 0;
  for (let i = 0; i < N; i++) zz += buf.Z[i] * buf.Z[i];
  const zn = Math.sqrt(zz);
  const s = zn > 0 ? (B * coeff) / zn : 0;
  for (let i = 0; i < N; i++) buf.dZ[i] = s * buf.Z[i];
  backend.mlpBackward(phi, p.phi, buf.zIn, N, buf.zActs, buf.dZ, grad.phi, buf.dZIn);
  for (let i = 0; i < N; i++) for (let e = 0; e < d; e++) grad.a[i * d + e] += buf.dZIn[i * w + 1 + e];
  return B * coeff * zn;
}

/**
 * Buffers of psi* evaluated at the shifted inputs (S = B·N samples of psi*'s nIn inputs): Xs
 * [S, nIn], Ps, dPs, dP: [S], activations.
 */
export class ShiftedPsi {
  readonly Xs: Arr;
  readonly Ps: Arr;
  readonly dPs: Arr;
  /** PDE_N4: the term's gradient with respect to psi*(X), kept apart from the messages' (see edgeDiffTerm). */
  readonly dP: Arr;
  readonly acts: Arr[];

  constructor(backend: Backend, psi: MlpShape, S: number) {
    this.Xs = backend.alloc(S * psi.sizes[0]);
    this.Ps = backend.alloc(S);
    this.dPs = backend.alloc(S);
    this.dP = backend.alloc(psi.sizes[0] > 1 ? S : 0);
    this.acts = psi.sizes.slice(1, -1).map((h) => backend.alloc(S * h));
  }
}

/**
 * psi* monotonicity ("edge_diff"): L = λ Σ_b ‖r_b‖₂, r_bj = relu(P_bj − Ps_bj), with P = psi*(X)
 * (X, P: [B, N], P from the forward pass, `acts` its activations) and Ps = psi*(X + δ); for PDE_N4
 * X is psi*'s input [B, N, 1 + d] = [x_bj, a_j] and only x is shifted. The inputs are data, so the
 * gradient reaches only psi*'s weights: ∂L/∂Ps_bj = −λ r_bj / ‖r_b‖ is backpropagated here through
 * psi*(X + δ) into grad.psi (accumulated), and ∂L/∂P_bj = λ r_bj / ‖r_b‖ is ADDED to dP (PDE_N2:
 * the caller then backpropagates dP through psi*(X)) or, for PDE_N4, backpropagated here through
 * psi*(X) without an input gradient, so that it never reaches a (the caller's backward pass of dP
 * does). Both are 0 where the relu is off and when r_b = 0.
 */
export function edgeDiffTerm(
  backend: Backend,
  p: ParamSet,
  grad: ParamSet,
  buf: ShiftedPsi,
  X: Arr,
  P: Arr,
  dP: Arr,
  acts: readonly Arr[],
  B: number,
  coeff: number,
  delta: number,
): number {
  const N = p.shape.N;
  const BN = B * N;
  const nIn = p.shape.psi.sizes[0];
  if (nIn === 1) for (let k = 0; k < BN; k++) buf.Xs[k] = X[k] + delta;
  else {
    buf.Xs.set(X.subarray(0, BN * nIn));
    for (let k = 0; k < BN; k++) buf.Xs[k * nIn] = X[k * nIn] + delta;
  }
  backend.mlpForward(p.shape.psi, p.psi, buf.Xs, BN, buf.acts, buf.Ps);
  const dPed = nIn === 1 ? dP : buf.dP;
  let loss = 0;
  for (let b = 0; b < B; b++) {
    const o = b * N;
    let rr = 0;
    for (let j = 0; j < N; j++) {
      const r = P[o + j] - buf.Ps[o + j];
      if (r > 0) rr += r * r;
    }
    const rn = Math.sqrt(rr);
    loss += coeff * rn;
    const s = rn > 0 ? coeff / rn : 0;
    for (let j = 0; j < N; j++) {
      const r = P[o + j] - buf.Ps[o + j];
      const g = r > 0 ? s * r : 0;
      if (nIn === 1) dP[o + j] += g;
      else dPed[o + j] = g;
      buf.dPs[o + j] = -g;
    }
  }
  if (nIn !== 1) backend.mlpBackward(p.shape.psi, p.psi, X, BN, acts, dPed, grad.psi);
  backend.mlpBackward(p.shape.psi, p.psi, buf.Xs, BN, buf.acts, buf.dPs, grad.psi);
  return loss;
}

/** λ Σ_ij |W_ij|, the W L1 term's value alone (a backend that fuses W's Adam step adds its subgradient). */
export function wL1Value(W: Arr, coeff: number): number {
  // Four running sums (fixed order): the adds of one chain wait on each other, four chains don't.
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n4 = W.length - (W.length % 4);
  let k = 0;
  for (; k < n4; k += 4) {
    s0 += Math.abs(W[k]);
    s1 += Math.abs(W[k + 1]);
    s2 += Math.abs(W[k + 2]);
    s3 += Math.abs(W[k + 3]);
  }
  for (; k < W.length; k++) s0 += Math.abs(W[k]);
  return coeff * (s0 + s1 + (s2 + s3));
}

/**
 * L = λ Σ_ij |W_ij| (W: [N, N], diagonal included: it is 0). Subgradient λ · sign(W_ij), 0 at 0,
 * ADDED to dW (so the diagonal's gradient stays 0).
 */
export function wL1Term(W: Arr, dW: Arr, coeff: number): number {
  let sum = 0;
  for (let k = 0; k < W.length; k++) {
    const w = W[k];
    sum += Math.abs(w);
    if (w > 0) dW[k] += coeff;
    else if (w < 0) dW[k] -= coeff;
  }
  return coeff * sum;
}
