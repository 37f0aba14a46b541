/** Number formatting shared by the console summary and the report. */

/** A number with `digits` decimals, "—" when it is missing or not finite. */
export function num(v: unknown, digits = 3): string {
  return typeof v === "number" && Number.isFinite(v) ? v.toFixed(digits) : "—";
}

/** "R² (slope)" with 3 decimals each. */
export function fitText(f: { r2?: number | null; slope?: number | null } | undefined): string {
  return `${num(f?.r2)} (${num(f?.slope)})`;
}
