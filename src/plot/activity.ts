/**
 * Fig 2b: activity traces of sampled neurons, stacked with offsets (trace_k = x − 10k + 200, as
 * the reference), over the first frames. Each trace is min/max-downsampled before it reaches SVG.
 */
import * as Plot from "@observablehq/plot";
import { type Colormap, categoryColor } from "./colors.js";
import { downsampleMinMax, noDataNote, plotSvg, safeDomain } from "./svg.js";

export interface ActivityTracesOptions {
  title?: string;
  /** Points kept per trace ≈ 2 × buckets (default 300). */
  buckets?: number;
  /**
   * Trace k's colour is colour k of this map (default tab10, matplotlib's colour cycle, which the
   * reference uses for every config, Supp Fig 12b's 32 types included: traces are not coloured by type).
   */
  colormap?: Colormap;
}

/** SVG of traces x[k][t] (k = sampled neuron, t = frame), offset by −10k + 200. */
export function activityTraces(x: readonly ArrayLike<number>[], options: ActivityTracesOptions = {}): string {
  const buckets = options.buckets ?? 300;
  const rows: { t: number; y: number; k: number }[] = [];
  let frames = 0;
  x.forEach((trace, k) => {
    frames = Math.max(frames, trace.length);
    for (const { i, v } of downsampleMinMax(trace, buckets))
      rows.push({ t: i, y: Math.round((v - 10 * k + 200) * 100) / 100, k });
  });
  return plotSvg({
    width: 640,
    height: 640,
    marginLeft: 50,
    marginTop: options.title ? 36 : 20,
    title: options.title,
    x: { label: "time (frames)", domain: [0, Math.max(1, frames - 1)], labelAnchor: "center", labelArrow: "none" },
    y: {
      label: "neuron index (offset traces)",
      domain: safeDomain(rows.map((r) => r.y)),
      labelAnchor: "center",
      labelArrow: "none",
    },
    marks: [
      ...(rows.length === 0 ? [noDataNote()] : []),
      Plot.line(rows, {
        x: "t",
        y: "y",
        z: "k",
        stroke: (d: { k: number }) => categoryColor(d.k, options.colormap),
        strokeWidth: 1,
        strokeOpacity: 0.7,
      }),
    ],
  });
}
