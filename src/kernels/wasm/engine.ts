/**
 * The WebAssembly SIMD engine: one shared `WebAssembly.Memory`, the kernel module instantiated on it
 * in this thread and in `threads - 1` worker threads, and a synchronous dispatch through a control
 * block of Int32 in that memory. A kernel call `run(name, args)` runs `kernel(tid, nth, argsPtr)` on
 * every thread (this one is tid 0) and returns when all have finished; kernels split the work by tid
 * and synchronise internally with barriers. Arguments are passed by name (see kernel-args.ts).
 *
 * Memory is laid out by a bump allocator on the host side (`alloc`), 64-byte aligned; `reset(mark)`
 * frees everything allocated after `mark`.
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { KERNELS, type KernelArgs, type KernelLayouts, type KernelName, kernelLayouts } from "./kernel-args.js";

export { KERNELS, type KernelName } from "./kernel-args.js";

const PAGE = 65536;
const MAX_PAGES = 65536; // 4 GiB
const CTL_WORDS = 16;
/** Argument slots of a kernel call (16 bytes each). */
const MAX_ARGS = 32;

let cachedModule: WebAssembly.Module | undefined;
const moduleUrl = new URL("../../../build/kernels.wasm", import.meta.url);

/** The compiled kernel module (built by `npm run build:wasm` into build/kernels.wasm). */
export function kernelModule(): WebAssembly.Module {
  if (cachedModule) return cachedModule;
  let bytes: Buffer;
  try {
    bytes = readFileSync(moduleUrl);
  } catch {
    throw new Error(`WebAssembly kernels not found at ${moduleUrl.pathname}: run "npm run build" first`);
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
  /** Each kernel's argument names in slot order, as compiled into the module. */
  private readonly layouts: KernelLayouts;
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
    this.layouts = kernelLayouts(ex, moduleUrl.pathname);
    for (const k of KERNELS) {
      if (this.layouts[k].length > MAX_ARGS) throw new Error(`${k}: ${this.layouts[k].length} arguments, at most ${MAX_ARGS}`);
    }
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
   * Run kernel `name` on all threads with the named numeric arguments `args` (pointers are byte
   * offsets). Blocks until every thread has finished.
   */
  run<K extends KernelName>(name: K, args: KernelArgs[K], threads = this.threads): void {
    if (this.closed) throw new Error("engine is closed");
    const nth = Math.min(threads, this.threads);
    const names = this.layouts[name];
    const values = args as unknown as Readonly<Record<string, number>>;
    // Slot k: the value as f64 at byte 16k, and as u32 at 16k + 8 (kernels read integers there).
    const f = new Float64Array(this.memory.buffer, this.argsPtr, 2 * names.length);
    const u = new Uint32Array(this.memory.buffer, this.argsPtr, 4 * names.length);
    for (let k = 0; k < names.length; k++) {
      const v = values[names[k]];
      if (typeof v !== "number") {
        throw new Error(
          `kernel ${name}: argument ${names[k]} is ${v}, not a number (is build/kernels.wasm stale? run npm run build)`,
        );
      }
      f[2 * k] = v;
      u[4 * k + 2] = v >>> 0;
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
