/**
 * The WebAssembly SIMD engine: one shared `WebAssembly.Memory`, the kernel module instantiated on it
 * in this thread and in `threads - 1` worker threads, and a synchronous dispatch through a control
 * block of Int32 in that memory. A kernel call `run(name, args)` runs `kernel(tid, nth, argsPtr)` on
 * every thread (this one is tid 0) and returns when all have finished; kernels split the work by tid
 * and synchronise internally with barriers.
 *
 * Memory is laid out by a bump allocator on the host side (`alloc`), 64-byte aligned; `reset(mark)`
 * frees everything allocated after `mark`.
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

export const KERNELS = ["pdeN2Steps", "tanhInit", "mlpForward", "mlpBackward", "messages", "messagesBackward", "adam"] as const;
export type KernelName = (typeof KERNELS)[number];

const PAGE = 65536;
const MAX_PAGES = 65536; // 4 GiB
const CTL_WORDS = 16;
/** Argument slots of a kernel call (16 bytes each). */
const MAX_ARGS = 32;

let cachedModule: WebAssembly.Module | undefined;

/** The compiled kernel module (built by `npm run build:wasm` into build/kernels.wasm). */
export function kernelModule(): WebAssembly.Module {
  if (cachedModule) return cachedModule;
  const url = new URL("../../../build/kernels.wasm", import.meta.url);
  let bytes: Buffer;
  try {
    bytes = readFileSync(url);
  } catch {
    throw new Error(`WebAssembly kernels not found at ${url.pathname}: run "npm run build" first`);
  }
  cachedModule = new WebAssembly.Module(new Uint8Array(bytes));
  return cachedModule;
}

export interface EngineOptions {
  /** Number of threads (this one included). Default: all cores. */
  threads?: number;
}

export class WasmEngine {
  readonly memory: WebAssembly.Memory;
  readonly threads: number;
  private readonly exports: Record<KernelName, (tid: number, nth: number, args: number) => void>;
  private readonly workers: Worker[] = [];
  private readonly ctl: Int32Array;
  private readonly ctlOffset: number;
  private top: number;
  private argsPtr: number;
  private closed = false;

  private constructor(threads: number) {
    const module = kernelModule();
    this.threads = threads;
    this.memory = new WebAssembly.Memory({ initial: 64, maximum: MAX_PAGES, shared: true });
    const instance = new WebAssembly.Instance(module, {
      env: {
        memory: this.memory,
        abort: () => {
          throw new Error("wasm abort");
        },
      },
    });
    const ex = instance.exports as Record<string, unknown>;
    this.exports = Object.fromEntries(KERNELS.map((k) => [k, ex[k]])) as WasmEngine["exports"];
    this.top = align64((ex.heapBase as () => number)());
    this.ctlOffset = this.top;
    this.top += CTL_WORDS * 4;
    this.argsPtr = this.top;
    this.top = align64(this.top + MAX_ARGS * 16);
    this.ctl = new Int32Array(this.memory.buffer, this.ctlOffset, CTL_WORDS);
  }

  /** Start an engine with `threads` threads (workers are ready when the promise resolves). */
  static async create(options: EngineOptions = {}): Promise<WasmEngine> {
    const threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
    const engine = new WasmEngine(threads);
    const ready: Promise<void>[] = [];
    for (let tid = 1; tid < threads; tid++) {
      const w = new Worker(new URL("./worker.js", import.meta.url), {
        workerData: {
          module: kernelModule(),
          memory: engine.memory,
          ctlOffset: engine.ctlOffset,
          tid,
          names: KERNELS,
        },
      });
      w.unref();
      engine.workers.push(w);
      ready.push(
        new Promise((resolve, reject) => {
          w.once("message", () => resolve());
          w.once("error", reject);
        }),
      );
    }
    await Promise.all(ready);
    return engine;
  }

  /** Allocate `bytes` (64-byte aligned, zeroed), growing the memory as needed. Returns the offset. */
  alloc(bytes: number): number {
    const ptr = this.top;
    const end = align64(ptr + bytes);
    const need = Math.ceil(end / PAGE) - this.memory.buffer.byteLength / PAGE;
    if (need > 0) {
      if (end > MAX_PAGES * PAGE) throw new Error(`out of WebAssembly memory: need ${end} bytes (limit 4 GiB)`);
      this.memory.grow(need);
    }
    new Uint8Array(this.memory.buffer, ptr, end - ptr).fill(0);
    this.top = end;
    return ptr;
  }

  /** Current allocation mark, for `reset`. */
  mark(): number {
    return this.top;
  }

  /** Free everything allocated after `mark`. */
  reset(mark: number): void {
    this.top = mark;
  }

  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, length);
  }

  /**
   * Run kernel `name` on all threads with the numeric arguments `args` (pointers are byte offsets).
   * Blocks until every thread has finished.
   */
  run(name: KernelName, args: readonly number[], threads = this.threads): void {
    if (this.closed) throw new Error("engine is closed");
    const nth = Math.min(threads, this.threads);
    if (args.length > MAX_ARGS) throw new Error(`${name}: ${args.length} arguments, at most ${MAX_ARGS}`);
    // Slot k: the value as f64 at byte 16k, and as u32 at 16k + 8 (kernels read integers there).
    const f = new Float64Array(this.memory.buffer, this.argsPtr, 2 * args.length);
    const u = new Uint32Array(this.memory.buffer, this.argsPtr, 4 * args.length);
    for (let k = 0; k < args.length; k++) {
      f[2 * k] = args[k];
      u[4 * k + 2] = args[k] >>> 0;
    }
    const kernel = KERNELS.indexOf(name);
    const ctl = this.ctl;
    if (nth > 1) {
      Atomics.store(ctl, 1, kernel);
      Atomics.store(ctl, 2, this.argsPtr);
      Atomics.store(ctl, 3, nth);
      Atomics.store(ctl, 4, 0);
      Atomics.add(ctl, 0, 1);
      Atomics.notify(ctl, 0);
    }
    this.exports[name](0, nth, this.argsPtr);
    if (nth > 1) {
      let spins = 0;
      for (;;) {
        const done = Atomics.load(ctl, 4);
        if (done >= nth - 1) break;
        if (++spins > 2000) Atomics.wait(ctl, 4, done, 50);
      }
      if (Atomics.load(ctl, 6) !== 0) {
        Atomics.store(ctl, 6, 0);
        throw new Error(`kernel ${name} failed in a worker thread`);
      }
    }
  }

  /** Stop the worker threads. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.ctl, 5, 1);
    Atomics.add(this.ctl, 0, 1);
    Atomics.notify(this.ctl, 0);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

function align64(n: number): number {
  return Math.ceil(n / 64) * 64;
}
