/**
 * The clustering step at an epoch end (spec 4.5): cluster the phi* curves (UMAP, global min-max,
 * single linkage), replace the embeddings by their cluster medians and fit phi* to the per-group
 * median curves with a few full-batch Adam steps.
 */
import { groupsFromTypes, minMaxGlobal, replaceByClusterMedians, singleLinkage, typeAccuracy, umap2d } from "../core/cluster.js";
import { linspace } from "../core/stats.js";
import type { Backend } from "../kernels/backend.js";
import type { Adam } from "../model/adam.js";
import { CurveWorkspace, samplePhi } from "../model/curves.js";
import type { ParamSet } from "../model/params.js";
import type { ClusteringRecord } from "../run-folder/files.js";
import { fitToCurves, groupMedianCurves } from "./functions.js";
import { FROZEN_LR } from "./schedule.js";

/** Grid points of the phi* curves that the clustering step compares (reference: 1000 on plotting.xlim). */
export const CURVE_POINTS = 1000;
/** Full-batch Adam steps of the function replacement (reference: 20). */
const REPLACE_STEPS = 20;
/** UMAP neighbours of the clustering step (reference: 50). */
const UMAP_NEIGHBORS = 50;

export interface ClusteringInput {
  backend: Backend;
  p: ParamSet;
  grad: ParamSet;
  adam: Adam;
  curves: CurveWorkspace;
  epoch: number;
  /** plotting.xlim: the range of the compared curves. */
  xlim: readonly [number, number];
  threshold: number;
  /** UMAP seed (training seed + epoch). */
  seed: number;
  /** True types, when known: clusters are mapped to them (as the reference), else used as they are. */
  types?: Int32Array;
  nTypes?: number;
}

/** A phi* workspace of the clustering step's size. */
export function clusteringCurves(backend: Backend, p: ParamSet): CurveWorkspace {
  return new CurveWorkspace(backend, p, CURVE_POINTS);
}

/** Run the step on `p` (embeddings, unless fixed, and phi* change; Adam is reset with a frozen). */
export function clusteringStep(c: ClusteringInput): ClusteringRecord {
  const started = performance.now();
  const { backend, p } = c;
  const N = p.shape.N;
  const rs = linspace(c.xlim[0], c.xlim[1], CURVE_POINTS);
  const F = samplePhi(backend, p, c.curves, rs);
  const umap = umap2d(F, N, CURVE_POINTS, UMAP_NEIGHBORS, c.seed);
  const labels = singleLinkage(minMaxGlobal(umap), 2, c.threshold);
  const nClusters = Math.max(...labels) + 1;
  const sizes = Array.from({ length: nClusters }, (_, k) => labels.filter((l) => l === k).length);
  // Groups for the function targets: clusters mapped to true types when known (as the reference), else the clusters.
  let groups = labels;
  let nGroups = nClusters;
  let accuracy: number | null = null;
  if (c.types && c.nTypes) {
    groups = groupsFromTypes(labels, c.types, c.nTypes);
    nGroups = c.nTypes + 1;
    accuracy = typeAccuracy(groups, c.types);
  }
  // A constant embedding (training_single_type: Adam's fixed "a") is left as it is.
  if (!c.adam.fixed.has("a")) replaceByClusterMedians(p.a, p.shape.embeddingDim, labels);
  const targets = groupMedianCurves(F, CURVE_POINTS, groups, nGroups);
  c.adam.rates = { ...c.adam.rates, a: FROZEN_LR };
  c.adam.reset();
  const losses = fitToCurves(backend, p, c.grad, c.adam, c.curves, rs, groups, targets, REPLACE_STEPS);
  return {
    epoch: c.epoch,
    n_clusters: nClusters,
    cluster_sizes: sizes,
    accuracy,
    labels: Array.from(labels),
    umap: Array.from(umap),
    replacement_loss: losses,
    seconds: (performance.now() - started) / 1000,
  };
}

/** One log line of a clustering record. */
export function describeClustering(c: ClusteringRecord): string {
  const loss = c.replacement_loss;
  return (
    `clustering after epoch ${c.epoch}: ${c.n_clusters} clusters (sizes ${c.cluster_sizes.join(", ")})` +
    (c.accuracy === null ? "" : `, accuracy vs true types ${c.accuracy.toFixed(3)}`) +
    `; phi* fitted to the cluster medians (loss ${loss[0]?.toPrecision(4)} → ${loss[loss.length - 1]?.toPrecision(4)}) in ${c.seconds.toFixed(1)} s`
  );
}
