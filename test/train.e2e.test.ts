/**
 * End to end: `neural-gnn train` (the built CLI) on the embedded quick config (W R² and the
 * clustering step), on a dataset written by python3 + numpy without derivative.npy, Ctrl-C and
 * --resume, and the errors for bad input.
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readNpy, writeNpy } from "../src/io/npy.js";
import { ROOT, cli, cliAsync, hasNumpy, python, useTempDir } from "./helpers.js";

const readMetrics = (models: string) =>
  readFileSync(join(models, "metrics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { epoch: number; iteration: number; total_iterations: number; W_r2: number; loss: number });

describe("neural-gnn train on the quick default", () => {
  // One run trained and plotted before the tests and only read by them; a test that writes (or
  // that would write if what it checks were broken) works in a copy or a folder of its own.
  const tmp = useTempDir();
  let runs: string;
  let models: string;
  let trained: Awaited<ReturnType<typeof cliAsync>>;
  let plotted: Awaited<ReturnType<typeof cliAsync>>;
  beforeAll(async () => {
    runs = join(tmp.root, "runs");
    models = join(runs, "quick", "models");
    const generated = await cliAsync(["generate", "--runs", runs, "-q"]);
    expect(generated.status, generated.stderr).toBe(0);
    trained = await cliAsync(["train", "--runs", runs]);
    expect(trained.status, trained.stderr).toBe(0);
    plotted = await cliAsync(["plot", "--runs", runs]);
  }, 360_000);

  /** A copy of the trained run in a folder of its own; returns its runs folder. */
  const copyOfRuns = () => {
    const own = join(tmp.fresh(), "runs");
    cpSync(runs, own, { recursive: true });
    return own;
  };

  it("reaches W R² ≥ 0.99 and the clustering step finds the 4 neuron types", () => {
    // The quick config carries the fast recipe's settings: epoch 0 is 375 iterations of 64 frames.
    expect(trained.stderr).toMatch(/training: 8 epochs × 3000 iterations \(epoch 0: 375\), batch 8 \(epoch 0: 64\)/);
    const m = readMetrics(models);
    expect(m).toHaveLength(8 * 21);
    expect(m[m.length - 1]).toMatchObject({ epoch: 7, iteration: 2999, total_iterations: 21375 });
    expect(m[m.length - 1].W_r2).toBeGreaterThanOrEqual(0.99);
    expect(m[0].W_r2).toBeLessThan(0.1);
    const c = JSON.parse(readFileSync(join(models, "clustering_epoch_3.json"), "utf8"));
    expect(c.n_clusters).toBe(4);
    expect(c.accuracy).toBeGreaterThanOrEqual(0.95);
    const files = readdirSync(models);
    expect(files.filter((f) => /^epoch_\d+_iter_\d+\.safetensors$/.test(f))).toHaveLength(8 * 21);
    expect(files.filter((f) => /^epoch_\d+_end\.safetensors$/.test(f))).toHaveLength(8);
    const summary = JSON.parse(readFileSync(join(models, "training.json"), "utf8"));
    // Trained without --recipe: the record names the recipe whose keys the config has.
    expect(summary).toMatchObject({ total_iterations: 21375, xnorm: 17, derivative: "derivative.npy", recipe: "fast" });
  });

  it("plot evaluates the final checkpoint: metrics.json and Fig 2d–h, Supp Fig 1", () => {
    expect(plotted.status, plotted.stderr).toBe(0);
    const m = JSON.parse(readFileSync(join(runs, "quick", "results", "metrics.json"), "utf8"));
    expect(m.checkpoint).toBe(join(models, "epoch_7_iter_2999.safetensors"));
    expect(m.total_iterations).toBe(21375);
    expect(m.connectivity.r2).toBeGreaterThanOrEqual(0.99);
    expect(m.connectivity.slope).toBeGreaterThan(0.95);
    expect(m.connectivity.slope).toBeLessThan(1.05);
    expect(m.connectivity.r2_raw).toBeCloseTo(m.connectivity.r2, 6);
    expect(m.clustering.n_clusters).toBeGreaterThanOrEqual(4);
    expect(m.clustering.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(m.functions.phi_rmse_by_type).toHaveLength(4);
    for (const e of m.functions.phi_rmse_by_type) expect(e).toBeLessThan(0.2);
    expect(m.functions.psi_rmse).toBeLessThan(0.1);
    const figs = ["fig2d_connectivity_learned", "fig2e_W_learned_vs_true", "fig2f_embeddings", "fig2g_phi", "fig2h_psi"];
    for (const f of [...figs, "supp1_training_montage", "training_W_r2"]) {
      for (const ext of ["svg", "png"]) expect(existsSync(join(runs, "quick", "figures", `${f}.${ext}`)), f).toBe(true);
    }
    expect(plotted.stderr).toMatch(/W: R² 0\.99\d\d, slope/);
  });

  it("test: rollout and generalisation (Supp Figs 2, 5, 6) with metrics and figures", async () => {
    const own = copyOfRuns();
    const r = await cliAsync(["test", "--runs", own, "--new-params", "0.25,10,20,30,40", "--new-params", "0.5,60,40,0,0"]);
    expect(r.status, r.stderr).toBe(0);
    const m = JSON.parse(readFileSync(join(own, "quick", "results", "metrics.json"), "utf8"));
    expect(m.connectivity.r2).toBeGreaterThan(0.99); // plot's keys are kept
    expect(m.rollout.steps).toBe(1000);
    // The quick model is small and briefly trained: its rollout follows the truth over the first
    // 100 steps (R² ≥ 0.996 at step 110 in each of 9 runs: training seeds 1, 2, 3 and 16 on the AVX2
    // and the AVX-512 kernels, seed 16 on the portable ones), then parts from it at a step that varies
    // with the seed and the kernel set (R² at step 400: 0.42 to 0.998 in those runs; README, the
    // quick default's table). The paper-level target (≥ 0.95 at step 400) is for Figure 2.
    const at = (step: number) => (m.rollout.every10 as { step: number; r2: number }[]).find((e) => e.step === step);
    expect(at(100)?.r2).toBeGreaterThan(0.99);
    expect(m.rollout.t400.status).toBe("ok");
    expect(m.rollout.every10).toHaveLength(100);
    for (const key of ["supp5", "supp6"]) {
      expect(m.generalisation[key].t400.r2, key).toBeGreaterThan(0.98);
      expect(m.generalisation[key].t800.status).toBe("ok");
    }
    expect(m.generalisation.supp5.weights).toBeGreaterThan(0.2 * 100 * 99);
    expect(m.generalisation.supp5.weights).toBeLessThan(0.3 * 100 * 99);
    const figs = [
      "supp2_rollout_t400",
      "supp2_rollout_t800",
      "supp5b_type_histogram",
      "supp5d_connectivity",
      "supp5ef_rollout_t400",
    ];
    for (const f of [...figs, "supp5gh_rollout_t800", "supp6ef_rollout_t400", "supp6gh_rollout_t800"]) {
      expect(existsSync(join(own, "quick", "figures", `${f}.png`)), f).toBe(true);
    }
    const bad = cli(["test", "--runs", own, "--new-params", "0.5,60,50,0,0", "-q"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/the percentages add up to 110, more than 100/);
  }, 120_000);

  it("plot and test take --data when it is the folder trained on, and refuse another one", () => {
    const own = copyOfRuns();
    const metrics = join(own, "quick", "results", "metrics.json");
    const before = readFileSync(metrics);
    const wrong = cli(["test", "--runs", own, "--data", join(tmp.root, "elsewhere"), "-q"]);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/--data .*elsewhere: the training in .*models was on .*quick[/\\]data \(training\.json\)/);
    expect(readFileSync(metrics).equals(before)).toBe(true);
    const same = cli(["plot", "--runs", own, "--data", join(own, "quick", "data"), "-q"]);
    expect(same.status, same.stderr).toBe(0);
  });

  it("refuses to overwrite an earlier training, and checks the config against the dataset", () => {
    const own = copyOfRuns();
    const ownModels = join(own, "quick", "models");
    const before = readFileSync(join(ownModels, "metrics.jsonl"));
    const r = cli(["train", "--runs", own, "-q"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/holds an earlier training: use --resume to continue it or --force to start over/);
    expect(readFileSync(join(ownModels, "metrics.jsonl")).equals(before)).toBe(true);
    const n = cli(["train", "--runs", own, "-q", "--force", "--set", "simulation.n_neurons=50"]);
    expect(n.stderr).toMatch(/dataset has 100 neurons but .*quick\.yaml says n_neurons = 50/);
    expect(readFileSync(join(ownModels, "metrics.jsonl")).equals(before)).toBe(true);
  });

  it("stops cleanly on Ctrl-C and --resume gives the same model as an uninterrupted run", async () => {
    const data = join(runs, "quick", "data");
    const args = ["train", "--data", data, "--epochs", "2", "--iterations-per-epoch", "1500", "--threads", "1"];
    const a = join(tmp.fresh(), "runs");
    expect((await cliAsync([...args, "--runs", a, "-q"])).status).toBe(0);

    const b = join(tmp.fresh(), "runs");
    const child = spawn(process.execPath, [join(ROOT, "bin", "neural-gnn.js"), ...args, "--runs", b], { cwd: ROOT });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const metricsB = join(b, "quick", "models", "metrics.jsonl");
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (existsSync(metricsB) && readFileSync(metricsB, "utf8").split("\n").length > 4) {
          clearInterval(poll);
          child.kill("SIGINT");
          resolve();
        }
      }, 20);
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/interrupted: state saved after epoch \d, iteration \d+; continue with --resume/);
    const r = await cliAsync([...args, "--runs", b, "--resume", "-q"]);
    expect(r.status, r.stderr).toBe(0);
    const end = (root: string) => readFileSync(join(root, "quick", "models", "epoch_1_end.safetensors"));
    expect(end(b).equals(end(a))).toBe(true);
    const strip = (root: string) => readMetrics(join(root, "quick", "models")).map((m) => ({ ...m, seconds: 0 }));
    expect(strip(b)).toEqual(strip(a));
  }, 120_000);

  it("names the frame and neuron of a NaN in the data, and keeps the results", () => {
    const own = copyOfRuns();
    const ownModels = join(own, "quick", "models");
    const data = join(tmp.fresh(), "data");
    cpSync(join(runs, "quick", "data"), data, { recursive: true });
    const x = readNpy(join(data, "activity.npy"));
    const bad = Float32Array.from(x.data as Float32Array);
    bad[1234 * 100 + 56] = Number.NaN;
    writeNpy(join(data, "activity.npy"), bad, x.shape);
    const before = readFileSync(join(ownModels, "metrics.jsonl"));
    const r = cli(["train", "--runs", own, "--data", data, "--force", "-q"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/activity\.npy: NaN at frame 1234, neuron 56/);
    expect(readFileSync(join(ownModels, "metrics.jsonl")).equals(before)).toBe(true);
    rmSync(join(data, "dataset.json"));
    expect(cli(["train", "--runs", own, "--data", data, "-q"]).stderr).toMatch(/no dataset\.json \(not a dataset folder\)/);
  });

  it("--recipe fast: epoch 0 of 375 iterations of 64 frames, then the config's; plot reads its checkpoints", async () => {
    const own = copyOfRuns();
    const t = await cliAsync(["train", "--runs", own, "--recipe", "fast", "--force", "--epochs", "2"]);
    expect(t.status, t.stderr).toBe(0);
    expect(t.stderr).toMatch(/training: 2 epochs × 3000 iterations \(epoch 0: 375\), batch 8 \(epoch 0: 64\)/);
    const m = readMetrics(join(own, "quick", "models"));
    // Recorded every 375 // 20 = 18 iterations in epoch 0; epoch 1 counts on from 375.
    const epoch0 = m.filter((r) => r.epoch === 0).map((r) => r.iteration);
    expect(epoch0).toEqual([0, ...Array.from({ length: 20 }, (_, k) => 18 * k + 17)]);
    expect(m.find((r) => r.epoch === 1)).toMatchObject({ iteration: 0, total_iterations: 376 });
    expect(m[m.length - 1]).toMatchObject({ epoch: 1, iteration: 2999, total_iterations: 3375 });
    expect(m[m.length - 1].W_r2).toBeGreaterThan(0.9);
    const p = await cliAsync(["plot", "--runs", own, "-q"]);
    expect(p.status, p.stderr).toBe(0);
    const metrics = JSON.parse(readFileSync(join(own, "quick", "results", "metrics.json"), "utf8"));
    expect(metrics).toMatchObject({ checkpoint: expect.stringMatching(/epoch_1_iter_2999/), total_iterations: 3375 });
  }, 120_000);

  it("trains and plots without ground truth, skipping what needs it", async () => {
    const data = join(tmp.fresh(), "data");
    cpSync(join(runs, "quick", "data"), data, { recursive: true });
    rmSync(join(data, "connectivity.npy"));
    rmSync(join(data, "neuron_types.npy"));
    const other = join(tmp.fresh(), "runs");
    const t = await cliAsync(["train", "--runs", other, "--data", data, "--epochs", "1", "--iterations-per-epoch", "300"]);
    expect(t.status, t.stderr).toBe(0);
    expect(t.stderr).toMatch(/ground truth: none/);
    expect(readMetrics(join(other, "quick", "models")).every((m) => m.W_r2 === null)).toBe(true);
    const p = await cliAsync(["plot", "--runs", other]);
    expect(p.status, p.stderr).toBe(0);
    expect(p.stderr).toMatch(/Fig 2e skipped: the dataset has no true connectivity/);
    const m = JSON.parse(readFileSync(join(other, "quick", "results", "metrics.json"), "utf8"));
    expect(m.connectivity).toBeNull();
    expect(m.clustering.accuracy).toBeNull();
    expect(m.functions.phi_rmse_by_type).toBeNull();
    expect(existsSync(join(other, "quick", "figures", "fig2e_W_learned_vs_true.svg"))).toBe(false);
    expect(existsSync(join(other, "quick", "figures", "fig2g_phi.svg"))).toBe(true);
  }, 120_000);
});

