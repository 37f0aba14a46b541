/**
 * MLPs [1, H, H, 1] (psi* of PDE_N2) on the wasm engine through their piecewise-linear form
 * (../pwl-tables.ts, kernels in as/pwl.ts): the forward pass costs H multiply-adds per sample instead
 * of ~H²/2, the backward pass O(H) per sample plus O(intervals · H²) once per call. The tables are
 * kept while the weights are unchanged (the forward and backward passes of a step share them).
 */
import type { Arr } from "../backend.js";
import { type PwlTables, pwlFloats, pwlTables } from "../pwl-tables.js";
import type { WasmEngine } from "./engine.js";

/** Samples per block of the backward pass (as/pwl.ts BLOCK): fixed, so results do not depend on threads. */
const BLOCK = 1024;

export interface WasmPwl {
  /** y[s] = mlp(X[s]) for s < S. layers: [W0 [H, 1], b0, W1 [H, H], b1, wOut [1, H], bOut]. */
  forward(layers: readonly Arr[], H: number, X: Arr, S: number, y: Arr): void;
  /** The gradients, laid out as mlpBackward's reduced sums ([dW0, db0, dW1, db1, dwOut, dbOut]); dX = when given. */
  backward(layers: readonly Arr[], H: number, X: Arr, S: number, dy: Arr, dX: Arr | undefined): Float32Array;
}

export function wasmPwl(
  engine: WasmEngine,
  buf: (key: string, n: number) => Float32Array,
  ptr: (a: Arr) => number,
  bar: Arr,
): WasmPwl {
  let cached: { key: Float32Array; tables: PwlTables } | undefined;
  /** The tables of these weights (rebuilt when any of W0, b0, W1, b1 changed). */
  const tablesOf = (layers: readonly Arr[], H: number): PwlTables => {
    const parts = layers.slice(0, 4);
    if (cached && sameValues(cached.key, parts)) return cached.tables;
    const key = new Float32Array(3 * H + H * H);
    let e = 0;
    for (const a of parts) {
      key.set(a, e);
      e += a.length;
    }
    cached = { key, tables: pwlTables(buf(`pwl${H}`, pwlFloats(H)), H, layers[0], layers[1], layers[2], layers[3]) };
    return cached.tables;
  };
  const tableArgs = (T: PwlTables) => ({ nI: T.nI, t: ptr(T.t), c: ptr(T.c), A: ptr(T.A), Z: ptr(T.Z) });

  return {
    forward(layers, H, X, S, y) {
      const T = tablesOf(layers, H);
      engine.run("pwlForward", { S, H, ...tableArgs(T), wOut: ptr(layers[4]), bOut: ptr(layers[5]), X: ptr(X), y: ptr(y) });
    },
    backward(layers, H, X, S, dy, dX) {
      const T = tablesOf(layers, H);
      const nBlocks = Math.ceil(S / BLOCK);
      // Sized for the most intervals (H + 1); the kernel uses P = 2·nI·H + H + 4 per block.
      const partial = buf("pwlPartial", nBlocks * (2 * (H + 1) * H + H + 4));
      const reduced = buf("pwlReduced", 2 * (H + 1) * H + H + 4);
      const out = buf(`pwlOut${H}`, 4 * H + H * H + 4);
      engine.run("pwlBackward", {
        S,
        H,
        ...tableArgs(T),
        alpha: ptr(T.alpha),
        gamma: ptr(T.gamma),
        mask: ptr(T.mask),
        W1: ptr(layers[2]),
        wOut: ptr(layers[4]),
        X: ptr(X),
        dy: ptr(dy),
        dX: dX ? ptr(dX) : 0,
        partial: ptr(partial),
        reduced: ptr(reduced),
        out: ptr(out),
        bar: ptr(bar),
        nBlocks,
      });
      return out;
    },
  };
}

/** Whether key holds exactly the values of parts, one after the other. */
function sameValues(key: Float32Array, parts: readonly Arr[]): boolean {
  let e = 0;
  for (const a of parts) {
    if (e + a.length > key.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== key[e + i]) return false;
    e += a.length;
  }
  return e === key.length;
}
