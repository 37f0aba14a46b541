import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { ROOT, allclose, fdRelativeErrors, nativeOrWarn, randomProblem as setup } from "../../../test/helpers.js";
import { Rng } from "../../core/rng.js";
import { Adam } from "../../model/adam.js";
import { lossAndGrad } from "../../model/gnn.js";
import { ParamSet } from "../../model/params.js";
import { lossCoeffs } from "../../model/regularisers.js";
import type { Arr, Backend } from "../backend.js";
import { referenceBackend } from "../reference.js";
import { loadNative, nativeIsas } from "./addon.js";
import { type NativeBackend, nativeBackend } from "./backend.js";

const PHI0 = lossCoeffs({ phiZero: 1 });
/** Every loss term on (edge_diff with a step δ large enough for many of its relus to be on). */
const ALL = lossCoeffs({ phiZero: 1, edgeDiff: 5, edgeDelta: 0.5, WL1: 1e-3 });
const RATES = { W: 1e-3, psi: 5e-4, phi: 5e-4, a: 7.5e-4 };
nativeOrWarn();
const ISAS = nativeIsas();

/** `steps` training steps (W's step fused into the backward pass when `fuse`). */
function train(backend: Backend, steps: number, N = 100, B = 8, H = 64, fuse = true, coeffs = PHI0, psiEmbedding = false) {
  const s = setup(backend, N, B, 3, H, psiEmbedding);
  const opt = new Adam(backend, s.p, RATES);
  const losses: number[] = [];
  for (let k = 0; k < steps; k++) {
    losses.push(lossAndGrad(backend, s.p, s.grad, s.ws, s.X, s.Y, B, coeffs, fuse ? opt : undefined).total);
    opt.step(s.p, s.grad);
  }
  return { losses, params: Float32Array.from(s.p.data), grad: Float32Array.from(s.grad.data.subarray(N * N)) };
}

/** Every gradient tensor of b within rtol of a's, relative to the tensor's largest entry. */
function expectGradsClose(a: ParamSet, b: ParamSet, rtol: number): void {
  for (const spec of a.specs) {
    const ga = a.tensor(spec.name);
    let scale = 0;
    for (const v of ga) scale = Math.max(scale, Math.abs(v));
    const r = allclose(b.tensor(spec.name), ga, rtol, rtol * scale);
    expect(r.ok, `${spec.name}: ${r.worst}`).toBe(true);
  }
}

