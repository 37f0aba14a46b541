// MLPs [1, H, H, 1] as piecewise-linear functions of x (tables from ../../pwl-tables.ts): on
// interval j, z2 = A_j dx + Z_j with dx = x − c_j, y = wOut · relu(z2) + bOut (H multiply-adds).
// Backward, with dz2 = dy wOut ⊙ [h2 > 0]: dX = A_j · dz2 and, per block of BLOCK samples (fixed
// whatever the thread count), U_j = Σ dx dz2, V_j = Σ dz2 over the block's samples on interval j;
// the blocks are summed in block order, then
//   dW1 = Σ_j U_j alpha_jᵀ + V_j gamma_jᵀ,  db1 = Σ_j V_j,
//   dW0 = Σ_j m_j ⊙ W1ᵀ (U_j + c_j V_j),    db0 = Σ_j m_j ⊙ W1ᵀ V_j   (m_j: the units active on j).

import { PwlBackwardArg, PwlForwardArg } from "./args";
import { argI32, argPtr, barrier, hsum, relu4, sliceStart } from "./common";

const BLOCK = 1024;

/** The interval of x: the number of breakpoints ≤ x (t padded with +inf to H), at most nI − 1. */
// @ts-ignore: decorator
@inline function interval(t: usize, Hb: usize, nI: i32, x: f32): i32 {
  const xv = f32x4.splat(x);
  let n = i32x4.splat(0);
  for (let o: usize = 0; o < Hb; o += 16) n = i32x4.sub(n, f32x4.le(v128.load(t + o), xv));
  const c = i32x4.extract_lane(n, 0) + i32x4.extract_lane(n, 1) + i32x4.extract_lane(n, 2) + i32x4.extract_lane(n, 3);
  return c < nI ? c : nI - 1;
}

/** y per sample. args: PwlForwardArg (args.ts). */
export function pwlForward(tid: i32, nth: i32, args: usize): void {
  const S = argI32(args, PwlForwardArg.S);
  const H = argI32(args, PwlForwardArg.H);
  const nI = argI32(args, PwlForwardArg.nI);
  const t = argPtr(args, PwlForwardArg.t);
  const c = argPtr(args, PwlForwardArg.c);
  const A = argPtr(args, PwlForwardArg.A);
  const Z = argPtr(args, PwlForwardArg.Z);
  const wOut = argPtr(args, PwlForwardArg.wOut);
  const bOut = load<f32>(argPtr(args, PwlForwardArg.bOut));
  const X = argPtr(args, PwlForwardArg.X);
  const y = argPtr(args, PwlForwardArg.y);
  const Hb = <usize>H << 2;
  const s1 = sliceStart(S, tid + 1, nth, 16);
  for (let s = sliceStart(S, tid, nth, 16); s < s1; s++) {
    const x = load<f32>(X + (<usize>s << 2));
    const j = interval(t, Hb, nI, x);
    const dx = f32x4.splat(x - load<f32>(c + (<usize>j << 2)));
    const Aj = A + <usize>j * Hb;
    const Zj = Z + <usize>j * Hb;
    let acc = f32x4.splat(0);
    for (let o: usize = 0; o < Hb; o += 16) {
      const h = relu4(f32x4.add(f32x4.mul(v128.load(Aj + o), dx), v128.load(Zj + o)));
      acc = f32x4.add(acc, f32x4.mul(v128.load(wOut + o), h));
    }
    store<f32>(y + (<usize>s << 2), hsum(acc) + bOut);
  }
}

/** out[0 … n) += Σ_j coef[j·cs] · M[j·ld …] over j < nJ (n a multiple of 4; byte strides). */
// @ts-ignore: decorator
@inline function axpys(out: usize, n: usize, coef: usize, cs: usize, M: usize, ld: usize, nJ: i32): void {
  for (let j = 0; j < nJ; j++) {
    const a = v128.load32_splat(coef + <usize>j * cs);
    const r = M + <usize>j * ld;
    for (let o: usize = 0; o < n; o += 16) v128.store(out + o, f32x4.add(v128.load(out + o), f32x4.mul(a, v128.load(r + o))));
  }
}

/**
 * The gradients, in `out` laid out as mlpBackward's reduced sums for [1, H, H, 1]:
 * [dW0 (H), db0 (H), dW1 (H·H), db1 (H), dwOut (H), dbOut, pad 3]; and dX when non-zero.
 * args: PwlBackwardArg (args.ts).
 */
