/**
 * The attachment store (附件存储): one interface, two implementations. `LocalFileStore` keeps each
 * object as a file under a folder (the embedded default, nothing else to run); `S3Store` keeps it in
 * an S3-compatible object store (`@aws-sdk/client-s3`, path-style addressing, so any S3-compatible
 * server works: the stacks run versitygw). Keys are ours (`a/<uuid>` and `t/<uuid>`), never a
 * user's file name.
 */
import { mkdir, readFile, rm, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { config } from '@jianyi/platform';

export interface AttachmentStore {
  readonly kind: 'local' | 's3';
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** The object's bytes, or null when there is none. */
  get(key: string): Promise<Buffer | null>;
  delete(key: string): Promise<void>;
}

const KEY = /^[a-z]\/[0-9a-f-]{36}$/;
function checkKey(key: string): void {
  if (!KEY.test(key)) throw new Error(`bad attachment key ${key}`);
}

export class LocalFileStore implements AttachmentStore {
  readonly kind = 'local' as const;
  constructor(private root: string) {}

  private file(key: string): string {
    checkKey(key);
    return path.join(this.root, key);
  }

  async put(key: string, body: Buffer): Promise<void> {
    const f = this.file(key);
    await mkdir(path.dirname(f), { recursive: true });
    // Written beside and renamed: a reader never sees half a file.
    const tmp = `${f}.${process.pid}.tmp`;
    await writeFile(tmp, body, { mode: 0o600 });
    await rename(tmp, f);
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.file(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }
}

export interface S3Settings {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export class S3Store implements AttachmentStore {
  readonly kind = 's3' as const;
  private client: S3Client;
  private ready: Promise<void> | null = null;

  constructor(private s: S3Settings) {
    this.client = new S3Client({
      endpoint: s.endpoint || undefined,
      region: s.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
      // Checksums only when the operation requires them: not every S3-compatible server knows the newer ones.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  /** Makes the bucket when it does not exist yet (once per process). */
  private ensureBucket(): Promise<void> {
    this.ready ??= (async () => {
      try {
        await this.client.send(new HeadBucketCommand({ Bucket: this.s.bucket }));
      } catch {
        await this.client.send(new CreateBucketCommand({ Bucket: this.s.bucket }));
      }
    })().catch((e: unknown) => {
      this.ready = null;
      throw e;
    });
    return this.ready;
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    checkKey(key);
    await this.ensureBucket();
    await this.client.send(
      new PutObjectCommand({ Bucket: this.s.bucket, Key: key, Body: body, ContentType: contentType }),
    );
  }

  async get(key: string): Promise<Buffer | null> {
    checkKey(key);
    await this.ensureBucket();
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.s.bucket, Key: key }));
      if (!r.Body) return null;
      return Buffer.from(await r.Body.transformToByteArray());
    } catch (e) {
      if (e instanceof NoSuchKey || (e as { name?: string }).name === 'NoSuchKey') return null;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    await this.ensureBucket();
    await this.client.send(new DeleteObjectCommand({ Bucket: this.s.bucket, Key: key }));
  }
}

let store: AttachmentStore | null = null;
/** The store the configuration names (JIANYI_STORAGE=local|s3; README, "Attachments"). */
export function attachmentStore(): AttachmentStore {
  store ??=
    config.attachments.store === 's3'
      ? new S3Store(config.attachments.s3)
      : new LocalFileStore(config.attachments.dir);
  return store;
}
