/**
 * The paper's Figure 2 numbers, read from the figures of the authors' documentation: what the
 * report puts next to a run's results.
 */
export const PAPER = {
  W_r2: "1.0 (≥ 0.9995)",
  W_slope: "1.0",
  clustering: "4 tight clusters",
  rollout400: "0.987 (0.992)",
  rollout800: "0.625 (0.805)",
  supp5_400: "1.000 (1.001)",
  supp5_800: "0.983 (0.992)",
  supp5_weights: "243,831",
  supp6_400: "0.999 (1.000)",
  supp6_800: "0.910 (0.948)",
  supp6_weights: "487,401",
  /** W R² during training at (iterations, R²). */
  training: [
    [18_749, 0.147],
    [43_749, 0.592],
    [68_749, 0.893],
    [93_749, 0.992],
    [118_749, 1.0],
  ] as [number, number][],
} as const;
