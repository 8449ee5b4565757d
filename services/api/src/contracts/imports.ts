/** Contracts of Excel 导入 (admin): template download, validation report, apply. */
import { z } from 'zod';

/**
 * history: 历史建议及答复, items handled before the platform, imported closed with their reply.
 * training: 代表讲堂 attendance, one row per deputy and session (sessions made on the way).
 */
export const importKinds = ['deputies', 'units', 'suggestions', 'history', 'training'] as const;
export const importKindParams = z.object({ kind: z.enum(importKinds) });
export const importTemplateParams = importKindParams;

/** The workbook to import, in the part `file` (the first sheet, columns as in the template). */
export const importUpload = z.object({
  file: z.string().meta({
    format: 'binary',
    description: 'xlsx 工作簿（按导入模板） / the xlsx workbook, as the template',
  }),
});

export const importReport = z
  .object({
    kind: z.enum(importKinds),
    /** Rows read (blank lines skipped). */
    rows: z.number().int(),
    /** Rows without an error. */
    valid: z.number().int(),
    /** Each error with its row (as Excel numbers it) and column, in Chinese and English. */
    errors: z.array(
      z.object({ row: z.number().int(), column: z.string(), message: z.string(), messageEn: z.string() }),
    ),
    /** Records the import creates, updates, or finds already as the file says (a re-import: all unchanged). */
    create: z.number().int(),
    update: z.number().int(),
    unchanged: z.number().int(),
    /** True once written (apply, no errors). */
    applied: z.boolean(),
  })
  .meta({ id: 'ImportReport' });
export type ImportReportView = z.infer<typeof importReport>;
