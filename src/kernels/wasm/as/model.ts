// GNN training kernels (float32, f32x4 SIMD): MLP forward/backward for widths [nIn, H, H, 1] with
// H a multiple of 32, the message product and its backward, and Adam.
// MLP backward writes per-block partial gradients (blocks of BLOCK samples, fixed whatever the
// thread count) and then reduces them in block order, so results do not depend on threads.

import { AdamArg, MessagesArg, MessagesBackwardArg, MlpBackwardArg, MlpForwardArg } from "./args";
import { argF32, argI32, argPtr, barrier, hsum, sliceStart } from "./common";

const BLOCK = 64;

// @ts-ignore: decorator
@inline function relu4(v: v128): v128 {
  // pmax(0, v) = 0 < v ? v : 0: one instruction on x86 (f32x4.max costs ~8 for its NaN/±0 rules).
  return f32x4.pmax(f32x4.splat(0), v);
}

/** Writes the indices k < H with v[k] != 0 to idx (u32) in order, without branches; returns their count. */
// @ts-ignore: decorator
@inline function nonZeros(v: usize, H: i32, idx: usize): i32 {
  let n = 0;
  for (let k = 0; k < H; k++) {
    store<u32>(idx + (<usize>n << 2), k);
    n += i32(load<f32>(v + (<usize>k << 2)) != 0);
  }
  return n;
}

/** y = W2 · relu(W1 relu(W0 x + b0) + b1) + b2 for each sample, keeping the activations. args: MlpForwardArg (args.ts). */
export function mlpForward(tid: i32, nth: i32, args: usize): void {
  const S = argI32(args, MlpForwardArg.S);
  const nIn = argI32(args, MlpForwardArg.nIn);
  const H = argI32(args, MlpForwardArg.H);
  const W0T = argPtr(args, MlpForwardArg.W0T);
  const b0 = argPtr(args, MlpForwardArg.b0);
  const W1T = argPtr(args, MlpForwardArg.W1T);
  const b1 = argPtr(args, MlpForwardArg.b1);
  const W2 = argPtr(args, MlpForwardArg.W2);
  const b2 = load<f32>(argPtr(args, MlpForwardArg.b2));
  const X = argPtr(args, MlpForwardArg.X);
  const A1 = argPtr(args, MlpForwardArg.A1);
  const A2 = argPtr(args, MlpForwardArg.A2);
  const y = argPtr(args, MlpForwardArg.y);
  const s0 = sliceStart(S, tid, nth, BLOCK);
  const s1 = sliceStart(S, tid + 1, nth, BLOCK);
  const Hb = <usize>H << 2;
  for (let s = s0; s < s1; s++) {
    const x = X + <usize>s * <usize>nIn * 4;
    const h1 = A1 + <usize>s * Hb;
    const h2 = A2 + <usize>s * Hb;
    // h1 = relu(W0 x + b0)
    for (let o: usize = 0; o < Hb; o += 16) {
      let z = v128.load(b0 + o);
      for (let c = 0; c < nIn; c++) {
        z = f32x4.add(z, f32x4.mul(v128.load(W0T + <usize>c * Hb + o), f32x4.splat(load<f32>(x + (<usize>c << 2)))));
      }
      v128.store(h1 + o, relu4(z));
    }
    // h2 = relu(W1 h1 + b1), 8 output vectors (32 outputs) at a time
    for (let o: usize = 0; o < Hb; o += 128) {
      let a0 = v128.load(b1 + o);
      let a1 = v128.load(b1 + o, 16);
      let a2 = v128.load(b1 + o, 32);
      let a3 = v128.load(b1 + o, 48);
      let a4 = v128.load(b1 + o, 64);
      let a5 = v128.load(b1 + o, 80);
      let a6 = v128.load(b1 + o, 96);
      let a7 = v128.load(b1 + o, 112);
      for (let k = 0; k < H; k++) {
        const hk = load<f32>(h1 + (<usize>k << 2));
        if (hk == 0) continue;
        const v = f32x4.splat(hk);
        const w = W1T + <usize>k * Hb + o;
        a0 = f32x4.add(a0, f32x4.mul(v128.load(w), v));
        a1 = f32x4.add(a1, f32x4.mul(v128.load(w, 16), v));
        a2 = f32x4.add(a2, f32x4.mul(v128.load(w, 32), v));
        a3 = f32x4.add(a3, f32x4.mul(v128.load(w, 48), v));
        a4 = f32x4.add(a4, f32x4.mul(v128.load(w, 64), v));
        a5 = f32x4.add(a5, f32x4.mul(v128.load(w, 80), v));
        a6 = f32x4.add(a6, f32x4.mul(v128.load(w, 96), v));
        a7 = f32x4.add(a7, f32x4.mul(v128.load(w, 112), v));
      }
      const d = h2 + o;
      v128.store(d, relu4(a0));
      v128.store(d, relu4(a1), 16);
      v128.store(d, relu4(a2), 32);
      v128.store(d, relu4(a3), 48);
      v128.store(d, relu4(a4), 64);
      v128.store(d, relu4(a5), 80);
      v128.store(d, relu4(a6), 96);
      v128.store(d, relu4(a7), 112);
    }
    // y = W2 · h2 + b2
    let acc = f32x4.splat(0);
    for (let o: usize = 0; o < Hb; o += 16) acc = f32x4.add(acc, f32x4.mul(v128.load(W2 + o), v128.load(h2 + o)));
    store<f32>(y + (<usize>s << 2), hsum(acc) + b2);
  }
}

