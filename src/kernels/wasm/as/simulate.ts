// PDE_N2 / PDE_N4 explicit-Euler integration, the hot loop of `generate`.
//   PDE_N2  dx_i/dt = -c_i x_i + s_i tanh(x_i) + g_i sum_j W_ij tanh(x_j)
//   PDE_N4  dx_i/dt = -c_i x_i + b_i + s_i tanh(x_i) + g_i sum_j W_ij tanh((x_j - h_j) / w_j)
//   with an external input Ω [nSteps, N] (Figure 3, multiplicative): the message term
//   g_i (Ω_i(k) sum_j W_ij ...) at step k; without one the numbers are bit for bit those above.
// Layout: W is [N, Np] row-major (row i = receiving neuron), Np = N rounded up to 4, zero padded.
// The sender's transfer (PDE_N2: tanh(x)) is double-buffered in `tb` ([2, Np]) so one barrier per
// step separates the threads; PDE_N4's self term tanh(x_i) is in `u`, read only by row i's thread.

import { PdeN2StepsArg, TanhInitArg } from "./args";
import { argF32, argI32, argPtr, barrier, hsum, sliceStart, tanh4 } from "./common";

/** tb[par*Np + i] = tanh(x_i) for this thread's rows. */
function tanhRows(x: usize, t: usize, r0: i32, r1: i32): void {
  let i = r0;
  for (; i + 4 <= r1; i += 4) {
    const o = <usize>i << 2;
    v128.store(t + o, tanh4(v128.load(x + o)));
  }
  for (; i < r1; i++) {
    const o = <usize>i << 2;
    store<f32>(t + o, <f32>Math.tanh(<f64>load<f32>(x + o)));
  }
}

/** PDE_N4: t[i] = tanh((x_i - h_i) / w_i) and u[i] = tanh(x_i) for this thread's rows. */
function transferRows(x: usize, w: usize, h: usize, t: usize, u: usize, r0: i32, r1: i32): void {
  let i = r0;
  for (; i + 4 <= r1; i += 4) {
    const o = <usize>i << 2;
    const xv = v128.load(x + o);
    v128.store(t + o, tanh4(f32x4.div(f32x4.sub(xv, v128.load(h + o)), v128.load(w + o))));
    v128.store(u + o, tanh4(xv));
  }
  for (; i < r1; i++) {
    const o = <usize>i << 2;
    const xi = load<f32>(x + o);
    store<f32>(t + o, <f32>Math.tanh(<f64>((xi - load<f32>(h + o)) / load<f32>(w + o))));
    store<f32>(u + o, <f32>Math.tanh(<f64>xi));
  }
}

/** out[i - r0 ... ] = sum_j W[i, j] t[j] for rows r0..r1 (4 rows at a time, f32x4 accumulators). */
function matvecRows(W: usize, Np: i32, t: usize, m: usize, r0: i32, r1: i32): void {
  const stride = <usize>Np << 2;
  let i = r0;
  for (; i + 4 <= r1; i += 4) {
    const w0 = W + <usize>i * stride;
    const w1 = w0 + stride;
    const w2 = w1 + stride;
    const w3 = w2 + stride;
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    let a3 = f32x4.splat(0);
    for (let o: usize = 0; o < stride; o += 16) {
      const tv = v128.load(t + o);
      a0 = f32x4.add(a0, f32x4.mul(v128.load(w0 + o), tv));
      a1 = f32x4.add(a1, f32x4.mul(v128.load(w1 + o), tv));
      a2 = f32x4.add(a2, f32x4.mul(v128.load(w2 + o), tv));
      a3 = f32x4.add(a3, f32x4.mul(v128.load(w3 + o), tv));
    }
    const mo = m + (<usize>i << 2);
    store<f32>(mo, hsum(a0));
    store<f32>(mo, hsum(a1), 4);
    store<f32>(mo, hsum(a2), 8);
    store<f32>(mo, hsum(a3), 12);
  }
  for (; i < r1; i++) {
    const wi = W + <usize>i * stride;
    let a = f32x4.splat(0);
    for (let o: usize = 0; o < stride; o += 16) {
      a = f32x4.add(a, f32x4.mul(v128.load(wi + o), v128.load(t + o)));
    }
    store<f32>(m + (<usize>i << 2), hsum(a));
  }
}

