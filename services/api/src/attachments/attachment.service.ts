/**
 * 附件 (attachments) of an item's records and of constituents' messages: who may attach what where,
 * who may read it, and the limits. Visibility is the record's own:
 * - on the suggestion and on contacts: whoever sees the item (SuggestionRepository.findVisible, so a
 *   confidential item, a unit re-assigned away, another deputy's draft: 404);
 * - on a reply or a co-handler's opinion: whoever sees the item and that record under the one record
 *   rule (a draft only for its own unit and the overseers);
 * - on a constituent's message: whoever sees the message (its station's staff and deputies, the
 *   deputy it was sent to, the unit it was forwarded to, the overseers); never the public.
 * Who may attach: the item's lead deputy (or whoever drafted it) while it is a draft or returned for
 * revision; a unit's people to their own unit's contacts, replies and opinions; the constituent who
 * wrote a message (knowing its tracking code) while nobody has taken it yet, photos only.
 * Every upload and every download of a file is audited (`attachment.upload`, `attachment.download`).
 * Deleting: the uploader or an admin, while the record still takes changes (the suggestion a draft or
 * returned; a contact while its unit's part is open; a reply or opinion until it is sent; a message
 * until it is taken); the row goes in a transaction with its audit row (`attachment.delete`), then
 * the bytes leave the store.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { actsForUnit, audit, config, recordVisibleSql, type SessionUser } from '@jianyi/platform';
import { HttpProblem, problems } from '../http/problem';
import { idempotent } from '../http/idempotency';
import { SuggestionRepository } from '../suggestion.repository';
import type { IntakeRepository } from '../intake.repository';
import type { IntakeService } from '../intake.service';
import { inspectFile, RefusedFile, type InspectedFile } from './inspect';
import { attachmentStore, type AttachmentStore } from './storage';

export type OwnerType = 'suggestion' | 'contact' | 'reply' | 'message';

export interface AttachmentRow {
  id: string;
  ownerType: OwnerType;
  ownerId: string;
  suggestionId: string | null;
  messageId: string | null;
  unitId: string | null;
  unitName: string | null;
  fileName: string;
  mediaType: string;
  ext: string;
  sizeBytes: number;
  width: number | null;
  height: number | null;
  storageKey: string;
  thumbKey: string | null;
  uploadedBy: string | null;
  uploadedByName: string | null;
  createdAt: Date | string;
}

export interface AttachmentView {
  id: string;
  ownerType: OwnerType;
  ownerId: string;
  unitId: string | null;
  unitName: string | null;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  width: number | null;
  height: number | null;
  isImage: boolean;
  url: string;
  thumbnailUrl: string | null;
  uploadedByName: string | null;
  createdAt: string;
  /** Whether the caller may delete it now (uploader or admin, record still open); lists only. */
  canDelete?: boolean;
}

const SELECT = `SELECT a.id, a.owner_type AS "ownerType", a.owner_id AS "ownerId", a.suggestion_id AS "suggestionId",
  a.message_id AS "messageId", a.unit_id AS "unitId", u.name AS "unitName", a.file_name AS "fileName",
  a.media_type AS "mediaType", a.ext, a.size_bytes AS "sizeBytes", a.width, a.height, a.storage_key AS "storageKey",
  a.thumb_key AS "thumbKey", a.uploaded_by AS "uploadedBy", us.display_name AS "uploadedByName", a.created_at AS "createdAt"
  FROM attachments a LEFT JOIN units u ON u.id = a.unit_id LEFT JOIN users us ON us.id = a.uploaded_by`;

export function present(a: AttachmentRow): AttachmentView {
  return {
    id: a.id,
    ownerType: a.ownerType,
    ownerId: a.ownerId,
    unitId: a.unitId,
    unitName: a.unitName,
    fileName: a.fileName,
    mediaType: a.mediaType,
    sizeBytes: Number(a.sizeBytes),
    width: a.width,
    height: a.height,
    isImage: a.mediaType.startsWith('image/'),
    url: `/api/attachments/${a.id}`,
    thumbnailUrl: a.thumbKey ? `/api/attachments/${a.id}/thumbnail` : null,
    uploadedByName: a.uploadedByName,
    createdAt: new Date(a.createdAt).toISOString(),
  };
}

/** A file as multer hands it over. */
export interface Upload {
  buffer: Buffer;
  originalname: string;
}

interface Owner {
  type: OwnerType;
  id: string;
  suggestionId: string | null;
  messageId: string | null;
  unitId: string | null;
}

const EDITABLE = ['draft', 'returned'];

