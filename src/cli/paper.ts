/**
 * The paper's Figure 2 numbers, read from the figures of the authors' documentation: what the
 * report and the `run` summary put next to a run's results, and the paper's generalisation cases.
 */

/** R² and slope of a rollout frame. */
export interface FitNumbers {
  r2: number;
  slope: number;
}

export const PAPER = {
  W_r2: "1.0 (≥ 0.9995)",
  W_slope: "1.0",
  clustering: "4 tight clusters",
  rollout: { t400: { r2: 0.987, slope: 0.992 }, t800: { r2: 0.625, slope: 0.805 } },
  /** Supp Figs 5 and 6: `--new-params`, rollout fits and the number of weights kept. */
  generalisation: {
    supp5: {
      newParams: "0.25,10,20,30,40",
      t400: { r2: 1.0, slope: 1.001 },
      t800: { r2: 0.983, slope: 0.992 },
      weights: 243_831,
    },
    supp6: { newParams: "0.5,60,40,0,0", t400: { r2: 0.999, slope: 1.0 }, t800: { r2: 0.91, slope: 0.948 }, weights: 487_401 },
  },
  /** W R² during training at (iterations, R²). */
  training: [
    [18_749, 0.147],
    [43_749, 0.592],
    [68_749, 0.893],
    [93_749, 0.992],
    [118_749, 1.0],
  ] as [number, number][],
} as const;

/** A number with `digits` decimals, "—" when it is missing or not finite. */
export function num(v: unknown, digits = 3): string {
  return typeof v === "number" && Number.isFinite(v) ? v.toFixed(digits) : "—";
}

/** "R² (slope)" with 3 decimals each. */
export function fitText(f: Partial<FitNumbers> | undefined): string {
  return `${num(f?.r2)} (${num(f?.slope)})`;
}

/** The paper's case name (supp5, supp6) of a `--new-params` value, if it is one of them. */
export function paperCase(newParams: string): string | undefined {
  return Object.entries(PAPER.generalisation).find(([, c]) => c.newParams === newParams)?.[0];
}
