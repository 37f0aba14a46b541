import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useEngines } from "../../../test/helpers.js";
import { expectMlpMatchesFiniteDifferences, expectMlpMatchesReference, mlpProblem, runMlp } from "../../../test/mlp-ops.js";
import { wasmBackend } from "./backend.js";
import { WasmEngine } from "./engine.js";

/** psi* of PDE_N2, [1, H, H, 1]: through its piecewise-linear form (pwl.ts), no activations kept. */
describe("wasm MLPs [1, H, H, 1] as piecewise-linear functions", () => {
  const engines = useEngines();
  let e3: WasmEngine;
  beforeAll(async () => {
    e3 = await WasmEngine.create({ threads: 3 });
  });
  afterAll(async () => {
    await e3.close();
  });

  it.each([64, 32])("match the float64 reference: y, accumulated gradients, dX (H = %i)", (H) => {
    const be = wasmBackend(engines.e2);
    // 2500 samples: 3 gradient blocks (1024) with a ragged tail; then a single sample.
    expectMlpMatchesReference(be, [1, H, H, 1], 2500, 1, 2);
    expectMlpMatchesReference(be, [1, H, H, 1], 1, 2, 2);
  });

  it("has gradients equal to finite differences of the float64 reference", () => {
    expectMlpMatchesFiniteDifferences(wasmBackend(engines.e2), [1, 32, 32, 1], 9, 4);
  });

  it("gives identical numbers for 1, 2 and 3 threads, with and without dX", () => {
    const sizes = [1, 64, 64, 1];
    const runs = [engines.e1, engines.e2, e3].map((e) => {
      const be = wasmBackend(e);
      return runMlp(be, mlpProblem(be, sizes, 2500, 5));
    });
    for (const r of runs.slice(1)) {
      expect(r.y).toEqual(runs[0].y);
      expect(r.grads).toEqual(runs[0].grads);
      expect(r.dX).toEqual(runs[0].dX);
    }
    const be = wasmBackend(engines.e2);
    expect(runMlp(be, mlpProblem(be, sizes, 2500, 5), false).grads).toEqual(runs[0].grads);
  });

  it("rebuilds its tables when the weights change", () => {
    const be = wasmBackend(engines.e1);
    const sizes = [1, 32, 32, 1];
    const p = runMlp(be, mlpProblem(be, sizes, 200, 3));
    const y0 = Float32Array.from(p.y);
    p.layers[2][5] += 0.5; // W1
    runMlp(be, p);
    const fresh = wasmBackend(engines.e1);
    const q = mlpProblem(fresh, sizes, 200, 3);
    q.layers[2][5] += 0.5;
    runMlp(fresh, q);
    expect(p.y).not.toEqual(y0);
    expect(p.y).toEqual(q.y);
  });
});
