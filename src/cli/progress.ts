/**
 * A tqdm-like progress bar on stderr: label, percentage, bar, count/total, rate, ETA and extra text.
 * On a terminal it redraws one line (at most 10 times a second); otherwise it prints a line at each
 * 10 % step, so logs stay short.
 */
export class ProgressBar {
  private readonly start = performance.now();
  private lastDraw = 0;
  private lastDecile = -1;
  private readonly tty: boolean;
  /** Count at the first update (a resumed loop starts part-way). */
  private first: number | undefined;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly unit = "it",
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly enabled = true,
  ) {
    this.tty = Boolean(stream.isTTY);
  }

  /** Report `done` of `total`, with optional extra text (e.g. "loss 0.12"). */
  update(done: number, extra = ""): void {
    if (!this.enabled) return;
    this.first ??= done > 0 ? done - 1 : 0;
    const now = performance.now();
    const finished = done >= this.total;
    if (this.tty) {
      if (!finished && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      this.stream.write(`\r${this.line(done, now, extra)}\x1b[K${finished ? "\n" : ""}`);
    } else {
      const decile = Math.floor((10 * done) / this.total);
      if (decile === this.lastDecile && !finished) return;
      if (finished && this.lastDecile === 10) return;
      this.lastDecile = decile;
      this.stream.write(`${this.line(done, now, extra)}\n`);
    }
  }

  /** Clear the bar's line on a terminal, so that a log line can be printed. */
  interrupt(): void {
    if (this.enabled && this.tty) this.stream.write("\r\x1b[K");
  }

  private line(done: number, now: number, extra: string): string {
    const frac = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const width = 24;
    const filled = Math.round(frac * width);
    const secs = (now - this.start) / 1000;
    const rate = secs > 0 ? (done - (this.first ?? 0)) / secs : 0;
    const eta = rate > 0 ? (this.total - done) / rate : 0;
    const bar = "█".repeat(filled) + "·".repeat(width - filled);
    return `${this.label} ${(100 * frac).toFixed(0).padStart(3)}% |${bar}| ${done}/${this.total} ${this.unit} [${formatSeconds(secs)}<${formatSeconds(eta)}, ${formatRate(rate)} ${this.unit}/s]${extra ? ` ${extra}` : ""}`;
  }
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return "?";
  const m = Math.floor(s / 60);
  const sec = Math.floor(s % 60);
  return m >= 60
    ? `${Math.floor(m / 60)}:${String(m % 60).padStart(2, "0")}:${String(sec).padStart(2, "0")}`
    : `${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")}`;
}

function formatRate(r: number): string {
  return r >= 1000 ? `${(r / 1000).toFixed(1)}k` : r.toFixed(1);
}

/** A log function writing lines to stderr, or nothing when `quiet`. */
export function stderrLog(quiet?: boolean): (s: string) => void {
  return (s) => {
    if (!quiet) process.stderr.write(`${s}\n`);
  };
}
