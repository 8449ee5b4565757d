/**
 * 附件 (attachments) through the API of the running test stack, as the roles who attach and read
 * them: the lead deputy's photo on a draft (EXIF location gone, thumbnail made, a retry is the same
 * attachment), refusals (a file whose content is not what its name says, one over the size limit,
 * another deputy, a unit not assigned), the unit's site-visit photo on its contact and its signed
 * letter on its reply draft (the draft's file hidden from the deputy and other units like the
 * draft), downloads audited, the constituent's photo on a message (seen by the station, never by
 * others). The test stack keeps the files in its S3-compatible store (versitygw): the object is read
 * back from there.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '@jianyi/platform';
import { ApiSession } from '@jianyi/platform/src/testing';
import { AuthzWorld, contactBody, replyBody, type Item } from './authz-support';

let world: AuthzWorld;
let draft: Item;
let handling: Item;

/** A JPEG photo carrying a camera make and a GPS position in its EXIF. */
async function photoWithGps(colour = '#c33'): Promise<Buffer> {
  return sharp({ create: { width: 640, height: 480, channels: 3, background: colour } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'TestCam' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '31/1 25/1 0/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '119/1 29/1 0/1',
      },
    })
    .toBuffer();
}
/** The smallest valid PDF poppler and file-type accept. */
const pdf = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj ' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
const key = () => ({ 'Idempotency-Key': randomUUID() });
/** A client of the stack's S3-compatible store, as the API is configured. */
const s3Client = () =>
  new S3Client({
    endpoint: config.attachments.s3.endpoint,
    region: config.attachments.s3.region,
    forcePathStyle: true,
    credentials: {
      accessKeyId: config.attachments.s3.accessKeyId,
      secretAccessKey: config.attachments.s3.secretAccessKey,
    },
  });

beforeAll(async () => {
  world = await AuthzWorld.open();
  [draft, handling] = await Promise.all([world.draft(), world.signedIn()]);
}, 240_000);
afterAll(async () => {
  await world?.close();
});

