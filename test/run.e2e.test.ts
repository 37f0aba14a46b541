/**
 * End to end: `neural-gnn run` on a tiny config (every step, then skipping, then --force), and the
 * HTML report opened in headless Chromium (figures present and visible, no external requests).
 */
import { cpSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { cliAsync, useTempDir } from "./helpers.js";

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
if (!CHROMIUM) console.warn("chromium not installed: the report browser test is SKIPPED (.ci/run installs it)");

const TINY = `dataset: tiny
simulation:
  connectivity_type: Lorentz
  params: [[10.0, 1.0, 1.0], [10.0, 2.0, 1.0], [10.0, 1.0, 2.0], [10.0, 2.0, 2.0]]
  n_neurons: 40
  n_neuron_types: 4
  n_frames: 2000
  delta_t: 0.01
  start_frame: -200
  seed: 3
graph_model:
  signal_model_name: PDE_N2
  prediction: first_derivative
  input_size: 1
  output_size: 1
  hidden_dim: 32
  n_layers: 3
  input_size_update: 3
  n_layers_update: 3
  hidden_dim_update: 32
  aggr_type: add
  embedding_dim: 2
  update_type: none
plotting:
  xlim: [-4, 4]
training:
  n_epochs: 2
  batch_size: 8
  small_init_batch_size: false
  data_augmentation_loop: 5
  seed: 7
  learning_rate_W_start: 4.0E-3
  learning_rate_start: 5.0E-4
  learning_rate_embedding_start: 7.5E-4
  coeff_lin_phi_zero: 1.0
`;

describe("neural-gnn run", () => {
  // One run done before the tests and only read by them; the test that runs again works in a copy.
  const tmp = useTempDir();
  let cfg: string;
  let runs: string;
  let report: string;
  let first: Awaited<ReturnType<typeof cliAsync>>;
  beforeAll(async () => {
    cfg = join(tmp.root, "tiny.yaml");
    writeFileSync(cfg, TINY);
    runs = join(tmp.root, "runs");
    report = join(runs, "tiny", "report.html");
    first = await cliAsync(["run", cfg, "--runs", runs]);
  }, 180_000);

  it("runs every step, writes the report and a summary table", () => {
    const r = first;
    expect(r.status, r.stderr).toBe(0);
    for (const s of ["generate", "train", "plot", "test", "report"]) expect(r.stderr).toContain(`━━ ${s}`);
    expect(r.stderr).toMatch(/W R² \(corrected\)\s+\d\.\d{3}\s+1\.0/);
    expect(r.stderr).toMatch(/Supp 6 R² step 400 \/ 800/);
    expect(r.stderr).toContain(`report: ${report}`);
    expect(existsSync(report)).toBe(true);
    const m = JSON.parse(readFileSync(join(runs, "tiny", "results", "metrics.json"), "utf8"));
    expect(Object.keys(m)).toEqual(
      expect.arrayContaining(["connectivity", "clustering", "functions", "rollout", "generalisation"]),
    );
    expect(Object.keys(m.generalisation).sort()).toEqual(["supp5", "supp6"]);
    const timings = JSON.parse(readFileSync(join(runs, "tiny", "run.json"), "utf8")).timings;
    expect(timings.map((t: { step: string }) => t.step)).toEqual(["generate", "train", "plot", "test"]);
    expect(timings.every((t: { skipped: boolean }) => !t.skipped)).toBe(true);
  });

  it("skips finished steps, and --force redoes them all", async () => {
    const own = join(tmp.fresh(), "runs");
    cpSync(runs, own, { recursive: true });
    const before = statSync(join(own, "tiny", "models", "training.json")).mtimeMs;
    const again = await cliAsync(["run", cfg, "--runs", own, "-q"]);
    expect(again.status, again.stderr).toBe(0);
    const timings = JSON.parse(readFileSync(join(own, "tiny", "run.json"), "utf8")).timings;
    expect(timings.every((t: { skipped: boolean }) => t.skipped)).toBe(true);
    expect(statSync(join(own, "tiny", "models", "training.json")).mtimeMs).toBe(before);
    const forced = await cliAsync(["run", cfg, "--runs", own, "--force", "-q"]);
    expect(forced.status, forced.stderr).toBe(0);
    const t2 = JSON.parse(readFileSync(join(own, "tiny", "run.json"), "utf8")).timings;
    expect(t2.every((t: { skipped: boolean }) => !t.skipped)).toBe(true);
    expect(statSync(join(own, "tiny", "models", "training.json")).mtimeMs).toBeGreaterThan(before);
  }, 180_000);

  it.skipIf(!CHROMIUM)(
    "the report renders offline in Chromium with every figure visible",
    async () => {
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const external: string[] = [];
        page.on("request", (req) => {
          const url = req.url();
          if (!url.startsWith("file:") && !url.startsWith("data:")) external.push(url);
        });
        await page.goto(pathToFileURL(report).href, { waitUntil: "load" });
        expect(await page.title()).toBe("neural-gnn report: tiny");
        const figures = await page.$$eval("figure img", (imgs) =>
          imgs.map((img) => {
            const el = img as HTMLImageElement;
            const box = el.getBoundingClientRect();
            const style = getComputedStyle(el);
            return {
              id: el.closest("figure")?.id ?? "",
              complete: el.complete,
              naturalWidth: el.naturalWidth,
              width: box.width,
              height: box.height,
              visible: style.visibility !== "hidden" && style.display !== "none" && Number(style.opacity) > 0,
            };
          }),
        );
        const ids = figures.map((f) => f.id);
        for (const id of [
          "fig2b_activity",
          "fig2c_connectivity_true",
          "fig2e_W_learned_vs_true",
          "fig2g_phi",
          "supp1_training_montage",
          "supp2_rollout_t400",
          "supp6gh_rollout_t800",
        ]) {
          expect(ids).toContain(id);
        }
        for (const f of figures) {
          expect(f.complete && f.naturalWidth > 0, `${f.id} decoded`).toBe(true);
          expect(f.width > 100 && f.height > 100 && f.visible, `${f.id} visible`).toBe(true);
        }
        expect(await page.locator("#metrics tr").count()).toBeGreaterThan(10);
        expect(await page.locator("#training-r2 tr").count()).toBe(6); // header + the paper's 5 checkpoints
        expect(external).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
