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
  const root = resolve(runsDir, name);
  return {
    root,
    config: join(root, "config.yaml"),
    data: join(root, "data"),
    figures: join(root, "figures"),
    results: join(root, "results"),
    models: join(root, "models"),
  };
}
