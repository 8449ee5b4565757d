import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from './signing';

describe('webhook signatures (HMAC-SHA256 over timestamp and raw body)', () => {
  const body = JSON.stringify({ msgtype: 'text', text: { content: '催办通知' } });
  const ts = '1795900000000';
  it('verifies its own signature', () => {
    const sig = signWebhook('s3cret', ts, body);
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhook('s3cret', ts, body, sig, Number(ts))).toBe(true);
  });
  it('rejects another secret, a changed body, a changed timestamp and an old request', () => {
    const sig = signWebhook('s3cret', ts, body);
    expect(verifyWebhook('other', ts, body, sig, Number(ts))).toBe(false);
    expect(verifyWebhook('s3cret', ts, body.replace('催办', '督办'), sig, Number(ts))).toBe(false);
    expect(verifyWebhook('s3cret', String(Number(ts) + 1), body, sig, Number(ts))).toBe(false);
    expect(verifyWebhook('s3cret', ts, body, sig, Number(ts) + 10 * 60_000)).toBe(false);
  });
});
