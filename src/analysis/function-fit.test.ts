import { describe, expect, it } from "vitest";
import { linspace } from "../core/stats.js";
import { rmseByType, tanhWidth, tanhWidthByType } from "./function-fit.js";

describe("function recovery by type", () => {
  const r = linspace(-5, 5, 101);

  it("tanhWidth recovers w and k of k·tanh(r/w), whatever the scale", () => {
    for (const w of [1, 2, 4, 8]) {
      const fit = tanhWidth(
        r,
        Array.from(r, (x) => 1.7 * Math.tanh(x / w)),
      );
      expect(fit.w / w).toBeCloseTo(1, 2);
      expect(fit.k).toBeCloseTo(1.7, 2);
    }
  });

  it("tanhWidthByType fits each type's median curve; rmseByType compares each neuron with its type's truth", () => {
    const types = Int32Array.of(0, 0, 0, 1, 1);
    const widths = [1, 4];
    const Y = new Float64Array(5 * r.length);
    types.forEach((t, n) => {
      for (let k = 0; k < r.length; k++) Y[n * r.length + k] = Math.tanh(r[k] / widths[t]) + (n === 2 ? 0.3 : 0);
    });
    const w = tanhWidthByType(Y, r, types, 3);
    expect(w[0]).toBeCloseTo(1, 2);
    expect(w[1] / 4).toBeCloseTo(1, 2);
    expect(w[2]).toBeNaN();
    const e = rmseByType(Y, r, types, 3, [(x) => Math.tanh(x), (x) => Math.tanh(x / 4), (x) => x]);
    expect(e[0]).toBeCloseTo(0.3 / Math.sqrt(3), 10); // one of three neurons is off by 0.3
    expect(e[1]).toBeCloseTo(0, 12);
    expect(e[2]).toBeNaN();
  });
});
