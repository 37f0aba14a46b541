/**
 * The signal-propagation GNN of the paper, dense form:
 *   dx̂_i/dt = phi*([x_i, a_i]) + Σ_{j≠i} W_ij psi*(x_j)          (PDE_N2)
 *   dx̂_i/dt = phi*([x_i, a_i]) + Σ_{j≠i} W_ij psi*([x_j, a_j])   (PDE_N4: shape.psiEmbedding)
 *   dx̂_i/dt = phi*([x_i, a_i]) + Ω_i Σ_{j≠i} W_ij psi*([x_j, a_j])  (Figure 3: a Workspace with an
 *                                                                    external input Ω [B, N])
 *   dx̂_i/dt = phi*([x_i, a_i]) + Σ_{j≠i} W_ij psi*([x_j, a_i, a_j])  (PDE_N5: shape.psiPairs)
 * For a batch X: [B, N] of frames: P = psi*(X) or psi*([X, a]) (B·N evaluations, never one per
 * edge: psi* depends on the sender only), M = P Wᵀ, F = phi*([X, a]), pred = F + M (or F + Ω ⊙ M). The inputs
 * [x_{b,j}, a_j] of psi* are those of phi*, so PDE_N4 evaluates both MLPs on one input array, and
 * a_j also gets a gradient through psi*'s input gradient. PDE_N5's psi* depends on the pair, so M
 * comes from the backend's per-edge op (Backend.edgeMessages: blocks of receivers, recomputed in
 * the backward pass), whose backward pass writes dW and adds to da and psi*'s gradients; P, dP and
 * the psi* activations of the workspace then serve the edge_diff term's diagonal pairs.
 *
 * Loss (spec 4.3, variants §0.3): L = ‖pred − Y‖₂ (un-squared Frobenius norm over all B·N
 * entries) + the regularisers of regularisers.ts (phi-zero, edge_diff, W L1) whose coefficients
 * are non-zero. `lossAndGrad` overwrites the gradient set with dL/dθ for every parameter (W, a,
 * psi*, phi*).
 */
import type { Arr, Backend } from "../kernels/backend.js";
import type { Adam } from "./adam.js";
import type { ParamSet } from "./params.js";
import { type LossCoeffs, ShiftedPsi, edgeDiffTerm, phiZeroTerm, wL1Term, wL1Value } from "./regularisers.js";

/** The loss and its parts: total = pred + regul, regul = phiZero + edgeDiff + WL1. */
export interface LossParts {
  total: number;
  /** ‖pred − Y‖₂. */
  pred: number;
  /** The sum of the regularisers. */
  regul: number;
  phiZero: number;
  edgeDiff: number;
  WL1: number;
}

/** Scratch buffers for a batch size B. */
export class Workspace {
  readonly P: Arr;
  readonly M: Arr;
  readonly F: Arr;
  readonly G: Arr;
  readonly dP: Arr;
  readonly phiIn: Arr;
  readonly dPhiIn: Arr;
  readonly psiActs: Arr[];
  readonly phiActs: Arr[];
  readonly zIn: Arr;
  readonly Z: Arr;
  readonly dZ: Arr;
  readonly dZIn: Arr;
  readonly zActs: Arr[];
  /** psi* at X + δ for the edge_diff term, allocated on its first use. */
  shifted?: ShiftedPsi;
  /**
   * With an external input (Figure 3): Ω [B, N], the multiplier of each receiver's message, filled
   * by the caller before forward/lossAndGrad (1 for neurons without input); dOmega [B, N] = dL/dΩ
   * = G ⊙ M, written by lossAndGrad (for a learned Ω*); dM [B, N] = G ⊙ Ω, scratch.
   */
  readonly omega?: Arr;
  readonly dOmega?: Arr;
  readonly dM?: Arr;
  /** PDE_N5: psi*'s inputs on the diagonal pairs [x_bj, a_j, a_j] [B, N, 1 + 2d] (edge_diff). */
  readonly diagIn?: Arr;

  constructor(
    readonly params: ParamSet,
    readonly B: number,
    backend: Backend,
    externalInput = false,
  ) {
    const { N, embeddingDim: d, psi, phi } = params.shape;
    const BN = B * N;
    this.P = backend.alloc(BN);
    this.M = backend.alloc(BN);
    this.F = backend.alloc(BN);
    this.G = backend.alloc(BN);
    this.dP = backend.alloc(BN);
    this.phiIn = backend.alloc(BN * (1 + d));
    this.dPhiIn = backend.alloc(BN * (1 + d));
    this.psiActs = psi.sizes.slice(1, -1).map((h) => backend.alloc(BN * h));
    this.phiActs = phi.sizes.slice(1, -1).map((h) => backend.alloc(BN * h));
    this.zIn = backend.alloc(N * (1 + d));
    this.Z = backend.alloc(N);
    this.dZ = backend.alloc(N);
    this.dZIn = backend.alloc(N * (1 + d));
    this.zActs = phi.sizes.slice(1, -1).map((h) => backend.alloc(N * h));
    if (externalInput) {
      this.omega = backend.alloc(BN);
      this.omega.fill(1);
      this.dOmega = backend.alloc(BN);
      this.dM = backend.alloc(BN);
    }
    if (params.shape.psiPairs) this.diagIn = backend.alloc(BN * psi.sizes[0]);
  }
}

