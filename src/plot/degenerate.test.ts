/**
 * Every panel on degenerate data (all values equal, all zero, no values, NaN, curves far outside
 * a fixed domain) returns a valid SVG that renders, and the PNG conversion turns what resvg
 * would abort on into a normal Error. Constant activity (an all-zero activity.npy) used to abort
 * `plot` (exit 134) in resvg on the training montage's ψ* row.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers.js";
import { activityTraces } from "./activity.js";
import { embeddingPanel, phiPanel, psiPanel, r2Curve } from "./functions.js";
import { connectivityHeatmap, strided } from "./heatmap.js";
import { montage, sideBySide } from "./montage.js";
import { pngSize, svgToPng } from "./png.js";
import { r2OverIterations } from "./r2-over-iterations.js";
import { rolloutPanel, rolloutQuality, typeHistogram } from "./rollout.js";
import { saveFigure } from "./save.js";
import { rasterScatter } from "./scatter.js";
import { eigenSpectrum } from "./spectrum.js";
import { clipLines, safeDomain } from "./svg.js";

const r = Float32Array.from({ length: 11 }, (_, k) => -5 + k);
const fill = (n: number, v: number) => new Float32Array(n).fill(v);
const small = { width: 300, height: 300 };
const phiDomains = { xDomain: [-5, 5] as [number, number], yDomain: [-8, 8] as [number, number] };
const psiDomains = { xDomain: [-5, 5] as [number, number], yDomain: [-1.1, 1.1] as [number, number] };
const rollout = (truth: Float32Array, learned: Float32Array, N: number, step: number, fit = Number.NaN) =>
  rolloutPanel({ truth, learned, N, step, neurons: N > 0 ? [0] : [], r2: fit, slope: fit, intercept: fit });

/** Panels from degenerate inputs. */
const CASES: Record<string, () => string> = {
  "activity: no traces": () => activityTraces([]),
  "activity: empty traces": () => activityTraces([new Float32Array(0)]),
  "activity: constant zero": () => activityTraces([fill(500, 0), fill(500, 0)]),
  "activity: one frame": () => activityTraces([fill(1, 3)]),
  "embedding: none": () => embeddingPanel(new Float32Array(0), 2),
  "embedding: all equal": () => embeddingPanel(fill(8, 0.3), 2, Int32Array.of(0, 1, 2, 3)),
  "embedding: all equal, normalised": () => embeddingPanel(fill(8, 0), 2, undefined, { ...small, normalise: true }),
  "embedding: one type's constant a = (1, 1), 1000 neurons": () =>
    embeddingPanel(
      fill(2000, 1),
      2,
      Int32Array.from({ length: 1000 }, (_, i) => i % 4),
    ),
  "phi: empty grid": () => phiPanel(new Float32Array(0), fill(5, 1), undefined, [], phiDomains),
  "phi: zero curves": () => phiPanel(r, fill(33, 0), Int32Array.of(0, 1, 2), [() => 0], phiDomains),
  "phi: far above the domain": () => phiPanel(r, fill(33, 1e6), Int32Array.of(0, 1, 2), [() => 1e5], { ...small, ...phiDomains }),
  "phi: NaN": () => phiPanel(r, fill(33, Number.NaN), undefined, [], { ...phiDomains, every: 0 }),
  "psi: far below the domain": () => psiPanel(r, fill(11, -1e4), { ...small, ...psiDomains }),
  "psi: infinite": () => psiPanel(r, fill(11, Number.POSITIVE_INFINITY), psiDomains),
  "r2: no points": () => r2Curve([], []),
  "r2: one point": () => r2Curve([{ iteration: 5, r2: 0.5 }], [0]),
  "heatmap: N = 0": () => connectivityHeatmap(new Float32Array(0), 0),
  "heatmap: all zero, NaN limit": () => connectivityHeatmap(fill(16, 0), 4, { limit: Number.NaN }),
  "heatmap: strided zero": () => {
    const { M, n } = strided(fill(100, 0), 10, 3);
    return connectivityHeatmap(M, n, { inset: 0, lastTick: 10 });
  },
  "montage: nothing": () => montage([], { rowLabels: [], columnLabels: [] }),
  "side by side: nothing": () => sideBySide([]),
  "rollout: constant": () => rollout(fill(21 * 4, 0), fill(21 * 4, 0), 4, 10),
  "rollout: step 0, no neurons": () => rollout(new Float32Array(0), new Float32Array(0), 0, 0),
  "rollout: learned NaN": () => rollout(fill(84, 1), fill(84, Number.NaN), 4, 10),
  "rollout quality: none": () => rolloutQuality([]),
  "rollout quality: diverged": () => rolloutQuality([10, 20].map((step) => ({ step, r2: -1e6 * step, slope: 1e6 }))),
  "histogram: no neurons": () => typeHistogram(new Int32Array(0), 0),
  "histogram: a type beyond nTypes": () => typeHistogram(Int32Array.of(0, 7), 4),
  "histogram: 32 types, tab20": () =>
    typeHistogram(
      Int32Array.from({ length: 64 }, (_, i) => i % 32),
      32,
      { colormap: "tab20" },
    ),
  "R² over iterations: no runs": () => r2OverIterations([]),
  "R² over iterations: runs without points": () => r2OverIterations([{ label: "a", points: [] }]),
  "R² over iterations: one point, NaN, far below 0": () =>
    r2OverIterations([
      { label: "one", points: [[5, 0.5]] },
      {
        label: "bad",
        points: [
          [0, Number.NaN],
          [10, -1e9],
          [20, 0.9],
        ],
      },
    ]),
  "scatter: none": () => rasterScatter(new Float32Array(0), new Float32Array(0), { xLabel: "x", yLabel: "y" }),
  "scatter: all zero": () => rasterScatter(fill(10, 0), fill(10, 0), { xLabel: "x", yLabel: "y", identity: true }),
  "scatter: non-finite": () =>
    rasterScatter(fill(10, Number.NaN), fill(10, Number.POSITIVE_INFINITY), { xLabel: "x", yLabel: "y" }),
  "scatter: zero-width domain, tiny": () =>
    rasterScatter(fill(10, 0), fill(10, 0), { xLabel: "x", yLabel: "y", xDomain: [1, 1], width: 10, height: 10 }),
  "spectrum: none": () => eigenSpectrum([], []),
  "spectrum: zero and NaN": () => eigenSpectrum([0, Number.NaN], [0, 0]),
};