/** Parameter gradients summed over the samples, and dX. args: MlpBackwardArg (args.ts). */
export function mlpBackward(tid: i32, nth: i32, args: usize): void {
  const S = argI32(args, MlpBackwardArg.S);
  const nIn = argI32(args, MlpBackwardArg.nIn);
  const H = argI32(args, MlpBackwardArg.H);
  const W0T = argPtr(args, MlpBackwardArg.W0T);
  const W1 = argPtr(args, MlpBackwardArg.W1);
  const W2 = argPtr(args, MlpBackwardArg.W2);
  const X = argPtr(args, MlpBackwardArg.X);
  const A1 = argPtr(args, MlpBackwardArg.A1);
  const A2 = argPtr(args, MlpBackwardArg.A2);
  const dy = argPtr(args, MlpBackwardArg.dy);
  const partial = argPtr(args, MlpBackwardArg.partial);
  const reduced = argPtr(args, MlpBackwardArg.reduced);
  const dX = argPtr(args, MlpBackwardArg.dX);
  const bar = argPtr(args, MlpBackwardArg.bar);
  const nBlocks = argI32(args, MlpBackwardArg.nBlocks);
  const Hb = <usize>H << 2;
  const P = nIn * H + H + H * H + H + H + 4;
  const Pb = <usize>P << 2;
  // Per-thread scratch after `reduced`: one sample's dz2 and dz1 ([H] f32 each) and the list of non-zero dz2 ([H] u32).
  const scratch = reduced + Pb + <usize>tid * (Hb * 3 + 64);
  const dz2 = scratch;
  const dz1 = scratch + Hb;
  const nz = scratch + 2 * Hb;
  for (let blk = tid; blk < nBlocks; blk += nth) {
    const g = partial + <usize>blk * Pb;
    memory.fill(g, 0, Pb);
    const gW0T = g;
    const gb0 = gW0T + <usize>(nIn * H) * 4;
    const gW1 = gb0 + Hb;
    const gb1 = gW1 + <usize>(H * H) * 4;
    const gW2 = gb1 + Hb;
    const gb2 = gW2 + Hb;
    const sEnd = min(S, (blk + 1) * BLOCK);
    for (let s = blk * BLOCK; s < sEnd; s++) {
      const d = load<f32>(dy + (<usize>s << 2));
      const h1 = A1 + <usize>s * Hb;
      const h2 = A2 + <usize>s * Hb;
      const dv = f32x4.splat(d);
      store<f32>(gb2, load<f32>(gb2) + d);
      // dz2 = d·W2 ⊙ [h2 > 0]; dW2 += d·h2; db1 += dz2
      for (let o: usize = 0; o < Hb; o += 16) {
        const hv = v128.load(h2 + o);
        v128.store(gW2 + o, f32x4.add(v128.load(gW2 + o), f32x4.mul(dv, hv)));
        const m = f32x4.gt(hv, f32x4.splat(0));
        const z = v128.and(f32x4.mul(dv, v128.load(W2 + o)), m);
        v128.store(dz2 + o, z);
        v128.store(gb1 + o, f32x4.add(v128.load(gb1 + o), z));
      }
      // Over the non-zero dz2[o] (listed without branches), in chunks of 16 columns k held in
      // registers: dW1[o, k] += dz2[o] · h1[k] and dh1[k] = Σ_o dz2[o] W1[o, k]; then
      // dz1 = dh1 ⊙ [h1 > 0]. Fusing the two keeps h1 and the dh1 accumulators in registers.
      const n = nonZeros(dz2, H, nz);
      const zero = f32x4.splat(0);
      for (let k: usize = 0; k < Hb; k += 64) {
        const hk = h1 + k;
        const h0 = v128.load(hk);
        const h1v = v128.load(hk, 16);
        const h2v = v128.load(hk, 32);
        const h3 = v128.load(hk, 48);
        let a0 = zero;
        let a1 = zero;
        let a2 = zero;
        let a3 = zero;
        for (let j = 0; j < n; j++) {
          const o = <usize>load<u32>(nz + (<usize>j << 2));
          const zv = v128.load32_splat(dz2 + (o << 2));
          const g = gW1 + o * Hb + k;
          v128.store(g, f32x4.add(v128.load(g), f32x4.mul(zv, h0)));
          v128.store(g, f32x4.add(v128.load(g, 16), f32x4.mul(zv, h1v)), 16);
          v128.store(g, f32x4.add(v128.load(g, 32), f32x4.mul(zv, h2v)), 32);
          v128.store(g, f32x4.add(v128.load(g, 48), f32x4.mul(zv, h3)), 48);
          const w = W1 + o * Hb + k;
          a0 = f32x4.add(a0, f32x4.mul(v128.load(w), zv));
          a1 = f32x4.add(a1, f32x4.mul(v128.load(w, 16), zv));
          a2 = f32x4.add(a2, f32x4.mul(v128.load(w, 32), zv));
          a3 = f32x4.add(a3, f32x4.mul(v128.load(w, 48), zv));
        }
        const t = dz1 + k;
        v128.store(t, v128.and(a0, f32x4.gt(h0, zero)));
        v128.store(t, v128.and(a1, f32x4.gt(h1v, zero)), 16);
        v128.store(t, v128.and(a2, f32x4.gt(h2v, zero)), 32);
        v128.store(t, v128.and(a3, f32x4.gt(h3, zero)), 48);
      }
      // db0 += dz1; dW0T[c, :] += x_c dz1; dX[s, c] = W0T[c, :] · dz1
      const x = X + <usize>s * <usize>nIn * 4;
      for (let o: usize = 0; o < Hb; o += 16) v128.store(gb0 + o, f32x4.add(v128.load(gb0 + o), v128.load(dz1 + o)));
      for (let c = 0; c < nIn; c++) {
        const xc = f32x4.splat(load<f32>(x + (<usize>c << 2)));
        const row = gW0T + <usize>c * Hb;
        let acc = f32x4.splat(0);
        for (let o: usize = 0; o < Hb; o += 16) {
          const z = v128.load(dz1 + o);
          v128.store(row + o, f32x4.add(v128.load(row + o), f32x4.mul(xc, z)));
          acc = f32x4.add(acc, f32x4.mul(v128.load(W0T + <usize>c * Hb + o), z));
        }
        if (dX) store<f32>(dX + ((<usize>s * <usize>nIn + <usize>c) << 2), hsum(acc));
      }
    }
  }
  barrier(bar, nth);
  // reduced[e] = Σ_blocks partial[blk, e], in block order, elements split across threads.
  const e0 = sliceStart(P, tid, nth, 4);
  const e1 = sliceStart(P, tid + 1, nth, 4);
  for (let e = e0; e < e1; e += 4) {
    const o = <usize>e << 2;
    let acc = f32x4.splat(0);
    for (let blk = 0; blk < nBlocks; blk++) acc = f32x4.add(acc, v128.load(partial + <usize>blk * Pb + o));
    v128.store(reduced + o, acc);
  }
}

