/**
 * Evaluation of a trained model against the ground truth (spec fig2 §5, models-n4-n5 §2.5):
 *   - psi* normalisation (normalise.ts): each psi* curve on r ∈ [0.8·xnorm, xnorm] (1000 points)
 *     reduced to upper_j by plotting.norm_method (Figure 2: the median ψ̄; one curve for PDE_N2,
 *     one per sender j for PDE_N4's psi*([r, a_j]));
 *   - learned W compared with the true W by OLS on the off-diagonal entries, raw and corrected
 *     per presynaptic column: W*corr_ij = W*_ij·upper_j/g (the true message is g·W_ij·ψ_j(x_j),
 *     the learned one W*_ij·psi*(x_j));
 *   - clustering of the embeddings: min-max normalised (one global min and max), single linkage at
 *     the distance threshold, clusters mapped to types by the median-label rule, accuracy; and the
 *     same single linkage cut at exactly K = number of true types clusters ("K-fixed", ours: the
 *     threshold that separates 4 types is too coarse or too fine for 32, spec upstream-pdeN2 §5);
 *   - edge detection (edges.ts, ours) of the corrected W against the true W;
 *   - function recovery: RMSE of phi*(a_i, x) against the true phi of neuron i's type on the φ
 *     plotting range, and of psi* ÷ upper against the true transfer (tanh; PDE_N4: tanh((x − h)/w)
 *     of the sender's type, with the width of a k·tanh(x/w) fit per type) on the ψ plotting range.
 * Everything that needs ground truth is skipped (null) without it.
 */
import type { Config } from "../config/schema.js";
import { groupsFromTypes, minMaxGlobal, singleLinkage, singleLinkageK, typeAccuracy } from "../core/cluster.js";
import { type OlsFit, connectivityFit } from "../core/regression.js";
import { linspace, median } from "../core/stats.js";
import type { Backend } from "../kernels/backend.js";
import { CurveWorkspace, samplePhi, samplePsi, samplePsiCurves } from "../model/curves.js";
import type { ParamSet } from "../model/params.js";
import type { SignalModel, TypeParams } from "../signal/signal-model.js";
import { type EdgeMetrics, edgeMetrics } from "./edges.js";
import { rmseByType, tanhWidthByType } from "./function-fit.js";
import { MEDIAN_NORM, type PsiNorm, normalisation } from "./normalise.js";

export interface Truth {
  W?: Float32Array;
  types?: Int32Array;
  nTypes?: number;
  /** The true update function phi(x) of each type (SignalModel.truePhi with the type's parameters). */
  phi?: readonly ((x: number) => number)[];
  /** The true transfer function psi(x) of each sending type (SignalModel.truePsi). */
  psi?: readonly ((x: number) => number)[];
}

/** The ground truth as the evaluation uses it: W, types and each type's true phi and psi from the signal model. */
export function truthFor(
  model: Pick<SignalModel, "truePhi" | "truePsi">,
  params: TypeParams,
  W?: Float32Array,
  types?: Int32Array,
  nTypes?: number,
): Truth {
  const rows = types && nTypes ? params.slice(0, nTypes) : undefined;
  const phi = rows?.map((row) => (x: number) => model.truePhi(x, row));
  const psi = rows?.map((row) => (x: number) => model.truePsi(x, row));
  return { W, types, nTypes, phi, psi };
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
  /** The psi* normalisation (plotting.norm_method, norm_x_start, norm_x_stop); default Figure 2's median. */
  norm?: PsiNorm;
}

/** The settings of a config's evaluation with its data's xnorm and the signal model's gain g. */
export function evalSettings(config: Config, xnorm: number, g: number): EvalSettings {
  const pl = config.plotting;
  return {
    xnorm,
    g,
    phiRange: pl.mlp0_xlim as [number, number],
    psiRange: pl.mlp1_xlim as [number, number],
    clusterThreshold: config.training.cluster_distance_threshold,
    norm: { method: pl.norm_method, xStart: pl.norm_x_start, xStop: pl.norm_x_stop },
  };
}

export interface Evaluation {
  /** ψ̄: PDE_N2's upper value; PDE_N4: the median over senders of upper_j. */
  psiPlateau: number;
  /** upper_j of every presynaptic neuron j [N] (PDE_N2: ψ̄ for all). */
  psiUpper: Float64Array;
  /** How upper was taken: the method, the range of r in units of x, and whether that range was empty (max |psi*| fallback). */
  psiNorm: { method: string; range: [number, number]; fallback: boolean; perNeuron: boolean };
  /** Learned W scaled per column by upper_j/g (diagonal 0). */
  Wcorr: Float32Array;
  raw?: OlsFit;
  corrected?: OlsFit;
  clustering: EmbeddingClusters;
  /** Edge detection of Wcorr against the true W (without a true W: undefined). */
  edges?: EdgeMetrics;
  /** phi* curves: r [nR] and F [N, nR]. */
  phi: { r: Float32Array; F: Float32Array };
  /** psi* ÷ upper on its own grid: y [nCurves, nR], one curve (PDE_N2) or one per neuron (PDE_N4). */
  psi: { r: Float32Array; y: Float32Array; nCurves: number };
  phiRmseByType: number[] | null;
  /** RMSE of psi* ÷ upper against the true transfer (PDE_N4: of each neuron's type; NaN without types). */
  psiRmse: number;
  /** PDE_N4: RMSE per sending type, and the width w of a k·tanh(x/w) fit of each type's median curve. */
  psiRmseByType: number[] | null;
  psiWidthByType: number[] | null;
}