describe('attachments on a suggestion (the lead deputy, while a draft)', () => {
  let attachmentId: string;

  it('stores a photo without its EXIF location, with a thumbnail; a retry is the same attachment', async () => {
    const { leadDeputy } = world.as;
    const photo = await photoWithGps();
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    const headers = key();
    const r = await leadDeputy.upload(
      `/api/suggestions/${draft.id}/attachments`,
      { name: '现场照片.jpg', bytes: photo, type: 'image/jpeg' },
      headers,
    );
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      ownerType: 'suggestion',
      fileName: '现场照片.jpg',
      mediaType: 'image/jpeg',
      isImage: true,
      width: 640,
      height: 480,
    });
    attachmentId = r.body.id;

    const file = await leadDeputy.download(`/api/attachments/${attachmentId}`);
    expect(file.status).toBe(200);
    expect(file.type).toBe('image/jpeg');
    const meta = await sharp(file.bytes).metadata();
    expect(meta.exif).toBeUndefined(); // no GPS, no camera: no EXIF at all
    expect(file.bytes.toString('latin1')).not.toContain('TestCam');

    const thumb = await leadDeputy.download(`/api/attachments/${attachmentId}/thumbnail`);
    expect(thumb.status).toBe(200);
    expect(thumb.type).toBe('image/jpeg');
    expect((await sharp(thumb.bytes).metadata()).width).toBe(320);

    // The same request again (a retry), and the same file under a new key: one attachment.
    const retry = await leadDeputy.upload(
      `/api/suggestions/${draft.id}/attachments`,
      { name: '现场照片.jpg', bytes: photo },
      headers,
    );
    expect(retry.body.id).toBe(attachmentId);
    const again = await leadDeputy.upload(
      `/api/suggestions/${draft.id}/attachments`,
      { name: '现场照片.jpg', bytes: photo },
      key(),
    );
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(attachmentId);
    const rows = await world.ds.query(`SELECT count(*)::int AS n FROM attachments WHERE owner_id = $1`, [
      draft.id,
    ]);
    expect(rows[0].n).toBe(1);

    const list = await leadDeputy.call('GET', `/api/suggestions/${draft.id}/attachments`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([attachmentId]);
    expect(list.body.items[0].thumbnailUrl).toBe(`/api/attachments/${attachmentId}/thumbnail`);
  });

  it('keeps the bytes in the S3-compatible store of the stack', async () => {
    expect(config.attachments.store).toBe('s3');
    const [row] = await world.ds.query(`SELECT storage_key, thumb_key FROM attachments WHERE id = $1`, [
      attachmentId,
    ]);
    const s3 = s3Client();
    const obj = await s3.send(
      new GetObjectCommand({ Bucket: config.attachments.s3.bucket, Key: row.storage_key }),
    );
    const bytes = Buffer.from(await obj.Body!.transformToByteArray());
    expect((await sharp(bytes).metadata()).width).toBe(640);
    expect(obj.ContentType).toBe('image/jpeg');
    s3.destroy();
  });

  it('refuses a file whose content is not what its name says (415), naming the file', async () => {
    const html = Buffer.from('<!doctype html><script>alert(1)</script>');
    const r = await world.as.leadDeputy.upload(
      `/api/suggestions/${draft.id}/attachments`,
      { name: 'photo.jpg', bytes: html, type: 'image/jpeg' },
      key(),
    );
    expect(r.status).toBe(415);
    expect(r.body.errors[0]).toMatchObject({ field: 'file' });
    expect(r.body.errors[0].message).toContain('文件类型不允许');
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), randomBytes(256)]);
    const exe = await world.as.leadDeputy.upload(
      `/api/suggestions/${draft.id}/attachments`,
      { name: '说明.pdf', bytes: elf, type: 'application/pdf' },
      key(),
    );
    expect(exe.status).toBe(415);
  });

  it('refuses a file over the size limit (413) and a request without a file (422)', async () => {
    const big = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
      Buffer.alloc(config.attachments.maxFileBytes + 10, 1),
    ]);
    const r = await world.as.leadDeputy.upload(
      `/api/suggestions/${draft.id}/attachments`,
      { name: 'big.jpg', bytes: big },
      key(),
    );
    expect(r.status).toBe(413);
    expect(r.body.errors[0].message).toContain('单个文件不能超过');
    const none = await world.as.leadDeputy.call(
      'POST',
      `/api/suggestions/${draft.id}/attachments`,
      {},
      key(),
    );
    expect(none.status).toBe(422);
  });

  it('another deputy and the reviewer cannot reach a draft (404); a deputy cannot attach to a submitted item (409)', async () => {
    const { otherDeputy, reviewer, leadDeputy } = world.as;
    const photo = await photoWithGps('#3c3');
    for (const s of [otherDeputy, reviewer]) {
      const r = await s.upload(
        `/api/suggestions/${draft.id}/attachments`,
        { name: 'x.jpg', bytes: photo },
        key(),
      );
      expect(r.status).toBe(404);
      expect((await s.download(`/api/attachments/${attachmentId}`)).status).toBe(404);
      expect((await s.call('GET', `/api/suggestions/${draft.id}/attachments`)).status).toBe(404);
    }
    const late = await leadDeputy.upload(
      `/api/suggestions/${handling.id}/attachments`,
      { name: 'x.jpg', bytes: photo },
      key(),
    );
    expect(late.status).toBe(409);
  });
});

