/**
 * 附件 routes (attachments/attachment.service.ts has the rules): uploads as multipart/form-data with
 * one part `file` (multer, in memory, bounded by the configured limit), lists, downloads and
 * thumbnails. Mounted at /api (signed in) and, for the constituent's photos, at /api/intake.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import multer from 'multer';
import { config } from '@jianyi/platform';
import { attachmentQuery, contactAttachmentParams, replyAttachmentParams } from './contracts/attachments';
import { trackParams } from './contracts/intake';
import { currentUser } from './http/auth';
import { HttpProblem, problems } from './http/problem';
import { pathId, validate } from './http/validate';
import { AttachmentService, tooLarge } from './attachments/attachment.service';
import type { IntakeService } from './intake.service';

/** One file in the part `file`, kept in memory (at most `maxBytes` + 1, so "too large" can be told). */
function oneFile(maxBytes: number) {
  const parse = multer({
    storage: multer.memoryStorage(),
    defParamCharset: 'utf8',
    limits: { fileSize: maxBytes, files: 1, fields: 5, fieldSize: 1024, parts: 6, headerPairs: 50 },
  }).single('file');
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.is('multipart/form-data'))
      return next(
        problems.invalid([
          {
            field: 'file',
            message: '文件：请以 multipart/form-data 上传，文件放在 file 字段',
            messageEn: 'send multipart/form-data with the file in the part "file"',
          },
        ]),
      );
    parse(req, res, (err: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        if (err.code === 'LIMIT_FILE_SIZE') return next(tooLarge(maxBytes));
        return next(
          problems.invalid([
            {
              field: err.field ?? 'file',
              message: `文件：上传格式有误（${err.code}），只能上传一个 file 字段`,
              messageEn: `malformed upload (${err.code}): one part "file" only`,
            },
          ]),
        );
      }
      // A malformed multipart body (busboy): the client's fault.
      return next(
        new HttpProblem(422, '提交的内容有误', 'malformed multipart body', [
          { field: 'file', message: '文件：上传内容不完整或格式有误', messageEn: 'malformed multipart body' },
        ]),
      );
    });
  };
}

function sendFile(res: Response, bytes: Buffer, mediaType: string, fileName: string, inline: boolean) {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  res.status(200);
  res.set('Content-Type', mediaType);
  res.set(
    'Content-Disposition',
    `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
  );
  res.set('Cache-Control', 'private, no-store');
  res.send(bytes);
}

export function attachmentRoutes(svc: AttachmentService, intake: IntakeService): Router {
  const r = Router();
  const upload = oneFile(config.attachments.maxFileBytes);

  r.post('/suggestions/:id/attachments', upload, async (req: Request<{ id: string }>, res) => {
    const id = pathId(req.params.id, 'suggestion');
    const user = currentUser(req);
    const owner = await svc.suggestionOwner(user, id);
    const out = await svc.upload(user, owner, req.file, req.get('Idempotency-Key'), req.requestId ?? null);
    res.status(out.status).json(out.body);
  });

  r.post('/suggestions/:id/contacts/:contactId/attachments', upload, async (req, res) => {
    const p = validate(contactAttachmentParams, req.params);
    const user = currentUser(req);
    const owner = await svc.contactOwner(user, p.id, p.contactId);
    const out = await svc.upload(user, owner, req.file, req.get('Idempotency-Key'), req.requestId ?? null);
    res.status(out.status).json(out.body);
  });

  r.post('/suggestions/:id/replies/:replyId/attachments', upload, async (req, res) => {
    const p = validate(replyAttachmentParams, req.params);
    const user = currentUser(req);
    const owner = await svc.replyOwner(user, p.id, p.replyId);
    const out = await svc.upload(user, owner, req.file, req.get('Idempotency-Key'), req.requestId ?? null);
    res.status(out.status).json(out.body);
  });

  r.get('/suggestions/:id/attachments', async (req, res) => {
    const id = pathId(req.params.id, 'suggestion');
    res.json({ items: await svc.listForItem(currentUser(req), id) });
  });

  r.get('/messages/:id/attachments', async (req, res) => {
    const id = pathId(req.params.id, 'message');
    res.json({ items: await svc.listForMessage(currentUser(req), intake.repo, id) });
  });

  r.get('/attachments/:id', async (req, res) => {
    const id = pathId(req.params.id, 'attachment');
    const q = validate(attachmentQuery, req.query);
    const out = await svc.download(currentUser(req), intake.repo, id, 'file', req.requestId ?? null);
    const viewable = out.mediaType.startsWith('image/') || out.mediaType === 'application/pdf';
    sendFile(res, out.bytes, out.mediaType, out.row.fileName, viewable && q.download !== 'true');
  });

  r.delete('/attachments/:id', async (req, res) => {
    const id = pathId(req.params.id, 'attachment');
    await svc.remove(currentUser(req), intake.repo, id, req.requestId ?? null);
    res.status(204).end();
  });

  r.get('/attachments/:id/thumbnail', async (req, res) => {
    const id = pathId(req.params.id, 'attachment');
    const out = await svc.download(currentUser(req), intake.repo, id, 'thumbnail', req.requestId ?? null);
    sendFile(res, out.bytes, 'image/jpeg', `thumb-${out.row.fileName}.jpg`, true);
  });
  return r;
}

/** The constituent's side (no login, rate limited with the other intake routes). */
export function attachmentPublicRoutes(svc: AttachmentService, intake: IntakeService): Router {
  const r = Router();
  r.post('/track/:code/photos', oneFile(config.attachments.maxMessageFileBytes), async (req, res) => {
    const { code } = validate(trackParams, req.params);
    const out = await svc.uploadToMessage(intake, code, req.file, req.requestId ?? null);
    res.status(out.status).json(out.body);
  });
  return r;
}
