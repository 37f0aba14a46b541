/**
 * Model checkpoints as safetensors with the reference's state_dict names (W, a, mask,
 * lin_edge.layers.{l}.weight/bias, lin_phi.layers.{l}.weight/bias), so they load in PyTorch with
 * `model.load_state_dict(safetensors.torch.load_file(path))` and vice versa.
 */
import { SafetensorsError, readSafetensors, writeSafetensors } from "../io/safetensors.js";
import type { ParamSet } from "./params.js";

/** Save `p` (plus the reference's `mask` buffer: ones, zero diagonal) with string metadata. */
export function saveCheckpoint(path: string, p: ParamSet, metadata: Record<string, string> = {}): void {
  const N = p.shape.N;
  const mask = new Float32Array(N * N).fill(1);
  for (let i = 0; i < N; i++) mask[i * N + i] = 0;
  const tensors = p.specs.map((s) => ({ name: s.name, shape: s.shape, data: Float32Array.from(p.tensor(s.name)) }));
  tensors.splice(2, 0, { name: "mask", shape: [N, N], data: mask });
  writeSafetensors(path, tensors, metadata);
}

/** Load a checkpoint into `p`, checking that every tensor is present with the model's shape. */
export function loadCheckpoint(path: string, p: ParamSet): Record<string, string> {
  const { tensors, metadata } = readSafetensors(path);
  for (const s of p.specs) {
    const t = tensors.get(s.name);
    if (!t) throw new SafetensorsError(`${path}: checkpoint has no tensor "${s.name}" (is it a neural-gnn / reference model?)`);
    if (t.shape.length !== s.shape.length || t.shape.some((d, i) => d !== s.shape[i])) {
      throw new SafetensorsError(
        `${path}: tensor "${s.name}" has shape (${t.shape.join(", ")}), the model expects (${s.shape.join(", ")})`,
      );
    }
  }
  for (const s of p.specs) p.tensor(s.name).set(tensors.get(s.name)!.data);
  return metadata;
}