/**
 * pred = phi*([X, a]) + psi*(X) Wᵀ for X: [B, N]; fills ws.P, ws.M, ws.F and returns F + M in
 * `pred` (F + ws.omega ⊙ M with an external input).
 */
export function forward(backend: Backend, p: ParamSet, ws: Workspace, X: Arr, B: number, pred: Arr): void {
  const { N, embeddingDim: d, psi, phi } = p.shape;
  const BN = B * N;
  fillPhiInput(ws.phiIn, X, p.a, B, N, d);
  if (p.shape.psiPairs) backend.edgeMessages(psi, p.psi, X, p.a, p.W, B, N, ws.M);
  else {
    backend.mlpForward(psi, p.psi, psiInput(p, ws, X), BN, ws.psiActs, ws.P);
    backend.messages(p.W, ws.P, B, N, ws.M);
  }
  backend.mlpForward(phi, p.phi, ws.phiIn, BN, ws.phiActs, ws.F);
  const O = ws.omega;
  if (O) for (let k = 0; k < BN; k++) pred[k] = ws.F[k] + O[k] * ws.M[k];
  else for (let k = 0; k < BN; k++) pred[k] = ws.F[k] + ws.M[k];
}

/** psi*'s inputs: X [B, N] (PDE_N2), or [x_{b,j}, a_j] = ws.phiIn [B, N, 1 + d] (PDE_N4). */
function psiInput(p: ParamSet, ws: Workspace, X: Arr): Arr {
  return p.shape.psiEmbedding ? ws.phiIn : X;
}

/** phiIn[b, i, :] = [x_{b,i}, a_i]. */
function fillPhiInput(out: Arr, X: ArrayLike<number>, a: Arr, B: number, N: number, d: number): void {
  const w = 1 + d;
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < N; i++) {
      const o = (b * N + i) * w;
      out[o] = X[b * N + i];
      for (let e = 0; e < d; e++) out[o + 1 + e] = a[i * d + e];
    }
  }
}

/**
 * Loss and gradient for frames X, targets Y (both [B, N]) with the loss terms of `coeffs`. `grad`
 * is overwritten. Returns the loss and its parts. With `adam`, on a backend that fuses W's
 * gradient into W's Adam step, W takes the step of the coming `adam.step()` here (with the W L1
 * term's subgradient λ·sign(W) added in the kernel) and grad.W is not written; otherwise grad.W
 * is computed (plus λ·sign(W)) and W steps in `adam.step()`.
 */
export function lossAndGrad(
  backend: Backend,
  p: ParamSet,
  grad: ParamSet,
  ws: Workspace,
  X: Arr,
  Y: ArrayLike<number>,
  B: number,
  coeffs: LossCoeffs,
  adam?: Adam,
): LossParts {
  const { N, embeddingDim: d, phi } = p.shape;
  const BN = B * N;
  forward(backend, p, ws, X, B, ws.G);
  // Residual R = pred − Y (in G), its norm, then G = dL/dpred = R / ‖R‖.
  let rr = 0;
  for (let k = 0; k < BN; k++) {
    const r = ws.G[k] - Y[k];
    ws.G[k] = r;
    rr += r * r;
  }
  const predLoss = Math.sqrt(rr);
  const inv = predLoss > 0 ? 1 / predLoss : 0;
  for (let k = 0; k < BN; k++) ws.G[k] *= inv;
  // The message backward passes overwrite all of dW; the other gradients accumulate, so zero them
  // (W is the first tensor of the layout: zeroing 4 MB per step for N = 1000 is not needed).
  grad.data.fill(0, grad.W.length);
  // External input: dL/dΩ = G ⊙ M, and the messages' gradient dM = G ⊙ Ω; else dM = G.
  const dM = messagesGrad(ws, BN);
  const { WL1, edgeDiff } = p.shape.psiPairs
    ? pairsBackward(backend, p, grad, ws, X, dM, B, coeffs)
    : denseBackward(backend, p, grad, ws, X, dM, B, coeffs, adam);
  // Update function: dF = G; d(a_i) from the input gradient of phi*.
  backend.mlpBackward(phi, p.phi, ws.phiIn, BN, ws.phiActs, ws.G, grad.phi, ws.dPhiIn);
  addEmbeddingGrad(grad.a, ws.dPhiIn, B, N, d);
  const phiZero = coeffs.phiZero !== 0 ? phiZeroTerm(backend, p, grad, ws, B, coeffs.phiZero) : 0;
  const regul = phiZero + edgeDiff + WL1;
  return { total: predLoss + regul, pred: predLoss, regul, phiZero, edgeDiff, WL1 };
}

/**
 * The messages' backward pass of the dense form (psi* per neuron) given dM = dL/dM: dW = dMᵀ P
 * (off-diagonal; fused into W's Adam step when `adam` and the backend allow), dP = dM W, psi*'s
 * gradients (and a_j's through psi*'s input with PDE_N4), plus the W L1 and edge_diff terms.
 */