/** Grid points of the psi* normalisation on [0.8·xnorm, xnorm]. */
const NORM_POINTS = 1000;

/** ψ̄ = median of psi* on [0.8·xnorm, xnorm] (1000 points): Figure 2's normalisation. */
export function psiPlateau(backend: Backend, p: ParamSet, xnorm: number): number {
  return median(samplePsi(backend, p, linspace(0.8 * xnorm, xnorm, NORM_POINTS)));
}

/** upper_j for every neuron j [N] (see normalise.ts), and how it was taken. */
export function psiNormalisation(
  backend: Backend,
  p: ParamSet,
  xnorm: number,
  norm: PsiNorm = MEDIAN_NORM,
): { upper: Float64Array; range: [number, number]; fallback: boolean; perNeuron: boolean } {
  const r = linspace(0.8 * xnorm, xnorm, NORM_POINTS);
  const { Y, nCurves } = samplePsiCurves(backend, p, r);
  const n = normalisation(Y, r, nCurves, norm, xnorm);
  const upper = nCurves === p.shape.N ? n.upper : new Float64Array(p.shape.N).fill(n.upper[0]);
  return { upper, range: n.range, fallback: n.fallback, perNeuron: nCurves > 1 };
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

/** W*_ij·scale_j with a zero diagonal (W: [N, N]); scale_j = upper_j/g gives the corrected W (one number: every column). */
export function correctedW(W: ArrayLike<number>, N: number, scale: number | ArrayLike<number>): Float32Array {
  const out = new Float32Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) out[i * N + j] = i === j ? 0 : W[i * N + j] * (typeof scale === "number" ? scale : scale[j]);
  }
  return out;
}

export function evaluate(backend: Backend, p: ParamSet, truth: Truth, s: EvalSettings): Evaluation {
  const N = p.shape.N;
  const nR = s.points ?? 101;
  const norm = psiNormalisation(backend, p, s.xnorm, s.norm);
  const upper = norm.upper;
  const Wcorr = correctedW(
    p.W,
    N,
    Array.from(upper, (u) => u / s.g),
  );
  const raw = truth.W ? connectivityFit(p.W, truth.W, N) : undefined;
  const corrected = truth.W ? connectivityFit(Wcorr, truth.W, N) : undefined;

  const rPhi = linspace(s.phiRange[0], s.phiRange[1], nR);
  const F = samplePhi(backend, p, new CurveWorkspace(backend, p, nR), rPhi);
  const rPsi = linspace(s.psiRange[0], s.psiRange[1], nR);
  const { Y: psi, nCurves } = samplePsiCurves(backend, p, rPsi);
  for (let n = 0; n < nCurves; n++) for (let k = 0; k < nR; k++) psi[n * nR + k] /= upper[n];

  const { types, nTypes } = truth;
  const phiRmseByType = types && nTypes && truth.phi ? rmseByType(F, rPhi, types, nTypes, truth.phi) : null;
  let psiRmse: number;
  let psiRmseByType: number[] | null = null;
  let psiWidthByType: number[] | null = null;
  if (nCurves === 1) {
    let se = 0;
    for (let k = 0; k < nR; k++) se += (psi[k] - Math.tanh(rPsi[k])) ** 2;
    psiRmse = Math.sqrt(se / nR);
  } else if (types && nTypes && truth.psi) {
    psiRmseByType = rmseByType(psi, rPsi, types, nTypes, truth.psi);
    // Over all neurons: each type's mean square weighted by its neurons.
    const count = new Float64Array(nTypes);
    for (const t of types) count[t]++;
    psiRmse = Math.sqrt(psiRmseByType.reduce((acc, e, t) => acc + (count[t] > 0 ? count[t] * e * e : 0), 0) / N);
    psiWidthByType = tanhWidthByType(psi, rPsi, types, nTypes);
  } else psiRmse = Number.NaN;

  return {
    psiPlateau: median(upper),
    psiUpper: upper,
    psiNorm: {
      method: s.norm?.method ?? MEDIAN_NORM.method,
      range: norm.range,
      fallback: norm.fallback,
      perNeuron: norm.perNeuron,
    },
    Wcorr,
    raw,
    corrected,
    clustering: clusterEmbeddings(p.a, p.shape.embeddingDim, s.clusterThreshold, truth),
    edges: truth.W ? edgeMetrics(Wcorr, truth.W, N) : undefined,
    phi: { r: rPhi, F },
    psi: { r: rPsi, y: psi, nCurves },
    phiRmseByType,
    psiRmse,
    psiRmseByType,
    psiWidthByType,
  };
}
