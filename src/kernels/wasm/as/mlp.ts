// MLP kernels (float32, f32x4 SIMD) for widths [nIn, H, …, H, 1]: nh ≥ 1 hidden layers of width H
// (a multiple of 32), ReLU after each:
//   h_0 = relu(W_0 x + b_0),  h_a = relu(W_a h_{a−1} + b_a) (1 ≤ a < nh),  y = wOut · h_{nh−1} + bOut.
// The hidden-to-hidden layers and the activations come as tables of nh u32 pointers (entry a;
// entry 0 unused for the weight tables). The backward pass writes per-block partial gradients
// (blocks of BLOCK samples, fixed whatever the thread count), then reduces them in block order, so
// results do not depend on threads.

import { MlpBackwardArg, MlpForwardArg } from "./args";
import { argI32, argPtr, barrier, hsum, relu4, sliceStart } from "./common";

const BLOCK = 64;

/** Entry a of a pointer table. */
// @ts-ignore: decorator
@inline function entry(tab: usize, a: i32): usize {
  return <usize>load<u32>(tab + (<usize>a << 2));
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

/** hout = relu(W hin + b) over the non-zero hin[k], WT = Wᵀ [H, H] (row k = input k's weights), 8 output vectors at a time. */
// @ts-ignore: decorator
@inline function hiddenLayer(WT: usize, b: usize, hin: usize, hout: usize, H: i32): void {
  const Hb = <usize>H << 2;
  for (let o: usize = 0; o < Hb; o += 128) {
    let a0 = v128.load(b + o);
    let a1 = v128.load(b + o, 16);
    let a2 = v128.load(b + o, 32);
    let a3 = v128.load(b + o, 48);
    let a4 = v128.load(b + o, 64);
    let a5 = v128.load(b + o, 80);
    let a6 = v128.load(b + o, 96);
    let a7 = v128.load(b + o, 112);
    for (let k = 0; k < H; k++) {
      const hk = load<f32>(hin + (<usize>k << 2));
      if (hk == 0) continue;
      const v = f32x4.splat(hk);
      const w = WT + <usize>k * Hb + o;
      a0 = f32x4.add(a0, f32x4.mul(v128.load(w), v));
      a1 = f32x4.add(a1, f32x4.mul(v128.load(w, 16), v));
      a2 = f32x4.add(a2, f32x4.mul(v128.load(w, 32), v));
      a3 = f32x4.add(a3, f32x4.mul(v128.load(w, 48), v));
      a4 = f32x4.add(a4, f32x4.mul(v128.load(w, 64), v));
      a5 = f32x4.add(a5, f32x4.mul(v128.load(w, 80), v));
      a6 = f32x4.add(a6, f32x4.mul(v128.load(w, 96), v));
      a7 = f32x4.add(a7, f32x4.mul(v128.load(w, 112), v));
    }
    const d = hout + o;
    v128.store(d, relu4(a0));
    v128.store(d, relu4(a1), 16);
    v128.store(d, relu4(a2), 32);
    v128.store(d, relu4(a3), 48);
    v128.store(d, relu4(a4), 64);
    v128.store(d, relu4(a5), 80);
    v128.store(d, relu4(a6), 96);
    v128.store(d, relu4(a7), 112);
  }
}

/** y and every hidden layer's activations, per sample. args: MlpForwardArg (args.ts). */
export function mlpForward(tid: i32, nth: i32, args: usize): void {
  const S = argI32(args, MlpForwardArg.S);
  const nIn = argI32(args, MlpForwardArg.nIn);
  const H = argI32(args, MlpForwardArg.H);
  const W0T = argPtr(args, MlpForwardArg.W0T);
  const b0 = argPtr(args, MlpForwardArg.b0);
  const nh = argI32(args, MlpForwardArg.nh);
  const WT = argPtr(args, MlpForwardArg.WT);
  const b = argPtr(args, MlpForwardArg.b);
  const wOut = argPtr(args, MlpForwardArg.wOut);
  const bOut = load<f32>(argPtr(args, MlpForwardArg.bOut));
  const X = argPtr(args, MlpForwardArg.X);
  const A = argPtr(args, MlpForwardArg.A);
  const y = argPtr(args, MlpForwardArg.y);
  const s0 = sliceStart(S, tid, nth, BLOCK);
  const s1 = sliceStart(S, tid + 1, nth, BLOCK);
  const Hb = <usize>H << 2;
  for (let s = s0; s < s1; s++) {
    const x = X + <usize>s * <usize>nIn * 4;
    const h0 = entry(A, 0) + <usize>s * Hb;
    // h_0 = relu(W0 x + b0)
    for (let o: usize = 0; o < Hb; o += 16) {
      let z = v128.load(b0 + o);
      for (let c = 0; c < nIn; c++) {
        z = f32x4.add(z, f32x4.mul(v128.load(W0T + <usize>c * Hb + o), f32x4.splat(load<f32>(x + (<usize>c << 2)))));
      }
      v128.store(h0 + o, relu4(z));
    }
    let h = h0;
    for (let a = 1; a < nh; a++) {
      const hout = entry(A, a) + <usize>s * Hb;
      hiddenLayer(entry(WT, a), entry(b, a), h, hout, H);
      h = hout;
    }
    // y = wOut · h_{nh−1} + bOut
    let acc = f32x4.splat(0);
    for (let o: usize = 0; o < Hb; o += 16) acc = f32x4.add(acc, f32x4.mul(v128.load(wOut + o), v128.load(h + o)));
    store<f32>(y + (<usize>s << 2), hsum(acc) + bOut);
  }
}

/**
 * Over the non-zero dz[o] (listed in nz, n of them), in chunks of 16 columns k held in registers:
 * gW[o, k] += dz[o] · hin[k] and dzin[k] = [hin[k] > 0] · Σ_o dz[o] W[o, k] (W: [H, H], rows o).
 * Fusing the two keeps hin and the accumulators in registers.
 */
// @ts-ignore: decorator
@inline function backLayer(W: usize, gW: usize, hin: usize, dz: usize, dzin: usize, nz: usize, n: i32, H: i32): void {
  const Hb = <usize>H << 2;
  const zero = f32x4.splat(0);
  for (let k: usize = 0; k < Hb; k += 64) {
    const hk = hin + k;
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
      const zv = v128.load32_splat(dz + (o << 2));
      const g = gW + o * Hb + k;
      v128.store(g, f32x4.add(v128.load(g), f32x4.mul(zv, h0)));
      v128.store(g, f32x4.add(v128.load(g, 16), f32x4.mul(zv, h1v)), 16);
      v128.store(g, f32x4.add(v128.load(g, 32), f32x4.mul(zv, h2v)), 32);
      v128.store(g, f32x4.add(v128.load(g, 48), f32x4.mul(zv, h3)), 48);
      const w = W + o * Hb + k;
      a0 = f32x4.add(a0, f32x4.mul(v128.load(w), zv));
      a1 = f32x4.add(a1, f32x4.mul(v128.load(w, 16), zv));
      a2 = f32x4.add(a2, f32x4.mul(v128.load(w, 32), zv));
      a3 = f32x4.add(a3, f32x4.mul(v128.load(w, 48), zv));
    }
    const t = dzin + k;
    v128.store(t, v128.and(a0, f32x4.gt(h0, zero)));
    v128.store(t, v128.and(a1, f32x4.gt(h1v, zero)), 16);
    v128.store(t, v128.and(a2, f32x4.gt(h2v, zero)), 32);
    v128.store(t, v128.and(a3, f32x4.gt(h3, zero)), 48);
  }
}