function denseBackward(
  backend: Backend,
  p: ParamSet,
  grad: ParamSet,
  ws: Workspace,
  X: Arr,
  dM: Arr,
  B: number,
  coeffs: LossCoeffs,
  adam: Adam | undefined,
): { WL1: number; edgeDiff: number } {
  const { N, embeddingDim: d, psi } = p.shape;
  const BN = B * N;
  // The W L1 term's value is of W before the step; a fused backend adds its subgradient itself.
  const WL1value = coeffs.WL1 !== 0 ? wL1Value(p.W, coeffs.WL1) : 0;
  const fused = adam?.stepWFused(p, dM, ws.P, B, ws.dP, coeffs.WL1);
  if (!fused) backend.messagesBackward(p.W, dM, ws.P, B, N, grad.W, ws.dP);
  const WL1 = coeffs.WL1 !== 0 && !fused ? wL1Term(p.W, grad.W, coeffs.WL1) : WL1value;
  const psiIn = psiInput(p, ws, X);
  let edgeDiff = 0;
  if (coeffs.edgeDiff !== 0) {
    ws.shifted ??= new ShiftedPsi(backend, psi, BN);
    edgeDiff = edgeDiffTerm(backend, p, grad, ws.shifted, psiIn, ws.P, ws.dP, ws.psiActs, B, coeffs.edgeDiff, coeffs.edgeDelta);
  }
  if (p.shape.psiEmbedding) {
    // Messages through psi*([x_j, a_j]): d(a_j) from psi*'s input gradient (dPhiIn as scratch).
    backend.mlpBackward(psi, p.psi, psiIn, BN, ws.psiActs, ws.dP, grad.psi, ws.dPhiIn);
    addEmbeddingGrad(grad.a, ws.dPhiIn, B, N, d);
  } else backend.mlpBackward(psi, p.psi, psiIn, BN, ws.psiActs, ws.dP, grad.psi);
  return { WL1, edgeDiff };
}

/** dL/dM given G = dL/dpred: G itself, or with an external input G ⊙ Ω (and ws.dOmega = G ⊙ M). */
function messagesGrad(ws: Workspace, BN: number): Arr {
  const { omega: O, dOmega, dM, G, M } = ws;
  if (!O || !dOmega || !dM) return G;
  for (let k = 0; k < BN; k++) {
    dOmega[k] = G[k] * M[k];
    dM[k] = G[k] * O[k];
  }
  return dM;
}

/**
 * The messages' backward pass of PDE_N5 (psi*([x_j, a_i, a_j]) per edge) given dM = dL/dM: the
 * edge op writes grad.W and adds to grad.a and grad.psi; W steps in adam.step() (no fused kernel:
 * its dW comes with the edge products). Plus the W L1 term and edge_diff on the diagonal pairs
 * [x_bj, a_j, a_j].
 */
function pairsBackward(
  backend: Backend,
  p: ParamSet,
  grad: ParamSet,
  ws: Workspace,
  X: Arr,
  dM: Arr,
  B: number,
  coeffs: LossCoeffs,
): { WL1: number; edgeDiff: number } {
  const { N, embeddingDim: d, psi } = p.shape;
  const BN = B * N;
  backend.edgeMessagesBackward(psi, p.psi, X, p.a, p.W, dM, B, N, grad.W, grad.a, grad.psi);
  const WL1 = coeffs.WL1 !== 0 ? wL1Term(p.W, grad.W, coeffs.WL1) : 0;
  let edgeDiff = 0;
  if (coeffs.edgeDiff !== 0) {
    const Xd = ws.diagIn!;
    fillDiagInput(Xd, X, p.a, B, N, d);
    backend.mlpForward(psi, p.psi, Xd, BN, ws.psiActs, ws.P);
    ws.shifted ??= new ShiftedPsi(backend, psi, BN);
    edgeDiff = edgeDiffTerm(backend, p, grad, ws.shifted, Xd, ws.P, ws.dP, ws.psiActs, B, coeffs.edgeDiff, coeffs.edgeDelta);
  }
  return { WL1, edgeDiff };
}

/** out[b, j, :] = [x_bj, a_j, a_j]: psi*'s inputs on the diagonal pairs (PDE_N5's edge_diff). */
function fillDiagInput(out: Arr, X: ArrayLike<number>, a: Arr, B: number, N: number, d: number): void {
  const w = 1 + 2 * d;
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < N; j++) {
      const o = (b * N + j) * w;
      out[o] = X[b * N + j];
      for (let e = 0; e < d; e++) {
        out[o + 1 + e] = a[j * d + e];
        out[o + 1 + d + e] = a[j * d + e];
      }
    }
  }
}

/** da[i, e] += Σ_b dIn[b, i, 1 + e]: the embedding columns of an input gradient dIn [B, N, 1 + d]. */
function addEmbeddingGrad(da: Arr, dIn: Arr, B: number, N: number, d: number): void {
  const w = 1 + d;
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < N; i++) {
      for (let e = 0; e < d; e++) da[i * d + e] += dIn[(b * N + i) * w + 1 + e];
    }
  }
}
