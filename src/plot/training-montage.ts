/**
 * Supp Fig 1: rows a–e = embeddings (min-max per dimension), phi* curves, psi* divided by ψ̄, W heatmap and
 * learned-vs-true scatter with R² and slope; one column per checkpoint.
 */
import { type TypeColors, embeddingPanel, phiPanel, psiByNeuronPanel, psiPanel } from "./functions.js";
import { absQuantile, connectivityHeatmap, strided } from "./heatmap.js";
import { montage } from "./montage.js";
import { rasterScatter } from "./scatter.js";

/** Most neurons drawn per phi* thumbnail, thumbnail heatmap size. */
const MONTAGE_CURVES = 200;
const MONTAGE_HEATMAP = 200;

export interface MontageColumnData {
  label: string;
  a: Float32Array;
  phi: Float32Array;
  psi: Float32Array;
  W: Float32Array;
  fit?: { r2: number; slope: number };
}

export interface TrainingMontageOptions extends TypeColors {
  N: number;
  embeddingDim: number;
  rPhi: Float32Array;
  rPsi: Float32Array;
  phiDomain: { x: [number, number]; y: [number, number] };
  psiDomain: { x: [number, number]; y: [number, number] };
  types?: Int32Array;
  /** True phi per type (grey curves). */
  truePhi: ((x: number) => number)[];
  /** PDE_N4: the columns' psi is one curve per neuron; the true transfer per type (grey curves). */
  truePsi?: ((x: number) => number)[];
  trueW?: ArrayLike<number>;
}

export function trainingMontage(columns: readonly MontageColumnData[], o: TrainingMontageOptions): string {
  const small = { width: 300, height: 300 };
  const limit = o.trueW ? 1.1 * absQuantile(o.trueW, 0.99) : undefined;
  const rows: string[][] = [[], [], [], [], []];
  for (const c of columns) {
    rows[0].push(embeddingPanel(c.a, o.embeddingDim, o.types, { ...small, normalise: true, colormap: o.colormap }));
    rows[1].push(
      phiPanel(o.rPhi, c.phi, o.types, o.truePhi, {
        ...small,
        colormap: o.colormap,
        xDomain: o.phiDomain.x,
        yDomain: o.phiDomain.y,
        every: Math.max(1, Math.ceil(o.N / MONTAGE_CURVES)),
      }),
    );
    const psiDomains = { xDomain: o.psiDomain.x, yDomain: o.psiDomain.y };
    rows[2].push(
      o.truePsi
        ? psiByNeuronPanel(o.rPsi, c.psi, o.types, o.truePsi, {
            ...small,
            ...psiDomains,
            colormap: o.colormap,
            every: Math.max(1, Math.ceil(o.N / MONTAGE_CURVES)),
          })
        : psiPanel(o.rPsi, c.psi, { ...small, ...psiDomains }),
    );
    const { M, n } = strided(c.W, o.N, Math.max(1, Math.ceil(o.N / MONTAGE_HEATMAP)));
    rows[3].push(connectivityHeatmap(M, n, { inset: 0, limit, lastTick: o.N }));
    if (o.trueW && c.fit) {
      rows[4].push(
        rasterScatter(o.trueW, c.W, {
          ...small,
          xLabel: "true Wᵢⱼ",
          yLabel: "learned Wᵢⱼ",
          text: [`R² ${c.fit.r2.toFixed(3)}`, `slope ${c.fit.slope.toFixed(2)}`],
        }),
      );
    }
  }
  return montage(
    rows.filter((r) => r.length > 0),
    {
      rowLabels: ["a", "b", "c", "d", "e"],
      columnLabels: columns.map((c) => c.label),
      title: "training: embeddings, φ*, ψ*, W and learned vs true W",
    },
  );
}
