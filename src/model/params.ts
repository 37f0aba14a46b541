/**
 * The parameters of the signal-propagation GNN, named as in the reference implementation's
 * state_dict so that checkpoints cross between the two:
 *   W                          [N, N]   learned connectivity (row = receiving neuron), diagonal 0
 *   a                          [N, d]   per-neuron embeddings (d = embedding_dim = 2)
 *   lin_edge.layers.{l}.weight [out, in], .bias [out]   psi*: x_j → message (1 → 64 → 64 → 1);
 *                                                       PDE_N4: [x_j, a_j] → message (3 → 64 → 64 → 1)
 *                                                       PDE_N5: [x_j, a_i, a_j] → message (5 → 64 → 64 → 1)
 *   lin_phi.layers.{l}.weight  [out, in], .bias [out]   phi*: [x_i, a_i] → update (3 → 64 → 64 → 1)
 * All tensors are views into one flat buffer (`data`), so gradients and Adam moments share the
 * same layout.
 */
import { Rng, STREAMS } from "../core/rng.js";
import type { Arr, Backend, MlpShape } from "../kernels/backend.js";

export interface ModelShape {
  N: number;
  embeddingDim: number;
  /** psi* widths [1, hidden…, 1], or [1 + embeddingDim, hidden…, 1] with psiEmbedding. */
  psi: MlpShape;
  /** psi* takes the sender's embedding: psi*([x_j, a_j]) (PDE_N4); else psi*(x_j). */
  psiEmbedding?: boolean;
  /** psi* takes the receiver's and the sender's embeddings: psi*([x_j, a_i, a_j]), per edge (PDE_N5). */
  psiPairs?: boolean;
  /** phi* widths [1 + embeddingDim, hidden…, 1]. */
  phi: MlpShape;
}

export interface TensorSpec {
  name: string;
  shape: number[];
  offset: number;
  size: number;
}

/**
 * psi* and phi* shapes from the config's graph_model section (n_layers Linear layers of width
 * hidden_dim). With `psiEmbedding` psi* takes [x_j, a_j] (input_size = 1 + embedding_dim), with
 * `psiPairs` [x_j, a_i, a_j] (input_size = 1 + 2·embedding_dim), else x_j.
 */
export function modelShape(
  N: number,
  gm: {
    hidden_dim: number;
    n_layers: number;
    hidden_dim_update: number;
    n_layers_update: number;
    embedding_dim: number;
    input_size: number;
    input_size_update: number;
  },
  psiEmbedding = false,
  psiPairs = false,
): ModelShape {
  if (psiPairs && gm.input_size !== 1 + 2 * gm.embedding_dim) {
    throw new Error(
      `graph_model.input_size must be 1 + 2·embedding_dim = ${1 + 2 * gm.embedding_dim} (psi* takes [x_j, a_i, a_j]), got ${gm.input_size}`,
    );
  }
  if (psiEmbedding && !psiPairs && gm.input_size !== 1 + gm.embedding_dim) {
    throw new Error(
      `graph_model.input_size must be 1 + embedding_dim = ${1 + gm.embedding_dim} (psi* takes [x_j, a_j]), got ${gm.input_size}`,
    );
  }
  if (!psiEmbedding && !psiPairs && gm.input_size !== 1)
    throw new Error(`graph_model.input_size = ${gm.input_size}: psi* with inputs other than x_j is not implemented yet`);
  if (gm.input_size_update !== 1 + gm.embedding_dim) {
    throw new Error(
      `graph_model.input_size_update must be 1 + embedding_dim = ${1 + gm.embedding_dim}, got ${gm.input_size_update}`,
    );
  }
  const widths = (nIn: number, h: number, layers: number) => [nIn, ...Array.from({ length: layers - 1 }, () => h), 1];
  return {
    N,
    embeddingDim: gm.embedding_dim,
    psi: { sizes: widths(gm.input_size, gm.hidden_dim, gm.n_layers) },
    phi: { sizes: widths(1 + gm.embedding_dim, gm.hidden_dim_update, gm.n_layers_update) },
    ...(psiEmbedding ? { psiEmbedding } : {}),
    ...(psiPairs ? { psiPairs } : {}),
  };
}

