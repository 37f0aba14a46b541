// SIREN layer kernels (float32, f32x4 SIMD), as native/src/kern_siren.h:
//   forward   Z = X·Wᵀ + b,  A = sin(ω₀Z) and C = ω₀cos(ω₀Z) (sine layer) or A = Z;
//   backward  G = dA ⊙ C (in place), dX = G·W  (by points);  dW += Gᵀ·X, db += Σ_p G  (by output rows).
// Every element is computed whole by one thread in a fixed order: results do not depend on threads.

import { SirenBackwardPointsArg, SirenBackwardRowsArg, SirenForwardArg } from "./args";
import { argF32, argI32, argPtr, sliceStart } from "./common";

/** Points per tile of the dW pass (a tile of X rows stays in cache while every row o reads it). */
const TILE = 32;

/** sin(x) into *s, cos(x) returned: n = round(x/π), r = x − nπ (π in two parts), Taylor to r¹³ / r¹⁴, sign (−1)ⁿ. */
// @ts-ignore: decorator
@inline function sincos4(x: v128, s: usize): v128 {
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(0.318309886183790672)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(3.140625)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(9.67653589793e-4)));
  const odd = f32x4.sub(n, f32x4.mul(f32x4.nearest(f32x4.mul(n, f32x4.splat(0.5))), f32x4.splat(2)));
  const sign = f32x4.sub(f32x4.splat(1), f32x4.mul(f32x4.mul(odd, odd), f32x4.splat(2)));
  const r2 = f32x4.mul(r, r);
  let ps = f32x4.splat(1.6059043836821613e-10);
  ps = f32x4.add(f32x4.mul(ps, r2), f32x4.splat(-2.505210838544172e-8));
  ps = f32x4.add(f32x4.mul(ps, r2), f32x4.splat(2.755731922398589e-6));
  ps = f32x4.add(f32x4.mul(ps, r2), f32x4.splat(-1.984126984126984e-4));
  ps = f32x4.add(f32x4.mul(ps, r2), f32x4.splat(8.333333333333333e-3));
  ps = f32x4.add(f32x4.mul(ps, r2), f32x4.splat(-1.666666666666667e-1));
  ps = f32x4.add(f32x4.mul(ps, r2), f32x4.splat(1));
  let pc = f32x4.splat(-1.1470745597729725e-11);
  pc = f32x4.add(f32x4.mul(pc, r2), f32x4.splat(2.08767569878681e-9));
  pc = f32x4.add(f32x4.mul(pc, r2), f32x4.splat(-2.755731922398589e-7));
  pc = f32x4.add(f32x4.mul(pc, r2), f32x4.splat(2.48015873015873e-5));
  pc = f32x4.add(f32x4.mul(pc, r2), f32x4.splat(-1.388888888888889e-3));
  pc = f32x4.add(f32x4.mul(pc, r2), f32x4.splat(4.166666666666667e-2));
  pc = f32x4.add(f32x4.mul(pc, r2), f32x4.splat(-0.5));
  pc = f32x4.add(f32x4.mul(pc, r2), f32x4.splat(1));
  v128.store(s, f32x4.mul(sign, f32x4.mul(ps, r)));
  return f32x4.mul(sign, pc);
}

/** Stores the activation of z (4 lanes) at A + at and, for sine layers with C, ω₀cos at C + at. */
// @ts-ignore: decorator
@inline function act4(z: v128, sine: i32, w0: v128, A: usize, C: usize, at: usize): void {
  if (!sine) {
    v128.store(A + at, z);
    return;
  }
  const c = sincos4(f32x4.mul(w0, z), A + at);
  if (C) v128.store(C + at, f32x4.mul(w0, c));
}

