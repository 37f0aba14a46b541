/**
 * The native addon (C, N-API): build/Release/neural_gnn.node, built from native/src by
 * scripts/build-native.mjs when the package is installed. `loadNative()` returns it, or why it is
 * not available: not built (the build script's reason, from build/native-status.json), failed to
 * load, or disabled with NEURAL_GNN_NATIVE=0.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

type F32 = Float32Array;
type Handle = object;

/** The addon's functions; shapes and semantics as the Backend ops (src/kernels/backend.ts). */
export interface NativeAddon {
  /**
   * The kernel sets this CPU runs, best first ("avx512", "avx2", "generic"), then the test paths
   * "generic16" (portable code at 16 lanes) and, where built, "avx512e" (AVX-512 code on SIMDe).
   */
  info(): { isas: string[] };
  /**
   * A backend with its own pool of `threads` threads, on kernel set `isa` ("" = the best); with
   * `piecewise`, MLPs with one input go through their piecewise-linear form; with `alwaysSplit`,
   * every op runs on all threads however small (otherwise small ops use fewer).
   */
  create(
    threads: number,
    isa: string,
    piecewise: boolean,
    alwaysSplit: boolean,
  ): { handle: Handle; isa: string; threads: number; lanes: number };
  /** Stops the backend's threads (they also stop when the handle is collected and at exit). */
  close(h: Handle): void;
  /** A zeroed Float32Array of n elements, 64-byte aligned. */
  alloc(n: number): F32;
  /**
   * An MLP [nIn, H × nh, 1] (nh hidden layers): layers [W0, b0, W_1, b_1, …, wOut, bOut], acts nh
   * arrays [S, H] of which the forward pass writes acts[1 …] (acts[0], h_0, is recomputed).
   */
  mlpForward(h: Handle, S: number, nIn: number, H: number, nh: number, layers: F32[], X: F32, acts: F32[], y: F32): void;
  /** Its backward: grads (layers' layout) +=, dX = when given. */
  mlpBackward(
    h: Handle,
    S: number,
    nIn: number,
    H: number,
    nh: number,
    layers: F32[],
    X: F32,
    acts: F32[],
    dy: F32,
    grads: F32[],
    dX: F32 | null,
  ): void;
  messages(h: Handle, B: number, N: number, W: F32, P: F32, M: F32): void;
  messagesBackward(h: Handle, B: number, N: number, W: F32, G: F32, P: F32, dW: F32, dP: F32): void;
  /** k: step, beta1, beta2, eps, sqrtBc2, then l1 (the W L1 coefficient). */
  messagesBackwardAdamW(h: Handle, B: number, N: number, W: F32, G: F32, P: F32, dP: F32, m: F32, v: F32, ...k: number[]): void;
  adam(h: Handle, p: F32, g: F32, m: F32, v: F32, step: number, beta1: number, beta2: number, eps: number, sqrtBc2: number): void;
  /** PDE_N2 / PDE_N4 Euler steps (native/src/kern_pde.h); nSteps = 0 sets t[par] = tanh(x) (PDE_N4: the transfer, and u). */
  pdeSteps(
    h: Handle,
    N: number,
    nSteps: number,
    save: 0 | 1,
    par: number,
    W: F32,
    x: F32,
    t: F32,
    m: F32,
    c: F32,
    s: F32,
    g: F32,
    outX: F32,
    outY: F32,
    noise: F32 | null,
    dt: number,
    noiseLevel: number,
    /** PDE_N4 (all four, else null): drive b, the sender's width w and threshold h, tanh(x) of the self term u. */
    b: F32 | null,
    w: F32 | null,
    hT: F32 | null,
    u: F32 | null,
    /** External input [nSteps, N] (else null): receiver i's message times Ω_i(k) at step k. */
    omega: F32 | null,
  ): void;
  /** One SIREN layer (native/src/kern_siren.h): A = sin(ω₀(X·Wᵀ + b)), C = ω₀cos(…) (sine 1), or A = X·Wᵀ + b (sine 0). */
  sirenForward(
    h: Handle,
    P: number,
    nIn: number,
    nOut: number,
    W: F32,
    b: F32,
    X: F32,
    omega0: number,
    sine: 0 | 1,
    A: F32,
    C: F32 | null,
  ): void;
  /** Its backward: G = dA ⊙ C (written into dA; C null: G = dA), dX = G·W (when given), dW += Gᵀ·X, db += Σ_p G. */
  sirenBackward(
    h: Handle,
    P: number,
    nIn: number,
    nOut: number,
    W: F32,
    X: F32,
    dA: F32,
    C: F32 | null,
    dW: F32,
    db: F32,
    dX: F32 | null,
  ): void;
}

const ADDON = new URL("../../../build/Release/neural_gnn.node", import.meta.url);
/** Written by scripts/build-native.mjs: { "ok": boolean, "why"?: string }. */
const STATUS = new URL("../../../build/native-status.json", import.meta.url);

let cached: { addon: NativeAddon } | { why: string } | undefined;

/** Why the build script left the addon out, if it said. */
function buildWhy(): string | undefined {
  try {
    const s = JSON.parse(readFileSync(STATUS, "utf8")) as { ok?: boolean; why?: string };
    return s.ok ? undefined : s.why;
  } catch {
    return undefined;
  }
}

/** The addon, or why it is not available (cached). */
export function loadNative(): { addon: NativeAddon } | { why: string } {
  if (process.env.NEURAL_GNN_NATIVE === "0") return { why: "disabled by NEURAL_GNN_NATIVE=0" };
  if (cached) return cached;
  try {
    const addon = createRequire(import.meta.url)(fileURLToPath(ADDON)) as NativeAddon;
    cached = { addon };
  } catch (e) {
    const code = (e as { code?: string }).code;
    const built = buildWhy();
    cached = {
      why:
        code === "MODULE_NOT_FOUND"
          ? `native addon not built (${built ?? 'run "npm run build:native"'})`
          : `native addon failed to load: ${(e as Error).message.split("\n")[0]}`,
    };
  }
  return cached;
}

/** The kernel sets this CPU runs, best first ([] when the addon is not available). */
export function nativeIsas(): string[] {
  const loaded = loadNative();
  return "addon" in loaded ? loaded.addon.info().isas : [];
}
