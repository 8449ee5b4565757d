/**
 * The tracker's SSE stream (/events) for the oversight pages: calls `onEvent` for each suggestion
 * event the user may see, reconnecting with backoff. Pages refetch what they show (the lists and
 * figures are computed on the server), so an event needs no client-side state machine.
 */
import type { SuggestionEvent } from '$lib/api';

export class LiveEvents {
  live = $state(false);
  #source: EventSource | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #delay = 1_000;
  #stopped = true;

  constructor(
    private onEvent: (e: SuggestionEvent) => void,
    private onOpen?: () => void,
  ) {}

  connect(url = '/events'): void {
    if (typeof EventSource === 'undefined') return;
    this.#stopped = false;
    this.#open(url);
  }

  disconnect(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#source?.close();
    this.#source = null;
    this.live = false;
  }

  #open(url: string): void {
    const source = new EventSource(url);
    this.#source = source;
    const handle = (m: MessageEvent<string>) => {
      try {
        const e = JSON.parse(m.data) as SuggestionEvent;
        if (e && typeof e.suggestionId === 'string') this.onEvent(e);
      } catch {
        // not an event we understand
      }
    };
    source.addEventListener('suggestion', handle);
    source.addEventListener('message', handle);
    source.addEventListener('open', () => {
      this.live = true;
      this.#delay = 1_000;
      this.onOpen?.();
    });
    source.addEventListener('error', () => {
      this.live = false;
      if (source.readyState === EventSource.CLOSED && !this.#stopped) {
        source.close();
        this.#timer = setTimeout(() => {
          this.#timer = null;
          if (!this.#stopped) this.#open(url);
        }, this.#delay);
        this.#delay = Math.min(this.#delay * 2, 30_000);
      }
    });
  }
}

/** Runs `fn` at most once per `ms`, trailing: a burst of events causes one refetch. */
export function debounce(fn: () => void, ms = 400): () => void {
  let t: ReturnType<typeof setTimeout> | null = null;
  return () => {
    if (t) clearTimeout(t);
    t = setTimeout(() => {
      t = null;
      fn();
    }, ms);
  };
}
