/**
 * Fig 2f (embeddings coloured by true type), Fig 2g (phi*(a_i, x) for every neuron over the true
 * curves in light grey), Fig 2h (psi*(x)/ψ̄ over tanh in light grey) and Supp Fig 13h (PDE_N4:
 * psi*(a_j, x)/upper_j for every neuron over each type's true transfer tanh(x/w) in light grey).
 */
import * as Plot from "@observablehq/plot";
import { type Colormap, TAB10, categoryColor } from "./colors.js";
import { type PanelSize, clipLines, noDataNote, panelLayout, plotSvg, safeDomain } from "./svg.js";

const GREY = "#d3d3d3";
const round2 = (v: number) => Math.round(v * 100) / 100;
/** A neuron's colour: its type's in the colour map, dark grey without types. */
const typeColor = (t: number | undefined, colormap?: Colormap) => (t === undefined ? "#444" : categoryColor(t, colormap));

/** The colour map of the per-type colours (plotting.colormap; default tab10). No legend is drawn: 32 types would not fit. */
export interface TypeColors {
  colormap?: Colormap;
}

/**
 * Fig 2f: a_i (first two dimensions) coloured by true type (dark grey without types). A constant
 * embedding (training_single_type: every a_i = (1, 1)) is one dot in a padded domain.
 */
export function embeddingPanel(
  a: ArrayLike<number>,
  d: number,
  types?: ArrayLike<number>,
  o: PanelSize & TypeColors & { normalise?: boolean } = {},
): string {
  if (!(Number.isInteger(d) && d >= 1)) throw new Error(`embeddingPanel: embedding dimension ${d} is not a positive integer`);
  const N = Math.floor(a.length / d);
  const pts = Array.from({ length: N }, (_, i) => ({ x: a[i * d], y: d > 1 ? a[i * d + 1] : 0, t: types?.[i] }));
  if (o.normalise) {
    // Min-max per dimension to [0, 1] (the training montage); a constant dimension goes to 0.5.
    for (const k of ["x", "y"] as const) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const p of pts) {
        if (p[k] < lo) lo = p[k];
        if (p[k] > hi) hi = p[k];
      }
      for (const p of pts) p[k] = hi > lo ? (p[k] - lo) / (hi - lo) : 0.5;
    }
  }
  for (const p of pts) {
    p.x = Math.round(p.x * 1e4) / 1e4;
    p.y = Math.round(p.y * 1e4) / 1e4;
  }
  const dom = o.normalise ? ([-0.1, 1.1] as [number, number]) : undefined;
  return plotSvg({
    ...panelLayout(o),
    inset: dom ? 0 : 12,
    x: { label: "aᵢ₀", domain: dom ?? safeDomain(pts.map((p) => p.x)), labelAnchor: "center", labelArrow: "none", ticks: 5 },
    y: { label: "aᵢ₁", domain: dom ?? safeDomain(pts.map((p) => p.y)), labelAnchor: "center", labelArrow: "none", ticks: 5 },
    marks: [
      Plot.frame(),
      Plot.dot(pts, { x: "x", y: "y", r: 4, fill: (p: { t?: number }) => typeColor(p.t, o.colormap), fillOpacity: 0.4 }),
      ...(N === 0 ? [noDataNote()] : []),
    ],
  });
}

/**
 * Fig 2g: phi* curves F [N, nR] on grid r, one per neuron coloured by type, over the true curves
 * (one per type, light grey). `every` draws every k-th neuron (thumbnails).
 */
