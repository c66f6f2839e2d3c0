/** What one method did in this process; `Memorious.stats` adds what is on disk. */
export class CallCounts {
  hits = 0;
  misses = 0;
  /** Seconds the hits saved: the sum of the served records' `time`. */
  savedSeconds = 0;

  hit(time: number): void {
    this.hits++;
    this.savedSeconds += time;
  }

  miss(): void {
    this.misses++;
  }
}
