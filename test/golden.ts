/**
 * Golden-file check for figure panels: the SVG must equal the committed file under
 * src/plot/__golden__/. Regenerate deliberately with UPDATE_GOLDEN=1 and review the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { ROOT } from "./helpers.js";

const DIR = join(ROOT, "src", "plot", "__golden__");

export function expectGolden(name: string, svg: string): void {
  const path = join(DIR, name);
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(DIR, { recursive: true });
    writeFileSync(path, svg);
    return;
  }
  if (!existsSync(path)) throw new Error(`golden file ${path} is missing (run with UPDATE_GOLDEN=1 to create it)`);
  expect(svg).toBe(readFileSync(path, "utf8"));
}