describe("panels on degenerate data", () => {
  it("each returns a standalone SVG of finite positive size without NaN or Infinity in its attributes", () => {
    for (const [name, panel] of Object.entries(CASES)) {
      const svg = panel();
      expect(svg.startsWith("<svg"), name).toBe(true);
      expect(svg.trimEnd().endsWith("</svg>"), name).toBe(true);
      expect(() => pngSize(svg), name).not.toThrow();
      expect(svg.match(/="[^"]*(NaN|Infinity)[^"]*"/)?.[0], name).toBeUndefined();
    }
  });

  it("each renders to PNG", async () => {
    // All side by side in one document (one renderer process); on failure, one by one to name the panel.
    const names = Object.keys(CASES);
    const svgs = names.map((name) => CASES[name]());
    const all = await svgToPng(sideBySide(svgs), 1).then(
      () => "ok",
      (e: Error) => e.message,
    );
    if (all !== "ok") {
      const each = await Promise.allSettled(svgs.map((svg) => svgToPng(svg, 1)));
      each.forEach((p, i) => expect(p.status === "fulfilled" ? "ok" : String(p.reason), names[i]).toBe("ok"));
    }
    expect(all).toBe("ok");
    // Content far outside a clipped frame aborts resvg relative to its own canvas: these alone too.
    for (const name of ["phi: far above the domain", "psi: far below the domain", "rollout quality: diverged"]) {
      expect((await svgToPng(CASES[name](), 1)).subarray(1, 4).toString(), name).toBe("PNG");
    }
  }, 60_000);

  it("the training montage of an all-zero dataset renders (its ψ* row lies far outside the y domain)", async () => {
    // What `plot` drew after training on an all-zero activity.npy: ψ*/ψ̄ ≈ −10⁴ against [−1.1, 1.1].
    const psi = Float32Array.from({ length: 51 }, (_, k) => -14086 + 200 * k);
    const rPsi = Float32Array.from({ length: 51 }, (_, k) => -5 + k / 5);
    const cell = psiPanel(rPsi, psi, { ...small, ...psiDomains });
    const svg = montage([[cell, cell]], { rowLabels: ["c"], columnLabels: ["1 iteration", "2 iterations"], title: "t" });
    const png = await svgToPng(svg, 1);
    expect(png.readUInt32BE(16)).toBe(50 + 2 * 240);
  });

  it("the type histogram gives a type beyond nTypes a bar of its own and refuses negative types", () => {
    expect(typeHistogram(Int32Array.of(0, 7), 4)).toContain(">1</text>");
    expect(() => typeHistogram(Int32Array.of(0, -1), 4)).toThrowError(/neuron 1 has type -1/);
  });
});