/**
 * Parameter gradients summed over the samples, and dX. Per sample: dz_{nh−1} = dy·wOut ⊙ [h_{nh−1} > 0],
 * dz_{a−1} = [h_{a−1} > 0] ⊙ W_aᵀ dz_a, dW_a += dz_a h_{a−1}ᵀ, db_a += dz_a, then the first layer's.
 * args: MlpBackwardArg (args.ts).
 */
export function mlpBackward(tid: i32, nth: i32, args: usize): void {
  const S = argI32(args, MlpBackwardArg.S);
  const nIn = argI32(args, MlpBackwardArg.nIn);
  const H = argI32(args, MlpBackwardArg.H);
  const W0T = argPtr(args, MlpBackwardArg.W0T);
  const nh = argI32(args, MlpBackwardArg.nh);
  const W = argPtr(args, MlpBackwardArg.W);
  const wOut = argPtr(args, MlpBackwardArg.wOut);
  const X = argPtr(args, MlpBackwardArg.X);
  const A = argPtr(args, MlpBackwardArg.A);
  const dy = argPtr(args, MlpBackwardArg.dy);
  const partial = argPtr(args, MlpBackwardArg.partial);
  const reduced = argPtr(args, MlpBackwardArg.reduced);
  const dX = argPtr(args, MlpBackwardArg.dX);
  const bar = argPtr(args, MlpBackwardArg.bar);
  const nBlocks = argI32(args, MlpBackwardArg.nBlocks);
  const Hb = <usize>H << 2;
  const HHb = <usize>(H * H) * 4;
  const P = nIn * H + H + (nh - 1) * (H * H + H) + H + 4;
  const Pb = <usize>P << 2;
  // Per-thread scratch after `reduced`: two dz buffers ([H] f32 each, in turn) and the list of non-zero dz ([H] u32).
  const scratch = reduced + Pb + <usize>tid * (Hb * 3 + 64);
  const nz = scratch + 2 * Hb;
  for (let blk = tid; blk < nBlocks; blk += nth) {
    const g = partial + <usize>blk * Pb;
    memory.fill(g, 0, Pb);
    // [dW0T, db0, (dW_a, db_a) for a = 1 … nh−1, dwOut, dbOut (+3 pad)]; dW_a at gb0 + Hb + (a − 1)(HHb + Hb).
    const gW0T = g;
    const gb0 = gW0T + <usize>(nIn * H) * 4;
    const gwOut = gb0 + Hb + <usize>(nh - 1) * (HHb + Hb);
    const gbOut = gwOut + Hb;
    const sEnd = min(S, (blk + 1) * BLOCK);
    for (let s = blk * BLOCK; s < sEnd; s++) {
      const d = load<f32>(dy + (<usize>s << 2));
      const hl = entry(A, nh - 1) + <usize>s * Hb;
      const dv = f32x4.splat(d);
      store<f32>(gbOut, load<f32>(gbOut) + d);
      // dz = d·wOut ⊙ [h_{nh−1} > 0]; dwOut += d·h_{nh−1}; db_{nh−1} += dz (nh > 1; db0 below)
      let dz = scratch;
      const gbl = gb0 + <usize>(nh - 1) * (HHb + Hb);
      for (let o: usize = 0; o < Hb; o += 16) {
        const hv = v128.load(hl + o);
        v128.store(gwOut + o, f32x4.add(v128.load(gwOut + o), f32x4.mul(dv, hv)));
        const m = f32x4.gt(hv, f32x4.splat(0));
        const z = v128.and(f32x4.mul(dv, v128.load(wOut + o)), m);
        v128.store(dz + o, z);
        if (nh > 1) v128.store(gbl + o, f32x4.add(v128.load(gbl + o), z));
      }
      for (let a = nh - 1; a >= 1; a--) {
        const dzin = dz == scratch ? scratch + Hb : scratch;
        const gWa = gb0 + Hb + <usize>(a - 1) * (HHb + Hb);
        backLayer(entry(W, a), gWa, entry(A, a - 1) + <usize>s * Hb, dz, dzin, nz, nonZeros(dz, H, nz), H);
        dz = dzin;
        if (a > 1) {
          const gb = gb0 + <usize>(a - 1) * (HHb + Hb);
          for (let o: usize = 0; o < Hb; o += 16) v128.store(gb + o, f32x4.add(v128.load(gb + o), v128.load(dz + o)));
        }
      }
      // db0 += dz_0; dW0T[c, :] += x_c dz_0; dX[s, c] = W0T[c, :] · dz_0
      const x = X + <usize>s * <usize>nIn * 4;
      for (let o: usize = 0; o < Hb; o += 16) v128.store(gb0 + o, f32x4.add(v128.load(gb0 + o), v128.load(dz + o)));
      for (let c = 0; c < nIn; c++) {
        const xc = f32x4.splat(load<f32>(x + (<usize>c << 2)));
        const row = gW0T + <usize>c * Hb;
        let acc = f32x4.splat(0);
        for (let o: usize = 0; o < Hb; o += 16) {
          const z = v128.load(dz + o);
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
