/**
 * The WebAssembly SIMD backend: float32 arrays that live in the engine's shared memory (allocate
 * them with `alloc`), kernels run on all engine threads. MLPs must have widths [nIn, H, …, H, 1]
 * (1 to 16 hidden layers) with H a multiple of 32, and N a multiple of 4 (the Figure 2 model: H = 64,
 * N = 1000). The forward pass writes every hidden layer's activations, except for MLPs [1, H, H, 1]
 * (psi*), which go through their piecewise-linear form (pwl.ts) unless `piecewise: false`.
 */
import type { Arr, Backend, MlpShape } from "../backend.js";
import { EDGE_SAMPLES, blockedEdgeOps } from "../edge.js";
import type { SirenKernels } from "../siren.js";
import type { WasmEngine } from "./engine.js";
import { wasmPwl } from "./pwl.js";
import { wasmSirenKernels } from "./siren.js";

const BLOCK = 64;
/** Below this many elements Adam runs on the calling thread only (waking workers costs more). */
const ADAM_PARALLEL_MIN = 1 << 16;

/** Why the kernels cannot take N neurons (the message kernels work on 4 rows at a time). */
function unsupportedN(N: number): string | undefined {
  return N % 4 !== 0 ? `N = ${N} is not a multiple of 4` : undefined;
}

/** Most hidden layers the MLP kernels take (the size of the pointer tables). */
const MAX_HIDDEN = 16;