describe("attachments on a unit's records", () => {
  let contactPhotoId: string;
  let replyScanId: string;

  it('the unit attaches a site-visit photo to its contact; the deputy sees it; another unit gets 404', async () => {
    const { unitHandler, leadDeputy, otherUnit, supervisor } = world.as;
    expect(
      (await world.unitStep(unitHandler, handling, 'contacts', { ...contactBody, form: '视察' })).status,
    ).toBe(200);
    const t = await unitHandler.call('GET', `/api/suggestions/${handling.id}/timeline`);
    const contactId = t.body.contacts[0].id as string;
    const photo = await photoWithGps('#36c');
    const r = await unitHandler.upload(
      `/api/suggestions/${handling.id}/contacts/${contactId}/attachments`,
      { name: '视察现场.jpg', bytes: photo },
      key(),
    );
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ ownerType: 'contact', ownerId: contactId, unitName: expect.any(String) });
    contactPhotoId = r.body.id;

    // Another unit: neither attach nor read.
    const other = await otherUnit.upload(
      `/api/suggestions/${handling.id}/contacts/${contactId}/attachments`,
      { name: 'x.jpg', bytes: photo },
      key(),
    );
    expect(other.status).toBe(404);
    expect((await otherUnit.download(`/api/attachments/${contactPhotoId}`)).status).toBe(404);
    expect((await otherUnit.download(`/api/attachments/${contactPhotoId}/thumbnail`)).status).toBe(404);
    // The deputy (not of the unit) may read, but not attach to the unit's contact.
    const dep = await leadDeputy.upload(
      `/api/suggestions/${handling.id}/contacts/${contactId}/attachments`,
      { name: 'x.jpg', bytes: photo },
      key(),
    );
    expect(dep.status).toBe(403);
    const seen = await leadDeputy.call('GET', `/api/suggestions/${handling.id}/attachments`);
    expect(seen.body.items.map((a: { id: string }) => a.id)).toContain(contactPhotoId);
    expect((await leadDeputy.download(`/api/attachments/${contactPhotoId}`)).status).toBe(200);
    expect((await supervisor.download(`/api/attachments/${contactPhotoId}`)).status).toBe(200);
  });

  it("the reply draft's signed scan is seen like the draft: the unit and overseers, not the deputy", async () => {
    const { unitHandler, leadDeputy, otherUnit, reviewer } = world.as;
    expect((await world.unitStep(unitHandler, handling, 'reply', replyBody)).status).toBe(200);
    const t = await unitHandler.call('GET', `/api/suggestions/${handling.id}/timeline`);
    const replyId = t.body.replies[0].id as string;
    // The deputy cannot even address the draft.
    const dep = await leadDeputy.upload(
      `/api/suggestions/${handling.id}/replies/${replyId}/attachments`,
      { name: '答复函.pdf', bytes: pdf },
      key(),
    );
    expect(dep.status).toBe(404);
    const r = await unitHandler.upload(
      `/api/suggestions/${handling.id}/replies/${replyId}/attachments`,
      { name: '答复函（签章）.pdf', bytes: pdf },
      key(),
    );
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      ownerType: 'reply',
      mediaType: 'application/pdf',
      isImage: false,
      thumbnailUrl: null,
    });
    replyScanId = r.body.id;

    expect((await leadDeputy.download(`/api/attachments/${replyScanId}`)).status).toBe(404);
    const depList = await leadDeputy.call('GET', `/api/suggestions/${handling.id}/attachments`);
    expect(depList.body.items.map((a: { id: string }) => a.id)).not.toContain(replyScanId);
    expect((await otherUnit.download(`/api/attachments/${replyScanId}`)).status).toBe(404);
    const rev = await reviewer.download(`/api/attachments/${replyScanId}`);
    expect(rev.status).toBe(200);
    expect(rev.type).toBe('application/pdf');
    expect(rev.bytes.equals(pdf)).toBe(true);
  });

  it('the dossier lists the attachments the reader may see, with the photo embedded', async () => {
    const text = async (s: ApiSession) => {
      const r = await s.download(`/api/suggestions/${handling.id}/print/dossier.pdf`);
      expect(r.status).toBe(200);
      const f = path.join(tmpdir(), `dossier-${randomUUID()}.pdf`);
      writeFileSync(f, r.bytes);
      const images = execFileSync('pdfimages', ['-list', f], { encoding: 'utf8' });
      return { text: execFileSync('pdftotext', [f, '-'], { encoding: 'utf8' }).replace(/\s+/g, ''), images };
    };
    const rev = await text(world.as.reviewer);
    expect(rev.text).toContain('八、附件');
    expect(rev.text).toContain('视察现场.jpg');
    expect(rev.text).toContain('答复函（签章）.pdf');
    expect(rev.images).toMatch(/image/);
    // The deputy's dossier: the contact photo, not the unit's draft scan.
    const dep = await text(world.as.leadDeputy);
    expect(dep.text).toContain('视察现场.jpg');
    expect(dep.text).not.toContain('答复函（签章）');
  });

  it('every download of a file is audited, with who and which file', async () => {
    const rows = await world.ds.query(
      `SELECT actor_user_id, after FROM audit_log WHERE action = 'attachment.download' AND after->>'attachmentId' = $1`,
      [replyScanId],
    );
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows[0].after).toMatchObject({ ownerType: 'reply', fileName: '答复函（签章）.pdf' });
    const uploads = await world.ds.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'attachment.upload' AND entity_id = $1`,
      [handling.id],
    );
    expect(uploads[0].n).toBe(2);
    expect(contactPhotoId).toBeTruthy();
  });
});

describe("a constituent's photos on a message (一码通)", () => {
  it('the constituent adds a photo by tracking code; the station sees it; others and the public never', async () => {
    const anon = new ApiSession();
    const from = `198.51.100.${1 + (randomBytes(1)[0]! % 250)}`;
    const m = await anon.call(
      'POST',
      '/api/intake/targets/CZ3K7M/messages',
      { category: 'transport', content: '燕山路公交站台的遮雨棚破损，雨天漏水，附照片。', consent: false },
      { 'X-Forwarded-For': from },
    );
    expect(m.status).toBe(201);
    const code = m.body.trackingCode as string;
    const photo = await photoWithGps('#963');
    const up = await anon.upload(
      `/api/intake/track/${code}/photos`,
      { name: 'IMG_0001.jpg', bytes: photo },
      {
        'X-Forwarded-For': from,
      },
    );
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ fileName: 'IMG_0001.jpg', mediaType: 'image/jpeg' });
    expect(JSON.stringify(up.body)).not.toContain('/api/attachments');
    // The same photo again is the same one; a PDF is not a photo.
    expect(
      (
        await anon.upload(
          `/api/intake/track/${code}/photos`,
          { name: 'a.jpg', bytes: photo },
          { 'X-Forwarded-For': from },
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await anon.upload(
          `/api/intake/track/${code}/photos`,
          { name: 'a.pdf', bytes: pdf },
          { 'X-Forwarded-For': from },
        )
      ).status,
    ).toBe(415);
    expect(
      (
        await anon.upload(
          `/api/intake/track/ZZZZZZZZ/photos`,
          { name: 'a.jpg', bytes: photo },
          { 'X-Forwarded-For': from },
        )
      ).status,
    ).toBe(404);

    const [{ id }] = await world.ds.query(`SELECT id FROM messages WHERE tracking_code = $1`, [code]);
    const staff = await ApiSession.login('lc.staff');
    const list = await staff.call('GET', `/api/messages/${id}/attachments`);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    const file = await staff.download(list.body.items[0].url);
    expect(file.status).toBe(200);
    expect((await sharp(file.bytes).metadata()).exif).toBeUndefined();
    for (const s of [world.as.otherDeputy, world.as.unitHandler]) {
      expect((await s.call('GET', `/api/messages/${id}/attachments`)).status).toBe(404);
      expect((await s.download(list.body.items[0].url)).status).toBe(404);
    }
    expect((await anon.download(list.body.items[0].url)).status).toBe(401);
  });
});

describe('deleting an attachment (the uploader or an admin, while its record takes changes)', () => {
  const storeHas = async (storageKey: string) => {
    const s3 = s3Client();
    try {
      await s3.send(new GetObjectCommand({ Bucket: config.attachments.s3.bucket, Key: storageKey }));
      return true;
    } catch {
      return false;
    } finally {
      s3.destroy();
    }
  };
  const keysOf = async (id: string) =>
    (
      await world.ds.query(
        `SELECT storage_key AS "storageKey", thumb_key AS "thumbKey" FROM attachments WHERE id = $1`,
        [id],
      )
    )[0] as { storageKey: string; thumbKey: string | null } | undefined;

  it('the unit’s handler deletes the photo it put on its contact; others may not (403); it is gone from the store and audited', async () => {
    const { unitHandler, unitLeader, leadDeputy, reviewer, otherUnit, admin } = world.as;
    const it = await world.signedIn();
    expect((await world.unitStep(unitHandler, it, 'contacts', contactBody)).status).toBe(200);
    const t = await unitHandler.call('GET', `/api/suggestions/${it.id}/timeline`);
    const contactId = t.body.contacts[0].id as string;
    const up = (colour: string) =>
      photoWithGps(colour).then((bytes) =>
        unitHandler.upload(
          `/api/suggestions/${it.id}/contacts/${contactId}/attachments`,
          { name: '视察现场.jpg', bytes },
          key(),
        ),
      );
    const photo = await up('#a52');
    expect(photo.status).toBe(201);
    const id = photo.body.id as string;
    const keys = (await keysOf(id))!;
    expect(await storeHas(keys.storageKey)).toBe(true);
    // The list tells the page who may delete: the uploader yes, the deputy no.
    const mine = await unitHandler.call('GET', `/api/suggestions/${it.id}/attachments`);
    expect(mine.body.items.find((a: { id: string }) => a.id === id).canDelete).toBe(true);
    const theirs = await leadDeputy.call('GET', `/api/suggestions/${it.id}/attachments`);
    expect(theirs.body.items.find((a: { id: string }) => a.id === id).canDelete).toBe(false);

    // Who sees it but did not upload it: 403 with the reason; a unit that does not see it: 404.
    for (const s of [unitLeader, leadDeputy, reviewer]) {
      const r = await s.call('DELETE', `/api/attachments/${id}`);
      expect(r.status).toBe(403);
      expect(r.body.title).toBe('只有上传人或管理员可以删除附件');
    }
    expect((await otherUnit.call('DELETE', `/api/attachments/${id}`)).status).toBe(404);
    // A malformed id is the same 404 as an unknown one (as for downloads).
    expect((await unitHandler.call('DELETE', '/api/attachments/not-an-id')).status).toBe(404);

    expect((await unitHandler.call('DELETE', `/api/attachments/${id}`)).status).toBe(204);
    expect(await keysOf(id)).toBeUndefined();
    expect(await storeHas(keys.storageKey)).toBe(false);
    if (keys.thumbKey) expect(await storeHas(keys.thumbKey)).toBe(false);
    expect((await unitHandler.download(`/api/attachments/${id}`)).status).toBe(404);
    expect((await unitHandler.call('DELETE', `/api/attachments/${id}`)).status).toBe(404);
    const audit = await world.ds.query(
      `SELECT actor_role AS role, before->>'fileName' AS "fileName" FROM audit_log WHERE action = 'attachment.delete' AND before->>'attachmentId' = $1`,
      [id],
    );
    expect(audit).toEqual([{ role: 'unit_handler', fileName: '视察现场.jpg' }]);

    // An admin may delete another's file while the part is open.
    const second = await up('#2a5');
    expect((await admin.call('DELETE', `/api/attachments/${second.body.id}`)).status).toBe(204);
  });

  it('once the reply is sent, its scan and the contact’s photo stay (409 with the reason)', async () => {
    const { unitHandler, unitLeader } = world.as;
    const it = await world.drafted();
    const t = await unitHandler.call('GET', `/api/suggestions/${it.id}/timeline`);
    const contactId = t.body.contacts[0].id as string;
    const replyId = t.body.replies[0].id as string;
    const photo = await unitHandler.upload(
      `/api/suggestions/${it.id}/contacts/${contactId}/attachments`,
      { name: '现场.jpg', bytes: await photoWithGps('#5a2') },
      key(),
    );
    const scan = await unitHandler.upload(
      `/api/suggestions/${it.id}/replies/${replyId}/attachments`,
      { name: '答复函.pdf', bytes: pdf },
      key(),
    );
    expect([photo.status, scan.status]).toEqual([201, 201]);
    expect((await world.unitStep(unitLeader, it, 'reply/sign-off')).status).toBe(200);
    expect((await world.unitStep(unitHandler, it, 'reply/send')).status).toBe(200);
    const r = await unitHandler.call('DELETE', `/api/attachments/${scan.body.id}`);
    expect(r.status).toBe(409);
    expect(r.body.title).toBe('答复或意见已发出，附件不能删除');
    const c = await unitHandler.call('DELETE', `/api/attachments/${photo.body.id}`);
    expect(c.status).toBe(409);
    expect(c.body.title).toContain('办理已结束');
    expect(await keysOf(scan.body.id)).toBeDefined();
  });

  it('the lead deputy deletes a file of a draft, but not of a submitted item (409)', async () => {
    const { leadDeputy } = world.as;
    const d = await world.draft();
    const a = await leadDeputy.upload(
      `/api/suggestions/${d.id}/attachments`,
      { name: '调研.pdf', bytes: pdf },
      key(),
    );
    expect((await leadDeputy.call('DELETE', `/api/attachments/${a.body.id}`)).status).toBe(204);
    const b = await leadDeputy.upload(
      `/api/suggestions/${d.id}/attachments`,
      { name: '现场.jpg', bytes: await photoWithGps('#999') },
      key(),
    );
    expect((await leadDeputy.call('POST', `/api/suggestions/${d.id}/submit`)).status).toBe(202);
    await world.untilStatus(d, 'submitted');
    const r = await leadDeputy.call('DELETE', `/api/attachments/${b.body.id}`);
    expect(r.status).toBe(409);
    expect(r.body.title).toBe('建议已提交，附件不能再删除');
  });
});