/** M[b, i] = Σ_{j≠i} W[i, j] P[b, j] (N multiple of 4, rows split by thread). args: MessagesArg (args.ts). */
export function messages(tid: i32, nth: i32, args: usize): void {
  const B = argI32(args, MessagesArg.B);
  const N = argI32(args, MessagesArg.N);
  const W = argPtr(args, MessagesArg.W);
  const P = argPtr(args, MessagesArg.P);
  const M = argPtr(args, MessagesArg.M);
  const Nb = <usize>N << 2;
  const r0 = sliceStart(N, tid, nth, 4);
  const r1 = sliceStart(N, tid + 1, nth, 4);
  for (let i = r0; i < r1; i++) {
    const w = W + <usize>i * Nb;
    const wii = load<f32>(w + (<usize>i << 2));
    let b = 0;
    for (; b + 4 <= B; b += 4) {
      const p0 = P + <usize>b * Nb;
      let a0 = f32x4.splat(0);
      let a1 = f32x4.splat(0);
      let a2 = f32x4.splat(0);
      let a3 = f32x4.splat(0);
      for (let o: usize = 0; o < Nb; o += 16) {
        const wv = v128.load(w + o);
        a0 = f32x4.add(a0, f32x4.mul(wv, v128.load(p0 + o)));
        a1 = f32x4.add(a1, f32x4.mul(wv, v128.load(p0 + Nb + o)));
        a2 = f32x4.add(a2, f32x4.mul(wv, v128.load(p0 + 2 * Nb + o)));
        a3 = f32x4.add(a3, f32x4.mul(wv, v128.load(p0 + 3 * Nb + o)));
      }
      const io = <usize>i << 2;
      store<f32>(M + <usize>b * Nb + io, hsum(a0) - wii * load<f32>(p0 + io));
      store<f32>(M + <usize>(b + 1) * Nb + io, hsum(a1) - wii * load<f32>(p0 + Nb + io));
      store<f32>(M + <usize>(b + 2) * Nb + io, hsum(a2) - wii * load<f32>(p0 + 2 * Nb + io));
      store<f32>(M + <usize>(b + 3) * Nb + io, hsum(a3) - wii * load<f32>(p0 + 3 * Nb + io));
    }
    for (; b < B; b++) {
      const pb = P + <usize>b * Nb;
      let a = f32x4.splat(0);
      for (let o: usize = 0; o < Nb; o += 16) a = f32x4.add(a, f32x4.mul(v128.load(w + o), v128.load(pb + o)));
      const io = <usize>i << 2;
      store<f32>(M + <usize>b * Nb + io, hsum(a) - wii * load<f32>(pb + io));
    }
  }
}

