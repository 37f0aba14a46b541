/**
 * Rollout panels (Supp Figs 2, 5, 6): traces of a few neurons (truth thick grey, learned coloured,
 * offset by 25 per neuron) next to the true-vs-learned scatter over all neurons at one time step,
 * with the fit line (red dashed), the identity (faint) and R² / slope; the R² and slope over the
 * whole rollout; the histogram of neuron types.
 */
import * as Plot from "@observablehq/plot";
import { type Colormap, TAB10, categoryColor } from "./colors.js";
import { sideBySide } from "./montage.js";
import { clipLines, cornerText, noDataNote, panelLayout, plotSvg, safeDomain } from "./svg.js";

const round2 = (v: number) => Math.round(v * 100) / 100;

export interface RolloutPanelInput {
  /** [(steps + 1), N] states. */
  truth: Float32Array;
  learned: Float32Array;
  N: number;
  /** The time step shown (Euler steps from the start). */
  step: number;
  /** Neurons whose traces are drawn. */
  neurons: number[];
  r2: number;
  slope: number;
  intercept: number;
  title?: string;
}

/** Traces up to `step` and the scatter at `step`, side by side. */
export function rolloutPanel(o: RolloutPanelInput): string {
  const steps = o.N > 0 ? Math.max(0, Math.floor(o.truth.length / o.N) - 1) : 0;
  // At most ~400 points per trace, always ending at `step`.
  const stride = Math.max(1, Math.ceil(o.step / 400));
  const ts: number[] = [];
  for (let t = 0; t < o.step; t += stride) ts.push(t);
  ts.push(o.step);
  const trace = (src: Float32Array) =>
    o.neurons.flatMap((n, k) =>
      ts.filter((t) => Number.isFinite(src[t * o.N + n])).map((t) => ({ t, y: round2(src[t * o.N + n] + 25 * k), k })),
    );
  const traces = plotSvg({
    width: 720,
    height: 480,
    marginLeft: 30,
    marginRight: 30,
    marginBottom: 50,
    marginTop: o.title ? 40 : 20,
    title: o.title,
    style: { fontSize: "13px" },
    x: { label: "time (Euler steps)", domain: [0, Math.max(1, steps)], labelAnchor: "center", labelArrow: "none" },
    y: { label: "xᵢ (offset by 25 per neuron)", ticks: [], labelAnchor: "center", labelArrow: "none" },
    marks: [
      Plot.frame(),
      Plot.line(trace(o.truth), { x: "t", y: "y", z: "k", stroke: "#888", strokeWidth: 6, strokeOpacity: 0.5 }),
      Plot.line(trace(o.learned), { x: "t", y: "y", z: "k", stroke: (d: { k: number }) => TAB10[d.k % 10], strokeWidth: 1.5 }),
    ],
  });
  const x = o.truth.subarray(o.step * o.N, (o.step + 1) * o.N);
  const y = o.learned.subarray(o.step * o.N, (o.step + 1) * o.N);
  const pts: { x: number; y: number }[] = [];
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < o.N; i++) {
    if (!Number.isFinite(y[i])) continue;
    pts.push({ x: round2(x[i]), y: round2(y[i]) });
    lo = Math.min(lo, x[i]);
    hi = Math.max(hi, x[i]);
  }
  const shown = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : "—");
  const marks: Plot.Markish[] = [
    Plot.frame(),
    Plot.dot(pts, { x: "x", y: "y", r: 2, fill: "black", fillOpacity: 0.4 }),
    ...cornerText([`R² ${shown(o.r2)}`, `slope ${shown(o.slope)}`]),
  ];
  if (pts.length === 0) marks.push(noDataNote());
  if (Number.isFinite(lo) && Number.isFinite(hi)) {
    marks.splice(
      1,
      0,
      Plot.line(
        [
          [lo, lo],
          [hi, hi],
        ],
        { stroke: "#bbb" },
      ),
    );
  }
  if (Number.isFinite(o.slope) && Number.isFinite(o.intercept) && Number.isFinite(lo) && Number.isFinite(hi)) {
    const fit = [lo, hi].map((v) => [v, o.slope * v + o.intercept]);
    marks.push(Plot.line(fit, { stroke: "#d62728", strokeDasharray: "6,4", strokeWidth: 2 }));
  }
  const scatter = plotSvg({
    width: 480,
    height: 480,
    marginLeft: 60,
    marginRight: 20,
    marginBottom: 50,
    marginTop: o.title ? 40 : 20,
    style: { fontSize: "13px" },
    x: {
      label: `true xᵢ at step ${o.step}`,
      domain: safeDomain(pts.map((p) => p.x)),
      labelAnchor: "center",
      labelArrow: "none",
      ticks: 5,
    },
    y: { label: "learned xᵢ", domain: safeDomain(pts.map((p) => p.y)), labelAnchor: "center", labelArrow: "none", ticks: 5 },
    marks,
  });
  return sideBySide([traces, scatter]);
}

