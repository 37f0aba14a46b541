/** Writes a figure as SVG (the master artefact) and PNG, atomically, under a run's figures/ folder. */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic.js";
import { svgToPng } from "./png.js";

/**
 * Write `name`.svg and `name`.png into `dir`; returns the two paths. When the PNG cannot be
 * rendered, the SVG is still written and the Error names the PNG's path.
 */
export async function saveFigure(dir: string, name: string, svg: string): Promise<{ svg: string; png: string }> {
  mkdirSync(dir, { recursive: true });
  const svgPath = join(dir, `${name}.svg`);
  const pngPath = join(dir, `${name}.png`);
  writeFileAtomic(svgPath, svg);
  let png: Buffer;
  try {
    png = await svgToPng(svg);
  } catch (e) {
    throw new Error(`${pngPath}: ${(e as Error).message}`);
  }
  writeFileAtomic(pngPath, png);
  return { svg: svgPath, png: pngPath };
}
