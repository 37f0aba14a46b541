/**
 * The compute backend of a command. `auto`: the native addon when it is built and takes the model,
 * else wasm when it takes the model, else the float32 reference; the choice and its reason are logged.
 */
import type { Backend, MlpShape } from "../kernels/backend.js";
import { nativeBackend, nativeUnsupported } from "../kernels/native/backend.js";
import { referenceBackend } from "../kernels/reference.js";
import { wasmBackend, wasmUnsupported } from "../kernels/wasm/backend.js";
import { WasmEngine } from "../kernels/wasm/engine.js";

export type BackendChoice = "auto" | "native" | "wasm" | "reference";

export async function makeBackend(
  choice: BackendChoice,
  threads: number | undefined,
  N: number,
  mlps: readonly MlpShape[],
  log: (s: string) => void,
): Promise<{ backend: Backend; engine?: WasmEngine }> {
  if (choice === "native" || choice === "auto") {
    const why = nativeUnsupported(mlps);
    if (!why) {
      const backend = nativeBackend({ threads });
      if (choice === "auto") log(`backend: ${backend.name} (the native addon is built and runs this model)`);
      return { backend };
    }
    if (choice === "native") throw new Error(`--backend native: ${why}`);
    log(`backend: native unavailable (${why})`);
  }
  if (choice !== "reference") {
    const why = wasmUnsupported(N, mlps);
    if (!why) {
      const engine = await WasmEngine.create({ threads });
      if (choice === "auto") log(`backend: wasm-${engine.threads}t (WebAssembly SIMD)`);
      return { backend: wasmBackend(engine), engine };
    }
    if (choice === "wasm") throw new Error(`--backend wasm: ${why}`);
    log(`wasm backend unavailable (${why}): using the plain TypeScript reference backend, which is much slower`);
  }
  return { backend: referenceBackend("f32") };
}