/** R² and slope of the rollout scatter against time step. */
export function rolloutQuality(points: { step: number; r2: number; slope: number }[], o: { title?: string } = {}): string {
  // R² of a diverged rollout can be −10⁶: cut near the frame (see clipLines).
  const rows = clipLines(
    points.flatMap((p) => [
      { step: p.step, v: p.r2, what: "R²" },
      { step: p.step, v: Number.isFinite(p.slope) ? p.slope : Number.NaN, what: "slope" },
    ]),
    { x: "step", y: "v", z: "what" },
    [0, 1.2],
  );
  return plotSvg({
    ...panelLayout({ width: 640, height: 360, ...o }, 50),
    x: {
      label: "time (Euler steps)",
      domain: safeDomain(points.map((p) => p.step)),
      labelAnchor: "center",
      labelArrow: "none",
    },
    y: { label: "R², slope", domain: [0, 1.2], labelAnchor: "center", labelArrow: "none", grid: true },
    color: { domain: ["R²", "slope"], range: [TAB10[0], TAB10[1]] },
    marks: [
      Plot.frame(),
      ...(points.length === 0 ? [noDataNote()] : []),
      Plot.line(rows, { x: "step", y: "v", stroke: "what", strokeWidth: 2, clip: true }),
      // Key (a Plot legend would wrap the SVG in HTML).
      ...["R²", "slope"].map((what, i) =>
        Plot.text([`— ${what}`], {
          frameAnchor: "top-right",
          dx: -10,
          dy: 12 + 18 * i,
          fill: TAB10[i],
          fontSize: 14,
          textAnchor: "end",
        }),
      ),
    ],
  });
}

/**
 * Counts of neurons per type, annotated (types ≥ nTypes get bars of their own), coloured by type
 * in `colormap`. Beyond 16 types the counts are left out and every k-th type is labelled.
 */
export function typeHistogram(types: ArrayLike<number>, nTypes: number, o: { title?: string; colormap?: Colormap } = {}): string {
  let bars = Number.isInteger(nTypes) && nTypes > 0 ? nTypes : 0;
  for (let i = 0; i < types.length; i++) {
    const t = types[i];
    if (!(Number.isInteger(t) && t >= 0)) throw new Error(`typeHistogram: neuron ${i} has type ${t}, not an index ≥ 0`);
    if (t >= bars) bars = t + 1;
  }
  const counts = Array.from({ length: bars }, (_, t) => ({ t: String(t), n: 0 }));
  for (let i = 0; i < types.length; i++) counts[types[i]].n++;
  const every = Math.ceil(bars / 16);
  return plotSvg({
    ...panelLayout({ width: 400, height: 360, ...o }, 50),
    x: {
      type: "band",
      // In type order (Plot would sort the names as strings: 0, 1, 10, 11, …).
      domain: counts.map((c) => c.t),
      label: "neuron type",
      labelAnchor: "center",
      labelArrow: "none",
      ...(every > 1 ? { ticks: counts.filter((_, t) => t % every === 0).map((c) => c.t) } : {}),
    },
    y: { label: "neurons", domain: [0, Math.max(1, types.length)], labelAnchor: "center", labelArrow: "none" },
    marks: [
      Plot.barY(counts, { x: "t", y: "n", fill: (d: { t: string }) => categoryColor(Number(d.t), o.colormap) }),
      ...(every > 1 ? [] : [Plot.text(counts, { x: "t", y: "n", text: (d: { n: number }) => String(d.n), dy: -8 })]),
      Plot.ruleY([0]),
    ],
  });
}
