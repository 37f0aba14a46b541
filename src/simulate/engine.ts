/**
 * Where `generate` integrates PDE_N2 and PDE_N4 (the same kernels; NeuronParams.transfer selects
 * PDE_N4): on the native addon when it is built and N is a multiple of
 * 4 (then the numbers are those of the WebAssembly kernel, bit for bit: see native/src/kern_pde.h;
 * for other N the last N mod 4 neurons' float64 tanh could differ in rare last bits), else on the
 * WebAssembly engine.
 */
import { loadNative } from "../kernels/native/addon.js";
import { WasmEngine } from "../kernels/wasm/engine.js";
import { NativePdeN2Integrator } from "./integrate-native.js";
import { PdeN2Integrator } from "./integrate.js";
import type { NeuronParams } from "./neurons.js";

/** What generate uses of an integrator (PdeN2Integrator's interface). */
export type PdeN2Stepper = Pick<PdeN2Integrator, "N" | "state" | "framesX" | "framesY" | "noiseBuffer" | "omegaBuffer" | "run">;

export interface PdeN2Engine {
  /** "native-2t", "wasm-2t". */
  readonly name: string;
  readonly threads: number;
  /**
   * An integrator of W [N, N] from x0, recording chunks of up to maxChunk frames; with
   * `externalInput`, each step's message is scaled per receiver by its omegaBuffer row.
   */
  integrator(
    W: Float32Array,
    p: NeuronParams,
    x0: ArrayLike<number>,
    maxChunk: number,
    dt: number,
    noiseLevel?: number,
    externalInput?: boolean,
  ): PdeN2Stepper;
  close(): Promise<void>;
}

/** The native engine when the addon is loaded and N suits it (unless `which` is "wasm"), else the WebAssembly engine. */
export async function openPdeN2Engine(N: number, threads?: number, which: "auto" | "wasm" = "auto"): Promise<PdeN2Engine> {
  const loaded = loadNative();
  if (which === "auto" && "addon" in loaded && N % 4 === 0) {
    const { addon } = loaded;
    const created = addon.create(
      Math.max(1, Math.floor(threads ?? (await import("node:os")).availableParallelism())),
      "",
      true,
      false,
    );
    return {
      name: `native-${created.threads}t`,
      threads: created.threads,
      integrator: (W, p, x0, maxChunk, dt, noiseLevel, externalInput) =>
        new NativePdeN2Integrator(addon, created.handle, W, p, x0, maxChunk, dt, noiseLevel, externalInput),
      close: async () => addon.close(created.handle),
    };
  }
  const engine = await WasmEngine.create({ threads });
  return {
    name: `wasm-${engine.threads}t`,
    threads: engine.threads,
    integrator: (W, p, x0, maxChunk, dt, noiseLevel, externalInput) =>
      new PdeN2Integrator(engine, W, p, x0, maxChunk, dt, noiseLevel, externalInput),
    close: () => engine.close(),
  };
}
