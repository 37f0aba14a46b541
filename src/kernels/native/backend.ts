/**
 * The native backend: the C kernels of native/src through the N-API addon, on a persistent pool of
 * `threads` threads, with the kernel set the CPU runs best (AVX-512, AVX2 + FMA, or portable code).
 * Arrays are plain Float32Arrays (alloc returns them 64-byte aligned) passed without copying. MLPs
 * must have widths [nIn, H, …, H, 1] (1 to 16 hidden layers) with H a multiple of 16 (up to 1024);
 * the forward pass writes the activations of the hidden layers but the first (acts[1 …]), which
 * the backward pass reads back, and the backward pass recomputes the first's from X. N is free. Results do not
 * depend on the thread count (fixed blocks, fixed summation orders) and repeat run to run; they
 * differ from the other backends' in the last bits (other summation orders, fused multiply-add).
 *
 * Beyond the Backend ops it fuses the messages' backward with W's Adam step (messagesBackwardAdamW).
 */
import { availableParallelism } from "node:os";
import type { Arr, Backend, MlpShape } from "../backend.js";
import { EDGE_SAMPLES, blockedEdgeOps } from "../edge.js";
import type { SirenKernels } from "../siren.js";
import { type NativeAddon, loadNative } from "./addon.js";

export interface NativeOptions {
  /** Number of threads (this one included). Default: all cores. */
  threads?: number;
  /** Kernel set: "avx512", "avx2" or "generic" (default: the best this CPU runs; env NEURAL_GNN_NATIVE_ISA). */
  isa?: string;
  /**
   * MLPs with one input (psi*) as the piecewise-linear functions they are: on each interval between
   * the first layer's ReLU breakpoints the second layer's input is linear in x, so a sample costs H
   * multiply-adds instead of H² (native/src/kern_pwl.h). Same function, other rounding. Default true.
   */
  piecewise?: boolean;
  /** Run every op on all threads, however small (tests of thread-count independence). Default false. */
  alwaysSplit?: boolean;
}

export interface NativeBackend extends Backend {
  readonly isa: string;
  readonly threads: number;
  /** The SIREN layer kernels (native/src/kern_siren.h) on this backend's pool. */
  readonly siren: SirenKernels;
  /** Stops the worker threads now (otherwise at exit, or when the backend is collected). */
  close(): void;
}

/** Most hidden layers the MLP kernels take (native/src/kernels.h NGNN_MAX_HIDDEN). */
const MAX_HIDDEN = 16;

/** Why the MLP kernels cannot take these widths. */
function unsupportedMlp({ sizes: s }: MlpShape): string | undefined {
  const H = s[1];
  const hidden = s.slice(1, -1);
  return s.length < 3 ||
    s.length - 2 > MAX_HIDDEN ||
    s[s.length - 1] !== 1 ||
    hidden.some((h) => h !== H) ||
    H % 16 !== 0 ||
    H > 1024
    ? `MLP widths [${s.join(", ")}] are not of the form [in, H, …, H, 1] (1 to ${MAX_HIDDEN} hidden layers) with H a multiple of 16 up to 1024`
    : undefined;
}

/** Why the native backend cannot run a model with these MLPs here (addon missing, shapes), or undefined. */
export function nativeUnsupported(mlps: readonly MlpShape[]): string | undefined {
  const loaded = loadNative();
  if ("why" in loaded) return loaded.why;
  return mlps.map(unsupportedMlp).find((why) => why !== undefined);
}

function f32(a: Arr): Float32Array {
  if (!(a instanceof Float32Array)) throw new Error("native backend: arrays must be Float32Array");
  return a;
}