/** Forward pass of this thread's points. args: SirenForwardArg. */
export function sirenForward(tid: i32, nth: i32, args: usize): void {
  const P = argI32(args, SirenForwardArg.P);
  const nIn = argI32(args, SirenForwardArg.nIn);
  const nOut = argI32(args, SirenForwardArg.nOut);
  const WT = argPtr(args, SirenForwardArg.WT);
  const b = argPtr(args, SirenForwardArg.b);
  const X = argPtr(args, SirenForwardArg.X);
  const omega0 = argF32(args, SirenForwardArg.omega0);
  const sine = argI32(args, SirenForwardArg.sine);
  const A = argPtr(args, SirenForwardArg.A);
  const C = argPtr(args, SirenForwardArg.C);
  const p0 = sliceStart(P, tid, nth, 4);
  const p1 = sliceStart(P, tid + 1, nth, 4);
  const w0 = f32x4.splat(omega0);
  const ob = <usize>nOut << 2;
  const full = <usize>(nOut & ~3) << 2;
  const tmp = memory.data(16 * 256, 16) + (<usize>(tid & 255) << 4); // this thread's 4 lanes of scratch
  // Chunks of 16 columns (their WT columns stay in cache over the points), then single vectors.
  let o: usize = 0;
  for (; o + 64 <= full; o += 64) {
    for (let p = p0; p < p1; p++) {
      const x = X + <usize>p * <usize>nIn * 4;
      let a0 = v128.load(b + o);
      let a1 = v128.load(b + o, 16);
      let a2 = v128.load(b + o, 32);
      let a3 = v128.load(b + o, 48);
      for (let i = 0; i < nIn; i++) {
        const v = f32x4.splat(load<f32>(x + (<usize>i << 2)));
        const w = WT + <usize>i * ob + o;
        a0 = f32x4.add(a0, f32x4.mul(v128.load(w), v));
        a1 = f32x4.add(a1, f32x4.mul(v128.load(w, 16), v));
        a2 = f32x4.add(a2, f32x4.mul(v128.load(w, 32), v));
        a3 = f32x4.add(a3, f32x4.mul(v128.load(w, 48), v));
      }
      const at = <usize>p * ob + o;
      act4(a0, sine, w0, A, C, at);
      act4(a1, sine, w0, A, C, at + 16);
      act4(a2, sine, w0, A, C, at + 32);
      act4(a3, sine, w0, A, C, at + 48);
    }
  }
  for (; o < full; o += 16) {
    for (let p = p0; p < p1; p++) {
      const x = X + <usize>p * <usize>nIn * 4;
      let a0 = v128.load(b + o);
      for (let i = 0; i < nIn; i++) {
        a0 = f32x4.add(a0, f32x4.mul(v128.load(WT + <usize>i * ob + o), f32x4.splat(load<f32>(x + (<usize>i << 2)))));
      }
      act4(a0, sine, w0, A, C, <usize>p * ob + o);
    }
  }
  for (let oo = nOut & ~3; oo < nOut; oo++) {
    // columns beyond the last full vector
    for (let p = p0; p < p1; p++) {
      const x = X + <usize>p * <usize>nIn * 4;
      let z = load<f32>(b + (<usize>oo << 2));
      for (let i = 0; i < nIn; i++) z += load<f32>(WT + <usize>i * ob + (<usize>oo << 2)) * load<f32>(x + (<usize>i << 2));
      const at = <usize>p * ob + (<usize>oo << 2);
      if (!sine) {
        store<f32>(A + at, z);
        continue;
      }
      const c = sincos4(f32x4.splat(omega0 * z), tmp);
      store<f32>(A + at, load<f32>(tmp));
      if (C) store<f32>(C + at, omega0 * f32x4.extract_lane(c, 0));
    }
  }
}

