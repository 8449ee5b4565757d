/**
 * Secrets at rest (ASVS V6.2): a unit robot's signing secret is stored encrypted with AES-256-GCM
 * under the deployment's key (`JIANYI_SECRET_KEY`, 32 bytes in base64). The dev and test stacks use
 * a fixed key of their own; a deployment without a key refuses to store or read a secret.
 * Stored form: `enc:v1:<iv>:<tag>:<ciphertext>` (base64url). A value without the prefix is a secret
 * stored before encryption (the migration encrypts them; read as-is until then).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { config } from '../config';

const PREFIX = 'enc:v1:';

function key(): Buffer {
  const given = config.secretKey;
  if (given) {
    const k = Buffer.from(given, 'base64');
    if (k.length !== 32) throw new Error('JIANYI_SECRET_KEY must be 32 bytes in base64');
    return k;
  }
  if (config.env === 'dev' || config.env === 'test')
    return createHash('sha256').update(`jianyi-${config.env}-only-key`).digest();
  throw new Error('JIANYI_SECRET_KEY is not set: robot secrets cannot be stored or read');
}

export function encryptSecret(plain: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key(), iv);
  const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return `${PREFIX}${iv.toString('base64url')}:${c.getAuthTag().toString('base64url')}:${ct.toString('base64url')}`;
}

export function decryptSecret(stored: string): string {
  if (!stored.startsWith(PREFIX)) return stored;
  const [iv, tag, ct] = stored.slice(PREFIX.length).split(':');
  const d = createDecipheriv('aes-256-gcm', key(), Buffer.from(iv!, 'base64url'));
  d.setAuthTag(Buffer.from(tag!, 'base64url'));
  return Buffer.concat([d.update(Buffer.from(ct!, 'base64url')), d.final()]).toString('utf8');
}

export const isEncrypted = (stored: string) => stored.startsWith(PREFIX);
