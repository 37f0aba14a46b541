/**
 * The clustering of the reference's `distance_plot` method (spec 4.5): a 2-D UMAP of the neurons'
 * phi* curves (seeded here; the reference's is not), min-max normalised with one global min and
 * max, then single-linkage clusters at a distance threshold (SciPy `fclusterdata(…, criterion=
 * "distance", method="single")`): neurons i, j share a cluster when a chain of points joins them
 * with every link ≤ threshold. Labels are numbered 0, 1, … in order of each cluster's first neuron.
 */
import { UMAP } from "umap-js";
import { Rng, STREAMS } from "./rng.js";
import { median, roundHalfEven } from "./stats.js";

/** Min-max normalise all coordinates with one global min and max (over every axis) to [0, 1]. */
export function minMaxGlobal(points: Float64Array): Float64Array {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of points) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi > lo ? hi - lo : 1;
  return points.map((v) => (v - lo) / span);
}

/** Single-linkage flat clusters of n points of dimension dim (row-major) at distance ≤ threshold. */
export function singleLinkage(points: Float64Array, dim: number, threshold: number): Int32Array {
  const n = points.length / dim;
  const { find, union } = unionFind(n);
  const t2 = threshold * threshold;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let d2 = 0;
      for (let e = 0; e < dim; e++) {
        const d = points[i * dim + e] - points[j * dim + e];
        d2 += d * d;
      }
      if (d2 <= t2) {
        union(i, j);
      }
    }
  }
  return relabel(n, find);
}

/** Union-find over n points; a union keeps the smaller root (so roots are each cluster's first point). */
function unionFind(n: number) {
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const union = (i: number, j: number) => {
    const ri = find(i);
    const rj = find(j);
    if (ri !== rj) parent[Math.max(ri, rj)] = Math.min(ri, rj);
  };
  return { find, union };
}

/** Label each point by its union-find root, numbered 0, 1, … in order of each cluster's first point. */
function relabel(n: number, find: (i: number) => number): Int32Array {
  const labels = new Int32Array(n);
  const ids = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    if (!ids.has(r)) ids.set(r, ids.size);
    labels[i] = ids.get(r)!;
  }
  return labels;
}

/**
 * Single-linkage flat clusters cut at k clusters (SciPy `fcluster(linkage(…, "single"), k,
 * criterion="maxclust")`): the minimum spanning tree (Prim, O(n²·dim)) without its k − 1 longest
 * edges. Edges of length 0 are never cut, so identical points share a cluster and fewer than k
 * clusters come out when there are fewer than k distinct points (a constant embedding: one).
 * Among equal lengths the edges added to the tree last are cut first. Labels as singleLinkage.
 */
export function singleLinkageK(points: Float64Array, dim: number, k: number): Int32Array {
  const n = points.length / dim;
  if (n === 0) return new Int32Array(0);
  // Prim: best[j] = distance² from the tree to j, from[j] = its tree end.
  const inTree = new Uint8Array(n);
  const best = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const from = new Int32Array(n);
  const edges: { i: number; j: number; d2: number }[] = [];
  let cur = 0;
  inTree[0] = 1;
  for (let step = 1; step < n; step++) {
    let next = -1;
    for (let j = 0; j < n; j++) {
      if (inTree[j]) continue;
      let d2 = 0;
      for (let e = 0; e < dim; e++) {
        const d = points[cur * dim + e] - points[j * dim + e];
        d2 += d * d;
      }
      if (d2 < best[j]) {
        best[j] = d2;
        from[j] = cur;
      }
      if (next < 0 || best[j] < best[next]) next = j;
    }
    inTree[next] = 1;
    edges.push({ i: from[next], j: next, d2: best[next] });
    cur = next;
  }
  // Join along every edge but the k − 1 longest of positive length.
  const order = edges.map((_, e) => e).sort((a, b) => edges[a].d2 - edges[b].d2 || a - b);
  const cut = new Set(order.slice(Math.max(0, order.length - (k - 1))).filter((e) => edges[e].d2 > 0));
  const { find, union } = unionFind(n);
  edges.forEach((edge, e) => {
    if (cut.has(e)) return;
    union(edge.i, edge.j);
  });
  return relabel(n, find);
}

/** 2-D UMAP (n_neighbors as given, clipped to n − 1) of the rows of `data` [n, dim], seeded. */
export function umap2d(data: Float32Array, n: number, dim: number, nNeighbors: number, seed: number): Float64Array {
  const rows = Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * dim, (i + 1) * dim)));
  const rng = new Rng(seed, STREAMS.umap);
  const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(nNeighbors, n - 1), random: () => rng.uniform() });
  return Float64Array.from(umap.fit(rows).flat());
}

/**
 * The reference's mapping of cluster labels to true types: for each type n, label_list[n] =
 * round(median label of its neurons) (half to even); neuron i gets group n when labels[i] == label_list[n] (later
 * types win ties), else group nTypes ("other").
 */
export function groupsFromTypes(labels: Int32Array, types: Int32Array, nTypes: number): Int32Array {
  const groups = new Int32Array(labels.length).fill(nTypes);
  for (let n = 0; n < nTypes; n++) {
    const of = [...labels].filter((_, i) => types[i] === n);
    if (of.length === 0) continue;
    const target = roundHalfEven(median(of));
    for (let i = 0; i < labels.length; i++) if (labels[i] === target) groups[i] = n;
  }
  return groups;
}

/** Fraction of neurons whose group (groupsFromTypes of the labels) is their true type. */
export function typeAccuracy(groups: Int32Array, types: Int32Array): number {
  let right = 0;
  for (let i = 0; i < groups.length; i++) if (groups[i] === types[i]) right++;
  return right / groups.length;
}

/** Set every embedding a_i [N, d] to the per-dimension median of its cluster's embeddings. */
export function replaceByClusterMedians(a: Float32Array | Float64Array, d: number, labels: Int32Array): void {
  const members = new Map<number, number[]>();
  labels.forEach((c, i) => {
    const m = members.get(c);
    if (m) m.push(i);
    else members.set(c, [i]);
  });
  for (const idx of members.values()) {
    for (let e = 0; e < d; e++) {
      const med = median(idx.map((i) => a[i * d + e]));
      for (const i of idx) a[i * d + e] = med;
    }
  }
}
