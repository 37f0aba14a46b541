/** SVG helpers shared by the panel functions. */
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import { FONT_FAMILY } from "./png.js";

/** A fresh DOM document for Observable Plot to draw into (no browser needed). */
export function plotDocument(): Document {
  return parseHTML("<!DOCTYPE html><html><body></body></html>").document as unknown as Document;
}

/**
 * Plot.plot with our document and font, returned as a standalone SVG string. A `title` is drawn
 * as SVG text (Plot would wrap the SVG in an HTML <figure>); leave room for it with marginTop.
 */
export function plotSvg(options: Plot.PlotOptions & { title?: string }): string {
  const { title, ...rest } = options;
  const el = Plot.plot({ ...rest, document: plotDocument() }) as unknown as Element;
  let svg = el.outerHTML;
  if (title) {
    const width = Number(rest.width ?? 640);
    svg = svg.replace(/(<svg[^>]*>)/, `$1<text x="${width / 2}" y="18" text-anchor="middle" font-size="14">${esc(title)}</text>`);
  }
  return standalone(svg);
}

/** Make an <svg> string standalone: XML namespaces, pinned font family, no class-scoped CSS. */
export function standalone(svg: string): string {
  let s = svg;
  if (!/^<svg[^>]*\sxmlns=/.test(s)) s = s.replace(/^<svg/, '<svg xmlns="http://www.w3.org/2000/svg"');
  if (!/^<svg[^>]*xmlns:xlink=/.test(s)) s = s.replace(/^<svg/, '<svg xmlns:xlink="http://www.w3.org/1999/xlink"');
  s = s.replace(/font-family="[^"]*"/, `font-family="${FONT_FAMILY}, sans-serif"`);
  // Two decimals are sub-pixel: drop the rest (keeps long series small).
  s = s.replace(
    / (d|transform|points|x|y|x1|x2|y1|y2|cx|cy)="([^"]*)"/g,
    (_, k: string, v: string) => ` ${k}="${v.replace(/(\d\.\d\d)\d+/g, "$1")}"`,
  );
  return `${s}\n`;
}

/** Size of a panel, with an optional title drawn above the frame. */
export interface PanelSize {
  title?: string;
  width?: number;
  height?: number;
}

/**
 * The layout options shared by our Plot panels: size (default 480 × 480), margins that leave room
 * for axis labels and the title, 13 px text. `marginLeft` can be overridden.
 */
export function panelLayout(o: PanelSize, marginLeft = 70) {
  return {
    width: o.width ?? 480,
    height: o.height ?? 480,
    marginLeft,
    marginRight: 20,
    marginTop: o.title ? 40 : 20,
    marginBottom: 50,
    title: o.title,
    style: { fontSize: "13px" },
  };
}

/** Text marks for lines of text in the top-left corner of the frame (e.g. "R² 0.99", "slope 1.0"). */
export function cornerText(lines: readonly string[]): Plot.Markish[] {
  return lines.map((t, i) =>
    Plot.text([t], { frameAnchor: "top-left", dx: 10, dy: 12 + 20 * i, fontSize: 15, textAnchor: "start" }),
  );
}

/** The opening <svg …> tag of a standalone SVG and its width and height attributes (NaN if absent). */
export function svgSize(svg: string): { open: string; width: number; height: number } {
  const open = svg.match(/^<svg[^>]*>/)?.[0];
  if (!open) throw new Error("not an <svg> document");
  return {
    open,
    width: Number(open.match(/\swidth="([\d.]+)"/)?.[1]),
    height: Number(open.match(/\sheight="([\d.]+)"/)?.[1]),
  };
}

/** Escape text for SVG/XML content and attribute values. */
export function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Shortest decimal that keeps `digits` significant digits (for tick labels and printed values). */
export function fmt(v: number, digits = 3): string {
  if (v === 0) return "0";
  return Number(v.toPrecision(digits)).toString();
}

/**
 * Min/max downsampling of a series to about `buckets` × 2 points: in each bucket of consecutive
 * samples keep the minimum and the maximum (in time order), so peaks survive.
 */
