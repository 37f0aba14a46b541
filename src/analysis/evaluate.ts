import { groupsFromTypes, minMaxGlobal, singleLinkage, singleLinkageK, typeAccuracy } from "../core/cluster.js";
import { type OlsFit, connectivityFit } from "../core/regression.js";
import { linspace, median } from "../core/stats.js";
/**
 * Evaluation of a trained model against the ground truth (spec 5):
 *   - psi* plateau ψ̄ = median of psi*(r) on r ∈ [0.8·xnorm, xnorm] (1000 points), correction 1/ψ̄;
 *   - learned W compared with the true W by OLS on the off-diagonal entries, raw and corrected
 *     (W*corr = W*·ψ̄/g: the true message is g·W_ij·tanh(x_j), the learned one W*_ij·psi*(x_j));
 *   - clustering of the embeddings: min-max normalised (one global min and max), single linkage at
 *     the distance threshold, clusters mapped to types by the median-label rule, accuracy; and the
 *     same single linkage cut at exactly K = number of true types clusters ("K-fixed", ours: the
 *     threshold that separates 4 types is too coarse or too fine for 32, spec upstream-pdeN2 §5);
 *   - edge detection (edges.ts, ours) of the corrected W against the true W;
 *   - function recovery: RMSE of phi*(a_i, x) against the true phi of neuron i's type on the φ
 *     plotting range, and of psi* divided by ψ̄ against tanh on the ψ plotting range.
 * Everything that needs ground truth is skipped (null) without it.
 */
import type { Backend } from "../kernels/backend.js";
import { CurveWorkspace, samplePhi, samplePsi } from "../model/curves.js";
import type { ParamSet } from "../model/params.js";
import type { SignalModel, TypeParams } from "../signal/signal-model.js";
import { type EdgeMetrics, edgeMetrics } from "./edges.js";

export interface Truth {
  W?: Float32Array;
  types?: Int32Array;
  nTypes?: number;
  /** The true update function phi(x) of each type (SignalModel.truePhi with the type's parameters). */
  phi?: readonly ((x: number) => number)[];
}

/** The ground truth as the evaluation uses it: W, types and each type's true phi from the signal model. */
export function truthFor(
  model: Pick<SignalModel, "truePhi">,
  params: TypeParams,
  W?: Float32Array,
  types?: Int32Array,
  nTypes?: number,
): Truth {
  const phi = types && nTypes ? params.slice(0, nTypes).map((row) => (x: number) => model.truePhi(x, row)) : undefined;
  return { W, types, nTypes, phi };
}

export interface EvalSettings {
  xnorm: number;
  /** g of the W correction (the reference hard-codes 10, Figure 2's g). */
  g: number;
  /** Range of the phi* plots and RMSE (plotting.mlp0_xlim) and of psi* (plotting.mlp1_xlim). */
  phiRange: readonly [number, number];
  psiRange: readonly [number, number];
  clusterThreshold: number;
  /** Grid points of the curves (default 101). */
  points?: number;
}

export interface Evaluation {
  psiPlateau: number;
  /** Learned W scaled by ψ̄/g (diagonal 0). */
  Wcorr: Float32Array;
  raw?: OlsFit;
  corrected?: OlsFit;
  clustering: EmbeddingClusters;
  /** Edge detection of Wcorr against the true W (without a true W: undefined). */
  edges?: EdgeMetrics;
  /** phi* curves: r [nR] and F [N, nR]; psi*(r)/ψ̄ on its own grid. */
  phi: { r: Float32Array; F: Float32Array };
  psi: { r: Float32Array; y: Float32Array };
  phiRmseByType: number[] | null;
  psiRmse: number;
}

/** ψ̄ = median of psi* on [0.8·xnorm, xnorm] (1000 points). */
export function psiPlateau(backend: Backend, p: ParamSet, xnorm: number): number {
  return median(samplePsi(backend, p, linspace(0.8 * xnorm, xnorm, 1000)));
}

