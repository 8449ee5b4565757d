import { toProblem, type Problem, type SuggestionEvent } from './api';
import { liveStream } from './live.svelte';

/**
 * Data of a page that shows items, fetched once and again whenever the tracker reports a change
 * that concerns it (a burst of events causes one refetch), and after every reconnect.
 */
export class LiveQuery<T> {
  data = $state<T | null>(null);
  problem = $state<Problem | null>(null);
  loading = $state(false);
  /** Bumped when a live event caused a refetch (pages announce it politely). */
  liveUpdates = $state(0);
  #timer: ReturnType<typeof setTimeout> | null = null;
  #again = false;
  #inflight: Promise<void> | null = null;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly concerns: (event: SuggestionEvent, data: T | null) => boolean = () => true,
  ) {}

  refresh(): Promise<void> {
    if (this.#inflight) {
      this.#again = true;
      return this.#inflight;
    }
    this.#inflight = (async () => {
      this.loading = true;
      try {
        do {
          this.#again = false;
          try {
            this.data = await this.load();
            this.problem = null;
          } catch (error) {
            this.problem = toProblem(error);
          }
        } while (this.#again);
      } finally {
        this.loading = false;
        this.#inflight = null;
      }
    })();
    return this.#inflight;
  }

  /** Subscribes to the live stream; returns the unsubscribe function (for onMount / $effect). */
  follow(): () => void {
    return liveStream.subscribe(
      (event) => {
        if (!this.concerns(event, this.data)) return;
        if (this.#timer) clearTimeout(this.#timer);
        this.#timer = setTimeout(() => {
          this.#timer = null;
          this.liveUpdates += 1;
          void this.refresh();
        }, 250);
      },
      () => void this.refresh(),
    );
  }
}
