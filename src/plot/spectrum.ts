/** Eigenvalue spectrum of W in the complex plane, with the circle of the spectral radius. */
import * as Plot from "@observablehq/plot";
import { fmt, plotSvg } from "./svg.js";

export function eigenSpectrum(re: ArrayLike<number>, im: ArrayLike<number>, options: { title?: string } = {}): string {
  let rho = 0;
  const pts: { re: number; im: number }[] = [];
  for (let i = 0; i < re.length; i++) {
    const r = Math.hypot(re[i], im[i]);
    if (Number.isFinite(r)) rho = Math.max(rho, r);
    pts.push({ re: Math.round(re[i] * 1e5) / 1e5, im: Math.round(im[i] * 1e5) / 1e5 });
  }
  const circle = Array.from({ length: 181 }, (_, k) => {
    const a = (2 * Math.PI * k) / 180;
    return { re: rho * Math.cos(a), im: rho * Math.sin(a) };
  });
  const lim = rho * 1.1 || 1;
  return plotSvg({
    width: 480,
    height: 480,
    marginLeft: 55,
    marginTop: 40,
    title: options.title ?? `eigenvalues of W — spectral radius ${fmt(rho, 4)}`,
    x: { label: "Re(λ)", domain: [-lim, lim], labelAnchor: "center", labelArrow: "none" },
    y: { label: "Im(λ)", domain: [-lim, lim], labelAnchor: "center", labelArrow: "none" },
    marks: [
      Plot.ruleX([0], { stroke: "#ccc" }),
      Plot.ruleY([0], { stroke: "#ccc" }),
      Plot.line(circle, { x: "re", y: "im", stroke: "#999", strokeDasharray: "4,3" }),
      Plot.dot(pts, { x: "re", y: "im", r: 1.5, fill: "#1f77b4", fillOpacity: 0.6 }),
    ],
  });
}