/** Backward, this thread's points: G = dA ⊙ C in place, then dX = G·W. args: SirenBackwardPointsArg. */
export function sirenBackwardPoints(tid: i32, nth: i32, args: usize): void {
  const P = argI32(args, SirenBackwardPointsArg.P);
  const nIn = argI32(args, SirenBackwardPointsArg.nIn);
  const nOut = argI32(args, SirenBackwardPointsArg.nOut);
  const W = argPtr(args, SirenBackwardPointsArg.W);
  const dA = argPtr(args, SirenBackwardPointsArg.dA);
  const C = argPtr(args, SirenBackwardPointsArg.C);
  const dX = argPtr(args, SirenBackwardPointsArg.dX);
  const p0 = sliceStart(P, tid, nth, 4);
  const p1 = sliceStart(P, tid + 1, nth, 4);
  const ob = <usize>nOut << 2;
  const ib = <usize>nIn << 2;
  if (C) {
    for (let p = p0; p < p1; p++) {
      const g = dA + <usize>p * ob;
      const c = C + <usize>p * ob;
      let o: usize = 0;
      for (; o + 16 <= ob; o += 16) v128.store(g + o, f32x4.mul(v128.load(g + o), v128.load(c + o)));
      for (; o < ob; o += 4) store<f32>(g + o, load<f32>(g + o) * load<f32>(c + o));
    }
  }
  if (!dX) return;
  const full = <usize>(nIn & ~3) << 2;
  let i: usize = 0;
  for (; i + 64 <= full; i += 64) {
    for (let p = p0; p < p1; p++) {
      const g = dA + <usize>p * ob;
      let a0 = f32x4.splat(0);
      let a1 = a0;
      let a2 = a0;
      let a3 = a0;
      for (let o = 0; o < nOut; o++) {
        const v = f32x4.splat(load<f32>(g + (<usize>o << 2)));
        const w = W + <usize>o * ib + i;
        a0 = f32x4.add(a0, f32x4.mul(v128.load(w), v));
        a1 = f32x4.add(a1, f32x4.mul(v128.load(w, 16), v));
        a2 = f32x4.add(a2, f32x4.mul(v128.load(w, 32), v));
        a3 = f32x4.add(a3, f32x4.mul(v128.load(w, 48), v));
      }
      const at = dX + <usize>p * ib + i;
      v128.store(at, a0);
      v128.store(at, a1, 16);
      v128.store(at, a2, 32);
      v128.store(at, a3, 48);
    }
  }
  for (let p = p0; p < p1; p++) {
    const g = dA + <usize>p * ob;
    for (let ii = i; ii < ib; ii += 4) {
      let s: f32 = 0;
      for (let o = 0; o < nOut; o++) s += load<f32>(g + (<usize>o << 2)) * load<f32>(W + <usize>o * ib + ii);
      store<f32>(dX + <usize>p * ib + ii, s);
    }
  }
}

/** Backward, this thread's output rows o over tiles of points. args: SirenBackwardRowsArg. */
export function sirenBackwardRows(tid: i32, nth: i32, args: usize): void {
  const P = argI32(args, SirenBackwardRowsArg.P);
  const nIn = argI32(args, SirenBackwardRowsArg.nIn);
  const nOut = argI32(args, SirenBackwardRowsArg.nOut);
  const X = argPtr(args, SirenBackwardRowsArg.X);
  const dA = argPtr(args, SirenBackwardRowsArg.dA);
  const dW = argPtr(args, SirenBackwardRowsArg.dW);
  const db = argPtr(args, SirenBackwardRowsArg.db);
  const o0 = sliceStart(nOut, tid, nth, 1);
  const o1 = sliceStart(nOut, tid + 1, nth, 1);
  const ob = <usize>nOut << 2;
  const ib = <usize>nIn << 2;
  const full = <usize>(nIn & ~3) << 2;
  for (let t0 = 0; t0 < P; t0 += TILE) {
    const t1 = t0 + TILE < P ? t0 + TILE : P;
    for (let o = o0; o < o1; o++) {
      const row = dW + <usize>o * ib;
      const go = dA + (<usize>o << 2);
      let i: usize = 0;
      for (; i + 64 <= full; i += 64) {
        let a0 = v128.load(row + i);
        let a1 = v128.load(row + i, 16);
        let a2 = v128.load(row + i, 32);
        let a3 = v128.load(row + i, 48);
        for (let p = t0; p < t1; p++) {
          const v = f32x4.splat(load<f32>(go + <usize>p * ob));
          const x = X + <usize>p * ib + i;
          a0 = f32x4.add(a0, f32x4.mul(v128.load(x), v));
          a1 = f32x4.add(a1, f32x4.mul(v128.load(x, 16), v));
          a2 = f32x4.add(a2, f32x4.mul(v128.load(x, 32), v));
          a3 = f32x4.add(a3, f32x4.mul(v128.load(x, 48), v));
        }
        v128.store(row + i, a0);
        v128.store(row + i, a1, 16);
        v128.store(row + i, a2, 32);
        v128.store(row + i, a3, 48);
      }
      for (; i < ib; i += 4) {
        let s = load<f32>(row + i);
        for (let p = t0; p < t1; p++) s += load<f32>(go + <usize>p * ob) * load<f32>(X + <usize>p * ib + i);
        store<f32>(row + i, s);
      }
      let s = load<f32>(db + (<usize>o << 2));
      for (let p = t0; p < t1; p++) s += load<f32>(go + <usize>p * ob);
      store<f32>(db + (<usize>o << 2), s);
    }
  }
}
