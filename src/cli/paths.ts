/** The installed package: its root (embedded configs, data), the default config, its version. */
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
