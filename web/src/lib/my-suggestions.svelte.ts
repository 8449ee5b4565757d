import {
  api,
  isApiError,
  type Problem,
  type SuggestionEvent,
  type SuggestionList,
  type SuggestionSummary,
} from './api';
import { liveStream } from './live.svelte';

const SEEN_EVENT_IDS_KEPT = 500;

interface ReceivedEvent {
  seq: number;
  event: SuggestionEvent;
}

/**
 * The deputy's own suggestions, kept current by the tracker's SSE stream: an event for a
 * listed suggestion updates its row in place; an event for one we have not seen refetches.
 */
export class MySuggestions {
  items = $state<SuggestionSummary[]>([]);
  total = $state(0);
  loading = $state(false);
  loaded = $state(false);
  problem = $state<Problem | null>(null);
  #unsubscribe: (() => void) | null = null;

  #inflight: Promise<void> | null = null;
  #refetchAgain = false;

  // Events that arrived while a list request was in flight are re-applied to its answer,
  // so a slightly older snapshot cannot undo a newer status.
  #seq = 0;
  #recent: ReceivedEvent[] = [];
  #seenEventIds = new Set<string>();
  #lastOccurredAt = new Map<string, number>();

  refresh(): Promise<void> {
    if (this.#inflight) {
      this.#refetchAgain = true;
      return this.#inflight;
    }
    this.#inflight = (async () => {
      try {
        do {
          this.#refetchAgain = false;
          await this.#load();
        } while (this.#refetchAgain);
      } finally {
        this.#inflight = null;
      }
    })();
    return this.#inflight;
  }

  async #load(): Promise<void> {
    const startedAt = this.#seq;
    this.loading = true;
    try {
      const list = await api.get<SuggestionList>('/api/suggestions');
      this.items = list.items;
      this.total = list.total;
      this.problem = null;
      for (const { seq, event } of this.#recent) {
        if (seq > startedAt) this.#patch(event);
      }
    } catch (error) {
      this.problem = isApiError(error)
        ? error.problem
        : { type: 'about:blank', title: '加载失败', status: 0, detail: String(error) };
    } finally {
      this.#recent = this.#recent.filter(({ seq }) => seq > startedAt);
      this.loading = false;
      this.loaded = true;
    }
  }

  /** Applies one tracker event; returns whether the suggestion was in the list. */
  applyEvent(event: SuggestionEvent): boolean {
    if (event.id) {
      if (this.#seenEventIds.has(event.id)) return true;
      this.#seenEventIds.add(event.id);
      if (this.#seenEventIds.size > SEEN_EVENT_IDS_KEPT) {
        const oldest = this.#seenEventIds.values().next().value;
        if (oldest !== undefined) this.#seenEventIds.delete(oldest);
      }
    }

    // Per-suggestion events come in order from Kafka, but a replay after reconnecting may
    // bring an older one: never let it overwrite a newer status.
    const occurredAt = Date.parse(event.occurredAt);
    if (!Number.isNaN(occurredAt)) {
      const last = this.#lastOccurredAt.get(event.suggestionId);
      if (last !== undefined && occurredAt < last) return true;
      this.#lastOccurredAt.set(event.suggestionId, occurredAt);
    }

    if (this.#inflight) this.#recent.push({ seq: ++this.#seq, event });
    const known = this.#patch(event);
    if (!known) void this.refresh();
    return known;
  }

  #patch(event: SuggestionEvent): boolean {
    const item = this.items.find((candidate) => candidate.id === event.suggestionId);
    if (!item) return false;
    const data = event.data ?? {};
    // Status events carry the new status as `data.to` (see services/domain/src/events.ts).
    if (typeof data.to === 'string') item.status = data.to;
    if (typeof data.registrationNo === 'string') item.registrationNo = data.registrationNo;
    if (data.to === 'submitted' && !item.submittedAt) item.submittedAt = event.occurredAt;
    if (typeof data.title === 'string') item.title = data.title;
    return true;
  }

  /** Follows the shared tracker stream (see live.svelte.ts) until `disconnect()`. */
  connect(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = liveStream.subscribe(
      (event) => this.applyEvent(event),
      () => void this.refresh(),
    );
  }

  disconnect(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  get live(): boolean {
    return liveStream.live;
  }
}
