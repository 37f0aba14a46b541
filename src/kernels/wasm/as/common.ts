// Shared helpers for the WebAssembly SIMD kernels (AssemblyScript).
// Every kernel reads its arguments from a slot array at `args`, in the order declared in args.ts
// (pointers are byte offsets into the one shared memory), and works on the part of the problem
// owned by thread `tid` of `nth`.
// Slot k is 16 bytes: the value as f64 at +0 and, for integers and pointers, as u32 at +8. Integers
// are read from the u32 copy: an f64→int conversion is ~15 instructions with its range checks, and
// the optimiser may move it into inner loops.

/** Argument k as a byte offset. */
// @ts-ignore: decorator
@inline export function argPtr(args: usize, k: i32): usize {
  return <usize>load<u32>(args + (<usize>k << 4), 8);
}

/** Argument k as an integer (non-negative). */
// @ts-ignore: decorator
@inline export function argI32(args: usize, k: i32): i32 {
  return load<i32>(args + (<usize>k << 4), 8);
}

/** Argument k as a float. */
// @ts-ignore: decorator
@inline export function argF32(args: usize, k: i32): f32 {
  return <f32>load<f64>(args + (<usize>k << 4));
}

/** [start, end) of the `tid`-th of `nth` near-equal contiguous slices of 0..n, start aligned to `align`. */
export function sliceStart(n: i32, tid: i32, nth: i32, align: i32): i32 {
  if (tid >= nth) return n;
  const per = (n + nth - 1) / nth;
  const aligned = ((per + align - 1) / align) * align;
  const s = aligned * tid;
  return s < n ? s : n;
}

/**
 * Sense-reversing barrier for `nth` threads: two i32 at `bar` = [arrived count, generation].
 * Spins first (the steps it separates take tens of microseconds), then blocks with wait32.
 */
export function barrier(bar: usize, nth: i32): void {
  if (nth <= 1) return;
  const gen = atomic.load<i32>(bar + 4);
  if (atomic.add<i32>(bar, 1) == nth - 1) {
    atomic.store<i32>(bar, 0);
    atomic.add<i32>(bar + 4, 1);
    atomic.notify(bar + 4, nth);
    return;
  }
  let spins = 0;
  while (atomic.load<i32>(bar + 4) == gen) {
    if (++spins > 20000) {
      memory.atomic.wait32(bar + 4, gen, 1000000);
    }
  }
}

/**
 * tanh on 4 lanes: rational minimax approximation on [-7.9053, 7.9053] (odd degree-13 numerator,
 * even degree-6 denominator), identity below 4e-4, saturating outside. Max error ~2 ulp of f32.
 */
// @ts-ignore: decorator
@inline export function tanh4(v: v128): v128 {
  const clamp = f32x4.splat(7.90531110763549805);
  // pmin/pmax are single instructions on x86 (min/max carry NaN and ±0 rules that cost ~8); for
  // these non-zero bounds they give the same results, and a NaN input stays NaN.
  const x = f32x4.pmax(f32x4.pmin(v, clamp), f32x4.neg(clamp));
  const x2 = f32x4.mul(x, x);
  let p = f32x4.splat(-2.76076847742355e-16);
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(2.00018790482477e-13));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(-8.60467152213735e-11));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(5.12229709037114e-8));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(1.48572235717979e-5));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(6.37261928875436e-4));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(4.89352455891786e-3));
  p = f32x4.mul(p, x);
  let q = f32x4.splat(1.19825839466702e-6);
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(1.18534705686654e-4));
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(2.268434632439e-3));
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(4.89352518554385e-3));
  const r = f32x4.div(p, q);
  const tiny = f32x4.lt(f32x4.abs(v), f32x4.splat(0.0004));
  return v128.bitselect(v, r, tiny);
}

/** Horizontal sum of 4 f32 lanes. */
// @ts-ignore: decorator
@inline export function hsum(v: v128): f32 {
  return (
    f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3))
  );
}

/** relu on 4 lanes. pmax(0, v) = 0 < v ? v : 0: one instruction on x86 (f32x4.max costs ~8 for its NaN/±0 rules). */
// @ts-ignore: decorator
@inline export function relu4(v: v128): v128 {
  return f32x4.pmax(f32x4.splat(0), v);
}