const refused = (e: RefusedFile) =>
  new HttpProblem(415, '文件类型不允许', e.en, [
    { field: 'file', message: `文件：${e.zh}`, messageEn: e.en },
  ]);

/** A display name for the file: no path, no control characters, at most 255 characters. */
export function cleanFileName(raw: string, ext: string): string {
  const base = (raw.split(/[\\/]/).pop() ?? '')
    .replace(/[\u0000-\u001f\u007f"]/g, '')
    .trim()
    .slice(-200);
  return base || `附件.${ext}`;
}

export class AttachmentService {
  private suggestions: SuggestionRepository;

  constructor(
    private ds: DataSource,
    private store: AttachmentStore = attachmentStore(),
  ) {
    this.suggestions = new SuggestionRepository(ds);
  }

  // ---------- where a file may go ----------

  private async visibleItem(user: SessionUser, id: string) {
    const s = await this.suggestions.findVisible(user, id);
    if (!s) throw problems.notFound('suggestion');
    return s;
  }

  async suggestionOwner(user: SessionUser, id: string): Promise<Owner> {
    await this.visibleItem(user, id);
    const [row]: { status: string; leadDeputyId: string; createdBy: string }[] = await this.ds.query(
      `SELECT status, lead_deputy_id AS "leadDeputyId", created_by AS "createdBy" FROM suggestions WHERE id = $1`,
      [id],
    );
    if (!row) throw problems.notFound('suggestion');
    const mine = (user.role === 'deputy' && user.deputyId === row.leadDeputyId) || user.id === row.createdBy;
    if (!mine) throw problems.forbidden('only the lead deputy attaches files to a suggestion');
    if (!EDITABLE.includes(row.status))
      throw problems.conflict(
        'files can be attached to a draft or an item returned for revision only',
        '只有草稿或退回修改的建议可以添加附件',
      );
    return { type: 'suggestion', id, suggestionId: id, messageId: null, unitId: null };
  }

  async contactOwner(user: SessionUser, id: string, contactId: string): Promise<Owner> {
    await this.visibleItem(user, id);
    const [c]: { unitId: string }[] = await this.ds.query(
      `SELECT unit_id AS "unitId" FROM contacts WHERE id = $1 AND suggestion_id = $2`,
      [contactId, id],
    );
    if (!c) throw problems.notFound('contact');
    if (!actsForUnit(user, c.unitId))
      throw problems.forbidden("only the contact's unit attaches files to it");
    return { type: 'contact', id: contactId, suggestionId: id, messageId: null, unitId: c.unitId };
  }

  async replyOwner(user: SessionUser, id: string, replyId: string): Promise<Owner> {
    await this.visibleItem(user, id);
    const params: unknown[] = [replyId, id];
    const [r]: { unitId: string }[] = await this.ds.query(
      `SELECT r.unit_id AS "unitId" FROM replies r WHERE r.id = $1 AND r.suggestion_id = $2 AND ${recordVisibleSql(user, params, 'r')}`,
      params,
    );
    if (!r) throw problems.notFound('reply');
    if (!actsForUnit(user, r.unitId)) throw problems.forbidden("only the reply's unit attaches files to it");
    return { type: 'reply', id: replyId, suggestionId: id, messageId: null, unitId: r.unitId };
  }

  // ---------- storing ----------

  private async inspect(file: Upload | undefined, imagesOnly: boolean, maxBytes: number) {
    if (!file)
      throw problems.invalid([
        {
          field: 'file',
          message: '文件：请选择要上传的文件（multipart/form-data 的 file 字段）',
          messageEn: 'a file is required (multipart/form-data field "file")',
        },
      ]);
    if (file.buffer.length > maxBytes) throw tooLarge(maxBytes);
    try {
      return await inspectFile(file.buffer, file.originalname, { imagesOnly });
    } catch (e) {
      if (e instanceof RefusedFile) throw refused(e);
      throw e;
    }
  }

  /**
   * Stores `f` on `owner` in transaction `m`: the same content on the same record is the attachment
   * already there; else the limits per record are checked (count, bytes) and the bytes stored.
   */
  private async insert(
    m: EntityManager,
    owner: Owner,
    f: InspectedFile,
    fileName: string,
    uploadedBy: SessionUser | null,
    limits: { files: number; bytes: number },
    requestId: string | null,
  ): Promise<{ status: number; body: AttachmentView }> {
    // One upload at a time per record: the limits hold under concurrent uploads.
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('attachments:' || $1))`, [owner.id]);
    const existing: { id: string }[] = await m.query(
      `SELECT id FROM attachments WHERE owner_type = $1 AND owner_id = $2 AND sha256 = $3`,
      [owner.type, owner.id, f.sha256],
    );
    if (existing[0]) return { status: 200, body: present(await this.row(m, existing[0].id)) };
    const [used]: { n: number; bytes: string }[] = await m.query(
      `SELECT count(*)::int AS n, coalesce(sum(size_bytes), 0)::text AS bytes FROM attachments WHERE owner_type = $1 AND owner_id = $2`,
      [owner.type, owner.id],
    );
    if (used!.n >= limits.files)
      throw new HttpProblem(413, '附件数量已达上限', `at most ${limits.files} files per record`, [
        {
          field: 'file',
          message: `文件：每条记录最多 ${limits.files} 个附件`,
          messageEn: `at most ${limits.files} files per record`,
        },
      ]);
    if (Number(used!.bytes) + f.body.length > limits.bytes)
      throw new HttpProblem(413, '附件总大小超过上限', `at most ${mb(limits.bytes)} per record`, [
        {
          field: 'file',
          message: `文件：每条记录的附件合计不能超过 ${mb(limits.bytes)}`,
          messageEn: `all files of one record together at most ${mb(limits.bytes)}`,
        },
      ]);
    const id = randomUUID();
    const storageKey = `a/${id}`;
    const thumbKey = f.thumbnail ? `t/${id}` : null;
    await this.store.put(storageKey, f.body, f.mediaType);
    if (f.thumbnail && thumbKey) await this.store.put(thumbKey, f.thumbnail, 'image/jpeg');
    try {
      await m.query(
        `INSERT INTO attachments (id, owner_type, owner_id, suggestion_id, message_id, unit_id, file_name, media_type, ext, size_bytes, sha256, storage_key, thumb_key, width, height, uploaded_by)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)`,
        [
          id,
          owner.type,
          owner.id,
          owner.suggestionId,
          owner.messageId,
          owner.unitId,
          fileName,
          f.mediaType,
          f.ext,
          f.body.length,
          f.sha256,
          storageKey,
          thumbKey,
          f.width,
          f.height,
          uploadedBy?.id ?? null,
        ],
      );
      await audit(m, {
        actorUserId: uploadedBy?.id ?? null,
        actorRole: uploadedBy?.role ?? 'constituent',
        action: 'attachment.upload',
        entityType: owner.suggestionId ? 'suggestion' : 'message',
        entityId: owner.suggestionId ?? owner.messageId,
        after: {
          attachmentId: id,
          ownerType: owner.type,
          ownerId: owner.id,
          fileName,
          mediaType: f.mediaType,
          sizeBytes: f.body.length,
        },
        requestId,
      });
    } catch (e) {
      await this.store.delete(storageKey).catch(() => undefined);
      if (thumbKey) await this.store.delete(thumbKey).catch(() => undefined);
      throw e;
    }
    return { status: 201, body: present(await this.row(m, id)) };
  }

  private async row(m: EntityManager | DataSource, id: string): Promise<AttachmentRow> {
    const [r]: AttachmentRow[] = await m.query(`${SELECT} WHERE a.id = $1`, [id]);
    return r!;
  }

  /** A signed-in user's upload to a record of an item, once per Idempotency-Key. */
  async upload(
    user: SessionUser,
    owner: Owner,
    file: Upload | undefined,
    key: string | undefined,
    requestId: string | null,
  ) {
    const f = await this.inspect(file, false, config.attachments.maxFileBytes);
    const fileName = cleanFileName(file!.originalname, f.ext);
    return idempotent(
      this.ds,
      user.id,
      key,
      `attachment:${owner.type}:${owner.id}`,
      (m) =>
        this.insert(
          m,
          owner,
          f,
          fileName,
          user,
          {
            files: config.attachments.maxFilesPerRecord,
            bytes: config.attachments.maxBytesPerRecord,
          },
          requestId,
        ),
      { sha256: f.sha256, fileName },
    );
  }

  /** A constituent's photo on their message (by tracking code), while nobody has taken the message yet. */
  async uploadToMessage(
    intake: IntakeService,
    trackingCode: string,
    file: Upload | undefined,
    requestId: string | null,
  ) {
    // Any unknown or malformed code is the same 404 as on the tracking page.
    const { id: messageId, view } = await intake.track(trackingCode);
    const msg = { id: messageId, status: view.status };
    if (msg.status !== 'pending_claim')
      throw problems.conflict(
        'photos can be added only until the message is taken',
        '留言已被受理，不能再添加照片',
      );
    const f = await this.inspect(file, true, config.attachments.maxMessageFileBytes);
    const owner: Owner = {
      type: 'message',
      id: String(msg.id),
      suggestionId: null,
      messageId: String(msg.id),
      unitId: null,
    };
    const fileName = cleanFileName(file!.originalname, f.ext);
    const r = await this.ds.transaction((m) =>
      this.insert(
        m,
        owner,
        f,
        fileName,
        null,
        {
          files: config.attachments.maxMessageFiles,
          bytes: config.attachments.maxMessageFiles * config.attachments.maxMessageFileBytes,
        },
        requestId,
      ),
    );
    // The constituent gets no link to the file: a message's photos are read by those handling it.
    return {
      status: r.status,
      body: { fileName: r.body.fileName, sizeBytes: r.body.sizeBytes, mediaType: r.body.mediaType },
    };
  }

  // ---------- reading ----------

  /** Every attachment of item `id` the user may see: the suggestion's, its contacts', and its visible replies' and opinions'. */
  async listForItem(user: SessionUser, id: string): Promise<AttachmentView[]> {
    await this.visibleItem(user, id);
    const params: unknown[] = [id];
    const rule = recordVisibleSql(user, params, 'r');
    const rows: AttachmentRow[] = await this.ds.query(
      `${SELECT} WHERE a.suggestion_id = $1 AND (a.owner_type <> 'reply'
         OR EXISTS (SELECT 1 FROM replies r WHERE r.id = a.owner_id AND ${rule}))
       ORDER BY a.created_at, a.id`,
      params,
    );
    const out: AttachmentView[] = [];
    for (const a of rows)
      out.push({ ...present(a), canDelete: mayDelete(user, a) && !(await this.closed(this.ds, a)) });
    return out;
  }

  async listForMessage(user: SessionUser, intake: IntakeRepository, messageId: string) {
    if (!(await intake.visibleMessage(user, messageId))) throw problems.notFound('message');
    const rows: AttachmentRow[] = await this.ds.query(
      `${SELECT} WHERE a.owner_type = 'message' AND a.owner_id = $1 ORDER BY a.created_at, a.id`,
      [messageId],
    );
    return rows.map(present);
  }

  /** The attachment if `user` may see its record; 404 otherwise (the same as a missing one). */
  async visible(user: SessionUser, intake: IntakeRepository, id: string): Promise<AttachmentRow> {
    const [a]: AttachmentRow[] = await this.ds.query(`${SELECT} WHERE a.id = $1`, [id]);
    if (!a) throw problems.notFound('attachment');
    if (a.ownerType === 'message') {
      if (!(await intake.visibleMessage(user, a.ownerId))) throw problems.notFound('attachment');
      return a;
    }
    if (!a.suggestionId || !(await this.suggestions.findVisible(user, a.suggestionId)))
      throw problems.notFound('attachment');
    if (a.ownerType === 'reply') {
      const params: unknown[] = [a.ownerId];
      const ok: unknown[] = await this.ds.query(
        `SELECT 1 FROM replies r WHERE r.id = $1 AND ${recordVisibleSql(user, params, 'r')}`,
        params,
      );
      if (!ok.length) throw problems.notFound('attachment');
    }
    return a;
  }

  async download(
    user: SessionUser,
    intake: IntakeRepository,
    id: string,
    variant: 'file' | 'thumbnail',
    requestId: string | null,
  ) {
    const a = await this.visible(user, intake, id);
    const key = variant === 'thumbnail' ? a.thumbKey : a.storageKey;
    if (!key) throw problems.notFound('thumbnail');
    const bytes = await this.store.get(key);
    if (!bytes) throw problems.notFound('attachment');
    // The file itself is audited; a thumbnail (shown in lists) is not.
    if (variant === 'file')
      await audit(this.ds.manager, {
        actorUserId: user.id,
        actorRole: user.role,
        action: 'attachment.download',
        entityType: a.suggestionId ? 'suggestion' : 'message',
        entityId: a.suggestionId ?? a.messageId,
        after: { attachmentId: a.id, ownerType: a.ownerType, fileName: a.fileName },
        requestId,
      });
    return { row: a, bytes, mediaType: variant === 'thumbnail' ? 'image/jpeg' : a.mediaType };
  }

  /**
   * Why the attachment's record takes no more changes (zh, en), or null while it does: the same
   * moments as for adding a file, so what was sent, replied or closed keeps its files.
   */
  private async closed(m: EntityManager | DataSource, a: AttachmentRow): Promise<[string, string] | null> {
    const one = async (sql: string, params: unknown[]) =>
      ((await m.query(sql, params)) as unknown[]).length > 0;
    switch (a.ownerType) {
      case 'suggestion':
        return (await one(`SELECT 1 FROM suggestions WHERE id = $1 AND status = ANY($2::varchar[])`, [
          a.ownerId,
          EDITABLE,
        ]))
          ? null
          : ['建议已提交，附件不能再删除', 'the suggestion has been submitted: its files stay'];
      case 'contact':
        return (await one(
          `SELECT 1 FROM contacts c JOIN assignments x ON x.suggestion_id = c.suggestion_id AND x.unit_id = c.unit_id
             JOIN suggestions s ON s.id = c.suggestion_id
           WHERE c.id = $1 AND x.status IN ('pending', 'signed_in') AND s.status NOT IN ('closed', 'published')
             AND x.round = (SELECT max(r.round) FROM assignments r WHERE r.suggestion_id = x.suggestion_id AND r.unit_id = x.unit_id)`,
          [a.ownerId],
        ))
          ? null
          : [
              '本单位已答复或办理已结束，沟通记录的附件不能删除',
              "the unit's part is over: the contact's files stay",
            ];
      case 'reply':
        return (await one(
          `SELECT 1 FROM replies r JOIN suggestions s ON s.id = r.suggestion_id
           WHERE r.id = $1 AND r.sent_at IS NULL AND s.status NOT IN ('closed', 'published')`,
          [a.ownerId],
        ))
          ? null
          : ['答复或意见已发出，附件不能删除', 'the reply or opinion has been sent: its files stay'];
      case 'message':
        return (await one(`SELECT 1 FROM messages WHERE id = $1 AND status = 'pending_claim'`, [a.ownerId]))
          ? null
          : ['留言已被受理，照片不能删除', 'the message has been taken: its photos stay'];
    }
  }

  /**
   * Deletes an attachment: 404 unless the caller sees it, 403 unless the uploader or an admin, 409 once
   * its record is closed (with the reason). The row and the audit row in one transaction, under the
   * record's upload lock; the bytes are removed from the store after the commit.
   */
  async remove(user: SessionUser, intake: IntakeRepository, id: string, requestId: string | null) {
    const seen = await this.visible(user, intake, id);
    if (!mayDelete(user, seen))
      throw new HttpProblem(
        403,
        '只有上传人或管理员可以删除附件',
        'only the uploader or an admin deletes an attachment',
      );
    const a = await this.ds.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('attachments:' || $1))`, [seen.ownerId]);
      const [row]: AttachmentRow[] = await m.query(`${SELECT} WHERE a.id = $1 FOR UPDATE OF a`, [id]);
      if (!row) throw problems.notFound('attachment');
      const why = await this.closed(m, row);
      if (why) throw problems.conflict(why[1], why[0]);
      await m.query(`DELETE FROM attachments WHERE id = $1`, [id]);
      await audit(m, {
        actorUserId: user.id,
        actorRole: user.role,
        action: 'attachment.delete',
        entityType: row.suggestionId ? 'suggestion' : 'message',
        entityId: row.suggestionId ?? row.messageId,
        before: {
          attachmentId: row.id,
          ownerType: row.ownerType,
          ownerId: row.ownerId,
          fileName: row.fileName,
          sizeBytes: Number(row.sizeBytes),
        },
        requestId,
      });
      return row;
    });
    await this.store.delete(a.storageKey);
    if (a.thumbKey) await this.store.delete(a.thumbKey);
  }

  /** The bytes of an item's attachments for the dossier (the caller has checked visibility). */
  async bytesOf(a: AttachmentView): Promise<Buffer | null> {
    const [r]: { storageKey: string }[] = await this.ds.query(
      `SELECT storage_key AS "storageKey" FROM attachments WHERE id = $1`,
      [a.id],
    );
    return r ? this.store.get(r.storageKey) : null;
  }
}

/** The uploader, or an admin (a constituent's photo: an admin only). */
const mayDelete = (user: SessionUser, a: AttachmentRow) =>
  user.role === 'admin' || (!!a.uploadedBy && a.uploadedBy === user.id);

const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

export function tooLarge(maxBytes: number): HttpProblem {
  return new HttpProblem(413, '文件过大', `a file may be at most ${mb(maxBytes)}`, [
    {
      field: 'file',
      message: `文件：单个文件不能超过 ${mb(maxBytes)}`,
      messageEn: `a file may be at most ${mb(maxBytes)}`,
    },
  ]);
}