/** The native backend; throws when the addon is not available or the CPU lacks `isa`. */
export function nativeBackend(opts: NativeOptions = {}): NativeBackend {
  const loaded = loadNative();
  if ("why" in loaded) throw new Error(loaded.why);
  const addon: NativeAddon = loaded.addon;
  const threads = Math.max(1, Math.floor(opts.threads ?? availableParallelism()));
  const created = addon.create(
    threads,
    opts.isa ?? process.env.NEURAL_GNN_NATIVE_ISA ?? "",
    opts.piecewise ?? true,
    opts.alwaysSplit ?? false,
  );
  const h = created.handle;
  const check = (shape: MlpShape): { nIn: number; H: number; nh: number } => {
    const why = unsupportedMlp(shape);
    if (why) throw new Error(`native backend: ${why}`);
    return { nIn: shape.sizes[0], H: shape.sizes[1], nh: shape.sizes.length - 2 };
  };
  /** Adam's step size and √(1 − β2^t) (bias corrections). */
  const adamScalars = (lr: number, beta1: number, beta2: number, eps: number, t: number) =>
    [lr / (1 - beta1 ** t), beta1, beta2, eps, Math.sqrt(1 - beta2 ** t)] as const;

  const backend: NativeBackend = {
    name: `native-${created.isa}-${threads}t`,
    isa: created.isa,
    threads,
    alloc: (n: number) => addon.alloc(n),
    close: () => addon.close(h),
    siren: {
      name: `native-${created.isa}-${threads}t`,
      alloc: (n: number) => addon.alloc(n),
      layerForward(W, b, X, P, nIn, nOut, omega0, sine, A, C): void {
        addon.sirenForward(h, P, nIn, nOut, f32(W), f32(b), f32(X), omega0, sine ? 1 : 0, f32(A), C ? f32(C) : null);
      },
      layerBackward(W, X, dA, C, P, nIn, nOut, dW, db, dX): void {
        addon.sirenBackward(h, P, nIn, nOut, f32(W), f32(X), f32(dA), C ? f32(C) : null, f32(dW), f32(db), dX ? f32(dX) : null);
      },
      adam(p, g, m, v, lr, beta1, beta2, eps, t): void {
        addon.adam(h, f32(p), f32(g), f32(m), f32(v), ...adamScalars(lr, beta1, beta2, eps, t));
      },
    },

    mlpForward(shape, layers, X, S, acts, y): void {
      const { nIn, H, nh } = check(shape);
      addon.mlpForward(h, S, nIn, H, nh, layers.map(f32), f32(X), acts.map(f32), f32(y));
    },

    mlpBackward(shape, layers, X, S, acts, dy, grads, dX): void {
      const { nIn, H, nh } = check(shape);
      addon.mlpBackward(h, S, nIn, H, nh, layers.map(f32), f32(X), acts.map(f32), f32(dy), grads.map(f32), dX ? f32(dX) : null);
    },

    messages(W, P, B, N, M): void {
      addon.messages(h, B, N, f32(W), f32(P), f32(M));
    },

    messagesBackward(W, G, P, B, N, dW, dP): void {
      addon.messagesBackward(h, B, N, f32(W), f32(G), f32(P), f32(dW), f32(dP));
    },

    messagesBackwardAdamW(W, G, P, B, N, dP, m, v, lr, beta1, beta2, eps, t, l1 = 0): void {
      const k = adamScalars(lr, beta1, beta2, eps, t);
      addon.messagesBackwardAdamW(h, B, N, f32(W), f32(G), f32(P), f32(dP), f32(m), f32(v), ...k, l1);
    },

    adam(p, g, m, v, lr, beta1, beta2, eps, t): void {
      addon.adam(h, f32(p), f32(g), f32(m), f32(v), ...adamScalars(lr, beta1, beta2, eps, t));
    },

    // PDE_N5: blocks of receivers through the MLP kernels above (edge.ts).
    edgeMessages: (...args) => edge.edgeMessages(...args),
    edgeMessagesBackward: (...args) => edge.edgeMessagesBackward(...args),
  };
  const edge = blockedEdgeOps(backend, EDGE_SAMPLES);
  return backend;
}
