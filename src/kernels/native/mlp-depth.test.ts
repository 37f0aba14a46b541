import { afterAll, describe, expect, it } from "vitest";
import { nativeOrWarn } from "../../../test/helpers.js";
import { expectMlpMatchesFiniteDifferences, expectMlpMatchesReference, mlpProblem, runMlp } from "../../../test/mlp-ops.js";
import { nativeIsas } from "./addon.js";
import { type NativeBackend, nativeBackend } from "./backend.js";

nativeOrWarn();
const ISAS = nativeIsas();

/** MLPs of 2 to 5 Linear layers (Figure 3's psi* is [3, 64, 64, 64, 64, 1]), H = 64, 32 and 16. */
const SIZES = [
  [1, 64, 1],
  [3, 64, 64, 1],
  [3, 64, 64, 64, 1],
  [3, 64, 64, 64, 64, 1],
  [3, 32, 32, 32, 32, 1],
  [1, 32, 32, 32, 1],
  [5, 16, 16, 16, 16, 16, 1],
];

describe.skipIf(ISAS.length === 0)("native MLP kernels of any depth", () => {
  const opened: NativeBackend[] = [];
  const make = (isa: string, threads: number) => {
    const be = nativeBackend({ isa, threads, alwaysSplit: true });
    opened.push(be);
    return be;
  };
  afterAll(() => {
    for (const be of opened) be.close();
  });

  describe.each(ISAS)("%s kernels", (isa) => {
    it.each(SIZES)("match the float64 reference: y, acts[1 …], accumulated gradients, dX (sizes [%i, %i, …])", (...sizes) => {
      const be = make(isa, 2);
      // 700 samples: 3 gradient blocks (256), sub-blocks of 64, a ragged tail; then a single sample.
      expectMlpMatchesReference(be, sizes, 700, 1, 1);
      expectMlpMatchesReference(be, sizes, 1, 2, 1);
    });

    it.each([
      [[3, 16, 16, 16, 1], 2],
      [[2, 16, 16, 16, 16, 1], 3],
      [[1, 16, 1], 1],
    ])("have gradients equal to finite differences of the float64 reference (sizes %j, %i threads)", (sizes, t) => {
      expectMlpMatchesFiniteDifferences(make(isa, t), sizes, 9, 4);
    });

    it("give identical numbers for 1, 2 and 3 threads, with and without dX", () => {
      for (const sizes of [
        [3, 64, 64, 64, 64, 1],
        [3, 32, 32, 1],
      ]) {
        const runs = [1, 2, 3].map((t) => runMlp(make(isa, t), mlpProblem(make(isa, 1), sizes, 1000, 5)));
        for (const r of runs.slice(1)) {
          expect(r.y).toEqual(runs[0].y);
          expect(r.grads).toEqual(runs[0].grads);
          expect(r.dX).toEqual(runs[0].dX);
        }
        const noDX = runMlp(make(isa, 2), mlpProblem(make(isa, 1), sizes, 1000, 5), false);
        expect(noDX.grads).toEqual(runs[0].grads);
      }
    });
  });

  it("reject MLPs that are not [in, H, …, H, 1]", () => {
    const be = make("", 1);
    for (const sizes of [[3, 64, 32, 1], [3, 64, 64, 2], [3, 1], [3, 24, 24, 1], Array(19).fill(16)]) {
      expect(() => be.mlpForward({ sizes }, [], be.alloc(1), 1, [], be.alloc(1))).toThrowError(
        /not of the form \[in, H, …, H, 1\]/,
      );
    }
  });
});
