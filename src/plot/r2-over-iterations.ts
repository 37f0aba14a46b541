/**
 * W R² against training iterations for several runs on one plot (Supp Fig 7: one line per dataset
 * size, legend = n_frames; Supp Fig 9: one per filling factor, legend = fill %). Axes from 0: x =
 * total iterations up to the longest run, y = W R² on [0, 1] (lower values, early in training, are
 * cut at the frame). The legend sits in the bottom-right corner, in columns of at most 10 entries.
 */
import * as Plot from "@observablehq/plot";
import { type Colormap, categoryColor } from "./colors.js";
import { type PanelSize, clipLines, noDataNote, panelLayout, plotSvg } from "./svg.js";

export interface R2Run {
  /** Legend entry, e.g. "100k" or "5 %". */
  label: string;
  /** [total iterations, W R²], in iteration order (run-folder readR2History). */
  points: readonly (readonly [number, number])[];
}

/** An iteration count as 0, 500, 200k, 1.25M. */
export function iterationsLabel(v: number): string {
  const trim = (x: number) => String(Number(x.toFixed(2)));
  if (Math.abs(v) >= 1e6) return `${trim(v / 1e6)}M`;
  if (Math.abs(v) >= 1e3) return `${trim(v / 1e3)}k`;
  return trim(v);
}

/** Legend entries per column. */
const LEGEND_ROWS = 10;

/** One line per run, coloured k-th colour of `colormap` (default tab10) in the order given. */
export function r2OverIterations(runs: readonly R2Run[], o: PanelSize & { colormap?: Colormap } = {}): string {
  let xMax = 0;
  for (const r of runs) for (const [it] of r.points) if (Number.isFinite(it) && it > xMax) xMax = it;
  const rows = clipLines(
    runs.flatMap((r, k) => r.points.map(([it, r2]) => ({ it, r2: Math.round(r2 * 1e4) / 1e4, k }))),
    { x: "it", y: "r2", z: "k" },
    [0, 1],
  );
  const color = (k: number) => categoryColor(k, o.colormap);
  // Column width from the longest label (≈ 7.5 px per character at 13 px, plus the swatch).
  const column = 30 + 7.5 * Math.max(0, ...runs.map((r) => r.label.length));
  const columns = Math.ceil(runs.length / LEGEND_ROWS);
  const rowsShown = Math.min(runs.length, LEGEND_ROWS);
  const legend = runs.map((r, k) => {
    const col = Math.floor(k / LEGEND_ROWS);
    return Plot.text([`— ${r.label}`], {
      frameAnchor: "bottom-right",
      dx: -10 - column * (columns - 1 - col),
      dy: -10 - 17 * (rowsShown - 1 - (k % LEGEND_ROWS)),
      fill: color(k),
      fontSize: 13,
      fontWeight: "bold",
      textAnchor: "end",
    });
  });
  return plotSvg({
    ...panelLayout({ width: 480, height: 480, ...o }),
    x: {
      label: "iterations",
      domain: [0, xMax > 0 ? xMax : 1],
      labelAnchor: "center",
      labelArrow: "none",
      ticks: 5,
      tickFormat: iterationsLabel,
    },
    y: { label: "W R²", domain: [0, 1], labelAnchor: "center", labelArrow: "none", ticks: 5, grid: true },
    marks: [
      Plot.frame(),
      ...(rows.length === 0 ? [noDataNote()] : []),
      Plot.line(rows, { x: "it", y: "r2", z: "k", stroke: (d: { k: number }) => color(d.k), strokeWidth: 3, clip: true }),
      ...legend,
    ],
  });
}
