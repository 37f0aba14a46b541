/**
 * PDE_N2 (and, with a `transfer`, PDE_N4) integration on the native addon (native/src/kern_pde.h):
 * the interface of the WebAssembly PdeN2Integrator and the same numbers, bit for bit (same
 * operations in the same order; see the kernel), on a persistent pool of threads. Arrays are plain
 * Float32Arrays passed without copying.
 */
import type { NativeAddon } from "../kernels/native/addon.js";
import type { NeuronParams } from "./neurons.js";

type Handle = ReturnType<NativeAddon["create"]>["handle"];

export class NativePdeN2Integrator {
  readonly N: number;
  readonly maxChunk: number;
  private readonly W: Float32Array;
  private readonly x: Float32Array;
  /** tanh(x), double-buffered: [2, N], the current half `par`. */
  private readonly t: Float32Array;
  private readonly m: Float32Array;
  private readonly c: Float32Array;
  private readonly s: Float32Array;
  private readonly g: Float32Array;
  private readonly outX: Float32Array;
  private readonly outY: Float32Array;
  private readonly noise: Float32Array | null;
  /** External input Ω [maxChunk, N], or null. */
  private readonly omega: Float32Array | null;
  /** PDE_N4: drive b, the sender's width w and threshold h, the self term's tanh(x) u (each [N]). */
  private readonly n4: { b: Float32Array; w: Float32Array; h: Float32Array; u: Float32Array } | null;
  private par = 0;
  private fresh = true;

  /** Copies W [N, N], the parameters and x0; chunk buffers of `maxChunk` frames. */
  constructor(
    private readonly addon: NativeAddon,
    private readonly handle: Handle,
    W: Float32Array,
    p: NeuronParams,
    x0: ArrayLike<number>,
    maxChunk: number,
    private readonly dt: number,
    private readonly noiseLevel = 0,
    externalInput = false,
  ) {
    const N = p.g.length;
    this.N = N;
    this.maxChunk = maxChunk;
    const f = (n: number) => addon.alloc(n);
    this.W = f(N * N);
    this.W.set(W.subarray(0, N * N));
    this.x = f(N);
    this.x.set(x0);
    this.t = f(2 * N);
    this.m = f(N);
    this.c = Float32Array.from(p.c);
    this.s = Float32Array.from(p.s);
    this.g = Float32Array.from(p.g);
    this.outX = f(maxChunk * N);
    this.outY = f(maxChunk * N);
    this.noise = noiseLevel > 0 ? f(maxChunk * N) : null;
    this.omega = externalInput ? f(maxChunk * N) : null;
    const tr = p.transfer;
    if (tr?.receiver) throw new Error("the PDE_N2/N4 kernels do not integrate PDE_N5 (receiver widths): use its own integrator");
    this.n4 = tr ? { b: Float32Array.from(tr.b), w: Float32Array.from(tr.w), h: Float32Array.from(tr.h), u: f(N) } : null;
  }

  /** Current state x: [N] (a view; copy it if you keep it). */
  state(): Float32Array {
    return this.x;
  }

  /** Recorded x of the last `run(…, true)`: [frames, N] view. */
  framesX(frames: number): Float32Array {
    return this.outX.subarray(0, frames * this.N);
  }

  /** Recorded dx/dt of the last `run(…, true)`: [frames, N] view. */
  framesY(frames: number): Float32Array {
    return this.outY.subarray(0, frames * this.N);
  }

  /** Noise buffer [frames, N] to fill with 𝒩(0,1) before `run` when noiseLevel > 0. */
  noiseBuffer(frames: number): Float32Array {
    if (!this.noise) throw new Error("no process noise configured");
    return this.noise.subarray(0, frames * this.N);
  }

  /** External input buffer [frames, N]: Ω_i(k) of each step, to fill before `run` when externalInput. */
  omegaBuffer(frames: number): Float32Array {
    if (!this.omega) throw new Error("no external input configured");
    return this.omega.subarray(0, frames * this.N);
  }

  /** Advance `steps` (≤ maxChunk) Euler steps; with `save`, record x and dx/dt before each step. */
  run(steps: number, save: boolean): void {
    if (steps > this.maxChunk) throw new Error(`chunk of ${steps} frames exceeds ${this.maxChunk}`);
    if (this.fresh) {
      this.call(0, false); // t[par] = tanh(x) (PDE_N4: the transfer, and u)
      this.fresh = false;
    }
    this.call(steps, save);
    this.par = (this.par + steps) % 2;
  }

  private call(steps: number, save: boolean): void {
    const { addon, handle, N } = this;
    addon.pdeSteps(
      handle,
      N,
      steps,
      save ? 1 : 0,
      this.par,
      this.W,
      this.x,
      this.t,
      this.m,
      this.c,
      this.s,
      this.g,
      this.outX,
      this.outY,
      this.noise,
      this.dt,
      this.noiseLevel,
      this.n4?.b ?? null,
      this.n4?.w ?? null,
      this.n4?.h ?? null,
      this.n4?.u ?? null,
      this.omega,
    );
  }
}
