import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret, isEncrypted } from './secrets';
import { checkWebhookUrl, maskWebhookUrl, WebhookUrlError, type WebhookPolicy } from './webhook-url';

const deployment: WebhookPolicy = {
  httpsOnly: true,
  allowedHosts: ['qyapi.weixin.qq.com', 'oapi.dingtalk.com'],
  allowLoopbackAndPrivate: false,
};
const anyHost: WebhookPolicy = { ...deployment, allowedHosts: [] };
const localStack: WebhookPolicy = { httpsOnly: false, allowedHosts: [], allowLoopbackAndPrivate: true };

const refused = async (url: string, policy: WebhookPolicy) => {
  const e = await checkWebhookUrl(url, policy).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, url).toBeInstanceOf(WebhookUrlError);
  expect((e as WebhookUrlError).zh).toMatch(/^机器人地址:/);
  return (e as WebhookUrlError).en;
};

describe('robot URLs (SSRF)', () => {
  it('on a deployment: https only, allowlisted hosts only, never an internal address', async () => {
    expect(await refused('http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k', deployment)).toBe(
      'must use https',
    );
    expect(await refused('https://evil.example/hook', deployment)).toContain('allowlist');
    expect(await refused('https://user:pw@oapi.dingtalk.com/robot/send', deployment)).toContain(
      'credentials',
    );
    expect(await refused('ftp://oapi.dingtalk.com/', deployment)).toBe('must use https');
    expect(await refused('not a url', deployment)).toBe('not a valid URL');
    for (const internal of [
      'https://169.254.169.254/latest/meta-data/', // cloud metadata (link-local)
      'https://127.0.0.1/',
      'https://[::1]/',
      'https://10.1.2.3/',
      'https://192.168.0.10/',
      'https://100.64.0.1/', // carrier-grade NAT
      'https://0.0.0.0/',
      'https://[::ffff:10.0.0.1]/', // an IPv4-mapped private address
      'https://[fd00::1]/',
      'https://localhost/', // resolves to loopback
    ])
      expect(await refused(internal, anyHost)).toMatch(/internal or reserved address|does not resolve/);
    expect((await checkWebhookUrl('https://93.184.216.34/hook', anyHost)).host).toBe('93.184.216.34');
  });

  it('on the local stacks: loopback and private receivers, but never link-local or unspecified', async () => {
    expect((await checkWebhookUrl('http://127.0.0.1:9/hook', localStack)).port).toBe('9');
    expect((await checkWebhookUrl('http://10.0.0.5/hook', localStack)).hostname).toBe('10.0.0.5');
    await refused('http://169.254.169.254/latest/meta-data/', localStack);
    await refused('http://0.0.0.0:80/', localStack);
  });

  it('masks the token in the query when a URL is shown or audited', () => {
    expect(maskWebhookUrl('https://oapi.dingtalk.com/robot/send?access_token=abcdef0123456789')).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=abcd****',
    );
    expect(maskWebhookUrl('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=xyz')).toBe(
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****',
    );
    expect(maskWebhookUrl('http://127.0.0.1:8080/hook')).toBe('http://127.0.0.1:8080/hook');
    expect(maskWebhookUrl(null)).toBeNull();
  });
});

describe('robot secrets at rest', () => {
  it('are encrypted (a fresh IV each time), read back, and refuse a tampered value', () => {
    const a = encryptSecret('SEC0123456789abcdef');
    const b = encryptSecret('SEC0123456789abcdef');
    expect(a).not.toBe(b);
    expect(isEncrypted(a)).toBe(true);
    expect(a).not.toContain('SEC0123456789abcdef');
    expect(decryptSecret(a)).toBe('SEC0123456789abcdef');
    const tampered = a.slice(0, -2) + (a.endsWith('AA') ? 'BB' : 'AA');
    expect(() => decryptSecret(tampered)).toThrow();
    expect(decryptSecret('legacy-plaintext-secret')).toBe('legacy-plaintext-secret');
  });
});
