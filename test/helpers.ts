/** Shared test helpers: tolerances, temp folders, python3+numpy availability. */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect } from "vitest";
import { Rng } from "../src/core/rng.js";
import type { Backend } from "../src/kernels/backend.js";
import { loadNative } from "../src/kernels/native/addon.js";
import { WasmEngine } from "../src/kernels/wasm/engine.js";
import { Workspace } from "../src/model/gnn.js";
import { type ModelShape, ParamSet, initParams } from "../src/model/params.js";

export const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
/** The reference implementation's configs, vendored unchanged. */
export const UPSTREAM_CONFIGS = resolve(ROOT, "test", "fixtures", "upstream-configs");

/** max_i |a_i − b_i| / (atol + rtol·|b_i|) ≤ 1, reporting the worst index on failure. */
export function allclose(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number, atol = 0): { ok: boolean; worst: string } {
  if (a.length !== b.length) return { ok: false, worst: `length ${a.length} vs ${b.length}` };
  let worst = 0;
  let at = -1;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(a[i] - b[i]) / (atol + rtol * Math.abs(b[i]) || 1e-300);
    if (!(e <= worst)) {
      worst = e;
      at = i;
    }
  }
  return { ok: worst <= 1, worst: at < 0 ? "none" : `index ${at}: ${a[at]} vs ${b[at]} (ratio ${worst})` };
}

export function tempDir(prefix = "ngnn-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * A temp folder of their own for the tests of the enclosing describe block: created before them,
 * removed after them. Inside hooks and tests, `tmp.root` is the folder and `tmp.fresh()` makes a new
 * empty folder in it, for a test that writes files no other test should see.
 */
export function useTempDir(prefix = "ngnn-"): { readonly root: string; fresh(): string } {
  let root: string | undefined;
  beforeAll(() => {
    root = tempDir(prefix);
  });
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });
  const get = () => {
    if (!root) throw new Error("useTempDir: the folder exists only inside the block's hooks and tests");
    return root;
  };
  return {
    get root() {
      return get();
    },
    fresh: () => mkdtempSync(join(get(), "t-")),
  };
}

let numpy: boolean | undefined;
/** Whether python3 with numpy is available (interop tests skip visibly otherwise). */
export function hasNumpy(): boolean {
  if (numpy === undefined) {
    numpy = spawnSync("python3", ["-c", "import numpy"], { stdio: "ignore" }).status === 0;
    if (!numpy) console.warn("python3 + numpy not available: numpy interop tests are SKIPPED");
  }
  return numpy;
}

/** Run a python3 snippet and return its stdout. */
export function python(code: string): string {
  return execFileSync("python3", ["-c", code], { encoding: "utf8" });
}

