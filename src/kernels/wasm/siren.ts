import type { Arr } from "../backend.js";
/**
 * The SIREN layer kernels (model/siren-train.ts's SirenKernels) on the WebAssembly engine:
 * as/siren.ts, float32 arrays in the engine's shared memory (`alloc`), all engine threads.
 */
import type { SirenKernels } from "../siren.js";
import type { WasmEngine } from "./engine.js";

/** Below this many multiply-adds a SIREN op runs on the calling thread only. */
const PARALLEL_MIN = 1 << 16;

export function wasmSirenKernels(engine: WasmEngine): SirenKernels {
  const ptr = (a: Arr): number => {
    if (!(a instanceof Float32Array) || !(a.buffer instanceof SharedArrayBuffer))
      throw new Error("wasm SIREN kernels: arrays must be allocated with alloc()");
    return a.byteOffset;
  };
  const alloc = (n: number) => engine.f32(engine.alloc(Math.max(1, n) * 4), n);
  let WT = alloc(0);
  const threads = (work: number) => (work >= PARALLEL_MIN ? engine.threads : 1);
  return {
    name: `wasm-${engine.threads}t`,
    alloc,
    layerForward(W, b, X, P, nIn, nOut, omega0, sine, A, C): void {
      if (WT.length < nIn * nOut) WT = alloc(nIn * nOut);
      for (let o = 0; o < nOut; o++) for (let i = 0; i < nIn; i++) WT[i * nOut + o] = W[o * nIn + i];
      const args = { P, nIn, nOut, WT: ptr(WT), b: ptr(b), X: ptr(X), omega0, sine: sine ? 1 : 0, A: ptr(A), C: C ? ptr(C) : 0 };
      engine.run("sirenForward", args, threads(P * nIn * nOut));
    },
    layerBackward(W, X, dA, C, P, nIn, nOut, dW, db, dX): void {
      const work = P * nIn * nOut;
      if (C || dX)
        engine.run(
          "sirenBackwardPoints",
          { P, nIn, nOut, W: ptr(W), dA: ptr(dA), C: C ? ptr(C) : 0, dX: dX ? ptr(dX) : 0 },
          threads(work),
        );
      engine.run("sirenBackwardRows", { P, nIn, nOut, X: ptr(X), dA: ptr(dA), dW: ptr(dW), db: ptr(db) }, threads(work));
    },
  };
}
