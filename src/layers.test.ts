/**
 * The layers of src/ import strictly downward: a folder imports only folders before it in LAYERS
 * (and itself). The README's "Layers" table describes the same order.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const LAYERS = [
  "core",
  "config",
  "io",
  "kernels",
  "run-folder",
  "plot",
  "simulate",
  "model",
  "signal",
  "train",
  "analysis",
  "experiments",
  "cli",
] as const;

const SRC = new URL(".", import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === "as" || e.name === "__golden__" ? [] : sources(p);
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [p] : [];
  });
}

/** "layer/file.ts imports other/…" for every import that goes up or sideways. */
function violations(): string[] {
  const out: string[] = [];
  for (const file of sources(SRC)) {
    const rel = relative(SRC, file);
    const layer = rel.split("/")[0];
    const rank = LAYERS.indexOf(layer as (typeof LAYERS)[number]);
    for (const m of readFileSync(file, "utf8").matchAll(/^import[^;]*?from "(\.[^"]+)"/gms)) {
      const target = relative(SRC, join(file, "..", m[1])).split("/")[0];
      if (target.startsWith("..")) continue;
      const t = LAYERS.indexOf(target as (typeof LAYERS)[number]);
      if (rank < 0 || t < 0 || t > rank) out.push(`${rel} imports ${target}/`);
    }
  }
  return out;
}

describe("layers", () => {
  it("every source folder is a known layer", () => {
    const folders = readdirSync(SRC, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(folders.filter((f) => !LAYERS.includes(f as (typeof LAYERS)[number]))).toEqual([]);
  });

  it("imports go only to lower layers", () => {
    expect(violations()).toEqual([]);
  });
});
