// GNN training kernels (float32, f32x4 SIMD): the message product and its backward, and Adam
// (the MLP kernels are in mlp.ts).

import { AdamArg, MessagesArg, MessagesBackwardArg } from "./args";
import { argF32, argI32, argPtr, barrier, hsum, sliceStart } from "./common";

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

/** b rounded up to whole 64-byte cache lines. */
// @ts-ignore: decorator
@inline function toLine(b: usize): usize {
  return (b + 63) & ~(<usize>63);
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
  const dPs = argPtr(args, MessagesBackwardArg.dPs);
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
  // Columns: this thread's slice of dP, accumulated over all rows i in a buffer of its own (rows
  // padded to whole cache lines; a line of dP shared at the slices' boundary would move between
  // the cores at every row i), copied to dP at the end.
  r0 = sliceStart(N, tid, nth, 4);
  r1 = sliceStart(N, tid + 1, nth, 4);
  const c0 = <usize>r0 << 2;
  const c1 = <usize>r1 << 2;
  const ld = toLine(c1 - c0); // bytes per frame in the own buffer
  const own = toLine(dPs) + <usize>tid * <usize>B * toLine(Nb);
  for (let b = 0; b < B; b++) memory.fill(own + <usize>b * ld, 0, c1 - c0);
  for (let i = 0; i < N; i++) {
    const w = W + <usize>i * Nb + c0;
    const gi = G + (<usize>i << 2);
    // Frames in groups of 4: each W[i, o] vector is loaded once per group.
    let b = 0;
    for (; b + 4 <= B; b += 4) {
      const g0 = v128.load32_splat(gi + <usize>b * Nb);
      const g1 = v128.load32_splat(gi + <usize>(b + 1) * Nb);
      const g2 = v128.load32_splat(gi + <usize>(b + 2) * Nb);
      const g3 = v128.load32_splat(gi + <usize>(b + 3) * Nb);
      const d = own + <usize>b * ld;
      for (let o: usize = 0; o < c1 - c0; o += 16) {
        const wv = v128.load(w + o);
        const d0 = d + o;
        v128.store(d0, f32x4.add(v128.load(d0), f32x4.mul(wv, g0)));
        v128.store(d0 + ld, f32x4.add(v128.load(d0 + ld), f32x4.mul(wv, g1)));
        v128.store(d0 + 2 * ld, f32x4.add(v128.load(d0 + 2 * ld), f32x4.mul(wv, g2)));
        v128.store(d0 + 3 * ld, f32x4.add(v128.load(d0 + 3 * ld), f32x4.mul(wv, g3)));
      }
    }
    for (; b < B; b++) {
      const gv = v128.load32_splat(gi + <usize>b * Nb);
      const d = own + <usize>b * ld;
      for (let o: usize = 0; o < c1 - c0; o += 16) v128.store(d + o, f32x4.add(v128.load(d + o), f32x4.mul(v128.load(w + o), gv)));
    }
  }
  for (let j = r0; j < r1; j++) {
    const wjj = load<f32>(W + <usize>j * Nb + (<usize>j << 2));
    const oj = (<usize>j << 2) - c0;
    for (let b = 0; b < B; b++) {
      const k = own + <usize>b * ld + oj;
      store<f32>(k, load<f32>(k) - wjj * load<f32>(G + <usize>b * Nb + (<usize>j << 2)));
    }
  }
  for (let b = 0; b < B; b++) memory.copy(dP + <usize>b * Nb + c0, own + <usize>b * ld, c1 - c0);
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