/** Why the MLP kernels cannot take these widths. */
function unsupportedMlp({ sizes: s }: MlpShape): string | undefined {
  const H = s[1];
  return s.length < 3 || s.length - 2 > MAX_HIDDEN || s[s.length - 1] !== 1 || s.slice(1, -1).some((h) => h !== H) || H % 32 !== 0
    ? `MLP widths [${s.join(", ")}] are not of the form [in, H, …, H, 1] (1 to ${MAX_HIDDEN} hidden layers) with H a multiple of 32`
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

/** grads (the layers' layout) += r, laid out as mlpBackward's reduced sums (dW0T transposed back to [H, nIn]). */
function addReduced(grads: readonly Arr[], r: Float32Array, nIn: number, H: number, nh: number): void {
  let e = 0;
  for (let c = 0; c < nIn; c++) for (let o = 0; o < H; o++) grads[0][o * nIn + c] += r[e++];
  for (let k = 1; k < 2 * nh + 1; k++) {
    const g = grads[k];
    const n = k % 2 === 1 || k === 2 * nh ? H : H * H; // biases and wOut: H; W_a: H·H
    for (let i = 0; i < n; i++) g[i] += r[e++];
  }
  grads[2 * nh + 1][0] += r[e];
}

export interface WasmBackendOptions {
  /**
   * MLPs [1, H, H, 1] (psi*) as the piecewise-linear functions they are (default true; pwl.ts):
   * the same function, other float32 roundings.
   */
  piecewise?: boolean;
}

export function wasmBackend(engine: WasmEngine, opts: WasmBackendOptions = {}): Backend {
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
  const check = (shape: MlpShape): { nIn: number; H: number; nh: number } => {
    assertSupported(unsupportedMlp(shape));
    return { nIn: shape.sizes[0], H: shape.sizes[1], nh: shape.sizes.length - 2 };
  };
  /** W0T [nIn, H], the first layer's weights transposed. */
  const transposedW0 = (W0: Arr, nIn: number, H: number): Float32Array => {
    const W0T = buf(`W0T${nIn}x${H}`, nIn * H);
    for (let o = 0; o < H; o++) for (let c = 0; c < nIn; c++) W0T[c * H + o] = W0[o * nIn + c];
    return W0T;
  };
  /** Pointer tables of MAX_HIDDEN u32 each (kernel arguments WT/W, b, A), rewritten by each call. */
  const tabBuf = buf("tables", 3 * MAX_HIDDEN);
  const tabs = new Uint32Array(tabBuf.buffer, tabBuf.byteOffset, 3 * MAX_HIDDEN);
  /** Writes pointer table k (entries from `from`) and returns its address. */
  const table = (k: number, arrays: readonly Arr[], from = 0): number => {
    for (let a = from; a < arrays.length; a++) tabs[k * MAX_HIDDEN + a] = ptr(arrays[a]);
    return tabBuf.byteOffset + k * MAX_HIDDEN * 4;
  };
  const bar = engine.f32(engine.alloc(64), 16);
  const pwl = opts.piecewise === false ? undefined : wasmPwl(engine, buf, ptr, bar);

  let siren: SirenKernels | undefined;
  const backend: Backend = {
    name: `wasm-${engine.threads}t`,
    alloc: (n: number) => engine.f32(engine.alloc(n * 4), n),
    // Created on first use (only Figure 3's learned Ω* needs them).
    get siren() {
      siren ??= wasmSirenKernels(engine);
      return siren;
    },

    mlpForward(shape, layers, X, S, acts, y): void {
      const { nIn, H, nh } = check(shape);
      if (pwl && nIn === 1 && nh === 2) {
        pwl.forward(layers, H, X, S, y);
        return;
      }
      const W0T = transposedW0(layers[0], nIn, H);
      // W_aT [H, H] for the hidden-to-hidden layers a = 1 … nh − 1 (entry 0 unused).
      const WT: Arr[] = [W0T];
      const bs: Arr[] = [layers[1]];
      for (let a = 1; a < nh; a++) {
        const T = buf(`WT${H}_${a}`, H * H);
        const Wa = layers[2 * a];
        for (let o = 0; o < H; o++) for (let k = 0; k < H; k++) T[k * H + o] = Wa[o * H + k];
        WT.push(T);
        bs.push(layers[2 * a + 1]);
      }
      engine.run("mlpForward", {
        S,
        nIn,
        H,
        W0T: ptr(W0T),
        b0: ptr(layers[1]),
        nh,
        WT: table(0, WT, 1),
        b: table(1, bs, 1),
        wOut: ptr(layers[2 * nh]),
        bOut: ptr(layers[2 * nh + 1]),
        X: ptr(X),
        A: table(2, acts.slice(0, nh)),
        y: ptr(y),
      });
    },

    mlpBackward(shape, layers, X, S, acts, dy, grads, dX): void {
      const { nIn, H, nh } = check(shape);
      if (pwl && nIn === 1 && nh === 2) {
        addReduced(grads, pwl.backward(layers, H, X, S, dy, dX), 1, H, 2);
        return;
      }
      const W0T = transposedW0(layers[0], nIn, H);
      const P = nIn * H + H + (nh - 1) * (H * H + H) + H + 4;
      const nBlocks = Math.ceil(S / BLOCK);
      const partial = buf(`partial${P}`, nBlocks * P);
      const reduced = buf(`reduced${P}`, P + engine.threads * (3 * H + 16));
      const Ws = layers.filter((_, k) => k % 2 === 0 && k > 0 && k < 2 * nh);
      engine.run("mlpBackward", {
        S,
        nIn,
        H,
        W0T: ptr(W0T),
        nh,
        W: table(0, [W0T, ...Ws], 1),
        wOut: ptr(layers[2 * nh]),
        X: ptr(X),
        A: table(2, acts.slice(0, nh)),
        dy: ptr(dy),
        partial: ptr(partial),
        reduced: ptr(reduced),
        dX: dX ? ptr(dX) : 0,
        bar: ptr(bar),
        nBlocks,
      });
      addReduced(grads, reduced, nIn, H, nh);
    },

    messages(W, P, B, N, M): void {
      assertSupported(unsupportedN(N));
      engine.run("messages", { B, N, W: ptr(W), P: ptr(P), M: ptr(M) });
    },

    messagesBackward(W, G, P, B, N, dW, dP): void {
      assertSupported(unsupportedN(N));
      const dPs = buf("dPs", engine.threads * B * (Math.ceil(N / 16) * 16) + 16);
      const args = { B, N, W: ptr(W), G: ptr(G), P: ptr(P), dW: ptr(dW), dP: ptr(dP), dPs: ptr(dPs), bar: ptr(bar) };
      engine.run("messagesBackward", args);
    },

    adam(p, g, m, v, lr, beta1, beta2, eps, t): void {
      const threads = p.length >= ADAM_PARALLEL_MIN ? engine.threads : 1;
      const step = lr / (1 - beta1 ** t);
      const sqrtBc2 = Math.sqrt(1 - beta2 ** t);
      engine.run("adam", { n: p.length, p: ptr(p), g: ptr(g), m: ptr(m), v: ptr(v), step, beta1, beta2, eps, sqrtBc2 }, threads);
    },

    // PDE_N5: blocks of receivers through the MLP kernels above (edge.ts).
    edgeMessages: (...args) => edge.edgeMessages(...args),
    edgeMessagesBackward: (...args) => edge.edgeMessagesBackward(...args),
  };
  const edge = blockedEdgeOps(backend, EDGE_SAMPLES);
  return backend;
}