/**
 * dW[i, j] = Σ_b G[b, i] P[b, j] (i ≠ j), dW[i, i] = 0 (rows split by thread); barrier;
 * dP[b, j] = Σ_{i≠j} W[i, j] G[b, i] (columns split by thread). args: MessagesBackwardArg (args.ts).
 */
export function messagesBackward(tid: i32, nth: i32, args: usize): void {
  const B = argI32(args, MessagesBackwardArg.B);
  const N = argI32(args, MessagesBackwardArg.N);
  const W = argPtr(args, MessagesBackwardArg.W);
  const G = argPtr(args, MessagesBackwardArg.G);
  const P = argPtr(args, MessagesBackwardArg.P);
  const dW = argPtr(args, MessagesBackwardArg.dW);
  const dP = argPtr(args, MessagesBackwardArg.dP);
  const bar = argPtr(args, MessagesBackwardArg.bar);
  const Nb = <usize>N << 2;
  let r0 = sliceStart(N, tid, nth, 4);
  let r1 = sliceStart(N, tid + 1, nth, 4);
  for (let i = r0; i < r1; i++) {
    const row = dW + <usize>i * Nb;
    const gi = G + (<usize>i << 2);
    // Frames in groups of 4 with the G[b, i] splats hoisted out of the column loop.
    let b = 0;
    for (; b + 4 <= B; b += 4) {
      const g0 = f32x4.splat(load<f32>(gi + <usize>b * Nb));
      const g1 = f32x4.splat(load<f32>(gi + <usize>(b + 1) * Nb));
      const g2 = f32x4.splat(load<f32>(gi + <usize>(b + 2) * Nb));
      const g3 = f32x4.splat(load<f32>(gi + <usize>(b + 3) * Nb));
      const p0 = P + <usize>b * Nb;
      for (let o: usize = 0; o < Nb; o += 16) {
        let acc = b == 0 ? f32x4.splat(0) : v128.load(row + o);
        acc = f32x4.add(acc, f32x4.mul(g0, v128.load(p0 + o)));
        acc = f32x4.add(acc, f32x4.mul(g1, v128.load(p0 + Nb + o)));
        acc = f32x4.add(acc, f32x4.mul(g2, v128.load(p0 + 2 * Nb + o)));
        acc = f32x4.add(acc, f32x4.mul(g3, v128.load(p0 + 3 * Nb + o)));
        v128.store(row + o, acc);
      }
    }
    for (; b < B; b++) {
      const gb = f32x4.splat(load<f32>(gi + <usize>b * Nb));
      const pb = P + <usize>b * Nb;
      for (let o: usize = 0; o < Nb; o += 16) {
        const acc = b == 0 ? f32x4.splat(0) : v128.load(row + o);
        v128.store(row + o, f32x4.add(acc, f32x4.mul(gb, v128.load(pb + o))));
      }
    }
    store<f32>(row + (<usize>i << 2), 0);
  }
  // Columns: this thread's slice of dP, accumulated over all rows i.
  r0 = sliceStart(N, tid, nth, 4);
  r1 = sliceStart(N, tid + 1, nth, 4);
  const c0 = <usize>r0 << 2;
  const c1 = <usize>r1 << 2;
  for (let b = 0; b < B; b++) memory.fill(dP + <usize>b * Nb + c0, 0, c1 - c0);
  for (let i = 0; i < N; i++) {
    const w = W + <usize>i * Nb;
    const gi = G + (<usize>i << 2);
    // Frames in groups of 4: each W[i, o] vector is loaded once per group.
    let b = 0;
    for (; b + 4 <= B; b += 4) {
      const g0 = v128.load32_splat(gi + <usize>b * Nb);
      const g1 = v128.load32_splat(gi + <usize>(b + 1) * Nb);
      const g2 = v128.load32_splat(gi + <usize>(b + 2) * Nb);
      const g3 = v128.load32_splat(gi + <usize>(b + 3) * Nb);
      const d = dP + <usize>b * Nb;
      for (let o = c0; o < c1; o += 16) {
        const wv = v128.load(w + o);
        const d0 = d + o;
        v128.store(d0, f32x4.add(v128.load(d0), f32x4.mul(wv, g0)));
        v128.store(d0 + Nb, f32x4.add(v128.load(d0 + Nb), f32x4.mul(wv, g1)));
        v128.store(d0 + 2 * Nb, f32x4.add(v128.load(d0 + 2 * Nb), f32x4.mul(wv, g2)));
        v128.store(d0 + 3 * Nb, f32x4.add(v128.load(d0 + 3 * Nb), f32x4.mul(wv, g3)));
      }
    }
    for (; b < B; b++) {
      const gv = v128.load32_splat(gi + <usize>b * Nb);
      const d = dP + <usize>b * Nb;
      for (let o = c0; o < c1; o += 16) v128.store(d + o, f32x4.add(v128.load(d + o), f32x4.mul(v128.load(w + o), gv)));
    }
  }
  for (let j = r0; j < r1; j++) {
    const wjj = load<f32>(W + <usize>j * Nb + (<usize>j << 2));
    for (let b = 0; b < B; b++) {
      const o = <usize>b * Nb + (<usize>j << 2);
      store<f32>(dP + o, load<f32>(dP + o) - wjj * load<f32>(G + o));
    }
  }
  barrier(bar, nth);
}

