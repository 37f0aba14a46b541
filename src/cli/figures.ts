import { saveFigure } from "../plot/save.js";
/** Saving a command's panels under their figure ids (run-folder/figures.ts), and listing what was saved. */
import type { FigureId } from "../run-folder/figures.js";

export function figureSaver(dir: string) {
  const saved: string[] = [];
  return {
    /** Write figures/<id>.svg and .png. */
    save: async (id: FigureId, svg: string) => {
      saved.push((await saveFigure(dir, id, svg)).svg);
    },
    /** One log line naming the files written. */
    summary: () => `figures: ${saved.map((f) => f.replace(/\.svg$/, ".{svg,png}")).join(", ")}`,
  };
}