/** The tensors of a model in storage order. */
export function tensorSpecs(shape: ModelShape): TensorSpec[] {
  const specs: TensorSpec[] = [];
  let offset = 0;
  const add = (name: string, dims: number[]) => {
    const size = dims.reduce((a, b) => a * b, 1);
    specs.push({ name, shape: dims, offset, size });
    offset += size;
  };
  add("W", [shape.N, shape.N]);
  add("a", [shape.N, shape.embeddingDim]);
  for (const [prefix, mlp] of [
    ["lin_edge", shape.psi],
    ["lin_phi", shape.phi],
  ] as const) {
    for (let l = 0; l + 1 < mlp.sizes.length; l++) {
      add(`${prefix}.layers.${l}.weight`, [mlp.sizes[l + 1], mlp.sizes[l]]);
      add(`${prefix}.layers.${l}.bias`, [mlp.sizes[l + 1]]);
    }
  }
  return specs;
}

/** A set of model-shaped tensors (parameters, gradients or Adam moments) over one flat buffer. */
export class ParamSet {
  readonly specs: TensorSpec[];
  readonly data: Arr;
  readonly W: Arr;
  readonly a: Arr;
  /** psi* layers [W0, b0, W1, b1, …]. */
  readonly psi: Arr[];
  /** phi* layers [W0, b0, W1, b1, …]. */
  readonly phi: Arr[];

  constructor(
    readonly shape: ModelShape,
    backend: Backend,
  ) {
    this.specs = tensorSpecs(shape);
    const total = this.specs.reduce((a, s) => a + s.size, 0);
    this.data = backend.alloc(total);
    const view = (s: TensorSpec) => this.data.subarray(s.offset, s.offset + s.size) as Arr;
    const byName = new Map(this.specs.map((s) => [s.name, view(s)]));
    this.W = byName.get("W")!;
    this.a = byName.get("a")!;
    this.psi = this.specs.filter((s) => s.name.startsWith("lin_edge.")).map(view);
    this.phi = this.specs.filter((s) => s.name.startsWith("lin_phi.")).map(view);
  }

  tensor(name: string): Arr {
    const s = this.specs.find((t) => t.name === name);
    if (!s) throw new Error(`no tensor named ${name}`);
    return this.data.subarray(s.offset, s.offset + s.size) as Arr;
  }
}

/** How W starts: the reference's 𝒩(0, 1) noise, or zeros (psi* then gets its first gradient through W). */
export type WInit = "normal" | "zeros";

/**
 * The reference's initialisation: first Linear layer of each MLP as PyTorch's default
 * (weight and bias ~ U(−1/√fan_in, 1/√fan_in)); later layers weight ~ 𝒩(0, 0.1²), bias 0;
 * embeddings a = 1 (a constant with training_single_type: see Adam.fixed); W ~ 𝒩(0, 1) with
 * zero diagonal, or W = 0 with `wInit` "zeros" (the normals are still drawn, so the MLPs start the
 * same either way).
 */
export function initParams(p: ParamSet, seed: number, wInit: WInit = "normal"): void {
  const rng = new Rng(seed, STREAMS.modelInit);
  const { N } = p.shape;
  for (let k = 0; k < p.W.length; k++) p.W[k] = rng.normal();
  if (wInit === "zeros") p.W.fill(0);
  for (let i = 0; i < N; i++) p.W[i * N + i] = 0;
  p.a.fill(1);
  for (const [layers, mlp] of [
    [p.psi, p.shape.psi],
    [p.phi, p.shape.phi],
  ] as const) {
    for (let l = 0; 2 * l < layers.length; l++) {
      const W = layers[2 * l];
      const b = layers[2 * l + 1];
      if (l === 0) {
        const bound = 1 / Math.sqrt(mlp.sizes[0]);
        for (let k = 0; k < W.length; k++) W[k] = (2 * rng.uniform() - 1) * bound;
        for (let k = 0; k < b.length; k++) b[k] = (2 * rng.uniform() - 1) * bound;
      } else {
        for (let k = 0; k < W.length; k++) W[k] = 0.1 * rng.normal();
        b.fill(0);
      }
    }
  }
}
