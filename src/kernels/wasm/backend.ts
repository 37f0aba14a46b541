/**
 * The WebAssembly SIMD backend: float32 arrays that live in the engine's shared memory (allocate
 * them with `alloc`), kernels run on all engine threads. MLPs must have widths [nIn, H, H, 1] with H
 * a multiple of 32, and N a multiple of 4 (the Figure 2 model: H = 64, N = 1000).
 */
import type { Arr, Backend, MlpShape } from "../backend.js";
import type { SirenKernels } from "../siren.js";
import type { WasmEngine } from "./engine.js";
import { wasmSirenKernels } from "./siren.js";

const BLOCK = 64;
/** Below this many elements Adam runs on the calling thread only (waking workers costs more). */
const ADAM_PARALLEL_MIN = 1 << 16;

/** Why the kernels cannot take N neurons (the message kernels work on 4 rows at a time). */
function unsupportedN(N: number): string | undefined {
  return N % 4 !== 0 ? `N = ${N} is not a multiple of 4` : undefined;
}

/** Why the MLP kernels cannot take these widths. */
function unsupportedMlp({ sizes: s }: MlpShape): string | undefined {
  return s.length !== 4 || s[1] !== s[2] || s[3] !== 1 || s[1] % 32 !== 0
    ? `MLP widths [${s.join(", ")}] are not of the form [in, H, H, 1] with H a multiple of 32`
    : undefined;
}

/** Why the wasm backend cannot run a model with N neurons and these MLPs, or undefined if it can. */
export function wasmUnsupported(N: number, mlps: readonly MlpShape[]): string | undefined {
  return unsupportedN(N) ?? mlps.map(unsupportedMlp).find((why) => why !== undefined);
}

/** Throw "wasm backend: <why>" when `why` is set. */
function assertSupported(why: string | undefined): void {
  if (why) throw new Error(`wasm backend: ${why}`);
}

export function wasmBackend(engine: WasmEngine): Backend {
  const scratch = new Map<string, Float32Array>();
  /** A cached engine buffer of at least n floats for `key`. */
  const buf = (key: string, n: number): Float32Array => {
    let b = scratch.get(key);
    if (!b || b.length < n) {
      b = engine.f32(engine.alloc(n * 4), n);
      scratch.set(key, b);
    }
    return b;
  };
  const ptr = (a: Arr): number => {
    if (!(a instanceof Float32Array) || !(a.buffer instanceof SharedArrayBuffer)) {
      throw new Error("wasm backend: arrays must be allocated with this backend's alloc()");
    }
    return a.byteOffset;
  };
  const check = (shape: MlpShape): { nIn: number; H: number } => {
    assertSupported(unsupportedMlp(shape));
    return { nIn: shape.sizes[0], H: shape.sizes[1] };
  };
  /** Transposed copies of the first two weight matrices: W0T [nIn, H], W1T [H, H]. */
  const transposed = (layers: readonly Arr[], nIn: number, H: number) => {
    const W0T = buf(`W0T${nIn}x${H}`, nIn * H);
    const W1T = buf(`W1T${H}`, H * H);
    const W0 = layers[0];
    const W1 = layers[2];
    for (let o = 0; o < H; o++) for (let c = 0; c < nIn; c++) W0T[c * H + o] = W0[o * nIn + c];
    for (let o = 0; o < H; o++) for (let k = 0; k < H; k++) W1T[k * H + o] = W1[o * H + k];
    return { W0T, W1T };
  };
  const bar = engine.f32(engine.alloc(64), 16);
  /** The arguments both MLP kernels take: sizes, the transposed first layer, inputs and activations. */
  const mlpArgs = (S: number, nIn: number, H: number, W0T: Arr, X: Arr, acts: readonly Arr[]) => ({
    S,
    nIn,
    H,
    W0T: ptr(W0T),
    X: ptr(X),
    A1: ptr(acts[0]),
    A2: ptr(acts[1]),
  });

  let siren: SirenKernels | undefined;
  return {
    name: `wasm-${engine.threads}t`,
    alloc: (n: number) => engine.f32(engine.alloc(n * 4), n),
    // Created on first use (only Figure 3's learned Ω* needs them).
    get siren() {
      siren ??= wasmSirenKernels(engine);
      return siren;
    },

    mlpForward(shape, layers, X, S, acts, y): void {
      const { nIn, H } = check(shape);
      const { W0T, W1T } = transposed(layers, nIn, H);
      engine.run("mlpForward", {
        ...mlpArgs(S, nIn, H, W0T, X, acts),
        b0: ptr(layers[1]),
        W1T: ptr(W1T),
        b1: ptr(layers[3]),
        W2: ptr(layers[4]),
        b2: ptr(layers[5]),
        y: ptr(y),
      });
    },

    mlpBackward(shape, layers, X, S, acts, dy, grads, dX): void {
      const { nIn, H } = check(shape);
      const { W0T } = transposed(layers, nIn, H);
      const P = nIn * H + H + H * H + H + H + 4;
      const nBlocks = Math.ceil(S / BLOCK);
      const partial = buf(`partial${P}`, nBlocks * P);
      const reduced = buf(`reduced${P}`, P + engine.threads * (3 * H + 16));
      engine.run("mlpBackward", {
        ...mlpArgs(S, nIn, H, W0T, X, acts),
        W1: ptr(layers[2]),
        W2: ptr(layers[4]),
        dy: ptr(dy),
        partial: ptr(partial),
        reduced: ptr(reduced),
        dX: dX ? ptr(dX) : 0,
        bar: ptr(bar),
        nBlocks,
      });
      // Accumulate into grads, transposing dW0T back to [H, nIn].
      const [gW0, gb0, gW1, gb1, gW2, gb2] = grads;
      let e = 0;
      for (let c = 0; c < nIn; c++) for (let o = 0; o < H; o++) gW0[o * nIn + c] += reduced[e++];
      for (let o = 0; o < H; o++) gb0[o] += reduced[e++];
      for (let k = 0; k < H * H; k++) gW1[k] += reduced[e++];
      for (let o = 0; o < H; o++) gb1[o] += reduced[e++];
      for (let o = 0; o < H; o++) gW2[o] += reduced[e++];
      gb2[0] += reduced[e];
    },

    messages(W, P, B, N, M): void {
      assertSupported(unsupportedN(N));
      engine.run("messages", { B, N, W: ptr(W), P: ptr(P), M: ptr(M) });
    },

    messagesBackward(W, G, P, B, N, dW, dP): void {
      assertSupported(unsupportedN(N));
      engine.run("messagesBackward", { B, N, W: ptr(W), G: ptr(G), P: ptr(P), dW: ptr(dW), dP: ptr(dP), bar: ptr(bar) });
    },

    adam(p, g, m, v, lr, beta1, beta2, eps, t): void {
      const threads = p.length >= ADAM_PARALLEL_MIN ? engine.threads : 1;
      const step = lr / (1 - beta1 ** t);
      const sqrtBc2 = Math.sqrt(1 - beta2 ** t);
      engine.run("adam", { n: p.length, p: ptr(p), g: ptr(g), m: ptr(m), v: ptr(v), step, beta1, beta2, eps, sqrtBc2 }, threads);
    },
  };
}
