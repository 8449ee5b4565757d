import { api, isApiError } from './api';
import type { NotificationPage } from './workbench';

/**
 * The unread notification count in the header. The notifications API is built by another team:
 * while it answers 404 the count stays hidden (null).
 */
class Unread {
  count = $state<number | null>(null);
  #timer: ReturnType<typeof setTimeout> | null = null;

  async refresh(): Promise<void> {
    try {
      const page = await api.get<NotificationPage>('/api/notifications?unread=true&page=1&pageSize=1');
      this.count = typeof page.unread === 'number' ? page.unread : null;
    } catch (error) {
      if (!isApiError(error) || error.status === 404 || error.status === 401) this.count = null;
    }
  }

  /** Notices follow events a moment later (the notifier consumes the same stream): refresh soon, once. */
  refreshSoon(delayMs = 1_500): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.refresh();
    }, delayMs);
  }
}

export const unread = new Unread();