export function pwlBackward(tid: i32, nth: i32, args: usize): void {
  const S = argI32(args, PwlBackwardArg.S);
  const H = argI32(args, PwlBackwardArg.H);
  const nI = argI32(args, PwlBackwardArg.nI);
  const t = argPtr(args, PwlBackwardArg.t);
  const c = argPtr(args, PwlBackwardArg.c);
  const A = argPtr(args, PwlBackwardArg.A);
  const Z = argPtr(args, PwlBackwardArg.Z);
  const alpha = argPtr(args, PwlBackwardArg.alpha);
  const gamma = argPtr(args, PwlBackwardArg.gamma);
  const mask = argPtr(args, PwlBackwardArg.mask);
  const W1 = argPtr(args, PwlBackwardArg.W1);
  const wOut = argPtr(args, PwlBackwardArg.wOut);
  const X = argPtr(args, PwlBackwardArg.X);
  const dy = argPtr(args, PwlBackwardArg.dy);
  const dX = argPtr(args, PwlBackwardArg.dX);
  const partial = argPtr(args, PwlBackwardArg.partial);
  const reduced = argPtr(args, PwlBackwardArg.reduced);
  const out = argPtr(args, PwlBackwardArg.out);
  const bar = argPtr(args, PwlBackwardArg.bar);
  const nBlocks = argI32(args, PwlBackwardArg.nBlocks);
  const Hb = <usize>H << 2;
  const tabB = <usize>nI * Hb;
  // A block's partial sums: U [nI, H], V [nI, H], dwOut [H], dbOut, pad 3.
  const P = 2 * nI * H + H + 4;
  const Pb = <usize>P << 2;
  const zero = f32x4.splat(0);
  for (let blk = tid; blk < nBlocks; blk += nth) {
    const U = partial + <usize>blk * Pb;
    const V = U + tabB;
    const gw = V + tabB;
    memory.fill(U, 0, Pb);
    let db: f32 = 0;
    const sEnd = min(S, (blk + 1) * BLOCK);
    for (let s = blk * BLOCK; s < sEnd; s++) {
      const x = load<f32>(X + (<usize>s << 2));
      const d = load<f32>(dy + (<usize>s << 2));
      const j = interval(t, Hb, nI, x);
      const dx = f32x4.splat(x - load<f32>(c + (<usize>j << 2)));
      const dv = f32x4.splat(d);
      const row = <usize>j * Hb;
      let dxa = zero;
      db += d;
      for (let o: usize = 0; o < Hb; o += 16) {
        const a = v128.load(A + row + o);
        const h = relu4(f32x4.add(f32x4.mul(a, dx), v128.load(Z + row + o)));
        const z = v128.and(f32x4.mul(dv, v128.load(wOut + o)), f32x4.gt(h, zero));
        v128.store(U + row + o, f32x4.add(v128.load(U + row + o), f32x4.mul(z, dx)));
        v128.store(V + row + o, f32x4.add(v128.load(V + row + o), z));
        v128.store(gw + o, f32x4.add(v128.load(gw + o), f32x4.mul(dv, h)));
        dxa = f32x4.add(dxa, f32x4.mul(a, z));
      }
      if (dX) store<f32>(dX + (<usize>s << 2), hsum(dxa));
    }
    store<f32>(gw + Hb, db);
  }
  barrier(bar, nth);
  // reduced = Σ_blocks partial, in block order, elements split across threads.
  const e1 = sliceStart(P, tid + 1, nth, 4);
  for (let e = sliceStart(P, tid, nth, 4); e < e1; e += 4) {
    const o = <usize>e << 2;
    let acc = zero;
    for (let blk = 0; blk < nBlocks; blk++) acc = f32x4.add(acc, v128.load(partial + <usize>blk * Pb + o));
    v128.store(reduced + o, acc);
  }
  barrier(bar, nth);
  // Units k split across threads (each sums over j in order): dW1 rows k, db1[k], dW0[k], db0[k].
  const U = reduced;
  const V = reduced + tabB;
  const gW0 = out;
  const gb0 = out + Hb;
  const gW1 = gb0 + Hb;
  const gb1 = gW1 + <usize>H * Hb;
  const k1 = sliceStart(H, tid + 1, nth, 4);
  for (let k = sliceStart(H, tid, nth, 4); k < k1; k++) {
    // dW1[k, :] = Σ_j U_j[k] alpha_j + V_j[k] gamma_j; db1[k] = Σ_j V_j[k]
    const r = gW1 + <usize>k * Hb;
    memory.fill(r, 0, Hb);
    axpys(r, Hb, U + (<usize>k << 2), Hb, alpha, Hb, nI);
    axpys(r, Hb, V + (<usize>k << 2), Hb, gamma, Hb, nI);
    let v: f32 = 0;
    for (let j = 0; j < nI; j++) v += load<f32>(V + <usize>j * Hb + (<usize>k << 2));
    store<f32>(gb1 + (<usize>k << 2), v);
  }
  for (let k = sliceStart(H, tid, nth, 4); k < k1; k += 4) {
    // dW0[k] = Σ_j m_j[k] Σ_o W1[o, k] (U_j[o] + c_j V_j[o]); db0[k] = Σ_j m_j[k] Σ_o W1[o, k] V_j[o]
    const kb = <usize>k << 2;
    let g0 = zero;
    let g1 = zero;
    for (let j = 0; j < nI; j++) {
      const cj = load<f32>(c + (<usize>j << 2));
      const Uj = U + <usize>j * Hb;
      const Vj = V + <usize>j * Hb;
      let au = zero;
      let av = zero;
      for (let o: usize = 0; o < Hb; o += 4) {
        const w = v128.load(W1 + o * <usize>H + kb);
        const vo = load<f32>(Vj + o);
        au = f32x4.add(au, f32x4.mul(w, f32x4.splat(load<f32>(Uj + o) + cj * vo)));
        av = f32x4.add(av, f32x4.mul(w, f32x4.splat(vo)));
      }
      const m = v128.load(mask + <usize>j * Hb + kb);
      g0 = f32x4.add(g0, f32x4.mul(m, au));
      g1 = f32x4.add(g1, f32x4.mul(m, av));
    }
    v128.store(gW0 + kb, g0);
    v128.store(gb0 + kb, g1);
  }
  if (tid == 0) {
    // dwOut, dbOut
    memory.copy(gb1 + Hb, V + tabB, Hb + 4);
  }
}
