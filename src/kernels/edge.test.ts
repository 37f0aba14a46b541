/** PDE_N5's per-edge message ops on the SIMD backends against the reference, and the same numbers for 1 and 2 threads. */
import { afterAll, describe, expect, it } from "vitest";
import { allclose, nativeOrWarn, randomProblem, useEngines } from "../../test/helpers.js";
import { ParamSet } from "../model/params.js";
import type { Backend } from "./backend.js";
import { blockedEdgeOps } from "./edge.js";
import { type NativeBackend, nativeBackend } from "./native/backend.js";
import { referenceBackend } from "./reference.js";
import { wasmBackend } from "./wasm/backend.js";

const N = 24;
const B = 2;

/** Forward M and every gradient of the edge ops on `backend` (random problem, seed 11, H = 64). */
function run(backend: Backend) {
  const s = randomProblem(backend, N, B, 11, 64, "pairs");
  const M = backend.alloc(B * N);
  backend.edgeMessages(s.p.shape.psi, s.p.psi, s.X, s.p.a, s.p.W, B, N, M);
  const G = backend.alloc(B * N);
  for (let k = 0; k < B * N; k++) G[k] = Math.sin(1.7 * k + 0.3);
  const g = new ParamSet(s.shape, backend);
  g.W.fill(7); // overwritten
  backend.edgeMessagesBackward(s.p.shape.psi, s.p.psi, s.X, s.p.a, s.p.W, G, B, N, g.W, g.a, g.psi);
  return { M: Float32Array.from(M), g };
}

function expectClose(b: ReturnType<typeof run>, a: ReturnType<typeof run>, rtol: number): void {
  const m = allclose(b.M, a.M, rtol, rtol * 10);
  expect(m.ok, `M: ${m.worst}`).toBe(true);
  for (const name of ["W", "a", ...a.g.specs.filter((s) => s.name.startsWith("lin_edge")).map((s) => s.name)]) {
    const ga = a.g.tensor(name);
    const scale = Array.from(ga).reduce((mx, v) => Math.max(mx, Math.abs(v)), 0);
    const r = allclose(b.g.tensor(name), ga, rtol, rtol * scale);
    expect(r.ok, `${name}: ${r.worst}`).toBe(true);
  }
}

describe("edge ops (PDE_N5): blocks of receivers", () => {
  const ref = run(referenceBackend("f32"));

  it("any block size gives the reference's numbers (rows 1, 5, all)", () => {
    const f32 = referenceBackend("f32");
    for (const samples of [1, 5 * B * N, 1 << 20]) {
      const ops = blockedEdgeOps(f32, samples);
      const got = run({ ...f32, ...ops });
      expectClose(got, ref, 1e-5);
    }
  });

  describe("wasm", () => {
    const engines = useEngines();
    it("agrees with the reference; 1 and 2 threads give the same numbers", () => {
      const w1 = run(wasmBackend(engines.e1));
      const w2 = run(wasmBackend(engines.e2));
      expectClose(w2, ref, 1e-4);
      expect(Array.from(w2.M)).toEqual(Array.from(w1.M));
      expect(Array.from(w2.g.data)).toEqual(Array.from(w1.g.data));
    });
  });

  const loaded = nativeOrWarn();
  describe.skipIf(!("addon" in loaded))("native", () => {
    const opened: NativeBackend[] = [];
    afterAll(() => {
      for (const b of opened) b.close();
    });
    it("agrees with the reference; 1 and 2 threads give the same numbers", () => {
      const make = (threads: number) => {
        const be = nativeBackend({ threads, alwaysSplit: true });
        opened.push(be);
        return be;
      };
      const n1 = run(make(1));
      const n2 = run(make(2));
      expectClose(n2, ref, 1e-4);
      expect(Array.from(n2.M)).toEqual(Array.from(n1.M));
      expect(Array.from(n2.g.data)).toEqual(Array.from(n1.g.data));
    });
  });
});