describe.skipIf(ISAS.length === 0)("native backend vs reference (float32)", () => {
  const opened: NativeBackend[] = [];
  const make = (isa: string, threads: number, piecewise = true) => {
    const be = nativeBackend({ isa, threads, piecewise, alwaysSplit: true });
    opened.push(be);
    return be;
  };
  afterAll(() => {
    for (const be of opened) be.close();
  });

  describe.each(ISAS)("%s kernels", (isa) => {
    it.each([
      [100, 8, 64, 2, true],
      [100, 8, 64, 2, false],
      [37, 3, 48, 1, true],
      [61, 5, 16, 2, false],
      [29, 2, 80, 2, false],
      [29, 2, 144, 3, true],
      [53, 1, 64, 2, true],
    ])(
      "agrees on the forward pass, the loss and every gradient (N = %i, B = %i, H = %i, %i threads, psi* piecewise: %s)",
      (N, B, H, t, pw) => {
        const ref = referenceBackend("f32");
        const nat = make(isa, t, pw);
        const a = setup(ref, N, B, 3, H);
        const b = setup(nat, N, B, 3, H);
        const la = lossAndGrad(ref, a.p, a.grad, a.ws, a.X, a.Y, B, PHI0);
        const lb = lossAndGrad(nat, b.p, b.grad, b.ws, b.X, b.Y, B, PHI0);
        expect(Math.abs(lb.total - la.total) / la.total).toBeLessThan(1e-5);
        for (const key of ["F", "M", "P", "dP", "dPhiIn"] as const) {
          const r = allclose(b.ws[key], a.ws[key], 1e-4, 1e-5);
          expect(r.ok, `${key}: ${r.worst}`).toBe(true);
        }
        expectGradsClose(a.grad, b.grad, 1e-4);
      },
    );

    it("agrees over several Adam steps, W's step fused or not, and the fused op equals messagesBackward + adam", () => {
      const a = train(referenceBackend("f32"), 5, 100, 8, 64, false);
      const b = train(make(isa, 2), 5);
      const c = train(make(isa, 2), 5, 100, 8, 64, false);
      for (let k = 0; k < 5; k++) expect(Math.abs(b.losses[k] - a.losses[k]) / a.losses[k]).toBeLessThan(1e-4);
      const r = allclose(b.params, a.params, 1e-4, 1e-5);
      expect(r.ok, r.worst).toBe(true);
      expect(c.losses).toEqual(b.losses);
      expect(c.params).toEqual(b.params);
    });

    it.each([8, 1])("agrees with every loss term on (edge_diff, W L1), batch size %i, and over Adam steps", (B) => {
      const ref = referenceBackend("f32");
      const nat = make(isa, 2);
      const a = setup(ref, 100, B, 3);
      const b = setup(nat, 100, B, 3);
      const la = lossAndGrad(ref, a.p, a.grad, a.ws, a.X, a.Y, B, ALL);
      const lb = lossAndGrad(nat, b.p, b.grad, b.ws, b.X, b.Y, B, ALL);
      expect(la.edgeDiff).toBeGreaterThan(0);
      for (const key of ["total", "pred", "phiZero", "edgeDiff", "WL1"] as const) {
        expect(Math.abs(lb[key] - la[key]) / la[key], key).toBeLessThan(1e-5);
      }
      expectGradsClose(a.grad, b.grad, 1e-4);
      // W L1 on: W's step is not fused, W's gradient is computed and stepped as by the reference.
      const ta = train(ref, 5, 100, B, 64, false, ALL);
      const tb = train(nat, 5, 100, B, 64, true, ALL);
      for (let k = 0; k < 5; k++) expect(Math.abs(tb.losses[k] - ta.losses[k]) / ta.losses[k]).toBeLessThan(1e-4);
      const r = allclose(tb.params, ta.params, 1e-4, 1e-5);
      expect(r.ok, r.worst).toBe(true);
    });

    it.each([
      [100, 8, 2],
      [53, 1, 3],
    ])(
      "PDE_N4's psi*([x_j, a_j]) (N = %i, B = %i, %i threads): every loss term, the gradients, Adam steps with W's step fused",
      (N, B, t) => {
        // The float64 reference on the same (float32) numbers: the float32 one accumulates psi*'s bias
        // gradient of ±edge_diff terms in float32, off by ~4e-4 here.
        const ref = referenceBackend("f64");
        const nat = make(isa, t);
        const a = setup(ref, N, B, 3, 64, true);
        const b = setup(nat, N, B, 3, 64, true);
        a.p.data.set(b.p.data);
        a.X.set(b.X);
        a.Y.set(b.Y);
        const la = lossAndGrad(ref, a.p, a.grad, a.ws, a.X, a.Y, B, ALL);
        const lb = lossAndGrad(nat, b.p, b.grad, b.ws, b.X, b.Y, B, ALL);
        expect(la.edgeDiff).toBeGreaterThan(0);
        for (const key of ["total", "pred", "phiZero", "edgeDiff", "WL1"] as const) {
          expect(Math.abs(lb[key] - la[key]) / la[key], key).toBeLessThan(1e-5);
        }
        expectGradsClose(a.grad, b.grad, 1e-4);
        // Without W L1, W's step is fused into the backward pass.
        const EDGE = lossCoeffs({ edgeDiff: 5, edgeDelta: 0.5 });
        const ta = train(referenceBackend("f32"), 5, N, B, 64, false, EDGE, true);
        const tb = train(nat, 5, N, B, 64, true, EDGE, true);
        for (let k = 0; k < 5; k++) expect(Math.abs(tb.losses[k] - ta.losses[k]) / ta.losses[k]).toBeLessThan(1e-4);
        const r = allclose(tb.params, ta.params, 1e-4, 1e-5);
        expect(r.ok, r.worst).toBe(true);
      },
    );

    it("gives identical numbers for 1, 2 and 3 threads and across runs", () => {
      const a = train(make(isa, 1), 3, 70, 6);
      const b = train(make(isa, 2), 3, 70, 6);
      const c = train(make(isa, 3), 3, 70, 6);
      const d = train(make(isa, 2), 3, 70, 6);
      const small = nativeBackend({ isa, threads: 2 }); // small ops on one thread
      opened.push(small);
      const e = train(small, 3, 70, 6);
      expect(b.losses).toEqual(a.losses);
      expect(b.params).toEqual(a.params);
      expect(c.params).toEqual(a.params);
      expect(c.grad).toEqual(a.grad);
      expect(d.params).toEqual(b.params);
      expect(e.params).toEqual(b.params);
    });

    it("has gradients equal to central finite differences of the whole loss (float64 reference)", () => {
      const N = 6;
      const B = 3;
      const f64 = referenceBackend("f64");
      const nat = make(isa, 2);
      const a = setup(f64, N, B, 5, 16);
      const b = setup(nat, N, B, 5, 16);
      b.p.data.set(a.p.data);
      lossAndGrad(nat, b.p, b.grad, b.ws, b.X, b.Y, B, PHI0);
      const loss = () => lossAndGrad(f64, a.p, new ParamSet(a.shape, f64), a.ws, a.X, a.Y, B, PHI0).total;
      for (const [name, err] of fdRelativeErrors(a.p, b.grad, N, loss)) expect(err, name).toBeLessThan(1e-4);
    });

    it("steps Adam as the reference on any length", () => {
      const ref = referenceBackend("f32");
      const nat = make(isa, 2);
      for (const n of [5, 67, 70001]) {
        const r = new Rng(n, 1);
        const arrays = (be: Backend) => {
          const [p, g, m, v] = [0, 1, 2, 3].map(() => be.alloc(n));
          for (let k = 0; k < n; k++) {
            p[k] = r.normal();
            g[k] = r.normal();
          }
          return { p, g, m, v };
        };
        const x = arrays(ref);
        const y = arrays(nat);
        y.g.set(x.g);
        y.p.set(x.p);
        for (let t = 1; t <= 3; t++) {
          ref.adam(x.p, x.g, x.m, x.v, 1e-3, 0.9, 0.999, 1e-8, t);
          nat.adam(y.p, y.g, y.m, y.v, 1e-3, 0.9, 0.999, 1e-8, t);
        }
        for (const key of ["p", "m", "v"] as const) {
          // (1 − β2 rounded to float32 is off by 1.3e-5 relative.)
          const c = allclose(y[key] as Arr, x[key] as Arr, 5e-5, 1e-7);
          expect(c.ok, `${key}[${n}]: ${c.worst}`).toBe(true);
        }
      }
    });
  });

  it("rejects other arrays and unsupported shapes, and names its kernel set and threads", () => {
    const be = make("", 2);
    expect(be.name).toBe(`native-${ISAS[0]}-2t`);
    expect(be.alloc(16).byteOffset % 4).toBe(0);
    expect(() => be.messages(new Float64Array(16), be.alloc(16), 1, 4, be.alloc(4))).toThrowError(/Float32Array/);
    expect(() => be.messages(be.alloc(15), be.alloc(16), 1, 4, be.alloc(4))).toThrowError(/W has 15 elements, 16 needed/);
    expect(() => be.mlpForward({ sizes: [1, 10, 10, 1] }, [], be.alloc(1), 1, [], be.alloc(1))).toThrowError(
      /not of the form \[in, H, …, H, 1\]/,
    );
    be.close();
    expect(() => be.messages(be.alloc(16), be.alloc(4), 1, 4, be.alloc(4))).toThrowError(/closed/);
  });

  it("refuses a kernel set the CPU does not run", () => {
    const unsupported = ["avx512", "avx2"].find((isa) => !ISAS.includes(isa)) ?? "sse9";
    expect(() => nativeBackend({ isa: unsupported, threads: 1 })).toThrowError(/cannot run/);
  });
});