describe("PNG conversion", () => {
  it("refuses documents of no or absurd size with an Error, before rendering", async () => {
    await expect(svgToPng("not svg")).rejects.toThrowError(/not an <svg> document/);
    await expect(svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="0" height="10"></svg>')).rejects.toThrowError(
      /<svg> width is "0"/,
    );
    await expect(svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="-Infinity" height="10"></svg>')).rejects.toThrowError(
      /width is "-Infinity"/,
    );
    await expect(svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="1e7" height="1e7"></svg>')).rejects.toThrowError(
      /20000000 × 20000000 pixels is too large/,
    );
    await expect(svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">')).rejects.toThrowError(/not closed/);
  });

  it("turns a resvg abort into an Error and this process carries on", async () => {
    // A clipped group wholly far outside the canvas: resvg panics (geom.rs: unwrap on None) and aborts its process.
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="300"><clipPath id="c"><rect x="70" y="20" width="210" height="230"/></clipPath>' +
      '<g clip-path="url(#c)"><path d="M70,-14086L280,-4851" stroke="black" fill="none"/></g></svg>';
    await expect(svgToPng(svg)).rejects.toThrowError(/cannot render as PNG: resvg aborted/);
    // saveFigure keeps the SVG and names the PNG it could not write.
    const dir = tempDir();
    await expect(saveFigure(dir, "bad", svg)).rejects.toThrowError(
      `${join(dir, "bad.png")}: cannot render as PNG: resvg aborted`,
    );
    expect(existsSync(join(dir, "bad.svg"))).toBe(true);
    expect(existsSync(join(dir, "bad.png"))).toBe(false);
    expect((await svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"></svg>', 1)).readUInt32BE(16)).toBe(4);
  });
});

describe("plot helpers for degenerate data", () => {
  it("safeDomain pads a constant and leaves ranges to Plot", () => {
    expect(safeDomain([2, 2, Number.NaN])).toEqual([1.8, 2.2]);
    expect(safeDomain([0, 0])).toEqual([-1, 1]);
    expect(safeDomain([])).toEqual([0, 1]);
    expect(safeDomain([0, 1, Number.POSITIVE_INFINITY])).toBeUndefined();
  });

  it("clipLines keeps lines inside the band and cuts them one span beyond the domain, with a break", () => {
    const inside = [0, 0.5, 1].map((x) => ({ x, y: x }));
    expect(clipLines(inside, { x: "x", y: "y" }, [0, 1])).toEqual(inside);
    // (0, 0) → (1, 100) leaves the band [−1, 2] at y = 2, x = 0.02, then breaks.
    const out = clipLines(
      [
        { x: 0, y: 0 },
        { x: 1, y: 100 },
        { x: 2, y: 100 },
        { x: 3, y: 0.5 },
      ],
      { x: "x", y: "y" },
      [0, 1],
    );
    expect(out.map((p) => [p.x, p.y])).toEqual([
      [0, 0],
      [0.02, 2],
      [Number.NaN, Number.NaN],
      [2 + 98 / 99.5, 2],
      [3, 0.5],
    ]);
    // A line crossing the whole band keeps its two crossings; lines (z) are cut separately.
    const crossing = clipLines(
      [
        { x: 0, y: -10, z: "a" },
        { x: 0, y: 5, z: "b" },
        { x: 1, y: 10, z: "a" },
      ],
      { x: "x", y: "y", z: "z" },
      [0, 1],
    );
    expect(crossing.map((p) => [p.z, p.y])).toEqual([
      ["a", -1],
      ["a", 2],
      ["a", Number.NaN],
    ]);
  });
});
