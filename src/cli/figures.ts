/**
 * Saving a command's panels under their figure ids (run-folder/figures.ts). A panel that cannot
 * be drawn (degenerate data, say) is reported and skipped: the others are still drawn, and the
 * command's numbers are still written.
 */
import { type Colormap, colormapOf } from "../plot/colors.js";
import { saveFigure } from "../plot/save.js";
import type { FigureId } from "../run-folder/figures.js";

export function figureSaver(dir: string, log: (s: string) => void) {
  const saved: string[] = [];
  const warnings: string[] = [];
  return {
    /** Draw `draw()` and write figures/<id>.svg and .png; on failure, log and record a warning. */
    save: async (id: FigureId, draw: () => string) => {
      try {
        saved.push((await saveFigure(dir, id, draw())).svg);
      } catch (e) {
        const w = `${id} not drawn: ${(e as Error).message}`;
        warnings.push(w);
        log(`warning: ${w}`);
      }
    },
    /**
     * The colour map of the per-type panels from `plotting.colormap`; an unknown name is recorded
     * as a warning and tab10 used instead.
     */
    colormap: (name: string): Colormap => {
      try {
        return colormapOf(name);
      } catch (e) {
        const w = `plotting.colormap: ${(e as Error).message}; tab10 used`;
        warnings.push(w);
        log(`warning: ${w}`);
        return "tab10";
      }
    },
    /** The panels that could not be drawn, and why. */
    warnings,
    /** One log line naming the files written. */
    summary: () => `figures: ${saved.map((f) => f.replace(/\.svg$/, ".{svg,png}")).join(", ")}`,
  };
}
