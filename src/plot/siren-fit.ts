/** Panels of the SIREN fit (model/siren-fit.ts): its loss curve and learned against true √Ω. */
import * as Plot from "@observablehq/plot";
import { TAB10 } from "./colors.js";
import { type PanelSize, cornerText, fmt, panelLayout, plotSvg, safeDomain } from "./svg.js";

/** Mean MSE against iterations, log scale. */
export function sirenLossCurve(curve: readonly { iteration: number; loss: number }[], o: PanelSize = {}): string {
  return plotSvg({
    ...panelLayout({ width: 640, height: 360, ...o }, 80),
    x: {
      label: "iterations",
      domain: safeDomain(curve.map((p) => p.iteration)),
      labelAnchor: "center",
      labelArrow: "none",
      ticks: 6,
    },
    y: { label: "MSE of Ω*", type: "log", labelAnchor: "center", labelArrow: "none", grid: true },
    marks: [Plot.frame(), Plot.line(curve, { x: "iteration", y: "loss", stroke: TAB10[0], strokeWidth: 2 })],
  });
}

/** Learned s·|f| against true √Ω over the scored frames (Figure 3e's axes), at most ~20,000 points drawn. */
export function sirenScatter(
  truth: ArrayLike<number>,
  learned: ArrayLike<number>,
  r2: number,
  slope: number,
  o: PanelSize = {},
): string {
  const step = Math.max(1, Math.floor(truth.length / 20000));
  const pts: { x: number; y: number }[] = [];
  for (let k = 0; k < truth.length; k += step) pts.push({ x: truth[k], y: learned[k] });
  const lim: [number, number] = [0.65, 1.25];
  return plotSvg({
    ...panelLayout(o),
    x: { label: "true √Ω", domain: lim, labelAnchor: "center", labelArrow: "none" },
    y: { label: "learned √Ω*", domain: lim, labelAnchor: "center", labelArrow: "none" },
    marks: [
      Plot.frame(),
      Plot.dot(pts, { x: "x", y: "y", r: 0.8, fill: TAB10[0], fillOpacity: 0.3, clip: true }),
      ...cornerText([`R² ${fmt(r2, 4)}`, `slope ${fmt(slope, 3)}`]),
    ],
  });
}
