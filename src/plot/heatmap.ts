/**
 * Connectivity heatmap (Fig 2c, 2d): W with row i = receiving (postsynaptic) neuron, column j =
 * presynaptic neuron, bwr colour map centred at 0 with limits ±1.1 × 99th percentile of |W|, a 20×20
 * inset of the top-left corner, ticks 1 and N, and a colour bar. The matrix is drawn as one embedded
 * raster image (never one element per entry).
 */
import { bwr, bwrImage } from "./colors.js";
import { encodePngRgb, pngDataUri } from "./png.js";
import { esc, fmt } from "./svg.js";

export interface HeatmapOptions {
  title?: string;
  /** Colour limit L (colours span −L … L). Default: 1.1 × 99th percentile of |W|. */
  limit?: number;
  /** Inset size (top-left corner block); 0 disables. Default 20. */
  inset?: number;
  /** Annotation printed under the title (e.g. number of weights). */
  note?: string;
  /** Number written at the last tick (default N; e.g. the full size when W is a strided sample). */
  lastTick?: number;
}

/** q-th quantile (0..1) of |values| (linear interpolation, as numpy.percentile). */
export function absQuantile(values: ArrayLike<number>, q: number): number {
  const a = Float64Array.from(values as ArrayLike<number>, Math.abs).sort();
  if (a.length === 0) return 0;
  const pos = q * (a.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, a.length - 1);
  return a[lo] + (a[hi] - a[lo]) * (pos - lo);
}

/** Upscale an RGB image by an integer factor (nearest neighbour), so small blocks stay crisp. */
function upscale(rgb: Uint8Array, w: number, h: number, f: number): Uint8Array {
  const out = new Uint8Array(w * f * h * f * 3);
  for (let y = 0; y < h * f; y++) {
    for (let x = 0; x < w * f; x++) {
      const si = (Math.floor(y / f) * w + Math.floor(x / f)) * 3;
      const di = (y * w * f + x) * 3;
      out[di] = rgb[si];
      out[di + 1] = rgb[si + 1];
      out[di + 2] = rgb[si + 2];
    }
  }
  return out;
}

/** SVG of the heatmap of W ([N, N] row-major). */
export function connectivityHeatmap(W: ArrayLike<number>, N: number, options: HeatmapOptions = {}): string {
  const lim = options.limit ?? 1.1 * absQuantile(W, 0.99);
  const L = Number.isFinite(lim) && lim > 0 ? lim : 1;
  if (!(Number.isInteger(N) && N >= 0)) throw new Error(`connectivityHeatmap: N = ${N} is not a size`);
  const size = 440;
  const x0 = 70;
  const y0 = options.note ? 56 : 40;
  const width = x0 + size + 110;
  const height = y0 + size + 60;
  // An empty matrix (N = 0) has no image, only the frame and a note.
  const main = N > 0 ? pngDataUri(encodePngRgb(bwrImage(W, N, N, L), N, N)) : undefined;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, sans-serif" font-size="13">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
  );
  if (options.title)
    parts.push(`<text x="${x0 + size / 2}" y="22" text-anchor="middle" font-size="15">${esc(options.title)}</text>`);
  if (options.note)
    parts.push(`<text x="${x0 + size / 2}" y="42" text-anchor="middle" font-size="12" fill="#444">${esc(options.note)}</text>`);
  parts.push(
    main
      ? `<image x="${x0}" y="${y0}" width="${size}" height="${size}" preserveAspectRatio="none" href="${main}"/>`
      : `<text x="${x0 + size / 2}" y="${y0 + size / 2}" text-anchor="middle" font-size="15" fill="#888">no data</text>`,
    `<rect x="${x0}" y="${y0}" width="${size}" height="${size}" fill="none" stroke="black" stroke-width="1"/>`,
  );
  // Ticks 1 and N, axis labels.
  const tick = (x1: number, y1: number, x2: number, y2: number) =>
    `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="black"/>`;
  parts.push(
    tick(x0, y0 + size, x0, y0 + size + 5),
    tick(x0 + size, y0 + size, x0 + size, y0 + size + 5),
    tick(x0 - 5, y0, x0, y0),
    tick(x0 - 5, y0 + size, x0, y0 + size),
    `<text x="${x0}" y="${y0 + size + 19}" text-anchor="middle">1</text>`,
    `<text x="${x0 + size}" y="${y0 + size + 19}" text-anchor="middle">${options.lastTick ?? N}</text>`,
    `<text x="${x0 - 8}" y="${y0 + 5}" text-anchor="end">1</text>`,
    `<text x="${x0 - 8}" y="${y0 + size + 5}" text-anchor="end">${options.lastTick ?? N}</text>`,
    `<text x="${x0 + size / 2}" y="${y0 + size + 40}" text-anchor="middle">presynaptic neuron j</text>`,
    `<text transform="translate(${x0 - 30},${y0 + size / 2}) rotate(-90)" text-anchor="middle">postsynaptic neuron i</text>`,
  );
  // Inset: top-left k×k block, upscaled so each weight is a crisp square.
  const k = Math.min(options.inset ?? 20, N);
  if (k > 0 && k < N) {
    const f = Math.max(1, Math.floor(200 / k));
    const rgb = upscale(bwrImage(W, k, k, L, N), k, k, f);
    const inset = pngDataUri(encodePngRgb(rgb, k * f, k * f));
    const s = Math.round(size * 0.36);
    const ix = x0 + 12;
    const iy = y0 + 12;
    parts.push(
      `<image x="${ix}" y="${iy}" width="${s}" height="${s}" preserveAspectRatio="none" href="${inset}"/>`,
      `<rect x="${ix}" y="${iy}" width="${s}" height="${s}" fill="none" stroke="black" stroke-width="1.5"/>`,
      `<text x="${ix + s / 2}" y="${iy + s + 15}" text-anchor="middle" font-size="11">W[1:${k}, 1:${k}]</text>`,
    );
  }
  // Colour bar.
  const steps = 256;
  const bar = new Uint8Array(steps * 3);
  for (let i = 0; i < steps; i++) bar.set(bwr(1 - i / (steps - 1)), i * 3);
  const cx = x0 + size + 24;
  parts.push(
    `<image x="${cx}" y="${y0}" width="18" height="${size}" preserveAspectRatio="none" href="${pngDataUri(encodePngRgb(bar, 1, steps))}"/>`,
    `<rect x="${cx}" y="${y0}" width="18" height="${size}" fill="none" stroke="black"/>`,
  );
  for (const [v, y] of [
    [L, y0],
    [0, y0 + size / 2],
    [-L, y0 + size],
  ] as const) {
    parts.push(tick(cx + 18, y, cx + 23, y), `<text x="${cx + 27}" y="${y + 4}">${fmt(v)}</text>`);
  }
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

/** Every `stride`-th row and column of W [N, N] (a small view of a large matrix for thumbnails). */
export function strided(W: ArrayLike<number>, N: number, stride: number): { M: Float32Array; n: number } {
  if (!(Number.isInteger(stride) && stride >= 1)) throw new Error(`strided: stride ${stride} is not a positive integer`);
  const n = Math.ceil(N / stride);
  const M = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) M[i * n + j] = W[i * stride * N + j * stride];
  return { M, n };
}
