import { describe, expect, it } from "vitest";
import { inputPixel } from "../simulate/visual-input.js";
import { externalInputPanel, rot90, viridis } from "./external-input.js";

describe("Figure 3a's external input panel", () => {
  it("viridis runs from dark purple (0) to yellow (1), clipped outside", () => {
    expect(viridis(0)).toEqual([68, 1, 84]);
    expect(viridis(1)).toEqual([253, 231, 37]);
    expect(viridis(1.4)).toEqual(viridis(1));
    expect(viridis(-1)).toEqual(viridis(0));
    expect(viridis(0.5)).toEqual([33, 145, 140]);
  });

  it("rot90 (k = 1) of the neurons' grid undoes the video mapping: page pixel (r, c) lands at (r, c)", () => {
    const w = 4;
    const page = Float32Array.from({ length: w * w }, (_, n) => n);
    const omega = Float32Array.from({ length: w * w }, (_, p) => {
      const { row, col } = inputPixel(p, w);
      return page[row * w + col];
    });
    expect(rot90(omega, w)).toEqual(page);
  });

  it("draws one image per frame, titled by frame, with a colour bar", () => {
    const frames = [0, 10, 20, 30].map((k) => ({ k, omega: new Float32Array(16).fill(0.5) }));
    const svg = externalInputPanel(frames, 4);
    expect(svg.match(/<image /g)).toHaveLength(5);
    for (const k of [0, 10, 20, 30]) expect(svg).toContain(`frame ${k}</text>`);
    expect(svg).toContain("16 input neurons (4×4 grid)");
  });
});