/** Adam on n elements (n multiple of 4 or tail handled). args: AdamArg (args.ts). */
export function adam(tid: i32, nth: i32, args: usize): void {
  const n = argI32(args, AdamArg.n);
  const p = argPtr(args, AdamArg.p);
  const g = argPtr(args, AdamArg.g);
  const m = argPtr(args, AdamArg.m);
  const v = argPtr(args, AdamArg.v);
  const step = argF32(args, AdamArg.step);
  const b1 = argF32(args, AdamArg.beta1);
  const b2 = argF32(args, AdamArg.beta2);
  const eps = argF32(args, AdamArg.eps);
  const sbc2 = argF32(args, AdamArg.sqrtBc2);
  const e0 = sliceStart(n, tid, nth, 4);
  const e1 = sliceStart(n, tid + 1, nth, 4);
  const vb1 = f32x4.splat(b1);
  const vb1c = f32x4.splat(1 - b1);
  const vb2 = f32x4.splat(b2);
  const vb2c = f32x4.splat(1 - b2);
  const vstep = f32x4.splat(step);
  const veps = f32x4.splat(eps);
  const vs = f32x4.splat(sbc2);
  let e = e0;
  for (; e + 4 <= e1; e += 4) {
    const o = <usize>e << 2;
    const gv = v128.load(g + o);
    const mv = f32x4.add(f32x4.mul(vb1, v128.load(m + o)), f32x4.mul(vb1c, gv));
    const vv = f32x4.add(f32x4.mul(vb2, v128.load(v + o)), f32x4.mul(vb2c, f32x4.mul(gv, gv)));
    v128.store(m + o, mv);
    v128.store(v + o, vv);
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(vv), vs), veps);
    v128.store(p + o, f32x4.sub(v128.load(p + o), f32x4.div(f32x4.mul(vstep, mv), denom)));
  }
  for (; e < e1; e++) {
    const o = <usize>e << 2;
    const gk = load<f32>(g + o);
    const mk = b1 * load<f32>(m + o) + (1 - b1) * gk;
    const vk = b2 * load<f32>(v + o) + (1 - b2) * gk * gk;
    store<f32>(m + o, mk);
    store<f32>(v + o, vk);
    store<f32>(p + o, load<f32>(p + o) - (step * mk) / (Mathf.sqrt(vk) / sbc2 + eps));
  }
}
