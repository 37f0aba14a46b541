import { describe, expect, it } from "vitest";
import { expectGolden } from "../../test/golden.js";
import { TAB10, TAB20, categoryColor, colormapOf } from "./colors.js";
import { embeddingPanel, phiPanel, psiByNeuronPanel, psiPanel, r2Curve } from "./functions.js";
import { montage } from "./montage.js";
import { svgToPng } from "./png.js";
import { iterationsLabel, r2OverIterations } from "./r2-over-iterations.js";
import { rolloutPanel, rolloutQuality, typeHistogram } from "./rollout.js";
import { rasterScatter } from "./scatter.js";

const r = Float32Array.from({ length: 11 }, (_, k) => -5 + k);

describe("evaluation panels (Fig 2e–h, Supp Fig 1)", () => {
  it("scatter (Fig 2e): golden SVG; one raster image whatever the number of points", () => {
    const x = Float32Array.from({ length: 200 }, (_, k) => Math.sin(k));
    const svg = rasterScatter(
      x,
      x.map((v) => 0.9 * v),
      { xLabel: "true Wᵢⱼ", yLabel: "learned Wᵢⱼ", text: ["R² 1", "slope 0.9"] },
    );
    expectGolden("scatter.svg", svg);
    expect(svg.match(/<image /g)).toHaveLength(1);
    expect(svg).toContain(">R² 1</text>");
    const many = Float32Array.from({ length: 1_000_000 }, (_, k) => Math.sin(k));
    expect(rasterScatter(many, many, { xLabel: "x", yLabel: "y" }).length).toBeLessThan(200_000);
  });

  it("embeddings (Fig 2f): golden SVG, one dot per neuron coloured by type", () => {
    const a = Float32Array.of(0.1, 0.2, 0.15, 0.25, 1.5, 0.5, 1.6, 0.45);
    const svg = embeddingPanel(a, 2, Int32Array.of(0, 0, 1, 1));
    expectGolden("embedding.svg", svg);
    expect(svg.match(/<circle /g)).toHaveLength(4);
    expect(svg.match(/fill="#1f77b4"/g)).toHaveLength(2);
  });

  it("phi* curves (Fig 2g): golden SVG, learned curves over grey true curves", () => {
    const F = Float32Array.from({ length: 3 * 11 }, (_, k) => -(1 + Math.floor(k / 11)) * r[k % 11] * 0.5);
    const svg = phiPanel(r, F, Int32Array.of(0, 1, 1), [(x) => -0.5 * x, (x) => -x], { xDomain: [-5, 5], yDomain: [-8, 8] });
    expectGolden("phi.svg", svg);
    expect(svg).toContain('stroke="#d3d3d3"');
  });

  it("psi* (Fig 2h) and the W R² curve: golden SVGs", () => {
    expectGolden("psi.svg", psiPanel(r, r.map(Math.tanh), { xDomain: [-5, 5], yDomain: [-1.1, 1.1] }));
    const pts = [1, 100, 200, 300].map((iteration, k) => ({ iteration, r2: k / 3 }));
    expectGolden("r2curve.svg", r2Curve(pts, [0, 200]));
  });

  it("montage (Supp Fig 1): nests the panels in a labelled grid that renders", async () => {
    const panel = psiPanel(r, r.map(Math.tanh), { xDomain: [-5, 5], yDomain: [-1.1, 1.1] });
    const svg = montage(
      [
        [panel, panel],
        [panel, panel],
      ],
      { rowLabels: ["a", "b"], columnLabels: ["1 iteration", "100 iterations"], cell: 100 },
    );
    expectGolden("montage.svg", svg);
    expect(svg.match(/<svg /g)).toHaveLength(5);
    const png = await svgToPng(svg, 1);
    expect(png.readUInt32BE(16)).toBe(50 + 2 * 100);
  });

  it("rollout (Supp Figs 2, 5, 6): golden SVGs of traces + scatter, quality over time, type histogram", () => {
    const N = 6;
    const steps = 20;
    const truth = Float32Array.from({ length: (steps + 1) * N }, (_, k) => 5 * Math.sin(0.3 * Math.floor(k / N) + (k % N)));
    const learned = truth.map((v, k) => v + 0.1 * Math.cos(k));
    const svg = rolloutPanel({
      truth,
      learned,
      N,
      step: 10,
      neurons: [0, 3],
      r2: 0.99,
      slope: 1.01,
      intercept: 0.02,
      title: "rollout",
    });
    expectGolden("rollout.svg", svg);
    expect(svg).toContain(">R² 0.990</text>");
    expect(svg.match(/<svg /g)).toHaveLength(3);
    expectGolden("rollout-quality.svg", rolloutQuality([10, 20].map((step) => ({ step, r2: 1 - step / 100, slope: 1 }))));
    const hist = typeHistogram(Int32Array.of(0, 1, 1, 3), 4);
    expectGolden("histogram.svg", hist);
    expect(hist).toContain(">2</text>");
  });
});

