/**
 * Our own seeded random number generator, deterministic across runs, machines and thread counts:
 * xoshiro128** (32-bit state words), seeded by splitmix32 from (seed, stream). Each purpose
 * (connectivity, initial state, noise, …) draws from its own stream so that changing one does not
 * shift the others. Bit-exact agreement with NumPy/PyTorch is not a goal; the distributions are.
 */
/** Every random stream of the project, by purpose (a stream number is never reused). */
export const STREAMS = {
  connectivity: 1,
  fillingMask: 2,
  initialState: 3,
  processNoise: 4,
  plotSample: 5,
  /** Training: the frames of each batch. */
  batches: 11,
  /** Generalisation test: the new connectivity, its filling mask, the copied embeddings. */
  newConnectivity: 12,
  newFillingMask: 13,
  newEmbeddings: 14,
  /** The model's initial parameters (W, MLP weights). */
  modelInit: 101,
  /** The SIREN Ω*'s initial parameters. */
  sirenInit: 102,
  /** The frames of the SIREN's fit to the video (model/siren-fit.ts). */
  sirenFit: 103,
  /** UMAP of the clustering step (seeded with training seed + epoch). */
  umap: 201,
} as const;

/** A generator's full state (for checkpoints): the four state words and the cached normal. */
export interface RngState {
  s: [number, number, number, number];
  spare: number | null;
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | undefined;

  constructor(seed: number, stream = 0) {
    let z = (Math.imul(seed | 0, 0x9e3779b9) ^ Math.imul(stream | 0, 0x85ebca6b) ^ (Math.floor(seed / 2 ** 32) | 0)) >>> 0;
    const next = () => {
      z = (z + 0x9e3779b9) >>> 0;
      let t = z;
      t = Math.imul(t ^ (t >>> 16), 0x21f0aaad);
      t = Math.imul(t ^ (t >>> 15), 0x735a2d97);
      return (t ^ (t >>> 15)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  state(): RngState {
    return { s: [this.s0, this.s1, this.s2, this.s3], spare: this.spare ?? null };
  }

  setState(st: RngState): void {
    [this.s0, this.s1, this.s2, this.s3] = st.s.map((v) => v >>> 0) as RngState["s"];
    this.spare = st.spare ?? undefined;
  }

  /** Uniform 32-bit unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal 𝒩(0, 1) (Marsaglia polar method). */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * Math.log(s)) / s);
        this.spare = v * f;
        return u * f;
      }
    }
  }

  /** Standard Cauchy (Lorentz) sample, location 0, scale 1. */
  cauchy(): number {
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    return Math.tan(Math.PI * (u - 0.5));
  }

  /** Fill `out` with 𝒩(0, 1) samples. */
  fillNormal(out: Float32Array | Float64Array, scale = 1): void {
    for (let i = 0; i < out.length; i++) out[i] = scale * this.normal();
  }

  /** k distinct indices from 0..n-1, sorted (partial Fisher–Yates). */
  choose(n: number, k: number): number[] {
    const idx = Array.from({ length: n }, (_, i) => i);
    const m = Math.min(k, n);
    for (let i = 0; i < m; i++) {
      const j = i + this.int(n - i);
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    return idx.slice(0, m).sort((a, b) => a - b);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
