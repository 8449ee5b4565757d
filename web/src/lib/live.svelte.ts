/**
 * Live data, one way: one SSE connection to the tracker (/events) shared by every part of the page
 * that shows items. Components subscribe with a callback and unsubscribe when they go away; the
 * stream opens with the first subscriber and closes with the last, and reconnects with backoff when
 * it drops. On top of it:
 * - `LiveQuery` for data a component fetches itself (refetched after the events that concern it);
 * - `followLive` for data a SvelteKit load fetches (the page passes `() => invalidate(...)`).
 * The lists and figures are computed on the server, so an event only says "refetch", never patches.
 */
import { toProblem, type Problem, type SuggestionEvent } from './api';

const RECONNECT_MIN_MS = 1_000;
const RECONNECT_MAX_MS = 30_000;

type Listener = (event: SuggestionEvent) => void;
/** A constituent message's event (一码通), sent by the tracker as `event: intake`. */
export interface IntakeEvent {
  id: string;
  type: string;
  messageId: string;
  data?: { from?: string; to?: string; [key: string]: unknown };
}
type IntakeListener = (event: IntakeEvent) => void;
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
  #intakeListeners = new Set<IntakeListener>();

  /** Constituent messages' events; the stream stays open while anyone listens to either kind. */
  subscribeIntake(listener: IntakeListener, onOpen?: OpenListener): () => void {
    this.#intakeListeners.add(listener);
    const off = this.subscribe(() => undefined, onOpen);
    return () => {
      this.#intakeListeners.delete(listener);
      off();
    };
  }

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
    source.addEventListener('intake', (message: MessageEvent<string>) => {
      let event: IntakeEvent | null = null;
      try {
        const v = JSON.parse(message.data) as Partial<IntakeEvent> | null;
        event = v && typeof v.messageId === 'string' ? (v as IntakeEvent) : null;
      } catch {
        event = null;
      }
      if (!event) return;
      for (const listener of this.#intakeListeners) listener(event);
    });
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

/** How long a burst of events is gathered into one refetch. */
const BURST_MS = 250;

/**
 * Calls `refetch` once after a burst of events that `concerns` accepts, and on every (re)connect
 * (what changed while we were not listening is only in a refetch) unless `onReconnect` is false.
 * Returns the unsubscribe function (for onMount / $effect).
 */
export function followLive(
  refetch: (cause: 'event' | 'reconnect') => void,
  concerns: (event: SuggestionEvent) => boolean = () => true,
  { onReconnect = true }: { onReconnect?: boolean } = {},
): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const unsubscribe = liveStream.subscribe(
    (event) => {
      if (!concerns(event)) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        refetch('event');
      }, BURST_MS);
    },
    onReconnect ? () => refetch('reconnect') : undefined,
  );
  return () => {
    if (timer) clearTimeout(timer);
    unsubscribe();
  };
}

/**
 * Data that a component fetches itself, fetched once and again whenever the tracker reports a
 * change that concerns it (a burst of events causes one refetch), and after every reconnect.
 */
export class LiveQuery<T> {
  data = $state<T | null>(null);
  problem = $state<Problem | null>(null);
  loading = $state(false);
  /** Bumped when a live event caused a refetch (pages announce it politely). */
  liveUpdates = $state(0);
  #again = false;
  #inflight: Promise<void> | null = null;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly concerns: (event: SuggestionEvent, data: T | null) => boolean = () => true,
  ) {}

  /** Whether the first answer (data or problem) has come. */
  get loaded(): boolean {
    return this.data !== null || this.problem !== null;
  }

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
    return followLive(
      (cause) => {
        if (cause === 'event') this.liveUpdates += 1;
        void this.refresh();
      },
      (event) => this.concerns(event, this.data),
    );
  }
}

/** Like `followLive`, for constituent messages (一码通): `refetch` after a burst of their events and on reconnect. */
export function followIntake(
  refetch: () => void,
  concerns: (event: IntakeEvent) => boolean = () => true,
): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const off = liveStream.subscribeIntake(
    (event) => {
      if (!concerns(event)) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        refetch();
      }, BURST_MS);
    },
    () => refetch(),
  );
  return () => {
    if (timer) clearTimeout(timer);
    off();
  };
}
