import { describe, expect, it } from "vitest";
import { expectGolden } from "../../test/golden.js";
import { embeddingPanel, phiPanel, psiPanel, r2Curve } from "./functions.js";
import { montage } from "./montage.js";
import { svgToPng } from "./png.js";
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
