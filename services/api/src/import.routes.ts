/**
 * Excel 导入 (admin, mounted at /api/admin/import): the template of each kind, a validation report
 * of an uploaded workbook, and applying it (one transaction; re-importing creates nothing new).
 * import/import.service.ts has the columns and the rules.
 */
import { Router } from 'express';
import multer from 'multer';
import { currentUser } from './http/auth';
import { HttpProblem, problems } from './http/problem';
import { validate } from './http/validate';
import { importKindParams } from './contracts/imports';
import { ImportService, KIND_LABELS } from './import/import.service';
import type { DataSource } from 'typeorm';
import type { StationRecordsService } from './station-records.service';

const MAX_WORKBOOK_BYTES = 10 * 1024 * 1024;

const parse = multer({
  storage: multer.memoryStorage(),
  defParamCharset: 'utf8',
  limits: { fileSize: MAX_WORKBOOK_BYTES, files: 1, fields: 5, fieldSize: 1024, parts: 6 },
}).single('file');

export function importRoutes(ds: DataSource, records?: StationRecordsService): Router {
  const r = Router();
  const svc = new ImportService(ds, records);
  const adminOnly = (role: string) => {
    if (role !== 'admin') throw problems.forbidden('only the admin imports');
  };
  /** The workbook of the request (multipart part `file`). */
  const workbook = (req: Parameters<Parameters<Router['post']>[1]>[0]) =>
    new Promise<Buffer>((resolve, reject) => {
      if (!req.is('multipart/form-data'))
        return reject(
          problems.invalid([
            {
              field: 'file',
              message: '文件：请以 multipart/form-data 上传 xlsx 文件（file 字段）',
              messageEn: 'send the xlsx workbook as multipart/form-data, part "file"',
            },
          ]),
        );
      parse(req, {} as never, (e: unknown) => {
        if (e instanceof multer.MulterError && e.code === 'LIMIT_FILE_SIZE')
          return reject(
            new HttpProblem(413, '文件过大', 'the workbook may be at most 10 MB', [
              { field: 'file', message: '文件：不能超过 10 MB', messageEn: 'at most 10 MB' },
            ]),
          );
        if (e)
          return reject(
            problems.invalid([
              { field: 'file', message: '文件：上传格式有误', messageEn: 'malformed upload' },
            ]),
          );
        if (!req.file)
          return reject(
            problems.invalid([
              { field: 'file', message: '文件：请选择 xlsx 文件', messageEn: 'a file is required' },
            ]),
          );
        resolve(req.file.buffer);
      });
    });

  r.get('/:kind/template.xlsx', async (req, res) => {
    adminOnly(currentUser(req).role);
    const { kind } = validate(importKindParams, req.params);
    const bytes = await svc.template(kind);
    res.set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.set(
      'Content-Disposition',
      `attachment; filename="import-${kind}.xlsx"; filename*=UTF-8''${encodeURIComponent(`导入模板-${KIND_LABELS[kind]}.xlsx`)}`,
    );
    res.send(bytes);
  });

  r.post('/:kind/validate', async (req, res) => {
    const user = currentUser(req);
    adminOnly(user.role);
    const { kind } = validate(importKindParams, req.params);
    const bytes = await workbook(req);
    res.json(await svc.run(user, kind, bytes, false, req.requestId ?? null));
  });

  r.post('/:kind/apply', async (req, res) => {
    const user = currentUser(req);
    adminOnly(user.role);
    const { kind } = validate(importKindParams, req.params);
    const bytes = await workbook(req);
    const report = await svc.run(user, kind, bytes, true, req.requestId ?? null);
    if (!report.applied)
      throw new HttpProblem(
        422,
        '导入文件有误，未导入任何记录',
        `${report.errors.length} error(s); nothing was imported`,
        report.errors.map((e) => ({
          field: `row ${e.row}: ${e.column}`,
          message: e.message,
          messageEn: e.messageEn,
        })),
      );
    res.json(report);
  });
  return r;
}
