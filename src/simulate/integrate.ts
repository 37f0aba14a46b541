/**
 * Fast PDE_N2 integration on the WebAssembly SIMD engine: W, the state and the per-neuron
 * parameters live in the engine's shared memory; `run` advances the state by explicit Euler steps,
 * optionally recording x and dx/dt of each step into a [frames, N] chunk. With parameters that
 * carry a `transfer` (PDE_N4: drive b, the sender's tanh((x − h)/w)) the same kernel integrates
 * PDE_N4; without, the numbers are PDE_N2's as before.
 */
import type { WasmEngine } from "../kernels/wasm/engine.js";
import type { NeuronParams } from "./neurons.js";

export class PdeN2Integrator {
  readonly N: number;
  /** Row stride of W in the engine (N rounded up to 4, zero padded). */
  readonly Np: number;
  readonly maxChunk: number;
  private readonly ptr: Record<
    "W" | "x" | "tb" | "m" | "c" | "s" | "g" | "outX" | "outY" | "noise" | "bar" | "b" | "w" | "h" | "u" | "omega",
    number
  >;
  private par = 0;
  private fresh = true;

  /** Lays out W [N, N], parameters and chunk buffers of `maxChunk` frames in `engine`'s memory. */
  constructor(
    private readonly engine: WasmEngine,
    W: Float32Array,
    p: NeuronParams,
    x0: ArrayLike<number>,
    maxChunk: number,
    private readonly dt: number,
    private readonly noiseLevel = 0,
    externalInput = false,
  ) {
    if (p.transfer?.receiver)
      throw new Error("the PDE_N2/N4 kernels do not integrate PDE_N5 (receiver widths): use its own integrator");
    const N = p.g.length;
    const Np = Math.ceil(N / 4) * 4;
    this.N = N;
    this.Np = Np;
    this.maxChunk = maxChunk;
    const f = (n: number) => engine.alloc(n * 4);
    this.ptr = {
      W: f(N * Np),
      x: f(Np),
      tb: f(2 * Np),
      m: f(Np),
      c: f(Np),
      s: f(Np),
      g: f(Np),
      outX: f(maxChunk * N),
      outY: f(maxChunk * N),
      noise: noiseLevel > 0 ? f(maxChunk * N) : 0,
      bar: engine.alloc(64),
      // PDE_N4 only (0: PDE_N2); widths of the padding lanes are 1 so that (x − h)/w stays finite.
      b: p.transfer ? f(Np) : 0,
      w: p.transfer ? f(Np) : 0,
      h: p.transfer ? f(Np) : 0,
      u: p.transfer ? f(Np) : 0,
      omega: externalInput ? f(maxChunk * N) : 0,
    };
    const Wm = engine.f32(this.ptr.W, N * Np);
    for (let i = 0; i < N; i++) Wm.set(W.subarray(i * N, (i + 1) * N), i * Np);
    engine.f32(this.ptr.c, N).set(p.c);
    engine.f32(this.ptr.s, N).set(p.s);
    engine.f32(this.ptr.g, N).set(p.g);
    engine.f32(this.ptr.x, N).set(x0);
    if (p.transfer) {
      engine.f32(this.ptr.b, N).set(p.transfer.b);
      engine.f32(this.ptr.w, Np).fill(1).set(p.transfer.w);
      engine.f32(this.ptr.h, N).set(p.transfer.h);
    }
  }

  /** Current state x: [N] (a view into engine memory; copy it if you keep it). */
  state(): Float32Array {
    return this.engine.f32(this.ptr.x, this.N);
  }

  /** Recorded x of the last `run(…, true)`: [frames, N] view. */
  framesX(frames: number): Float32Array {
    return this.engine.f32(this.ptr.outX, frames * this.N);
  }

  /** Recorded dx/dt of the last `run(…, true)`: [frames, N] view. */
  framesY(frames: number): Float32Array {
    return this.engine.f32(this.ptr.outY, frames * this.N);
  }

  /** Noise buffer [frames, N] to fill with 𝒩(0,1) before `run` when noiseLevel > 0. */
  noiseBuffer(frames: number): Float32Array {
    if (!this.ptr.noise) throw new Error("no process noise configured");
    return this.engine.f32(this.ptr.noise, frames * this.N);
  }

  /** External input buffer [frames, N]: Ω_i(k) of each step, to fill before `run` when externalInput. */
  omegaBuffer(frames: number): Float32Array {
    if (!this.ptr.omega) throw new Error("no external input configured");
    return this.engine.f32(this.ptr.omega, frames * this.N);
  }

  /** Advance `steps` (≤ maxChunk) Euler steps; with `save`, record x and dx/dt before each step. */
  run(steps: number, save: boolean): void {
    if (steps > this.maxChunk) throw new Error(`chunk of ${steps} frames exceeds ${this.maxChunk}`);
    const q = this.ptr;
    if (this.fresh) {
      this.engine.run("tanhInit", { N: this.N, x: q.x, t: q.tb + this.par * this.Np * 4, w: q.w, h: q.h, u: q.u });
      this.fresh = false;
    }
    this.engine.run("pdeN2Steps", {
      N: this.N,
      Np: this.Np,
      W: q.W,
      x: q.x,
      tb: q.tb,
      m: q.m,
      c: q.c,
      s: q.s,
      g: q.g,
      dt: this.dt,
      nSteps: steps,
      save: save ? 1 : 0,
      outX: q.outX,
      outY: q.outY,
      noise: q.noise,
      noiseLevel: this.noiseLevel,
      bar: q.bar,
      par0: this.par,
      b: q.b,
      w: q.w,
      h: q.h,
      u: q.u,
      omega: q.omega,
    });
    this.par = (this.par + steps) % 2;
  }
}
