/** The building blocks of the config schema: YAML-tolerant numbers, value ranges and size limits. */
import { z } from "zod";

/** Numbers may be written as numeric strings in YAML ('1.0E6'), as the reference accepts them. */
export const numeric = (v: unknown) => (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : v);

/**
 * Limits that keep a config's arrays allocatable. The true W and the learned W are N × N float32
 * (32768² values = 4 GiB each); the activity x and dx/dt are [stored frames, N] float32, each held
 * in one typed array by training (at most 2³² − 1 values = 16 GiB each, the largest typed array).
 */
export const LIMITS = {
  maxNeurons: 32_768,
  maxFrames: 100_000_000,
  maxActivityValues: 2 ** 32 - 1,
  /** Stored frames (rows of activity.npy) that training needs at least. */
  minStoredFrames: 8,
  /** Width of any MLP layer (hidden_dim …): a layer has width² weights. */
  maxWidth: 8192,
  maxLayers: 100,
  maxEmbeddingDim: 1024,
  /** Frames per training batch: the trainer holds batch_size × N values per activation. */
  maxBatchSize: 4096,
} as const;

/** Range of a numeric key: `gt` (exclusive) or `min`, and `max` (inclusive); `why` explains `max`. */
interface Range {
  gt?: number;
  min?: number;
  max?: number;
  why?: string;
}

function bounded(base: z.ZodNumber, r: Range): z.ZodNumber {
  let s = base.finite("must be a finite number");
  if (r.gt !== undefined) s = s.gt(r.gt, `must be > ${r.gt}`);
  if (r.min !== undefined) s = s.gte(r.min, `must be ≥ ${r.min}`);
  if (r.max !== undefined) s = s.lte(r.max, `must be ≤ ${r.max}${r.why ? ` (${r.why})` : ""}`);
  return s;
}
export const number = (r: Range = {}) => z.preprocess(numeric, bounded(z.number(), r));
export const integer = (r: Range = {}) =>
  z.preprocess(
    numeric,
    bounded(z.number().int("must be an integer"), {
      ...r,
      min: r.min ?? (r.gt === undefined ? Number.MIN_SAFE_INTEGER : undefined),
      max: r.max ?? Number.MAX_SAFE_INTEGER,
    }),
  );
export const num = (d: number, r: Range = {}) => number(r).default(d);
export const int = (d: number, r: Range = {}) => integer(r).default(d);
/** Counts and sizes: integers ≥ 1. */
export const count = (d: number, r: Omit<Range, "min" | "gt"> = {}) => int(d, { min: 1, ...r });
/** Amounts that cannot be negative (noise levels, learning rates, regulariser weights). */
export const nonNeg = (d: number, r: Omit<Range, "min" | "gt"> = {}) => num(d, { min: 0, ...r });
export const positive = (d: number, r: Omit<Range, "min" | "gt"> = {}) => num(d, { gt: 0, ...r });
export const fraction = (d: number) => num(d, { min: 0, max: 1 });
export const width = (d: number) => count(d, { max: LIMITS.maxWidth, why: "an MLP layer has width² weights" });
export const layers = (d: number) => count(d, { max: LIMITS.maxLayers });
export const bool = (d: boolean) => z.boolean().default(d);
export const str = (d: string) => z.string().default(d);
export const nums = (d: number[]) => z.array(number()).default(d);
/** An axis range [lo, hi] with lo < hi. */
export const lim = (d: [number, number]) =>
  z
    .array(number())
    .length(2, "must be [lo, hi]")
    .refine(([lo, hi]) => lo < hi, "must be [lo, hi] with lo < hi")
    .default(d);
export const oneOf = <const T extends [string, ...string[]]>(values: T, d: T[number]) => z.enum(values).default(d);
