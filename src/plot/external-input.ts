/**
 * Figure 3a's input panel (the reference's external_input.png): Ω of the input neurons on their
 * w×w grid at a few frames (0, T/4, T/2, 3T/4), viridis with limits 0 … 1. Neuron p holds grid
 * entry A[⌊p/w⌋][p mod w] (row-major), shown as rot90(A, k = 1) — out[r][c] = A[c][w − 1 − r] —
 * which undoes the rot90(page, 3) of the video mapping, so the film stands upright.
 */
import { encodePngRgb, pngDataUri } from "./png.js";
import { esc, fmt } from "./svg.js";

/** matplotlib's viridis at 0, 1/8, …, 1 (linear in between). */
const VIRIDIS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [71, 45, 123],
  [59, 82, 139],
  [44, 114, 142],
  [33, 145, 140],
  [40, 174, 128],
  [94, 201, 98],
  [173, 220, 48],
  [253, 231, 37],
];

/** viridis at t ∈ [0, 1] (clipped; NaN → 0), as RGB bytes. */
export function viridis(t: number): [number, number, number] {
  const u = Math.min(1, Math.max(0, Number.isNaN(t) ? 0 : t)) * (VIRIDIS.length - 1);
  const k = Math.min(VIRIDIS.length - 2, Math.floor(u));
  const f = u - k;
  const [a, b] = [VIRIDIS[k], VIRIDIS[k + 1]];
  return [0, 1, 2].map((c) => Math.round(a[c] + f * (b[c] - a[c]))) as [number, number, number];
}

/** rot90(A, k = 1) of the w×w grid A[r][c] = omega[r·w + c]: out[r][c] = A[c][w − 1 − r]. */
export function rot90(omega: ArrayLike<number>, w: number): Float32Array {
  const out = new Float32Array(w * w);
  for (let r = 0; r < w; r++) for (let c = 0; c < w; c++) out[r * w + c] = omega[c * w + (w - 1 - r)];
  return out;
}

/** gray at t ∈ [0, 1] (clipped; NaN → 0): black to white, as matplotlib's "gray". */
export function gray(t: number): [number, number, number] {
  const v = Math.round(255 * Math.min(1, Math.max(0, Number.isNaN(t) ? 0 : t)));
  return [v, v, v];
}

/** A panel's colour scale: colormap over [lo, hi] (default viridis over 0 … 1). */
export interface FieldScale {
  map: (t: number) => [number, number, number];
  lo: number;
  hi: number;
}

/** SVG of Ω (each [w²], the input neurons in order) at the given frames, side by side. */
export function externalInputPanel(
  frames: readonly { k: number; omega: ArrayLike<number>; label?: string }[],
  w: number,
  title?: string,
  scale: FieldScale = { map: viridis, lo: 0, hi: 1 },
): string {
  const color = (v: number) => scale.map((v - scale.lo) / (scale.hi - scale.lo));
  const size = 200;
  const gap = 24;
  const x0 = 20;
  const y0 = 50;
  const barX = x0 + frames.length * (size + gap);
  const width = barX + 80;
  const height = y0 + size + 40;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, sans-serif" font-size="13">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${esc(title ?? `external input Ω of the ${w * w} input neurons (${w}×${w} grid)`)}</text>`,
  ];
  frames.forEach(({ k, omega }, n) => {
    const A = rot90(omega, w);
    // Each grid cell an f×f block of pixels, so that the image stays crisp when scaled.
    const f = Math.max(1, Math.floor(size / w));
    const W = w * f;
    const rgb = new Uint8Array(W * W * 3);
    for (let y = 0; y < W; y++)
      for (let x = 0; x < W; x++) rgb.set(color(A[Math.floor(y / f) * w + Math.floor(x / f)]), (y * W + x) * 3);
    const x = x0 + n * (size + gap);
    parts.push(
      `<image x="${x}" y="${y0}" width="${size}" height="${size}" preserveAspectRatio="none" href="${pngDataUri(encodePngRgb(rgb, W, W))}"/>`,
      `<rect x="${x}" y="${y0}" width="${size}" height="${size}" fill="none" stroke="black"/>`,
      `<text x="${x + size / 2}" y="${y0 - 8}" text-anchor="middle">${esc(frames[n].label ?? `frame ${k}`)}</text>`,
    );
  });
  const steps = 256;
  const bar = new Uint8Array(steps * 3);
  for (let i = 0; i < steps; i++) bar.set(scale.map(1 - i / (steps - 1)), i * 3);
  parts.push(
    `<image x="${barX}" y="${y0}" width="18" height="${size}" preserveAspectRatio="none" href="${pngDataUri(encodePngRgb(bar, 1, steps))}"/>`,
    `<rect x="${barX}" y="${y0}" width="18" height="${size}" fill="none" stroke="black"/>`,
    `<text x="${barX + 24}" y="${y0 + 4}">${fmt(scale.hi)}</text>`,
    `<text x="${barX + 24}" y="${y0 + size + 4}">${fmt(scale.lo)}</text>`,
    "</svg>",
  );
  return `${parts.join("\n")}\n`;
}
