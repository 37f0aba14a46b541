import { describe, expect, it } from "vitest";
import { Rng } from "../core/rng.js";
import { pwlFloats, pwlTables } from "./pwl-tables.js";

/** y = wOut · relu(W1 relu(w0 x + b0) + b1) + bOut in float64. */
function direct(H: number, w0: number[], b0: number[], W1: number[], b1: number[], wOut: number[], x: number): number {
  const h1 = w0.map((w, k) => Math.max(0, w * x + b0[k]));
  let y = 0;
  for (let o = 0; o < H; o++) {
    let z = b1[o];
    for (let k = 0; k < H; k++) z += W1[o * H + k] * h1[k];
    y += wOut[o] * Math.max(0, z);
  }
  return y;
}

/** The same through the tables: interval = number of breakpoints ≤ x, z2 = A_j (x − c_j) + Z_j. */
function viaTables(T: ReturnType<typeof pwlTables>, H: number, wOut: number[], x: number): number {
  let j = 0;
  for (let k = 0; k < H; k++) j += Number(T.t[k] <= x);
  j = Math.min(j, T.nI - 1);
  let y = 0;
  for (let o = 0; o < H; o++) y += wOut[o] * Math.max(0, T.A[j * H + o] * (x - T.c[j]) + T.Z[j * H + o]);
  return y;
}

describe("piecewise-linear tables of an MLP [1, H, H, 1]", () => {
  it("evaluate to the MLP everywhere: between, at and beyond the breakpoints, with units that never switch and shared breakpoints", () => {
    const H = 16;
    const r = new Rng(5, 1);
    const u = () => 2 * r.uniform() - 1;
    const w0 = Array.from({ length: H }, u);
    const b0 = Array.from({ length: H }, u);
    w0[3] = 0; // never switches: always on (b0 > 0) or off
    b0[3] = 0.4;
    w0[7] = 0;
    b0[7] = -0.2;
    w0[9] = 2 * w0[2]; // the same breakpoint as unit 2
    b0[9] = 2 * b0[2];
    const W1 = Array.from({ length: H * H }, u);
    const b1 = Array.from({ length: H }, u);
    const wOut = Array.from({ length: H }, u);
    const T = pwlTables(new Float32Array(pwlFloats(H)), H, w0, b0, W1, b1);
    expect(T.nI).toBe(H - 2 + 1);
    expect(Array.from(T.t.subarray(0, T.nI - 1))).toEqual([...T.t.subarray(0, T.nI - 1)].sort((p, q) => p - q));
    expect(Array.from(T.t.subarray(T.nI - 1))).toEqual([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]);
    const xs = [-50, -3, 3, 50, ...Array.from({ length: 400 }, () => 4 * u()), ...Array.from(T.t.subarray(0, T.nI - 1))];
    for (const x of xs) {
      const want = direct(H, w0, b0, W1, b1, wOut, x);
      expect(Math.abs(viaTables(T, H, wOut, x) - want), `x = ${x}`).toBeLessThan(1e-5 * (1 + Math.abs(want)) * (1 + Math.abs(x)));
    }
  });

  it("with no breakpoint (every w0 = 0) is one constant interval", () => {
    const H = 4;
    const T = pwlTables(new Float32Array(pwlFloats(H)), H, [0, 0, 0, 0], [1, -1, 2, 0.5], Array(16).fill(0.25), [0, 0, 0, -1]);
    expect(T.nI).toBe(1);
    const wOut = [1, 1, 1, 1];
    for (const x of [-10, 0, 10])
      expect(viaTables(T, H, wOut, x)).toBeCloseTo(
        direct(H, [0, 0, 0, 0], [1, -1, 2, 0.5], Array(16).fill(0.25), [0, 0, 0, -1], wOut, x),
        6,
      );
  });
});
