/** Contracts of the Excel exports (导出); the 统计表 takes {@link statsQuery}. */
import { z } from 'zod';
// Domain modules by file: they import nothing, so the web can import the contracts.
import { suggestionStatuses } from '@jianyi/domain/src/status';
import { optionalQuery, queryBool, queryInt } from './common';
import { suggestionListQuery } from './suggestions';
import { unitInboxQuery } from './workbench';

export { statsQuery as statsExportQuery } from './stats';

/** GET /api/exports/assignment-list.xlsx: filters like the list. */
export const assignmentListExportQuery = z.object({
  status: optionalQuery(
    z.string().transform((v, ctx) => {
      const parts = [
        ...new Set(
          v
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean),
        ),
      ];
      if (!parts.length || parts.some((x) => !(suggestionStatuses as string[]).includes(x))) {
        ctx.addIssue({
          code: 'custom',
          message: `status must be one or more of ${suggestionStatuses.join(', ')}, comma-separated`,
        });
        return z.NEVER;
      }
      return parts;
    }),
  ),
  unitId: optionalQuery(z.uuid()),
  town: optionalQuery(z.string().trim().min(1).max(50)),
  sessionYear: optionalQuery(
    z
      .string()
      .regex(/^\d{4}$/, 'must be a year')
      .transform(Number),
  ),
  /** 届次: a congress session's id or `interim:<term>` (闭会期间). */
  session: optionalQuery(z.string().trim().min(1).max(64)),
  overdue: optionalQuery(queryBool),
  key: optionalQuery(queryBool),
  q: optionalQuery(z.string().trim().min(1).max(100)),
});

/** GET /api/exports/suggestions.xlsx and /api/exports/items.json: the list's filters, without paging. */
export const listExportQuery = suggestionListQuery.omit({ page: true, pageSize: true, cursor: true });
/** GET /api/exports/unit-inbox.xlsx: the unit inbox's filters, without paging. */
export const unitInboxExportQuery = unitInboxQuery.omit({ page: true, pageSize: true });
/** GET /api/exports/supervision.xlsx: which supervision list (逾期 / 临期) with its filters. */
export const supervisionExportQuery = z.object({
  list: z.enum(['overdue', 'at-risk']),
  days: queryInt(1, 120).default(5),
  unitId: optionalQuery(z.uuid()),
});
/** The exchange format (docs/exchange-format.md): items with their full history. */
export const exchangeDocument = z.object({
  format: z.literal('jianyi-exchange'),
  version: z.literal(1),
  exportedAt: z.string(),
  truncated: z.boolean(),
  items: z.array(z.looseObject({ id: z.uuid(), title: z.string(), status: z.string() })),
});