export function phiPanel(
  r: ArrayLike<number>,
  F: ArrayLike<number>,
  types: ArrayLike<number> | undefined,
  truth: ((x: number) => number)[],
  o: PanelSize &
    TypeColors & { xDomain: [number, number]; yDomain: [number, number]; every?: number; labels?: { x: string; y: string } },
): string {
  const nR = r.length;
  const N = nR > 0 ? Math.floor(F.length / nR) : 0;
  const every = Math.max(1, Math.floor(o.every ?? 1)) || 1;
  let learned: { x: number; y: number; n: number; t?: number }[] = [];
  for (let n = 0; n < N; n += every) {
    for (let k = 0; k < nR; k++) learned.push({ x: r[k], y: round2(F[n * nR + k]), n, t: types?.[n] });
  }
  let truePts = truth.flatMap((f, t) => Array.from(r, (x) => ({ x, y: round2(f(x)), t })));
  // Curves far outside the fixed y domain are cut near the frame (see clipLines).
  learned = clipLines(learned, { x: "x", y: "y", z: "n" }, o.yDomain);
  truePts = clipLines(truePts, { x: "x", y: "y", z: "t" }, o.yDomain);
  return plotSvg({
    ...panelLayout(o),
    x: { label: o.labels?.x ?? "xᵢ", domain: o.xDomain, labelAnchor: "center", labelArrow: "none", ticks: 5 },
    y: { label: o.labels?.y ?? "learned φ*(aᵢ, xᵢ)", domain: o.yDomain, labelAnchor: "center", labelArrow: "none", ticks: 5 },
    marks: [
      Plot.frame(),
      Plot.line(truePts, { x: "x", y: "y", z: "t", stroke: GREY, strokeWidth: 8, clip: true }),
      Plot.line(learned, {
        x: "x",
        y: "y",
        z: "n",
        stroke: (p: { t?: number }) => typeColor(p.t, o.colormap),
        strokeWidth: 1.5,
        strokeOpacity: 0.25,
        clip: true,
      }),
    ],
  });
}

/**
 * Supp Fig 13h (PDE_N4's MLP1_corrected): psi*([x, a_n]) divided by upper_n, Y [N, nR] on grid r,
 * one curve per neuron coloured by its type, over each sending type's true transfer (light grey).
 */
export function psiByNeuronPanel(
  r: ArrayLike<number>,
  Y: ArrayLike<number>,
  types: ArrayLike<number> | undefined,
  truth: ((x: number) => number)[],
  o: PanelSize & TypeColors & { xDomain: [number, number]; yDomain: [number, number]; every?: number },
): string {
  return phiPanel(r, Y, types, truth, { ...o, labels: { x: "xⱼ", y: "learned ψ*(aⱼ, xⱼ) / ψ̄ⱼ" } });
}

/** Fig 2h: psi*(x)/ψ̄ over tanh (light grey). */
export function psiPanel(
  r: ArrayLike<number>,
  y: ArrayLike<number>,
  o: PanelSize & { xDomain: [number, number]; yDomain: [number, number] },
): string {
  // Curves far outside the fixed y domain are cut near the frame (see clipLines).
  const learned = clipLines(
    Array.from(r, (x, k) => ({ x, y: round2(y[k]) })),
    { x: "x", y: "y" },
    o.yDomain,
  );
  const truth = clipLines(
    Array.from(r, (x) => ({ x, y: round2(Math.tanh(x)) })),
    { x: "x", y: "y" },
    o.yDomain,
  );
  return plotSvg({
    ...panelLayout(o),
    x: { label: "xⱼ", domain: o.xDomain, labelAnchor: "center", labelArrow: "none", ticks: 5 },
    y: { label: "learned ψ*(xⱼ) / ψ̄", domain: o.yDomain, labelAnchor: "center", labelArrow: "none", ticks: 5 },
    marks: [
      Plot.frame(),
      Plot.line(truth, { x: "x", y: "y", stroke: GREY, strokeWidth: 8, clip: true }),
      Plot.line(learned, { x: "x", y: "y", stroke: TAB10[0], strokeWidth: 2, clip: true }),
    ],
  });
}

/** W R² against training iterations (from metrics.jsonl), epoch boundaries as light rules. */
export function r2Curve(points: { iteration: number; r2: number }[], epochStarts: number[], o: PanelSize = {}): string {
  return plotSvg({
    ...panelLayout({ width: 640, height: 360, ...o }),
    x: {
      label: "iterations",
      domain: safeDomain(points.map((p) => p.iteration)),
      labelAnchor: "center",
      labelArrow: "none",
      ticks: 6,
    },
    y: { label: "W R²", domain: [0, 1], labelAnchor: "center", labelArrow: "none", ticks: 5, grid: true },
    marks: [
      Plot.frame(),
      ...(points.length === 0 ? [noDataNote()] : []),
      Plot.ruleX(epochStarts, { stroke: "#ccc", strokeDasharray: "3,3" }),
      Plot.line(points, { x: "iteration", y: "r2", stroke: TAB10[0], strokeWidth: 2 }),
      Plot.dot(points, { x: "iteration", y: "r2", r: 2, fill: TAB10[0] }),
    ],
  });
}
