/**
 * Supp Fig 14h (PDE_N5, the reference's MLP1_neuron_neuron): a grid of panels, one per receiving
 * type k (framed in k's colour), each with corrected psi*([x, a_i, a_j]) curves of random
 * (receiver of type k, sender of type n) pairs coloured by the sender's type n, over the truths
 * tanh((x − h_n)/w_k) − x·ln(w_n)/50 (light grey, one per sending type).
 */
import { categoryColor } from "./colors.js";
import { phiPanel } from "./functions.js";
import { montage } from "./montage.js";
import { svgSize } from "./svg.js";

export interface PsiPairsPanelOptions {
  /** Curves drawn per (receiver type, sender type) (default 25: the SVG stays small; the numbers use all). */
  drawn?: number;
  yDomain?: [number, number];
  /** Grid columns (default 2). */
  columns?: number;
}

/** `svg` with a frame of `color` around it (inset 2 px). */
function framed(svg: string, color: string): string {
  const { open, width, height } = svgSize(svg);
  const rect = `<rect x="2" y="2" width="${width - 4}" height="${height - 4}" fill="none" stroke="${color}" stroke-width="4"/>`;
  return svg.replace(open, `${open}${rect}`).replace(/<\/svg>\s*$/, `${rect}</svg>\n`);
}

/**
 * curves[k][n]: [pairs, r.length] corrected psi* of receiver type k and sender type n;
 * truth(k, n) the true message function.
 */
export function psiPairsPanel(
  r: Float32Array,
  curves: Float32Array[][],
  truth: (k: number, n: number) => (x: number) => number,
  o: PsiPairsPanelOptions = {},
): string {
  const nR = r.length;
  const nTypes = curves.length;
  const drawn = o.drawn ?? 25;
  const xDomain: [number, number] = [r[0], r[nR - 1]];
  const yDomain = o.yDomain ?? [-1.1, 1.1];
  const panels = curves.map((byType, k) => {
    const rows: number[] = [];
    const Y: number[] = [];
    byType.forEach((Yn, n) => {
      const nq = Math.min(drawn, Yn.length / nR);
      for (let q = 0; q < nq; q++) {
        rows.push(n);
        for (let s = 0; s < nR; s++) Y.push(Yn[q * nR + s]);
      }
    });
    const svg = phiPanel(
      r,
      Y,
      rows,
      Array.from({ length: nTypes }, (_, n) => truth(k, n)),
      { xDomain, yDomain, labels: { x: "xⱼ", y: `ψ*(aᵢ, aⱼ, xⱼ), receiver type ${k}` } },
    );
    return framed(svg, categoryColor(k));
  });
  const cols = o.columns ?? 2;
  const grid: string[][] = [];
  for (let k = 0; k < panels.length; k += cols) grid.push(panels.slice(k, k + cols));
  return montage(grid, {
    rowLabels: [],
    columnLabels: [],
    title: "ψ* of neuron pairs, one panel per receiving type (colour: sending type)",
    cell: 320,
  });
}