/**
 * Run `nSteps` Euler steps of PDE_N2 (or PDE_N4 when w is non-zero) on this thread's rows.
 * args: PdeN2StepsArg (args.ts).
 */
export function pdeN2Steps(tid: i32, nth: i32, args: usize): void {
  const N = argI32(args, PdeN2StepsArg.N);
  const Np = argI32(args, PdeN2StepsArg.Np);
  const W = argPtr(args, PdeN2StepsArg.W);
  const x = argPtr(args, PdeN2StepsArg.x);
  const tb = argPtr(args, PdeN2StepsArg.tb);
  const m = argPtr(args, PdeN2StepsArg.m);
  const c = argPtr(args, PdeN2StepsArg.c);
  const s = argPtr(args, PdeN2StepsArg.s);
  const g = argPtr(args, PdeN2StepsArg.g);
  const dt = argF32(args, PdeN2StepsArg.dt);
  const nSteps = argI32(args, PdeN2StepsArg.nSteps);
  const save = argI32(args, PdeN2StepsArg.save);
  const outX = argPtr(args, PdeN2StepsArg.outX);
  const outY = argPtr(args, PdeN2StepsArg.outY);
  const noise = argPtr(args, PdeN2StepsArg.noise);
  const noiseLevel = argF32(args, PdeN2StepsArg.noiseLevel);
  const bar = argPtr(args, PdeN2StepsArg.bar);
  let par = argI32(args, PdeN2StepsArg.par0);
  const b = argPtr(args, PdeN2StepsArg.b);
  const w = argPtr(args, PdeN2StepsArg.w);
  const h = argPtr(args, PdeN2StepsArg.h);
  const u = argPtr(args, PdeN2StepsArg.u);
  const omega = argPtr(args, PdeN2StepsArg.omega);
  const r0 = sliceStart(N, tid, nth, 4);
  const r1 = sliceStart(N, tid + 1, nth, 4);
  const tBytes = <usize>Np << 2;
  for (let k = 0; k < nSteps; k++) {
    const tCur = tb + <usize>par * tBytes;
    const tNext = tb + <usize>(1 - par) * tBytes;
    matvecRows(W, Np, tCur, m, r0, r1);
    const frame = <usize>k * <usize>N;
    for (let i = r0; i < r1; i++) {
      const o = <usize>i << 2;
      const xi = load<f32>(x + o);
      // The message m_i, times Ω_i(k) with an external input.
      const mi = omega ? load<f32>(omega + ((frame + <usize>i) << 2)) * load<f32>(m + o) : load<f32>(m + o);
      // PDE_N4: ((−c x + b) + s tanh x) + g m, the reference's order; PDE_N2: (−c x + s tanh x) + g m.
      const dxdt = w
        ? -load<f32>(c + o) * xi + load<f32>(b + o) + load<f32>(s + o) * load<f32>(u + o) + load<f32>(g + o) * mi
        : -load<f32>(c + o) * xi + load<f32>(s + o) * load<f32>(tCur + o) + load<f32>(g + o) * mi;
      if (save) {
        const fo = (frame + <usize>i) << 2;
        store<f32>(outX + fo, xi);
        store<f32>(outY + fo, dxdt);
      }
      let xn = xi + dt * dxdt;
      if (noiseLevel > 0) xn += noiseLevel * load<f32>(noise + ((frame + <usize>i) << 2));
      store<f32>(x + o, xn);
    }
    if (w) transferRows(x, w, h, tNext, u, r0, r1);
    else tanhRows(x, tNext, r0, r1);
    par = 1 - par;
    barrier(bar, nth);
  }
}

/**
 * tb[par] = tanh(x) (PDE_N4: tanh((x − h)/w), and u = tanh(x)) for this thread's rows, run once
 * before the first pdeN2Steps. args: TanhInitArg (args.ts).
 */
export function tanhInit(tid: i32, nth: i32, args: usize): void {
  const N = argI32(args, TanhInitArg.N);
  const r0 = sliceStart(N, tid, nth, 4);
  const r1 = sliceStart(N, tid + 1, nth, 4);
  const x = argPtr(args, TanhInitArg.x);
  const t = argPtr(args, TanhInitArg.t);
  const w = argPtr(args, TanhInitArg.w);
  if (w) transferRows(x, w, argPtr(args, TanhInitArg.h), t, argPtr(args, TanhInitArg.u), r0, r1);
  else tanhRows(x, t, r0, r1);
}