export function downsampleMinMax(y: ArrayLike<number>, buckets: number): { i: number; v: number }[] {
  const n = y.length;
  if (n <= 2 * buckets) return Array.from({ length: n }, (_, i) => ({ i, v: y[i] }));
  const out: { i: number; v: number }[] = [];
  for (let b = 0; b < buckets; b++) {
    const s = Math.floor((b * n) / buckets);
    const e = Math.floor(((b + 1) * n) / buckets);
    let lo = s;
    let hi = s;
    for (let k = s + 1; k < e; k++) {
      if (y[k] < y[lo]) lo = k;
      if (y[k] > y[hi]) hi = k;
    }
    if (lo < hi) out.push({ i: lo, v: y[lo] }, { i: hi, v: y[hi] });
    else if (hi < lo) out.push({ i: hi, v: y[hi] }, { i: lo, v: y[lo] });
    else out.push({ i: lo, v: y[lo] });
  }
  return out;
}

/**
 * A scale domain for data that may be degenerate: undefined (Plot's own extent of the data) when
 * the finite values span a range, else a padded domain around a constant ([c − d, c + d], d = 10 %
 * of |c| or 1) or [0, 1] when there is no finite value, so the axis keeps ticks and a frame.
 */
export function safeDomain(values: Iterable<number>): [number, number] | undefined {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi > lo) return undefined;
  if (lo > hi) return [0, 1];
  const d = Math.abs(lo) * 0.1 || 1;
  return [lo - d, lo + d];
}

/** A centred grey "no data" note (for panels drawn from nothing). */
export function noDataNote(): Plot.Markish {
  return Plot.text(["no data"], { frameAnchor: "middle", fontSize: 15, fill: "#888" });
}

/**
 * Cut lines to a band around their y `domain` (one span above and below): a segment that leaves the
 * band ends on its edge and the line breaks (a NaN point) until it comes back; non-finite points
 * break it too. Inside the band the drawing is unchanged and Plot's clip does the rest at the
 * frame. Without this, a curve lying wholly far outside a clipped frame makes a group whose
 * bounds resvg cannot place, and it aborts the process. `z` keys separate lines (as Plot's z).
 */
export function clipLines<T extends object>(
  rows: readonly T[],
  keys: { x: keyof T; y: keyof T; z?: keyof T },
  domain: readonly [number, number],
): T[] {
  const span = Math.abs(domain[1] - domain[0]) || Math.abs(domain[0]) || 1;
  const lo = Math.min(domain[0], domain[1]) - span;
  const hi = Math.max(domain[0], domain[1]) + span;
  const X = (r: T) => r[keys.x] as number;
  const Y = (r: T) => r[keys.y] as number;
  const at = (r: T, x: number, y: number) => ({ ...r, [keys.x]: x, [keys.y]: y }) as T;
  const groups = new Map<unknown, T[]>();
  for (const r of rows) {
    const k = keys.z === undefined ? 0 : r[keys.z];
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  const out: T[] = [];
  const inBand = (y: number) => y >= lo && y <= hi;
  for (const g of groups.values()) {
    let prev: T | undefined;
    for (const r of g) {
      const x = X(r);
      const y = Y(r);
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        out.push(at(r, Number.NaN, Number.NaN));
        prev = undefined;
        continue;
      }
      if (prev !== undefined) {
        const px = X(prev);
        const py = Y(prev);
        // Where the segment prev → r crosses the band's edges, in order along it.
        const crossings = [lo, hi]
          .filter((e) => (py - e) * (y - e) < 0)
          .map((e) => ({ t: (e - py) / (y - py), e }))
          .sort((u, v) => u.t - v.t);
        for (const { t, e } of crossings) out.push(at(r, px + t * (x - px), e));
        // Leaving the band: the line breaks until it comes back.
        if (!inBand(y) && (inBand(py) || crossings.length > 0)) out.push(at(r, Number.NaN, Number.NaN));
      }
      if (inBand(y)) out.push(r);
      prev = r;
    }
  }
  return out;
}