/** Run the built CLI; returns exit status and output. */
export function cli(args: string[], cwd = ROOT): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "neural-gnn.js"), ...args], { cwd, encoding: "utf8" });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Run the built CLI without blocking the test worker (for long commands). */
export function cliAsync(args: string[], cwd = ROOT): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "bin", "neural-gnn.js"), ...args], { cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

/**
 * A 1-thread and a 2-thread WebAssembly engine for the tests of the enclosing describe block:
 * created before them, closed after them. Read `engines.e1` / `engines.e2` inside the tests.
 */
export function useEngines(): { e1: WasmEngine; e2: WasmEngine } {
  const engines = {} as { e1: WasmEngine; e2: WasmEngine };
  beforeAll(async () => {
    engines.e1 = await WasmEngine.create({ threads: 1 });
    engines.e2 = await WasmEngine.create({ threads: 2 });
  });
  afterAll(async () => {
    await engines.e1.close();
    await engines.e2.close();
  });
  return engines;
}

/** The native addon, or why not: then the native tests are skipped, with a visible warning. */
export function nativeOrWarn(): ReturnType<typeof loadNative> {
  const loaded = loadNative();
  if ("why" in loaded) console.warn(`native backend tests are SKIPPED: ${loaded.why}`);
  return loaded;
}

/**
 * A random Figure-2-shaped problem on `backend` (N neurons, batch B, H hidden units): parameters
 * initialised as the reference with perturbed embeddings and W × 0.03, a random batch X, Y, and the
 * gradient set and workspace — the same numbers on every backend, for comparing them. With
 * `psiEmbedding`, PDE_N4's psi*([x_j, a_j]); with "pairs", PDE_N5's psi*([x_j, a_i, a_j]).
 */
export function randomProblem(
  backend: Backend,
  N: number,
  B: number,
  seed: number,
  H = 64,
  psiEmbedding: boolean | "pairs" = false,
) {
  const pairs = psiEmbedding === "pairs";
  const shape: ModelShape = {
    N,
    embeddingDim: 2,
    psi: { sizes: [pairs ? 5 : psiEmbedding ? 3 : 1, H, H, 1] },
    phi: { sizes: [3, H, H, 1] },
    ...(psiEmbedding === true ? { psiEmbedding } : {}),
    ...(pairs ? { psiPairs: true } : {}),
  };
  const p = new ParamSet(shape, backend);
  initParams(p, seed);
  const r = new Rng(seed, 77);
  for (let k = 0; k < p.a.length; k++) p.a[k] += 0.3 * r.normal();
  for (let k = 0; k < p.W.length; k++) p.W[k] *= 0.03;
  const X = backend.alloc(B * N);
  const Y = backend.alloc(B * N);
  for (let k = 0; k < B * N; k++) {
    X[k] = 6 * r.normal();
    Y[k] = 3 * r.normal();
  }
  return { shape, p, X, Y, grad: new ParamSet(shape, backend), ws: new Workspace(p, B, backend) };
}

/** Named tensors to differentiate (a ParamSet, or any set of named arrays). */
export interface FdParams {
  readonly specs: readonly { name: string }[];
  tensor(name: string): { length: number; [k: number]: number };
}

/**
 * Central finite differences (step h) of `loss()` against the analytic gradient `grad`, tensor by
 * tensor: the relative error ‖fd − g‖ / ‖fd‖ of each tensor of `p`. W's diagonal (masked, N×N) is
 * skipped and its gradient checked to be exactly 0. `loss` must read `p` (it is perturbed in place).
 */
export function fdRelativeErrors(p: FdParams, grad: FdParams, N: number, loss: () => number, h = 1e-6): Map<string, number> {
  const errors = new Map<string, number>();
  for (const spec of p.specs) {
    const theta = p.tensor(spec.name);
    const g = grad.tensor(spec.name);
    let num2 = 0;
    let diff2 = 0;
    for (let k = 0; k < theta.length; k++) {
      if (spec.name === "W" && Math.floor(k / N) === k % N) {
        expect(g[k]).toBe(0);
        continue;
      }
      const t0 = theta[k];
      theta[k] = t0 + h;
      const lp = loss();
      theta[k] = t0 - h;
      const lm = loss();
      theta[k] = t0;
      const fd = (lp - lm) / (2 * h);
      num2 += fd * fd;
      diff2 += (fd - g[k]) ** 2;
    }
    errors.set(spec.name, Math.sqrt(diff2 / num2));
  }
  return errors;
}

/** Plain-loop MLP: layers [W0, b0, W1, b1, …] (W [out, in]), ReLU between layers, input x (a scalar or a vector), scalar out. */
export function plainMlp(layers: ArrayLike<number>[], x: number | number[]): number {
  let h = typeof x === "number" ? [x] : x;
  for (let l = 0; 2 * l < layers.length; l++) {
    const W = layers[2 * l];
    const b = Array.from(layers[2 * l + 1]);
    const out = b.map((bo, o) => bo + h.reduce((acc, v, k) => acc + W[o * h.length + k] * v, 0));
    h = 2 * l + 2 < layers.length ? out.map((z) => Math.max(0, z)) : out;
  }
  return h[0];
}

/** A made-up external input Ω_i(k) in [0, 1.5] (0 for k < 3, a warm-up) for the integrator tests. */
export function testOmega(k: number, i: number): number {
  return k < 3 ? 0 : 0.5 + ((k * 7 + i * 3) % 11) / 10;
}
