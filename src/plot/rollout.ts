/**
 * Rollout panels (Supp Figs 2, 5, 6): traces of a few neurons (truth thick grey, learned coloured,
 * offset by 25 per neuron) next to the true-vs-learned scatter over all neurons at one time step,
 * with the fit line (red dashed), the identity (faint) and R² / slope; the R² and slope over the
 * whole rollout; the histogram of neuron types.
 */
import * as Plot from "@observablehq/plot";
import { TAB10 } from "./colors.js";
import { sideBySide } from "./montage.js";
import { cornerText, panelLayout, plotSvg } from "./svg.js";

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
  const steps = o.truth.length / o.N - 1;
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
    x: { label: "time (Euler steps)", domain: [0, steps], labelAnchor: "center", labelArrow: "none" },
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
  const marks: Plot.Markish[] = [
    Plot.frame(),
    Plot.line(
      [
        [lo, lo],
        [hi, hi],
      ],
      { stroke: "#bbb" },
    ),
    Plot.dot(pts, { x: "x", y: "y", r: 2, fill: "black", fillOpacity: 0.4 }),
    ...cornerText([`R² ${o.r2.toFixed(3)}`, `slope ${Number.isFinite(o.slope) ? o.slope.toFixed(3) : "—"}`]),
  ];
  if (Number.isFinite(o.slope) && Number.isFinite(lo)) {
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
    x: { label: `true xᵢ at step ${o.step}`, labelAnchor: "center", labelArrow: "none", ticks: 5 },
    y: { label: "learned xᵢ", labelAnchor: "center", labelArrow: "none", ticks: 5 },
    marks,
  });
  return sideBySide([traces, scatter]);
}

/** R² and slope of the rollout scatter against time step. */
export function rolloutQuality(points: { step: number; r2: number; slope: number }[], o: { title?: string } = {}): string {
  const rows = points.flatMap((p) => [
    { step: p.step, v: p.r2, what: "R²" },
    { step: p.step, v: Number.isFinite(p.slope) ? p.slope : Number.NaN, what: "slope" },
  ]);
  return plotSvg({
    ...panelLayout({ width: 640, height: 360, ...o }, 50),
    x: { label: "time (Euler steps)", labelAnchor: "center", labelArrow: "none" },
    y: { label: "R², slope", domain: [0, 1.2], labelAnchor: "center", labelArrow: "none", grid: true },
    color: { domain: ["R²", "slope"], range: [TAB10[0], TAB10[1]] },
    marks: [
      Plot.frame(),
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

/** Counts of neurons per type, annotated. */
export function typeHistogram(types: ArrayLike<number>, nTypes: number, o: { title?: string } = {}): string {
  const counts = Array.from({ length: nTypes }, (_, t) => ({ t: String(t), n: 0 }));
  for (let i = 0; i < types.length; i++) counts[types[i]].n++;
  return plotSvg({
    ...panelLayout({ width: 400, height: 360, ...o }, 50),
    x: { type: "band", label: "neuron type", labelAnchor: "center", labelArrow: "none" },
    y: { label: "neurons", domain: [0, types.length], labelAnchor: "center", labelArrow: "none" },
    marks: [
      Plot.barY(counts, { x: "t", y: "n", fill: (d: { t: string }) => TAB10[Number(d.t) % 10] }),
      Plot.text(counts, { x: "t", y: "n", text: (d: { n: number }) => String(d.n), dy: -8 }),
      Plot.ruleY([0]),
    ],
  });
}
