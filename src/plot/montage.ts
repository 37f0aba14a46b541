/**
 * Panels composed into one SVG: a grid (Supp Fig 1: rows = quantities, columns = checkpoints), each
 * panel nested and scaled to its cell, with row labels and column headers; or a row of panels at
 * their own sizes (the rollout figures).
 */
import { esc, svgSize } from "./svg.js";

export interface MontageOptions {
  rowLabels: string[];
  columnLabels: string[];
  /** Cell size in px (default 240). */
  cell?: number;
  title?: string;
}

/** Nest a standalone panel SVG at (x, y) scaled to size × size (its viewBox keeps the aspect). */
function nest(svg: string, x: number, y: number, size: number): string {
  const { open, width, height } = svgSize(svg);
  const w = Number.isNaN(width) ? size : width;
  const h = Number.isNaN(height) ? size : height;
  const attrs = open
    .slice(4, -1)
    .replace(/\s(width|height|x|y|viewBox)="[^"]*"/g, "")
    .trim();
  const body = svg.trim().slice(open.length, -"</svg>".length);
  return `<svg ${attrs} x="${x}" y="${y}" width="${size}" height="${size}" viewBox="0 0 ${w} ${h}">${body}</svg>`;
}

/** panels[row][col] → one SVG. */
export function montage(panels: string[][], o: MontageOptions): string {
  const cell = o.cell ?? 240;
  const left = 50;
  const top = o.title ? 70 : 40;
  const cols = Math.max(0, ...panels.map((r) => r.length));
  const width = left + cols * cell;
  const height = top + panels.length * cell;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
  ];
  if (o.title) parts.push(`<text x="${width / 2}" y="26" text-anchor="middle" font-size="20">${esc(o.title)}</text>`);
  o.columnLabels.forEach((label, c) =>
    parts.push(`<text x="${left + (c + 0.5) * cell}" y="${top - 12}" text-anchor="middle" font-size="15">${esc(label)}</text>`),
  );
  panels.forEach((row, r) => {
    parts.push(
      `<text x="${left / 2}" y="${top + (r + 0.5) * cell}" text-anchor="middle" font-size="22" font-weight="bold">${esc(o.rowLabels[r] ?? "")}</text>`,
    );
    row.forEach((svg, c) => parts.push(nest(svg, left + c * cell, top + r * cell, cell)));
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

/** Place standalone SVGs side by side in one SVG (each keeps its own size); none gives a "no data" note. */
export function sideBySide(panels: string[]): string {
  if (panels.length === 0)
    return `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40" viewBox="0 0 200 40" font-family="DejaVu Sans, sans-serif"><rect width="200" height="40" fill="white"/><text x="100" y="25" text-anchor="middle" font-size="15" fill="#888">no data</text></svg>\n`;
  let x = 0;
  let height = 0;
  const parts: string[] = [];
  for (const svg of panels) {
    const { width: w, height: h } = svgSize(svg);
    parts.push(svg.trim().replace(/^<svg/, `<svg x="${x}" y="0"`));
    x += w;
    height = Math.max(height, h);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${x}" height="${height}" viewBox="0 0 ${x} ${height}"><rect width="${x}" height="${height}" fill="white"/>${parts.join("")}</svg>\n`;
}
