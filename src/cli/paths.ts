/** Where things live: the package root (embedded configs, data), and a run's folder layout. */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Root of the installed package (holds configs/ and data/). */
export const PACKAGE_ROOT = resolve(fileURLToPath(new URL("../../", import.meta.url)));

/** The embedded quick default config. */
export const DEFAULT_CONFIG = join(PACKAGE_ROOT, "configs", "quick.yaml");

export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "0.0.0";
  }
}

/** Layout of a run folder `runs/<config name>/`. */
export function runPaths(runsDir: string, name: string) {
  return runLayout(resolve(runsDir, name));
}

/** The files and folders of the run folder `root`. */
export function runLayout(root: string) {
  return {
    root,
    config: join(root, "config.yaml"),
    data: join(root, "data"),
    figures: join(root, "figures"),
    results: join(root, "results"),
    /** results/metrics.json, shared by plot and test. */
    metrics: join(root, "results", "metrics.json"),
    models: join(root, "models"),
    /** Step timings of the last `run`. */
    run: join(root, "run.json"),
    report: join(root, "report.html"),
  };
}