export interface EmbeddingClusters {
  /** Single linkage at the distance threshold. */
  labels: Int32Array;
  nClusters: number;
  /** Against the true types (null without them). */
  accuracy: number | null;
  /** Single linkage cut at K = the number of true types (null without true types). */
  kFixed: { k: number; labels: Int32Array; nClusters: number; accuracy: number } | null;
}

/**
 * Embedding clusters a [N, d] (spec 5.5) and their accuracy against the true types: at the
 * distance threshold, and cut at K = truth.nTypes clusters. Clusters map to types by the
 * median-label rule, so a constant embedding (one cluster) scores the share of the last type.
 */
export function clusterEmbeddings(a: ArrayLike<number>, d: number, threshold: number, truth: Truth): EmbeddingClusters {
  const points = minMaxGlobal(Float64Array.from(a));
  const labels = singleLinkage(points, d, threshold);
  const count = (l: Int32Array) => l.reduce((m, v) => Math.max(m, v + 1), 0);
  const { types, nTypes } = truth;
  if (!(types && nTypes)) return { labels, nClusters: count(labels), accuracy: null, kFixed: null };
  const score = (l: Int32Array) => typeAccuracy(groupsFromTypes(l, types, nTypes), types);
  const kLabels = singleLinkageK(points, d, nTypes);
  return {
    labels,
    nClusters: count(labels),
    accuracy: score(labels),
    kFixed: { k: nTypes, labels: kLabels, nClusters: count(kLabels), accuracy: score(kLabels) },
  };
}

/** W*·scale with a zero diagonal (W: [N, N]); scale = ψ̄/g gives the corrected W of spec 5. */
export function correctedW(W: ArrayLike<number>, N: number, scale: number): Float32Array {
  const out = Float32Array.from(W, (w) => w * scale);
  for (let i = 0; i < N; i++) out[i * N + i] = 0;
  return out;
}

export function evaluate(backend: Backend, p: ParamSet, truth: Truth, s: EvalSettings): Evaluation {
  const N = p.shape.N;
  const nR = s.points ?? 101;
  const plateau = psiPlateau(backend, p, s.xnorm);
  const Wcorr = correctedW(p.W, N, plateau / s.g);
  const raw = truth.W ? connectivityFit(p.W, truth.W, N) : undefined;
  const corrected = truth.W ? connectivityFit(Wcorr, truth.W, N) : undefined;

  const rPhi = linspace(s.phiRange[0], s.phiRange[1], nR);
  const F = samplePhi(backend, p, new CurveWorkspace(backend, p, nR), rPhi);
  const rPsi = linspace(s.psiRange[0], s.psiRange[1], nR);
  const psi = samplePsi(backend, p, rPsi).map((v) => v / plateau);

  let phiRmseByType: number[] | null = null;
  if (truth.types && truth.nTypes && truth.phi) {
    const sum = new Float64Array(truth.nTypes);
    const count = new Float64Array(truth.nTypes);
    for (let n = 0; n < N; n++) {
      const t = truth.types[n];
      const phi = truth.phi[t];
      for (let k = 0; k < nR; k++) {
        sum[t] += (F[n * nR + k] - phi(rPhi[k])) ** 2;
        count[t]++;
      }
    }
    phiRmseByType = Array.from(sum, (v, t) => (count[t] > 0 ? Math.sqrt(v / count[t]) : Number.NaN));
  }
  let se = 0;
  for (let k = 0; k < nR; k++) se += (psi[k] - Math.tanh(rPsi[k])) ** 2;

  return {
    psiPlateau: plateau,
    Wcorr,
    raw,
    corrected,
    clustering: clusterEmbeddings(p.a, p.shape.embeddingDim, s.clusterThreshold, truth),
    edges: truth.W ? edgeMetrics(Wcorr, truth.W, N) : undefined,
    phi: { r: rPhi, F },
    psi: { r: rPsi, y: psi },
    phiRmseByType,
    psiRmse: Math.sqrt(se / nR),
  };
}