describe.skipIf(!hasNumpy())("neural-gnn train on a dataset written by numpy", () => {
  const tmp = useTempDir();
  it("uses forward differences when derivative.npy is absent and learns W", async () => {
    const dir = tmp.root;
    const data = join(dir, "np-data");
    // An independent float64 simulation of the same system (Euler, Cauchy W / N^0.7, 4 types),
    // saved as numpy writes it: int64 types, no derivative.npy.
    python(`
import json, os, numpy as np
out = ${JSON.stringify(data)}; os.makedirs(out)
rng = np.random.default_rng(0)
N, T, dt = 100, 6001, 0.01
types = np.repeat(np.arange(4), N // 4)
s = np.array([1.0, 2.0, 1.0, 2.0])[types]; c = np.array([1.0, 1.0, 2.0, 2.0])[types]
W = rng.standard_cauchy((N, N)); W[np.abs(W) > 25] = 0; W /= N ** 0.7; np.fill_diagonal(W, 0)
x = np.zeros((T, N), np.float32); u = rng.normal(0, 5, N)
for t in range(-500, T):
    if t >= 0: x[t] = u
    u = u + dt * (-c * u + s * np.tanh(u) + 10 * W @ np.tanh(u))
np.save(f"{out}/activity.npy", x)
np.save(f"{out}/connectivity.npy", W.astype(np.float32))
np.save(f"{out}/neuron_types.npy", types)
json.dump({"format": "neural-gnn-dataset", "version": 1, "n_neurons": N, "n_frames": T, "delta_t": dt}, open(f"{out}/dataset.json", "w"))
`);
    const r = await cliAsync([
      "train",
      "--data",
      data,
      "--runs",
      join(dir, "runs"),
      "--epochs",
      "1",
      "--iterations-per-epoch",
      "3000",
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/100 neurons, 6001 frames, Δt 0\.01, dx\/dt from forward differences, ground truth: W and types/);
    const m = readMetrics(join(dir, "runs", "quick", "models"));
    expect(m).toHaveLength(21);
    expect(m[0].W_r2).toBeLessThan(0.05);
    expect(m[m.length - 1].W_r2).toBeGreaterThan(0.3);
    expect(m[m.length - 1].loss).toBeLessThan(0.5 * m[0].loss);
  }, 120_000);
});
