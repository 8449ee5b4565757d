/**
 * One SSE connection to the tracker (/events) shared by every part of the page that shows items:
 * components subscribe with a callback and unsubscribe when they go away; the stream opens with
 * the first subscriber and closes with the last, and reconnects with backoff when it drops.
 */
import type { SuggestionEvent } from './api';

const RECONNECT_MIN_MS = 1_000;
const RECONNECT_MAX_MS = 30_000;

type Listener = (event: SuggestionEvent) => void;
type OpenListener = () => void;

function parse(raw: string): SuggestionEvent | null {
  try {
    const value = JSON.parse(raw) as Partial<SuggestionEvent> | null;
    return value && typeof value.suggestionId === 'string' ? (value as SuggestionEvent) : null;
  } catch {
    return null;
  }
}

class LiveStream {
  live = $state(false);
  #listeners = new Set<Listener>();
  #source: EventSource | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #delay = RECONNECT_MIN_MS;
  #seen = new Set<string>();
  /** Bumped on every (re)connect, so subscribers can refetch what they missed while offline. */
  connections = $state(0);

  #openListeners = new Set<OpenListener>();

  /** `onOpen` runs on every (re)connect: what changed while we were not listening is only in a refetch. */
  subscribe(listener: Listener, onOpen?: OpenListener): () => void {
    this.#listeners.add(listener);
    if (onOpen) this.#openListeners.add(onOpen);
    if (this.#listeners.size === 1) this.#open();
    else if (onOpen && this.live) onOpen();
    return () => {
      this.#listeners.delete(listener);
      if (onOpen) this.#openListeners.delete(onOpen);
      if (this.#listeners.size === 0) this.#close();
    };
  }

  #open(): void {
    if (typeof EventSource === 'undefined' || this.#source) return;
    const source = new EventSource('/events');
    this.#source = source;
    const onMessage = (message: MessageEvent<string>) => {
      const event = parse(message.data);
      if (!event) return;
      if (event.id) {
        if (this.#seen.has(event.id)) return;
        this.#seen.add(event.id);
        if (this.#seen.size > 500) this.#seen.delete(this.#seen.values().next().value!);
      }
      for (const listener of this.#listeners) listener(event);
    };
    source.addEventListener('suggestion', onMessage);
    source.addEventListener('message', onMessage);
    source.addEventListener('open', () => {
      this.live = true;
      this.#delay = RECONNECT_MIN_MS;
      this.connections += 1;
      for (const onOpen of this.#openListeners) onOpen();
    });
    source.addEventListener('error', () => {
      this.live = false;
      if (source.readyState === EventSource.CLOSED && this.#listeners.size > 0) {
        source.close();
        this.#source = null;
        this.#timer = setTimeout(() => {
          this.#timer = null;
          if (this.#listeners.size > 0) this.#open();
        }, this.#delay);
        this.#delay = Math.min(this.#delay * 2, RECONNECT_MAX_MS);
      }
    });
  }

  #close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#source?.close();
    this.#source = null;
    this.live = false;
  }
}

export const liveStream = new LiveStream();