describe("many neuron types (Supp Fig 12: 32 types, tab20)", () => {
  it("colour(t) = palette[t mod length]: tab20 repeats after 20 types, tab10 after 10", () => {
    expect(categoryColor(0, "tab20")).toBe(TAB20[0]);
    expect(categoryColor(21, "tab20")).toBe(TAB20[1]);
    expect(categoryColor(21)).toBe(TAB10[1]);
    expect(categoryColor(31, "tab10")).toBe(TAB10[1]);
    expect(colormapOf("tab20")).toBe("tab20");
    expect(() => colormapOf("viridis")).toThrowError(/colour map "viridis" is not one of tab10, tab20/);
  });

  it("the embedding and φ* panels colour 32 types by the colour map given, without a legend", () => {
    const types = Int32Array.from({ length: 64 }, (_, i) => i % 32);
    const a = Float32Array.from({ length: 128 }, (_, k) => (k % 2 ? Math.floor(k / 2) % 8 : Math.floor(k / 16)));
    const tab20 = embeddingPanel(a, 2, types, { colormap: "tab20" });
    const fills = (svg: string) => new Set([...svg.matchAll(/<circle[^>]*fill="([^"]+)"/g)].map((m) => m[1]));
    expect(fills(tab20)).toEqual(new Set(TAB20));
    expect(fills(embeddingPanel(a, 2, types))).toEqual(new Set(TAB10));
    expect(tab20).not.toMatch(/<text[^>]*>[^<]*type/);
    const F = Float32Array.from({ length: 64 * 11 }, (_, k) => r[k % 11] * (Math.floor(k / 11) % 32) * 0.1);
    const phi = phiPanel(r, F, types, [], { xDomain: [-5, 5], yDomain: [-8, 8], colormap: "tab20" });
    const strokes = new Set([...phi.matchAll(/stroke="(#[0-9a-f]{6})"/g)].map((m) => m[1]));
    for (const c of TAB20) expect(strokes.has(c), c).toBe(true);
  });

  it("the type histogram of 32 types labels every other type and leaves out the counts", () => {
    const types = Int32Array.from({ length: 1000 }, (_, i) => Math.min(31, Math.floor(i / 31)));
    const svg = typeHistogram(types, 32, { colormap: "tab20" });
    expect(svg.match(/<rect /g)?.length).toBeGreaterThanOrEqual(32);
    expect(svg).toContain(">30</text>");
    expect(svg).not.toContain(">31</text>");
    expect(svg).not.toContain(">39</text>"); // type 31's count
    const ticks = [...svg.matchAll(/<text[^>]*>(\d+)<\/text>/g)].map((m) => Number(m[1])).filter((t) => t <= 30);
    expect(ticks.slice(-16)).toEqual(Array.from({ length: 16 }, (_, k) => 2 * k)); // in type order
  });
});

describe("W R² against iterations for several runs (Supp Figs 7, 9)", () => {
  const run = (label: string, rate: number, last: number) => ({
    label,
    points: Array.from({ length: 11 }, (_, k): [number, number] => [(k * last) / 10, 1 - Math.exp((-rate * k * last) / 10)]),
  });

  it("golden SVG: one line per run in the colour map's order, legend = labels, axes from 0", () => {
    const runs = [run("10k", 1e-6, 1.25e6), run("50k", 1e-5, 1.25e6), run("100k", 5e-5, 1.1e6)];
    const svg = r2OverIterations(runs);
    expectGolden("r2-over-iterations.svg", svg);
    const lines = [...svg.matchAll(/<path d="M[^"]*" stroke="(#[0-9a-f]{6})"/g)].map((m) => m[1]);
    expect(lines).toEqual([TAB10[0], TAB10[1], TAB10[2]]);
    for (const label of ["10k", "50k", "100k"]) expect(svg).toContain(`>— ${label}</text>`);
    expect(svg).toMatch(/>0<\/text>.*>0\.0<\/text>|>0\.0<\/text>.*>0<\/text>/s); // both axes start at 0
    expect(svg).toContain(">1.2M</text>");
    expect(svg).toContain(">200k</text>");
  });

  it("labels iteration counts compactly", () => {
    expect([0, 500, 12_500, 200_000, 1_250_000, 10_000_000].map(iterationsLabel)).toEqual([
      "0",
      "500",
      "12.5k",
      "200k",
      "1.25M",
      "10M",
    ]);
  });

  it("R² below 0 is cut at the frame; 12 runs get a legend of two columns", () => {
    const runs = Array.from({ length: 12 }, (_, k) => ({
      label: `${5 * (k + 1)} %`,
      points: [
        [0, -50],
        [1e6 * (k + 1), 0.5 + k / 30],
      ] as [number, number][],
    }));
    const svg = r2OverIterations(runs, { colormap: "tab20" });
    for (const run of runs) expect(svg).toContain(`>— ${run.label}</text>`);
    expect(svg).not.toContain("-50");
    // Each legend entry is <g transform="translate(dx,dy)" …><text …>— label: two distinct dx.
    const dx = [...svg.matchAll(/<g transform="translate\((-?[\d.]+),(-?[\d.]+)\)"[^>]*><text[^>]*>— /g)].map((m) => m[1]);
    expect(dx).toHaveLength(12);
    expect(new Set(dx).size).toBe(2);
  });
});

// Last in the file: Observable Plot numbers its clip paths in order, so a panel drawn earlier would change the goldens after it.
describe("PDE_N4 panels (Supp Fig 13)", () => {
  it("psi* per neuron (Supp Fig 13h, PDE_N4): golden SVG, curves coloured by type over each type's grey truth", () => {
    const widths = [1, 4];
    const Y = Float32Array.from({ length: 4 * 11 }, (_, k) => 1.05 * Math.tanh(r[k % 11] / widths[k < 22 ? 0 : 1]));
    const truth = widths.map((w) => (x: number) => Math.tanh(x / w));
    const svg = psiByNeuronPanel(r, Y, Int32Array.of(0, 0, 1, 1), truth, { xDomain: [-5, 5], yDomain: [-1.1, 1.1] });
    expectGolden("psi-by-neuron.svg", svg);
    expect(svg).toContain("learned ψ*(aⱼ, xⱼ) / ψ̄ⱼ");
    expect(svg).toContain('stroke="#d3d3d3"');
    expect(svg).toContain('stroke="#ff7f0e"'); // type 1's colour
  });
});
