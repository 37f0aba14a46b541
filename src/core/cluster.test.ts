import { describe, expect, it } from "vitest";
import { groupsFromTypes, minMaxGlobal, replaceByClusterMedians, singleLinkage, singleLinkageK, umap2d } from "./cluster.js";
import { Rng } from "./rng.js";

/** Connected components of the graph "distance ≤ t", by breadth-first search (plain reference). */
function componentsBfs(pts: number[][], t: number): number[] {
  const label = new Array<number>(pts.length).fill(-1);
  let next = 0;
  for (let s = 0; s < pts.length; s++) {
    if (label[s] >= 0) continue;
    label[s] = next;
    const queue = [s];
    while (queue.length) {
      const i = queue.shift()!;
      for (let j = 0; j < pts.length; j++) {
        if (label[j] < 0 && Math.hypot(pts[i][0] - pts[j][0], pts[i][1] - pts[j][1]) <= t) {
          label[j] = next;
          queue.push(j);
        }
      }
    }
    next++;
  }
  return label;
}

describe("clustering (distance_plot)", () => {
  it("single linkage at a threshold joins chains and matches a breadth-first reference", () => {
    // A chain of points 0.09 apart forms one cluster at t = 0.1 although its ends are far apart.
    const chain = singleLinkage(Float64Array.from([0, 0, 0.09, 0, 0.18, 0, 0.27, 0, 0.6, 0]), 2, 0.1);
    expect(Array.from(chain)).toEqual([0, 0, 0, 0, 1]);
    const r = new Rng(9, 0);
    const pts = Array.from({ length: 200 }, () => [r.uniform(), r.uniform()]);
    for (const t of [0.02, 0.05, 0.1]) {
      expect(Array.from(singleLinkage(Float64Array.from(pts.flat()), 2, t))).toEqual(componentsBfs(pts, t));
    }
  });

  it("single linkage cut at k clusters: the same partition as the threshold that gives k clusters", () => {
    const chain = Float64Array.from([0, 0, 0.09, 0, 0.18, 0, 0.27, 0, 0.6, 0]);
    expect(Array.from(singleLinkageK(chain, 2, 2))).toEqual([0, 0, 0, 0, 1]);
    expect(Array.from(singleLinkageK(chain, 2, 1))).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from(singleLinkageK(chain, 2, 5))).toEqual([0, 1, 2, 3, 4]);
    const r = new Rng(10, 0);
    const pts = Float64Array.from({ length: 2 * 300 }, () => r.uniform());
    for (const t of [0.02, 0.04, 0.08]) {
      const byThreshold = singleLinkage(pts, 2, t);
      const k = Math.max(...byThreshold) + 1;
      expect(Array.from(singleLinkageK(pts, 2, k)), `t = ${t}, k = ${k}`).toEqual(Array.from(byThreshold));
    }
  });

  it("single linkage at k never splits identical points: fewer clusters than k when fewer distinct points", () => {
    expect(Array.from(singleLinkageK(new Float64Array(2 * 6).fill(1), 2, 4))).toEqual([0, 0, 0, 0, 0, 0]);
    const twoPlaces = Float64Array.from([0, 0, 1, 1, 0, 0, 1, 1]);
    expect(Array.from(singleLinkageK(twoPlaces, 2, 3))).toEqual([0, 1, 0, 1]);
    expect(singleLinkageK(new Float64Array(0), 2, 3)).toHaveLength(0);
  });

  it("min-max normalises with one global min and max", () => {
    expect(Array.from(minMaxGlobal(Float64Array.from([0, 10, 5, 20])))).toEqual([0, 0.5, 0.25, 1]);
  });

  it("maps clusters to types by the median label (the reference's rule) and replaces embeddings by medians", () => {
    const labels = Int32Array.from([1, 1, 1, 0, 0, 2, 0]);
    const types = Int32Array.from([0, 0, 0, 1, 1, 1, 1]);
    // type 0 → label 1; type 1 → median of [0, 0, 2, 0] = 0; the neuron in cluster 2 is "other" (2).
    expect(Array.from(groupsFromTypes(labels, types, 2))).toEqual([0, 0, 0, 1, 1, 2, 1]);
    const a = Float32Array.from([1, 10, 2, 20, 9, 90, 5, 5, 7, 7, 0, 0, 6, 6]);
    replaceByClusterMedians(a, 2, labels);
    expect(Array.from(a)).toEqual([2, 20, 2, 20, 2, 20, 6, 6, 6, 6, 0, 0, 6, 6]);
  });

  it("UMAP of curves of 4 function families, then single linkage at 0.1, finds the 4 families; seeded runs agree", () => {
    const n = 120;
    const nR = 50;
    const r = new Rng(4, 0);
    const F = new Float32Array(n * nR);
    const family = (i: number) => Math.floor((4 * i) / n);
    const sc = [
      [1, 1],
      [2, 1],
      [1, 2],
      [2, 2],
    ];
    for (let i = 0; i < n; i++) {
      const [s, c] = sc[family(i)];
      for (let k = 0; k < nR; k++) {
        const x = -4 + (8 * k) / (nR - 1);
        F[i * nR + k] = -c * x + s * Math.tanh(x) + 0.05 * r.normal();
      }
    }
    const e1 = umap2d(F, n, nR, 50, 7);
    const e2 = umap2d(F, n, nR, 50, 7);
    expect(Array.from(e1)).toEqual(Array.from(e2));
    const labels = singleLinkage(minMaxGlobal(e1), 2, 0.1);
    expect(Math.max(...labels) + 1).toBe(4);
    for (let i = 0; i < n; i++) expect(labels[i]).toBe(family(i));
  });
});
