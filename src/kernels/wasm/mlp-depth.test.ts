import { describe, expect, it } from "vitest";
import { useEngines } from "../../../test/helpers.js";
import { expectMlpMatchesFiniteDifferences, expectMlpMatchesReference, mlpProblem, runMlp } from "../../../test/mlp-ops.js";
import { wasmBackend } from "./backend.js";

/** MLPs of 2 to 6 Linear layers (Figure 3's psi* is [3, 64, 64, 64, 64, 1]), H = 64 and 32. */
const SIZES = [
  [1, 64, 1],
  [3, 64, 64, 1],
  [3, 64, 64, 64, 1],
  [3, 64, 64, 64, 64, 1],
  [3, 32, 32, 32, 32, 1],
  [1, 32, 32, 32, 1],
  [5, 32, 32, 32, 32, 32, 1],
];

describe("wasm MLP kernels of any depth", () => {
  const engines = useEngines();

  it.each(SIZES)("match the float64 reference: y, acts, accumulated gradients, dX (sizes [%i, %i, …])", (...sizes) => {
    const be = wasmBackend(engines.e2);
    // 150 samples: 3 gradient blocks (64), a ragged tail; then a single sample.
    expectMlpMatchesReference(be, sizes, 150, 1);
    expectMlpMatchesReference(be, sizes, 1, 2);
  });

  it.each([
    [[3, 32, 32, 32, 1], 2],
    [[2, 32, 32, 32, 32, 1], 1],
    [[1, 32, 1], 2],
  ] as const)("have gradients equal to finite differences of the float64 reference (sizes %j, engine %i)", (sizes, e) => {
    expectMlpMatchesFiniteDifferences(wasmBackend(e === 1 ? engines.e1 : engines.e2), [...sizes], 9, 4);
  });

  it("gives identical numbers for 1 and 2 threads, with and without dX", () => {
    for (const sizes of [
      [3, 64, 64, 64, 64, 1],
      [3, 32, 32, 1],
    ]) {
      const one = wasmBackend(engines.e1);
      const two = wasmBackend(engines.e2);
      const a = runMlp(one, mlpProblem(one, sizes, 500, 5));
      const b = runMlp(two, mlpProblem(two, sizes, 500, 5));
      const c = runMlp(two, mlpProblem(two, sizes, 500, 5), false);
      expect(b.y).toEqual(a.y);
      expect(b.grads).toEqual(a.grads);
      expect(b.dX).toEqual(a.dX);
      expect(c.grads).toEqual(a.grads);
    }
  });

  it("rejects MLPs that are not [in, H, …, H, 1]", () => {
    const be = wasmBackend(engines.e1);
    for (const sizes of [[3, 64, 32, 1], [3, 64, 64, 2], [3, 1], [3, 48, 48, 1], Array(19).fill(32)]) {
      expect(() => be.mlpForward({ sizes }, [], be.alloc(1), 1, [], be.alloc(1))).toThrowError(
        /not of the form \[in, H, …, H, 1\]/,
      );
    }
  });
});
