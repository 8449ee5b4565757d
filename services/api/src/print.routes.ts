/**
 * Printed documents (打印) of one item, as PDF (print/documents.ts), mounted under /api/suggestions:
 * - GET /:id/print/suggestion.pdf   — 代表建议: the suggestion with its signers;
 * - GET /:id/print/reply-letter.pdf — 答复函 of a unit's reply (?unitId=&round=); a unit may print its
 *   own unsent draft as a preview (marked 草稿), a deputy only what was sent;
 * - GET /:id/print/dossier.pdf      — 办理案卷: every step and record the caller may see, for the archive.
 * Same visibility as GET /api/suggestions/:id/timeline (404 when the caller may not see it); audited.
 */
import { Router, type Response } from 'express';
import type { DataSource } from 'typeorm';
import { currentUser } from './http/auth';
import { pathId, validate } from './http/validate';
import { replyLetterQuery } from './contracts/print';
import { PrintService } from './print/print.service';

function sendPdf(res: Response, asciiName: string, zhName: string, pdf: Buffer): void {
  res.status(200);
  res.set('Content-Type', 'application/pdf');
  // inline: the browser shows it (print from there); the name is kept for "save as".
  res.set(
    'Content-Disposition',
    `inline; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(zhName)}`,
  );
  res.set('Cache-Control', 'no-store');
  res.send(pdf);
}

const fileTag = (registrationNo: string | null) => (registrationNo ? `-${registrationNo}` : '');

export function printRoutes(ds: DataSource): Router {
  const r = Router();
  const svc = new PrintService(ds);

  r.get('/:id/print/suggestion.pdf', async (req, res) => {
    const id = pathId(req.params.id, 'suggestion');
    const out = await svc.suggestion(currentUser(req), id, req.requestId ?? null);
    sendPdf(res, 'suggestion.pdf', `代表建议${fileTag(out.registrationNo)}.pdf`, out.pdf);
  });

  r.get('/:id/print/reply-letter.pdf', async (req, res) => {
    const id = pathId(req.params.id, 'suggestion');
    const q = validate(replyLetterQuery, req.query);
    const out = await svc.replyLetter(currentUser(req), id, q, req.requestId ?? null);
    sendPdf(res, 'reply-letter.pdf', `答复函-${out.unitName}${fileTag(out.registrationNo)}.pdf`, out.pdf);
  });

  r.get('/:id/print/dossier.pdf', async (req, res) => {
    const id = pathId(req.params.id, 'suggestion');
    const user = currentUser(req);
    const out = await svc.dossier(user, id, user.displayName, req.requestId ?? null);
    sendPdf(res, 'dossier.pdf', `办理案卷${fileTag(out.registrationNo)}.pdf`, out.pdf);
  });
  return r;
}
