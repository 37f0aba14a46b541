/** The compute backend of a command: wasm when it supports the model (auto), else the float32 reference. */
import type { Backend, MlpShape } from "../kernels/backend.js";
import { referenceBackend } from "../kernels/reference.js";
import { wasmBackend, wasmUnsupported } from "../kernels/wasm/backend.js";
import { WasmEngine } from "../kernels/wasm/engine.js";

export type BackendChoice = "auto" | "wasm" | "reference";

export async function makeBackend(
  choice: BackendChoice,
  threads: number | undefined,
  N: number,
  mlps: readonly MlpShape[],
  log: (s: string) => void,
): Promise<{ backend: Backend; engine?: WasmEngine }> {
  if (choice !== "reference") {
    const why = wasmUnsupported(N, mlps);
    if (!why) {
      const engine = await WasmEngine.create({ threads });
      return { backend: wasmBackend(engine), engine };
    }
    if (choice === "wasm") throw new Error(`--backend wasm: ${why}`);
    log(`wasm backend unavailable (${why}): using the plain TypeScript reference backend, which is much slower`);
  }
  return { backend: referenceBackend("f32") };
}
