/**
 * Scatter of many points (Fig 2e: 10⁶ weights) drawn as one embedded raster: each pixel's grey
 * level is 1 − (1 − α)^count, what stacking `count` dots of opacity α gives, so the file size does
 * not grow with the number of points. Axes, labels and text come from Observable Plot.
 */
import * as Plot from "@observablehq/plot";
import { encodePngRgb, pngDataUri } from "./png.js";
import { cornerText, plotSvg } from "./svg.js";

export interface ScatterOptions {
  xLabel: string;
  yLabel: string;
  title?: string;
  /** Lines of text in the top-left corner (e.g. "R² 0.999", "slope 1.00"). */
  text?: string[];
  /** Opacity of one point (default 0.2). */
  alpha?: number;
  width?: number;
  height?: number;
  /** Axis domains (default: the data range, padded by 5 %). */
  xDomain?: [number, number];
  yDomain?: [number, number];
  /** Draw the line y = x (default false). */
  identity?: boolean;
}

/** The finite values' range padded by 5 %; [c − 1, c + 1] for a constant, [−1, 1] without finite values. */
function range(v: ArrayLike<number>): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < v.length; k++) {
    if (!Number.isFinite(v[k])) continue;
    if (v[k] < lo) lo = v[k];
    if (v[k] > hi) hi = v[k];
  }
  if (lo > hi) return [-1, 1];
  if (!(hi > lo)) return [lo - 1, lo + 1];
  const pad = 0.05 * (hi - lo);
  return [lo - pad, hi + pad];
}

/** SVG of the points (x[k], y[k]). */
export function rasterScatter(x: ArrayLike<number>, y: ArrayLike<number>, o: ScatterOptions): string {
  const width = o.width ?? 480;
  const height = o.height ?? 480;
  const m = { left: 70, right: 20, top: o.title ? 40 : 20, bottom: 50 };
  const usable = (d: [number, number] | undefined) => d && Number.isFinite(d[0]) && Number.isFinite(d[1]) && d[1] > d[0];
  const xd = usable(o.xDomain) ? (o.xDomain as [number, number]) : range(x);
  const yd = usable(o.yDomain) ? (o.yDomain as [number, number]) : range(y);
  // Raster at 2× the frame size in pixels (at least one).
  const fw = Math.max(1, Math.floor(width - m.left - m.right));
  const fh = Math.max(1, Math.floor(height - m.top - m.bottom));
  const rw = 2 * fw;
  const rh = 2 * fh;
  const count = new Uint32Array(rw * rh);
  for (let k = 0; k < x.length; k++) {
    const px = Math.floor(((x[k] - xd[0]) / (xd[1] - xd[0])) * rw);
    const py = Math.floor(((yd[1] - y[k]) / (yd[1] - yd[0])) * rh);
    if (px >= 0 && px < rw && py >= 0 && py < rh) count[py * rw + px]++;
  }
  const keep = 1 - (o.alpha ?? 0.2);
  const rgb = new Uint8Array(rw * rh * 3);
  for (let k = 0; k < count.length; k++) rgb.fill(Math.round(255 * keep ** count[k]), 3 * k, 3 * k + 3);
  const image = `<image x="${m.left}" y="${m.top}" width="${fw}" height="${fh}" preserveAspectRatio="none" href="${pngDataUri(encodePngRgb(rgb, rw, rh))}"/>`;
  const marks: Plot.Markish[] = [Plot.frame()];
  if (o.identity)
    marks.push(
      Plot.line(
        [xd, yd].map((_, i) => [xd[i], xd[i]]),
        { stroke: "#d62728", strokeDasharray: "4,3" },
      ),
    );
  marks.push(...cornerText(o.text ?? []));
  const svg = plotSvg({
    width,
    height,
    marginLeft: m.left,
    marginRight: m.right,
    marginTop: m.top,
    marginBottom: m.bottom,
    title: o.title,
    style: { fontSize: "13px" },
    x: { label: o.xLabel, domain: xd, labelAnchor: "center", labelArrow: "none", ticks: 5 },
    y: { label: o.yLabel, domain: yd, labelAnchor: "center", labelArrow: "none", ticks: 5 },
    marks,
  });
  // The raster goes under the marks: right after the opening <svg …> (and the title, if any).
  return svg.replace(/(<svg[^>]*>(?:<text[^>]*>[^<]*<\/text>)?)/, `$1${image}`);
}
