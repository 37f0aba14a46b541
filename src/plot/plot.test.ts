import { describe, expect, it } from "vitest";
import { expectGolden } from "../../test/golden.js";
import { activityTraces } from "./activity.js";
import { bwr, bwrImage } from "./colors.js";
import { absQuantile, connectivityHeatmap } from "./heatmap.js";
import { encodePngRgb, svgToPng } from "./png.js";
import { eigenSpectrum } from "./spectrum.js";
import { downsampleMinMax } from "./svg.js";

const W6 = Float32Array.from({ length: 36 }, (_, k) => (k % 7 === 0 ? 0 : Math.sin(k * 1.7) * 0.1));

describe("figure panels", () => {
  it("heatmap (Fig 2c): golden SVG, limits ±1.1·p99(|W|), raster image and inset", () => {
    const svg = connectivityHeatmap(W6, 6, { title: "true connectivity W", inset: 3 });
    expectGolden("heatmap.svg", svg);
    const lim = 1.1 * absQuantile(W6, 0.99);
    expect(svg).toContain(`>${Number(lim.toPrecision(3))}</text>`);
    expect(svg.match(/<image /g)?.length).toBe(3); // matrix, inset, colour bar
  });

  it("activity traces (Fig 2b): golden SVG, one path per trace", () => {
    const traces = [0, 1, 2].map((k) => Float32Array.from({ length: 50 }, (_, t) => Math.sin(t / 5 + k) * 5));
    const svg = activityTraces(traces, { title: "activity" });
    expectGolden("activity.svg", svg);
    expect(svg.match(/<path fill="none" stroke="#[0-9a-f]{6}"/g)?.length ?? svg.match(/stroke-opacity/g)?.length).toBeGreaterThan(
      0,
    );
  });

  it("eigenvalue spectrum: golden SVG, spectral radius printed", () => {
    const svg = eigenSpectrum(Float64Array.of(0.5, -0.2, -0.2), Float64Array.of(0, 0.9, -0.9));
    expectGolden("spectrum.svg", svg);
    expect(svg).toContain(`spectral radius ${Number(Math.hypot(0.2, 0.9).toPrecision(4))}`);
  });

  it("labels what a reader needs: heatmap ticks 1 and N, colour bar ±L, a strided view's full size; spectrum axes ±1.1ρ", () => {
    const texts = (svg: string) => Array.from(svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g), (m) => m[1]);
    const heat = texts(connectivityHeatmap(W6, 6, { title: "W", limit: 0.25 }));
    expect(heat.filter((t) => t === "1")).toHaveLength(2);
    expect(heat.filter((t) => t === "6")).toHaveLength(2);
    expect(heat).toEqual(expect.arrayContaining(["W", "0.25", "0", "-0.25", "presynaptic neuron j", "postsynaptic neuron i"]));
    // A strided view of a 1000-neuron W still says 1000 at its last ticks.
    expect(texts(connectivityHeatmap(W6, 6, { lastTick: 1000 })).filter((t) => t === "1000")).toHaveLength(2);
    // Spectral radius 2 → axes from −2.2 to 2.2: the outermost tick labels are ±2.
    const spec = texts(eigenSpectrum([2, -1], [0, 1]));
    expect(spec).toEqual(expect.arrayContaining(["eigenvalues of W — spectral radius 2", "−2", "2", "Re(λ)", "Im(λ)"]));
    expect(spec).not.toContain("3");
  });

  it("renders SVG to PNG with the pinned font", async () => {
    const png = await svgToPng(connectivityHeatmap(W6, 6, { title: "t" }), 1);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(png.readUInt32BE(16)).toBe(620); // width of the heatmap SVG
  });
});

describe("plot helpers", () => {
  it("bwr maps −L, 0, L to blue, white, red", () => {
    expect(bwr(0)).toEqual([0, 0, 255]);
    expect(bwr(0.5)).toEqual([255, 255, 255]);
    expect(bwr(1)).toEqual([255, 0, 0]);
    expect(Array.from(bwrImage([-2, 0, 2, 9], 2, 2, 2))).toEqual([0, 0, 255, 255, 255, 255, 255, 0, 0, 255, 0, 0]);
  });

  it("absQuantile interpolates like numpy.percentile", () => {
    expect(absQuantile([1, -2, 3, -4, 5], 0.5)).toBe(3);
    expect(absQuantile([0, 10], 0.99)).toBeCloseTo(9.9, 12);
  });

  it("min/max downsampling keeps every extreme", () => {
    const y = Float64Array.from({ length: 10_000 }, (_, i) => Math.sin(i / 37) + (i === 5003 ? 9 : 0));
    const d = downsampleMinMax(y, 100);
    expect(d.length).toBeLessThanOrEqual(200);
    expect(Math.max(...d.map((p) => p.v))).toBe(Math.max(...y));
    expect(Math.min(...d.map((p) => p.v))).toBe(Math.min(...y));
    expect(d.every((p, i) => i === 0 || p.i > d[i - 1].i)).toBe(true);
  });

  it("encodes a valid PNG (checked by decoding with resvg)", async () => {
    const png = encodePngRgb(Uint8Array.of(255, 0, 0, 0, 0, 255), 2, 1);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="2" height="1"><image width="2" height="1" href="data:image/png;base64,${png.toString("base64")}"/></svg>`;
    const out = await svgToPng(svg, 1);
    expect(out.subarray(1, 4).toString()).toBe("PNG");
  });
});
