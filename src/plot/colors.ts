/** Colour maps: matplotlib's bwr (diverging, for W) and tab10 (categorical, for neuron types). */

export const TAB10 = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
] as const;

/** bwr at t ∈ [0, 1]: blue (0,0,1) → white → red (1,0,0), as RGB bytes. */
export function bwr(t: number): [number, number, number] {
  const u = Math.min(1, Math.max(0, Number.isNaN(t) ? 0.5 : t));
  if (u <= 0.5) {
    const a = Math.round(255 * (u / 0.5));
    return [a, a, 255];
  }
  const b = Math.round(255 * ((1 - u) / 0.5));
  return [255, b, b];
}

/** RGB bytes [rows, cols, 3] of matrix `M` ([rows, cols] row-major) through bwr with limits ±lim. */
export function bwrImage(M: ArrayLike<number>, rows: number, cols: number, lim: number, stride = cols): Uint8Array {
  const out = new Uint8Array(rows * cols * 3);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const [r, g, b] = bwr((M[i * stride + j] / lim + 1) / 2);
      const o = (i * cols + j) * 3;
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
    }
  }
  return out;
}
