/**
 * Colour maps: matplotlib's bwr (diverging, for W) and the categorical tab10 and tab20 (neuron
 * types; `plotting.colormap`).
 */

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

export const TAB20 = [
  "#1f77b4",
  "#aec7e8",
  "#ff7f0e",
  "#ffbb78",
  "#2ca02c",
  "#98df8a",
  "#d62728",
  "#ff9896",
  "#9467bd",
  "#c5b0d5",
  "#8c564b",
  "#c49c94",
  "#e377c2",
  "#f7b6d2",
  "#7f7f7f",
  "#c7c7c7",
  "#bcbd22",
  "#dbdb8d",
  "#17becf",
  "#9edae5",
] as const;

/** The categorical colour maps by their matplotlib names. */
export const COLORMAPS = { tab10: TAB10, tab20: TAB20 } as const;
export type Colormap = keyof typeof COLORMAPS;

/** The colour map named `name` (plotting.colormap); an Error naming the known ones otherwise. */
export function colormapOf(name: string): Colormap {
  if (Object.hasOwn(COLORMAPS, name)) return name as Colormap;
  throw new Error(`colour map "${name}" is not one of ${Object.keys(COLORMAPS).join(", ")}`);
}

/**
 * Colour of category t (a neuron type, a trace) in `colormap`: palette[t mod length], as the
 * reference's colour(t) = tab20[t mod 20] (types t and t + 20 share a colour; with tab10, t and t + 10).
 */
export function categoryColor(t: number, colormap: Colormap = "tab10"): string {
  const palette = COLORMAPS[colormap];
  const k = Math.trunc(t) % palette.length;
  return palette[k < 0 ? k + palette.length : k];
}

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