/** What the build recorded about the avx512e table: "built", "skipped: why" or "failed: why". */
const STATUS = join(ROOT, "build", "native-status.json");
const AVX512E_BUILD: string = existsSync(STATUS)
  ? (JSON.parse(readFileSync(STATUS, "utf8")).avx512e ?? "skipped: not recorded")
  : "skipped: no build";

describe("native addon loading", () => {
  // The AVX-512 source is then tested on this CPU (the avx512e kernels above); see isa_avx512e.c.
  // Skipped only where the build found no SIMDe (or was told not to use it); a failed build fails here.
  it.skipIf(!ISAS.includes("avx2") || AVX512E_BUILD.startsWith("skipped"))(
    "has the AVX-512 kernels on emulated AVX-512 where SIMDe is installed",
    () => {
      expect(AVX512E_BUILD).toBe("built");
      expect(ISAS).toContain("avx512e");
      const be = nativeBackend({ isa: "avx512e", threads: 1 });
      expect(be.isa).toBe("avx512e");
      be.close();
    },
  );

  // Where both run (an AVX-512 CPU, SIMDe installed), the emulation stands for the real kernels:
  // what avx512e's tests show on CPUs without AVX-512 holds for avx512.
  it.skipIf(!ISAS.includes("avx512") || !ISAS.includes("avx512e"))(
    "gives the real AVX-512 kernels' numbers bit for bit on emulated AVX-512 (Adam steps, every loss term, 2 threads)",
    () => {
      const run = (isa: string) => {
        const be = nativeBackend({ isa, threads: 2, alwaysSplit: true });
        try {
          return train(be, 5, 100, 8, 64, true, ALL);
        } finally {
          be.close();
        }
      };
      const real = run("avx512");
      const emulated = run("avx512e");
      expect(emulated.losses).toEqual(real.losses);
      expect(Buffer.from(emulated.params.buffer).equals(Buffer.from(real.params.buffer))).toBe(true);
      expect(Buffer.from(emulated.grad.buffer).equals(Buffer.from(real.grad.buffer))).toBe(true);
    },
  );

  it("explains why it is off when disabled", () => {
    vi.stubEnv("NEURAL_GNN_NATIVE", "0");
    try {
      expect(loadNative()).toEqual({ why: "disabled by NEURAL_GNN_NATIVE=0" });
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
