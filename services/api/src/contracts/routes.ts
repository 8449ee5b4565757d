/**
 * Every route of the API with its contract: the path, who may call it, what it takes (path, query,
 * body) and what it answers (the success schema and the problem statuses it really returns). The
 * OpenAPI document is generated from this table (../openapi.ts), a test checks it against the routes
 * Express has registered, and the fuzz test generates its requests from the document.
 */
import { z } from 'zod';
import * as admin from './admin';
import * as auth from './auth';
import * as auditContracts from './audit';
import { problemDocument, uuid } from './common';
import * as congressSessions from './congress-sessions';
import * as deputies from './deputies';
import * as exportsContract from './exports';
import * as notifications from './notifications';
import * as pub from './public';
import * as print from './print';
import * as stats from './stats';
import * as s from './suggestions';
import * as workbench from './workbench';
import * as text from './text';
import * as intake from './intake';
import * as att from './attachments';
import * as imports from './imports';
import * as sr from './station-records';
import * as open311 from './open311';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** Problem statuses a route answers besides its success. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429;

export interface RouteContract {
  method: HttpMethod;
  /** Express-style, under /api: '/suggestions/:id'. */
  path: string;
  summary: string;
  tag: string;
  /** false: no session needed (login, public pages). */
  auth?: false;
  /**
   * false: answers without PostgreSQL or Temporal. Every other route may answer 503 with Retry-After
   * while a backend is down or failing over (http/unavailable.ts); the document says so for each.
   */
  backend?: false;
  params?: z.ZodObject;
  query?: z.ZodType;
  body?: z.ZodType;
  /** A `multipart/form-data` body instead of JSON: its parts (a file part is a binary string). */
  multipart?: z.ZodObject;
  /** The body may be left out (e.g. resubmit without a revision). */
  bodyOptional?: true;
  /** Request headers the route reads. */
  headers?: z.ZodObject;
  success: {
    status: 200 | 201 | 202 | 204;
    description: string;
    /**
     * JSON schema of the answer; 'xlsx' for a workbook, 'pdf' for a printed document, 'svg' for an
     * image, 'file' for a stored file in its own type (attachments), 'jpeg' for a thumbnail; none for 204.
     */
    schema?: z.ZodType | 'xlsx' | 'pdf' | 'svg' | 'file' | 'jpeg';
  };
  problems: ProblemStatus[];
  /**
   * 'open311': an Open311 GeoReport v2 route: the success in JSON or XML by the path's `format`, the
   * body form-urlencoded or JSON, and refusals as the standard's `[{code, description}]`, not problem documents.
   */
  errorFormat?: 'open311';
}

const idParams = z.object({ id: uuid });
const unitPartParams = z.object({ id: uuid, unitId: uuid });
const notificationParams = z.object({ id: notifications.notificationId });
const calendarDayParams = z.object({ day: z.string() });
const idempotencyHeaders = z.object({ 'Idempotency-Key': z.string().min(1).max(100) });

const json = (status: 200 | 201 | 202, description: string, schema: z.ZodType) => ({
  status,
  description,
  schema,
});
const noContent = (description: string) => ({ status: 204 as const, description });

/** Every write reads a JSON body (malformed JSON is 422; a body over the limit 413). */
const write: ProblemStatus[] = [401, 403, 404, 409, 413, 422];

/** A decision on the item: the workflow answers with the item's new state. */
const itemDecision = (path: string, summary: string, body?: z.ZodType): RouteContract => ({
  method: 'post',
  path: `/suggestions/:id/${path}`,
  summary,
  tag: 'suggestions',
  params: idParams,
  body,
  success: json(200, "the item's new state", s.suggestionState),
  problems: write,
});
/** A step of one unit's part: its workflow answers with the part's new state. */
const unitStep = (path: string, summary: string, body?: z.ZodType): RouteContract => ({
  method: 'post',
  path: `/suggestions/:id/units/:unitId/${path}`,
  summary,
  tag: 'unit handling',
  params: unitPartParams,
  body,
  success: json(200, "the unit's new state", s.unitState),
  problems: write,
});

export const routes: RouteContract[] = [
  // ---- service ----
  {
    method: 'get',
    path: '/health',
    summary: '健康检查 / liveness and database reachability',
    tag: 'service',
    auth: false,
    success: json(200, 'up', z.object({ ok: z.literal(true) })),
    problems: [],
  },
  {
    method: 'get',
    path: '/openapi.json',
    summary: '接口文档 / this document',
    tag: 'service',
    auth: false,
    backend: false,
    success: json(200, 'the OpenAPI document', z.looseObject({ openapi: z.string() })),
    problems: [],
  },

  // ---- auth ----
  {
    method: 'post',
    path: '/auth/login',
    summary:
      '登录 / sign in; repeated failures lock the account and the client address for a growing time (429 with Retry-After)',
    tag: 'auth',
    auth: false,
    body: auth.loginBody,
    success: json(200, 'signed in; sets the session cookie', auth.sessionResponse),
    problems: [401, 403, 413, 422, 429],
  },
  {
    method: 'post',
    path: '/auth/logout',
    summary: '退出 / sign out',
    tag: 'auth',
    success: noContent('signed out'),
    problems: [401, 403, 413, 422],
  },
  {
    method: 'post',
    path: '/auth/password',
    summary:
      '修改密码 / change your own password (at least 12 characters, not common, not your name); other sessions end',
    tag: 'auth',
    body: auth.passwordChangeBody,
    success: noContent('changed; this session stays signed in'),
    problems: [401, 403, 413, 422],
  },
  {
    method: 'get',
    path: '/me',
    summary: '当前用户 / the signed-in user',
    tag: 'auth',
    success: json(200, 'the user', auth.sessionResponse),
    problems: [401],
  },

  // ---- suggestions ----
  {
    method: 'get',
    path: '/suggestions',
    summary: '建议列表 / suggestions visible to the caller, filtered, sorted and paginated',
    tag: 'suggestions',
    query: s.suggestionListQuery,
    success: json(200, 'a page of suggestions', s.suggestionListPage),
    problems: [401, 422],
  },
  {
    method: 'post',
    path: '/suggestions',
    summary: '新建草稿 / create a draft (deputies; once per Idempotency-Key)',
    tag: 'suggestions',
    headers: idempotencyHeaders,
    body: s.suggestionDraftBody,
    success: json(201, 'draft created (or the first answer again for a repeated key)', s.draftSaved),
    problems: [401, 403, 409, 413, 422],
  },
  {
    method: 'post',
    path: '/suggestions/bulk-assign',
    summary: '批量交办 / assign many items at once (交办会); one result per item',
    tag: 'suggestions',
    body: s.bulkAssignmentBody,
    success: json(200, 'one result per item', s.bulkAssignmentResult),
    problems: [401, 403, 413, 422],
  },
  {
    method: 'get',
    path: '/suggestions/similar',
    summary: '相似建议 / items that look like the same proposal, while drafting (deputy, reviewers)',
    tag: 'text',
    query: text.similarQuery,
    success: json(200, 'likely duplicates, best first', text.similarItems),
    problems: [401, 403, 422],
  },
  {
    method: 'get',
    path: '/suggestions/:id/similar',
    summary: '疑似重复 / the likely duplicates of one item, side by side (reviewers)',
    tag: 'text',
    params: idParams,
    success: json(200, 'likely duplicates and the item text', text.similarItems),
    problems: [401, 403, 404],
  },
  {
    method: 'get',
    path: '/suggestions/:id/recommended-units',
    summary:
      '推荐承办单位 / the three likeliest lead units and co-handlers, each with a reason (reviewer, coordinator)',
    tag: 'text',
    params: idParams,
    success: json(200, 'recommended lead units and co-handlers', text.recommendedUnits),
    problems: [401, 403, 404],
  },
  {
    method: 'get',
    path: '/stats/recommendation-agreement',
    summary: "推荐采纳率 / top-1 and top-3 agreement of the recommendation with the reviewers' choices",
    tag: 'text',
    query: text.agreementQuery,
    success: json(200, 'agreement figures', text.recommendationAgreement),
    problems: [401, 403, 422],
  },
  {
    method: 'get',
    path: '/admin/unit-remits',
    summary: "单位职责 / every unit's remit text (admin)",
    tag: 'admin',
    success: json(200, 'units with their remit', text.unitRemits),
    problems: [401, 403],
  },
  {
    method: 'put',
    path: '/admin/unit-remits/:id',
    summary: "修改单位职责 / set a unit's remit text (admin)",
    tag: 'admin',
    params: idParams,
    body: text.unitRemitBody,
    success: json(200, 'the unit with its remit', text.unitRemit),
    problems: [401, 403, 404, 413, 422],
  },
  {
    method: 'get',
    path: '/suggestions/:id',
    summary: '建议详情 / one suggestion',
    tag: 'suggestions',
    params: idParams,
    success: json(200, 'the suggestion', s.suggestionDetail),
    problems: [401, 404],
  },
  {
    method: 'patch',
    path: '/suggestions/:id',
    summary: '修改草稿 / edit a draft (lead deputy; title, content, topic, co-signers replaced when given)',
    tag: 'suggestions',
    params: idParams,
    body: s.suggestionDraftBody,
    success: json(200, 'the draft', s.draftSaved),
    problems: write,
  },
  {
    method: 'post',
    path: '/suggestions/:id/submit',
    summary: '提交 / submit (starts the workflow)',
    tag: 'suggestions',
    params: idParams,
    success: json(202, 'accepted for processing', s.submitAccepted),
    problems: write,
  },
  itemDecision('review', '预审 / pre-review decision', s.reviewDecisionBody),
  {
    ...itemDecision(
      'resubmit',
      '修改后重新提交 / resubmit (退回修改: optionally with the revised text; omit the body to resubmit what was saved with PATCH)',
      s.suggestionDraftBody,
    ),
    bodyOptional: true,
  },
  itemDecision('withdraw', '撤回 / withdraw'),
  itemDecision('assign', '交办 / assign (分办 or 主办+协办)', s.assignmentBody),
  itemDecision('rate', '满意度测评 / rate the reply', s.evaluationBody),
  itemDecision(
    'consultation',
    '当面协商记录 / record the consultation after a second 不满意',
    s.consultationBody,
  ),
  itemDecision('urge', '催办 / urge the handling units', s.urgeBody),
  itemDecision('key-supervision', '重点督办 / put under key supervision', s.keySupervisionBody),
  itemDecision(
    'withhold-publication',
    '不予公开 / the reviewer marks the item confidential (涉密) or the lead deputy objects to publishing the reply; before closure',
    s.withholdPublicationBody,
  ),
  {
    method: 'post',
    path: '/suggestions/:id/excellent',
    summary:
      '评为优秀建议 / the reviewer or a supervisor names a replied or closed item an excellent suggestion, with the reason (earns the signers points)',
    tag: 'suggestions',
    params: idParams,
    body: s.excellentBody,
    success: json(200, 'the item, named excellent', s.excellentResult),
    problems: write,
  },
  {
    method: 'get',
    path: '/suggestions/:id/handling',
    summary: '办理记录 / assignments, contacts, replies, evaluations',
    tag: 'suggestions',
    params: idParams,
    success: json(200, 'the handling record', s.handlingRecord),
    problems: [401, 404],
  },
  {
    method: 'get',
    path: '/suggestions/:id/timeline',
    summary:
      '办理轨迹 / every step of the item in order, with contacts, opinions, replies (a deputy sees only sent ones), evaluations, requests and the open deadlines in working days',
    tag: 'suggestions',
    params: idParams,
    success: json(200, 'the timeline', s.timelineView),
    problems: [401, 404],
  },
  {
    method: 'get',
    path: '/suggestions/:id/print/suggestion.pdf',
    summary: '打印代表建议 / the suggestion with its signers as PDF (a draft is marked 草稿); audited',
    tag: 'print',
    params: idParams,
    success: { status: 200, description: 'PDF document', schema: 'pdf' },
    problems: [401, 404],
  },
  {
    method: 'get',
    path: '/suggestions/:id/print/reply-letter.pdf',
    summary:
      '打印答复函 / the reply letter of a unit (文号, 签发人, 联系人) as PDF; a unit may preview its own unsent draft (marked 草稿), a deputy only a sent reply; audited',
    tag: 'print',
    params: idParams,
    query: print.replyLetterQuery,
    success: { status: 200, description: 'PDF document', schema: 'pdf' },
    problems: [401, 404, 422],
  },
  {
    method: 'get',
    path: '/suggestions/:id/print/dossier.pdf',
    summary:
      '打印办理案卷 / every step and record of the item the caller may see, as one PDF for the archive; audited',
    tag: 'print',
    params: idParams,
    success: { status: 200, description: 'PDF document', schema: 'pdf' },
    problems: [401, 404],
  },

  // ---- list exports (导出) ----
  {
    method: 'get',
    path: '/exports/suggestions.xlsx',
    summary:
      '建议列表导出 / any suggestion list as the caller sees it, with the list filters applied (at most 10,000 rows; confidential titles masked); audited',
    tag: 'exports',
    query: exportsContract.listExportQuery,
    success: { status: 200, description: 'the workbook', schema: 'xlsx' },
    problems: [401, 422],
  },
  {
    method: 'get',
    path: '/exports/supervision.xlsx',
    summary:
      '督办列表导出 / the overdue or at-risk list with its filters; overseers all, a unit its own; audited',
    tag: 'exports',
    query: exportsContract.supervisionExportQuery,
    success: { status: 200, description: 'the workbook', schema: 'xlsx' },
    problems: [401, 403, 422],
  },
  {
    method: 'get',
    path: '/exports/unit-inbox.xlsx',
    summary:
      "收件箱导出 / the caller's unit inbox with its filters (keyword, open/done, sort; at most 10,000 rows; confidential titles masked); unit people; audited",
    tag: 'exports',
    query: exportsContract.unitInboxExportQuery,
    success: { status: 200, description: 'the workbook', schema: 'xlsx' },
    problems: [401, 403, 422],
  },
  {
    method: 'get',
    path: '/exports/messages.xlsx',
    summary:
      "群众留言导出 / the messages the caller sees with the inbox's filters (at most 10,000 rows); the constituent's name and phone only for the station's deputies and staff; audited",
    tag: 'exports',
    query: intake.messageExportQuery,
    success: { status: 200, description: 'the workbook', schema: 'xlsx' },
    problems: [401, 422],
  },
  {
    method: 'get',
    path: '/exports/items.json',
    summary:
      '交换格式导出 / items with their full history for provincial platforms (docs/exchange-format.md); list filters; at most 500 items; overseers; audited',
    tag: 'exports',
    query: exportsContract.listExportQuery,
    success: json(200, 'the exchange document', exportsContract.exchangeDocument),
    problems: [401, 403, 422],
  },

  // ---- Excel 导入 (admin) ----
  {
    method: 'get',
    path: '/admin/import/:kind/template.xlsx',
    summary:
      '导入模板 / the xlsx template of an import kind (deputies, units, suggestions), with a sheet explaining the columns',
    tag: 'import',
    params: imports.importKindParams,
    success: { status: 200, description: 'the template', schema: 'xlsx' },
    problems: [401, 403, 404, 422],
  },
  {
    method: 'post',
    path: '/admin/import/:kind/validate',
    summary:
      '导入校验 / read and check a workbook; answers a row-by-row report (errors by row and column, Chinese and English) and what would be created, updated or found unchanged; writes nothing',
    tag: 'import',
    params: imports.importKindParams,
    multipart: imports.importUpload,
    success: json(200, 'the report', imports.importReport),
    problems: [401, 403, 404, 413, 422],
  },
  {
    method: 'post',
    path: '/admin/import/:kind/apply',
    summary:
      '导入 / check and write every row in one transaction; a file with any error writes nothing (422 naming each row and column); re-importing the same file creates nothing new; audited',
    tag: 'import',
    params: imports.importKindParams,
    multipart: imports.importUpload,
    success: json(200, 'the report, applied', imports.importReport),
    problems: [401, 403, 404, 413, 422],
  },

  // ---- attachments (附件) ----
  {
    method: 'post',
    path: '/suggestions/:id/attachments',
    summary:
      '建议附件 / attach a file to the suggestion (lead deputy; draft or returned); type detected from the content, size limits per file and per record; once per Idempotency-Key, and the same file twice is one attachment; audited',
    tag: 'attachments',
    params: idParams,
    headers: idempotencyHeaders,
    multipart: att.attachmentUpload,
    success: json(201, 'the attachment (200 when the same file was already attached)', att.attachmentView),
    problems: [401, 403, 404, 409, 413, 415, 422],
  },
  {
    method: 'post',
    path: '/suggestions/:id/contacts/:contactId/attachments',
    summary:
      '沟通记录附件 / attach a file (site-visit photos) to a contact of your own unit; EXIF location removed from photos; once per Idempotency-Key; audited',
    tag: 'attachments',
    params: att.contactAttachmentParams,
    headers: idempotencyHeaders,
    multipart: att.attachmentUpload,
    success: json(201, 'the attachment (200 when the same file was already attached)', att.attachmentView),
    problems: [401, 403, 404, 409, 413, 415, 422],
  },
  {
    method: 'post',
    path: '/suggestions/:id/replies/:replyId/attachments',
    summary:
      '答复/协办意见附件 / attach a file (the signed 答复函 scan) to a reply or co-handler opinion of your own unit; seen by others as the reply is; once per Idempotency-Key; audited',
    tag: 'attachments',
    params: att.replyAttachmentParams,
    headers: idempotencyHeaders,
    multipart: att.attachmentUpload,
    success: json(201, 'the attachment (200 when the same file was already attached)', att.attachmentView),
    problems: [401, 403, 404, 409, 413, 415, 422],
  },
  {
    method: 'get',
    path: '/suggestions/:id/attachments',
    summary:
      "附件列表 / the item's attachments the caller may see (the suggestion's, contacts', and replies' and opinions' under the record rule)",
    tag: 'attachments',
    params: idParams,
    success: json(200, 'the attachments', att.attachmentList),
    problems: [401, 404],
  },
  {
    method: 'delete',
    path: '/attachments/:id',
    summary:
      '删除附件 / delete a file: its uploader or an admin (403 otherwise), while its record takes changes — a draft or returned suggestion, a contact of an open part, an unsent reply or opinion, a message not yet taken (409 with the reason otherwise); removed from the store; audited',
    tag: 'attachments',
    params: idParams,
    success: noContent('deleted'),
    problems: [401, 403, 404, 409, 422],
  },
  {
    method: 'get',
    path: '/attachments/:id',
    summary:
      '下载附件 / the file, in its detected type, when the caller may see its record (404 otherwise); audited',
    tag: 'attachments',
    params: idParams,
    query: att.attachmentQuery,
    success: { status: 200, description: 'the file', schema: 'file' },
    problems: [401, 404, 422],
  },
  {
    method: 'get',
    path: '/attachments/:id/thumbnail',
    summary:
      '附件缩略图 / a JPEG thumbnail (at most 320 px) of an image attachment; same visibility as the file',
    tag: 'attachments',
    params: idParams,
    success: { status: 200, description: 'JPEG thumbnail', schema: 'jpeg' },
    problems: [401, 404],
  },

  // ---- one unit's part ----
  unitStep('sign-in', '签收 / sign in'),
  unitStep('contacts', '沟通记录 / log a contact with the deputy', s.contactRecordBody),
  unitStep('reply', '答复草稿 / draft the reply', s.replyDraftBody),
  unitStep('reply/sign-off', '签发 / the unit leader signs the reply off'),
  unitStep('reply/send', '答复 / send the signed reply'),
  unitStep('opinion', '协办意见 / a co-handler sends its opinion to the lead', s.coHandlerOpinionBody),
  unitStep(
    'requests',
    '申请调整 / 申请延期 — a unit asks for re-assignment or an extension',
    s.unitRequestBody,
  ),
  unitStep('requests/decision', '审批申请 / the coordinator decides a request', s.unitRequestDecisionBody),
  {
    ...unitStep(
      'follow-up',
      '跟踪办理 / the unit reports on its B/C reply; final closes the follow-up',
      s.followUpReportBody,
    ),
    success: json(200, "the item's new state", s.suggestionState),
  },
  {
    ...unitStep(
      'reply/return',
      "退回重办 / the reviewer sends the unit's reply back before it is rated",
      s.replyReturnBody,
    ),
    success: json(200, "the item's new state", s.suggestionState),
  },
  {
    ...unitStep(
      'progress-report',
      "重点督办进展 / the handling unit's progress report for the current period of a key item",
      s.progressReportBody,
    ),
    success: json(200, "the item's new state", s.suggestionState),
  },

  // ---- workbench look-ups ----
  {
    method: 'get',
    path: '/deadline-preview',
    summary:
      '交办期限预览 / deadlines an assignment made now would get, in working days (reviewer, coordinator)',
    tag: 'workbench',
    success: json(200, 'the deadlines', workbench.deadlinePreview),
    problems: [401, 403],
  },
  {
    method: 'get',
    path: '/unit-inbox',
    summary:
      "承办单位收件箱 / the caller's unit's parts (latest round) with deadlines in working days, paged, sortable, by state and keyword (unit people)",
    tag: 'workbench',
    query: workbench.unitInboxQuery,
    success: json(200, 'the inbox', workbench.unitInbox),
    problems: [401, 403, 422],
  },
  {
    method: 'get',
    path: '/me/clocks',
    summary:
      "与我有关的期限 / the calling deputy's running clocks per item: pre-review, assignment, each unit's reply and the deputy's own evaluation deadline (deputies)",
    tag: 'workbench',
    success: json(200, 'the clocks', workbench.deputyClocks),
    problems: [401, 403],
  },
  {
    method: 'get',
    path: '/unit-inbox/sign-off',
    summary:
      "待我签发 / replies drafted in the caller's unit that the calling leader may sign off now (unit leaders; key items only for a principal leader where the policy says so)",
    tag: 'workbench',
    success: json(200, 'the queue', workbench.signOffQueue),
    problems: [401, 403],
  },
  {
    method: 'get',
    path: '/directory/units',
    summary: '承办单位名录 / handling units (any signed-in user)',
    tag: 'workbench',
    success: json(200, 'the units', workbench.unitDirectory),
    problems: [401],
  },
  {
    method: 'get',
    path: '/directory/deputies',
    summary: '代表名录 / deputies for choosing co-signers (deputies and overseers)',
    tag: 'workbench',
    query: workbench.deputyDirectoryQuery,
    success: json(200, 'the deputies', workbench.deputyDirectory),
    problems: [401, 403, 422],
  },
  {
    method: 'get',
    path: '/directory/supervisors',
    summary: '督办领导名录 / supervising leaders for key supervision (reviewer, supervisor, admin)',
    tag: 'workbench',
    success: json(200, 'the supervising leaders', workbench.supervisorDirectory),
    problems: [401, 403],
  },
  {
    method: 'get',
    path: '/unit-requests',
    summary: "调整/延期申请 / units' requests: all for overseers, a unit's own for its people",
    tag: 'workbench',
    query: workbench.unitRequestListQuery,
    success: json(200, 'the requests', workbench.unitRequestList),
    problems: [401, 403, 422],
  },

  // ---- statistics, supervision, exports ----
  {
    method: 'get',
    path: '/stats',
    summary:
      '办理统计 / counts and rates by unit, town, session or topic (主题); overseers see all, a unit only itself',
    tag: 'statistics',
    query: stats.statsQuery,
    success: json(200, 'the table', stats.statsTable),
    problems: [401, 403, 422],
  },
  {
    method: 'get',
    path: '/stats/items',
    summary: '统计明细 / the items behind one row of the statistics (drill-down)',
    tag: 'statistics',
    query: stats.statsItemsQuery,
    success: json(200, 'a page of items', stats.statsItemsPage),
    problems: [401, 403, 422],
  },
  {
    method: 'get',
    path: '/stats/trend',
    summary:
      '按月趋势 / per month: received, assigned, replied (first round), on time, rated and satisfied (filters as /stats; a unit its own)',
    tag: 'statistics',
    query: stats.statsTrendQuery,
    success: json(200, 'the months', stats.statsTrend),
    problems: [401, 403, 422],
  },
  {
    method: 'get',
    path: '/supervision/today',
    summary:
      '今日关注 / what needs attention today: overdue, due this week, awaiting consultation, key items (reviewer, coordinator, supervisor, admin)',
    tag: 'statistics',
    query: stats.supervisionTodayQuery,
    success: json(200, 'the lists', stats.supervisionToday),
    problems: [401, 403, 422],
  },
  {
    method: 'get',
    path: '/stats/messages',
    summary:
      '群众留言统计 / 一码通 figures for the city, each town and station: received, claimed within 24 h, answered within 7 working days, forwarded, turned into suggestions, satisfaction (overseers)',
    tag: 'statistics',
    query: intake.messageStatsQuery,
    success: json(200, 'the figures', intake.messageStatsView),
    problems: [401, 403, 422],
  },
  {
    method: 'get',
    path: '/supervision/overdue',
    summary: '逾期件 / open items past a unit deadline (urge with POST /suggestions/{id}/urge)',
    tag: 'statistics',
    query: stats.supervisionQuery,
    success: json(200, 'a page of items', stats.supervisionPage),
    problems: [401, 403, 422],
  },
  {
    method: 'get',
    path: '/supervision/at-risk',
    summary: '临期件 / open items due within N working days, not yet overdue',
    tag: 'statistics',
    query: stats.supervisionQuery,
    success: json(200, 'a page of items, with days', stats.supervisionPage),
    problems: [401, 403, 422],
  },
  {
    method: 'get',
    path: '/audit',
    summary:
      '审计日志 / the audit log: every write, sign-in, export and refused access; filter by actor, record, action (or a prefix ending in "."), time (admin, supervisor)',
    tag: 'audit',
    query: auditContracts.auditQuery,
    success: json(200, 'a page of audit rows, newest first', auditContracts.auditPage),
    problems: [401, 403, 422],
  },
  {
    method: 'get',
    path: '/audit/export.xlsx',
    summary:
      '导出审计日志 / the filtered audit log as .xlsx (at most 50,000 rows; the export is itself audited)',
    tag: 'audit',
    query: auditContracts.auditQuery,
    success: { status: 200, description: 'xlsx workbook', schema: 'xlsx' },
    problems: [401, 403, 422],
  },
  {
    method: 'get',
    path: '/exports/assignment-list.xlsx',
    summary: '导出交办清单 / the assignment list (交办清单) as .xlsx; filters like the list',
    tag: 'statistics',
    query: exportsContract.assignmentListExportQuery,
    success: { status: 200, description: 'xlsx workbook', schema: 'xlsx' },
    problems: [401, 403, 422],
  },
  {
    method: 'get',
    path: '/exports/stats.xlsx',
    summary: '导出统计表 / the statistics table as .xlsx, with a sheet of the definitions (口径说明)',
    tag: 'statistics',
    query: exportsContract.statsExportQuery,
    success: { status: 200, description: 'xlsx workbook', schema: 'xlsx' },
    problems: [401, 403, 422],
  },

  {
    method: 'get',
    path: '/exports/message-stats.xlsx',
    summary:
      '导出群众留言统计 / the 一码通 figures by town and by station as .xlsx, with the definitions (overseers; no personal data)',
    tag: 'statistics',
    query: intake.messageStatsQuery,
    success: { status: 200, description: 'xlsx workbook', schema: 'xlsx' },
    problems: [401, 403, 422],
  },

  // ---- public replies ----
  {
    method: 'get',
    path: '/public/replies',
    summary:
      '公开答复 / published, non-confidential replies; keyword in title, content, registration number or reply',
    tag: 'public',
    auth: false,
    query: pub.publicReplyListQuery,
    success: json(200, 'a page of published replies', pub.publicReplyPage),
    problems: [422, 429],
  },
  {
    method: 'get',
    path: '/public/replies/:id',
    summary: '公开答复详情 / one published reply; 404 for confidential or unpublished items',
    tag: 'public',
    auth: false,
    params: idParams,
    success: json(200, 'the published reply', pub.publicReplyView),
    problems: [404, 429],
  },
  {
    method: 'get',
    path: '/public/facets',
    summary: '公开答复筛选项 / units and sessions that have published replies',
    tag: 'public',
    auth: false,
    success: json(200, 'the filter values', pub.publicFacets),
    problems: [429],
  },

  // ---- admin ----
  {
    method: 'get',
    path: '/admin/calendar',
    summary: '工作日历 / calendar overrides of one year (admin)',
    tag: 'admin',
    query: admin.calendarQuery,
    success: json(200, 'the year', admin.calendarYearView),
    problems: [401, 403, 422],
  },
  {
    method: 'post',
    path: '/admin/calendar/seed',
    summary: '导入法定节假日 / seed holidays and make-up working days; admin rows are kept (admin)',
    tag: 'admin',
    body: admin.calendarSeedBody,
    success: json(
      200,
      '{ coverage, years, inserted, updated, removed, keptAdmin }',
      admin.calendarSeedResult,
    ),
    problems: [401, 403, 413, 422],
  },
  {
    method: 'put',
    path: '/admin/calendar/years/:year',
    summary:
      '载入某年节假日安排 / load a year from the State Council notice: holidays and make-up working days (JSON lists or CSV), validated, in one transaction; running clocks counted through the year are re-planned (admin)',
    tag: 'admin',
    params: admin.calendarYearParam,
    body: admin.calendarNoticeBody,
    success: json(200, 'the loaded year and the clocks signalled to re-plan', z.looseObject({})),
    problems: [401, 403, 413, 422],
  },
  {
    method: 'put',
    path: '/admin/calendar/:day',
    summary: '调整某日 / make a day a holiday, a working day, or ordinary again (admin)',
    tag: 'admin',
    params: calendarDayParams,
    body: admin.calendarDayBody,
    success: json(200, 'the day (row null when the weekday/weekend rule applies)', admin.calendarDayView),
    problems: [401, 403, 413, 422],
  },
  {
    method: 'get',
    path: '/admin/policies',
    summary: '办理规则列表 / jurisdiction policies and the one in force (admin)',
    tag: 'admin',
    success: json(200, 'the policies', admin.policyList),
    problems: [401, 403],
  },
  {
    method: 'get',
    path: '/admin/policy',
    summary: '现行办理规则 / the policy in force (admin)',
    tag: 'admin',
    success: json(200, 'the policy in force', admin.policyInForceView),
    problems: [401, 403],
  },
  {
    method: 'put',
    path: '/admin/policy',
    summary: '选择办理规则 / put a policy in force; unknown and test-only policies are refused (admin)',
    tag: 'admin',
    body: admin.policyChoiceBody,
    success: json(200, 'the policy now in force', admin.policyInForceView),
    problems: [401, 403, 409, 413, 422],
  },
  {
    method: 'get',
    path: '/admin/units',
    summary:
      '承办单位列表 / handling units by code, paged; filters 单位类别 (kind) and state (active), keyword in code or name (admin)',
    tag: 'admin',
    query: admin.unitListQuery,
    success: json(200, 'a page of units', admin.unitPage),
    problems: [401, 403, 422],
  },
  {
    method: 'post',
    path: '/admin/units',
    summary: '新建承办单位 / create a unit; a taken code or name is 409 (admin)',
    tag: 'admin',
    body: admin.unitCreateBody,
    success: json(201, 'the unit', admin.unitRecord),
    problems: [401, 403, 409, 413, 422],
  },
  {
    method: 'patch',
    path: '/admin/units/:id',
    summary:
      '修改承办单位 / rename or deactivate (撤并) a unit; a taken name is 409; a deactivated unit gets no new assignments (admin)',
    tag: 'admin',
    params: idParams,
    body: admin.unitPatchBody,
    success: json(200, 'the unit', admin.unitRecord),
    problems: [401, 403, 404, 409, 413, 422],
  },
  {
    method: 'get',
    path: '/admin/users',
    summary:
      '用户列表 / user accounts by login name, paged, never with password hashes; filters role, active, unitId; keyword in login name, name or email (admin)',
    tag: 'admin',
    query: admin.userListQuery,
    success: json(200, 'a page of users', admin.userPage),
    problems: [401, 403, 422],
  },
  {
    method: 'post',
    path: '/admin/users',
    summary:
      '新建用户 / create an account; unit roles need unitId, deputies need deputyId; a taken username is 409 (admin)',
    tag: 'admin',
    body: admin.userCreateBody,
    success: json(201, 'the user, without the password hash', admin.userRecord),
    problems: [401, 403, 409, 413, 422],
  },
  {
    method: 'post',
    path: '/admin/users/:id/password-reset',
    summary:
      '重置密码 / reset a password: a temporary one, shown once, to be changed at the next sign-in; the user is signed out (admin)',
    tag: 'admin',
    params: idParams,
    success: json(200, 'the temporary password', admin.passwordResetResult),
    problems: [401, 403, 404, 413, 422],
  },
  {
    method: 'patch',
    path: '/admin/users/:id',
    summary:
      '修改用户 / change role, name, links or active; an admin cannot deactivate or demote themselves (admin)',
    tag: 'admin',
    params: idParams,
    body: admin.userPatchBody,
    success: json(200, 'the user, without the password hash', admin.userRecord),
    problems: [401, 403, 404, 409, 413, 422],
  },
  {
    method: 'get',
    path: '/admin/deputies',
    summary:
      '代表列表 / deputies by town and name, paged; filters level, delegation, town; keyword in name, town or delegation (admin)',
    tag: 'admin',
    query: deputies.deputyListQuery,
    success: json(200, 'a page of deputies', deputies.deputyPage),
    problems: [401, 403, 422],
  },
  {
    method: 'get',
    path: '/admin/deputies/delegations',
    summary: '代表团列表 / the delegations with their number of deputies, for the list filter (admin)',
    tag: 'admin',
    success: json(200, 'the delegations', deputies.delegationList),
    problems: [401, 403],
  },
  {
    method: 'post',
    path: '/admin/deputies',
    summary: '新建代表 / create a deputy (admin)',
    tag: 'admin',
    body: deputies.deputyCreateBody,
    success: json(201, 'the deputy', deputies.deputyRecord),
    problems: [401, 403, 413, 422],
  },
  {
    method: 'patch',
    path: '/admin/deputies/:id',
    summary: '修改代表 / edit a deputy (admin)',
    tag: 'admin',
    params: idParams,
    body: deputies.deputyPatchBody,
    success: json(200, 'the deputy', deputies.deputyRecord),
    problems: [401, 403, 404, 413, 422],
  },
  {
    method: 'get',
    path: '/admin/sessions',
    summary:
      '届次列表 / congress sessions with their dates and how many suggestions each holds, newest first (admin)',
    tag: 'admin',
    success: json(200, 'the sessions', congressSessions.congressSessionList),
    problems: [401, 403],
  },
  {
    method: 'post',
    path: '/admin/sessions',
    summary:
      '新建届次 / add a congress session (第N届人民代表大会第M次会议); an existing term/session or overlapping dates is 409 (admin)',
    tag: 'admin',
    body: congressSessions.congressSessionCreateBody,
    success: json(201, 'the session', congressSessions.congressSessionRecord),
    problems: [401, 403, 409, 413, 422],
  },
  {
    method: 'patch',
    path: '/admin/sessions/:id',
    summary: "修改届次 / change a session's name or dates; overlapping dates are 409 (admin)",
    tag: 'admin',
    params: idParams,
    body: congressSessions.congressSessionPatchBody,
    success: json(200, 'the session', congressSessions.congressSessionRecord),
    problems: [401, 403, 404, 409, 413, 422],
  },
  {
    method: 'delete',
    path: '/admin/sessions/:id',
    summary: '删除届次 / delete a session: its suggestions count as 闭会期间 again (admin)',
    tag: 'admin',
    params: idParams,
    success: noContent('deleted'),
    problems: [401, 403, 404],
  },

  // ---- notifications, preferences, points, robots ----
  {
    method: 'get',
    path: '/notifications',
    summary: "我的站内通知 / the caller's in-app notifications, newest first",
    tag: 'notifications',
    query: notifications.notificationListQuery,
    success: json(200, 'a page of notices', notifications.notificationPage),
    problems: [401, 422],
  },
  {
    method: 'post',
    path: '/notifications/read-all',
    summary: "全部已读 / mark all the caller's notifications read",
    tag: 'notifications',
    success: noContent('marked read'),
    problems: [401, 403, 413, 422],
  },
  {
    method: 'post',
    path: '/notifications/:id/read',
    summary: "标记已读 / mark one of the caller's notifications read (404 for anyone else's)",
    tag: 'notifications',
    params: notificationParams,
    success: noContent('marked read'),
    problems: [401, 403, 404, 413, 422],
  },
  {
    method: 'get',
    path: '/me/preferences',
    summary: "通知偏好 / the caller's notification preferences (defaults: every channel on, digest on)",
    tag: 'notifications',
    success: json(200, 'the preferences', notifications.notificationPreferences),
    problems: [401, 404],
  },
  {
    method: 'put',
    path: '/me/preferences',
    summary: "设置通知偏好 / set the caller's preferences; in_app is always true",
    tag: 'notifications',
    body: notifications.notificationPreferencesBody,
    success: json(200, 'the preferences', notifications.notificationPreferences),
    problems: [401, 403, 404, 413, 422],
  },
  {
    method: 'get',
    path: '/points/me',
    summary: "我的履职积分 / the calling deputy's points (deputies only)",
    tag: 'notifications',
    success: json(200, 'the points', notifications.pointsView),
    problems: [401, 403, 404],
  },
  {
    method: 'get',
    path: '/points/ranking',
    summary: '履职积分排名 / deputies by total points (reviewer, supervisor, admin)',
    tag: 'notifications',
    query: notifications.pointsRankingQuery,
    success: json(200, 'the ranking', notifications.pointsRanking),
    problems: [401, 403, 422],
  },
  {
    method: 'get',
    path: '/deputies/:id/points',
    summary: "代表履职积分 / a deputy's points (the deputy, reviewer, supervisor, admin)",
    tag: 'notifications',
    params: idParams,
    success: json(200, 'the points', notifications.pointsView),
    problems: [401, 403, 404],
  },
  {
    method: 'get',
    path: '/units/:id/webhook',
    summary:
      "单位群机器人 / a unit's group robot: url, active, hasSecret (admin; the secret is never returned)",
    tag: 'notifications',
    params: idParams,
    success: json(200, 'the robot', notifications.unitWebhookView),
    problems: [401, 403, 404],
  },
  {
    method: 'put',
    path: '/units/:id/webhook',
    summary:
      "设置单位群机器人 / set a unit's robot: kind (generic, dingtalk, wecom), URL and signing secret (kept when left out) (admin)",
    tag: 'notifications',
    params: idParams,
    body: notifications.unitWebhookBody,
    success: json(200, 'the robot', notifications.unitWebhookView),
    problems: [401, 403, 404, 413, 422],
  },
  {
    method: 'post',
    path: '/units/:id/webhook/test',
    summary:
      "测试单位群机器人 / send a signed test message to a unit's robot now and answer what it said (admin; 409 without a robot)",
    tag: 'notifications',
    params: idParams,
    success: json(200, 'the robot’s answer', notifications.robotTestResult),
    problems: [401, 403, 404, 409, 413, 422],
  },
  {
    method: 'get',
    path: '/admin/robots',
    summary: '群机器人 / every unit with its group robot: kind, masked url, active (admin)',
    tag: 'admin',
    success: json(200, 'the units and robots', notifications.robotList),
    problems: [401, 403],
  },
  // ---- constituent intake (一码通), the constituent's side: no login ----
  {
    method: 'get',
    path: '/intake/targets/:code',
    summary:
      "扫码页 / what a station's or deputy's QR code opens: name, address, hours, deputies, categories (no login)",
    tag: 'intake',
    auth: false,
    params: intake.targetParams,
    success: json(200, 'the target', intake.targetView),
    problems: [404, 422, 429],
  },
  {
    method: 'get',
    path: '/intake/targets/:code/qr.svg',
    summary: "二维码 / the QR code (SVG) of the target's short URL (no login)",
    tag: 'intake',
    auth: false,
    params: intake.targetParams,
    success: { status: 200, description: 'SVG image', schema: 'svg' },
    problems: [404, 422, 429],
  },
  {
    method: 'post',
    path: '/intake/targets/:code/messages',
    summary:
      '群众留言 / write a message to a station or deputy; answers the tracking code. Limits per address and phone (429), size cap (413), honeypot `website` (no login)',
    tag: 'intake',
    auth: false,
    params: intake.targetParams,
    body: intake.messageBody,
    success: json(201, 'the tracking code', intake.messageCreated),
    problems: [403, 404, 413, 422, 429],
  },
  {
    method: 'get',
    path: '/intake/track/:code',
    summary:
      "留言查询 / a message's progress in plain words by its tracking code; never name or phone (no login)",
    tag: 'intake',
    auth: false,
    params: intake.trackParams,
    success: json(200, 'the progress', intake.trackView),
    problems: [404, 422, 429],
  },
  {
    method: 'post',
    path: '/intake/track/:code/rating',
    summary: '评价答复 / rate the answer: 满意 / 基本满意 / 不满意 with a comment, once (no login)',
    tag: 'intake',
    auth: false,
    params: intake.trackParams,
    body: intake.ratingBody,
    success: json(200, 'rated', intake.ratingResult),
    problems: [403, 404, 409, 413, 422, 429],
  },

  {
    method: 'post',
    path: '/intake/track/:code/photos',
    summary:
      '留言照片 / the constituent adds a photo to their message by its tracking code, until it is taken; images only, location data removed; the same photo twice is one (no login)',
    tag: 'intake',
    auth: false,
    params: intake.trackParams,
    multipart: att.messagePhotoUpload,
    success: json(201, 'stored (200 when the same photo was already there)', att.messagePhotoResult),
    problems: [404, 409, 413, 415, 422, 429],
  },

  // ---- constituent messages, for those who handle them ----
  {
    method: 'get',
    path: '/messages',
    summary:
      "群众留言收件箱 / messages the caller may see: station deputies and staff, the unit forwarded to, overseers (name and phone only for the station's deputies and staff)",
    tag: 'intake',
    query: intake.messageListQuery,
    success: json(200, 'the messages', intake.messageList),
    problems: [401, 422],
  },
  {
    method: 'get',
    path: '/messages/my-stations',
    summary: '我的站点 / the stations the caller staffs or sits in',
    tag: 'intake',
    success: json(200, 'the stations', intake.myStations),
    problems: [401],
  },
  {
    method: 'post',
    path: '/messages/offline',
    summary:
      "线下反馈 / a message handed in on paper or in person, entered by the station's staff; answers the tracking code",
    tag: 'intake',
    body: intake.offlineMessageBody,
    success: json(201, 'the tracking code', intake.messageCreated),
    problems: [401, 403, 413, 422],
  },
  {
    method: 'get',
    path: '/messages/link-targets',
    summary: '可并入的建议 / the open suggestions the calling deputy leads, which a claimed message may join',
    tag: 'intake',
    success: json(200, 'the suggestions', intake.linkTargets),
    problems: [401],
  },
  {
    method: 'get',
    path: '/messages/:id',
    summary: '群众留言详情 / one message with the steps the caller may take (allowedActions)',
    tag: 'intake',
    params: idParams,
    success: json(200, 'the message', intake.messageView),
    problems: [401, 404],
  },
  {
    method: 'get',
    path: '/messages/:id/similar',
    summary:
      '疑似重复 / messages of the same station and suggestions that read like this message (for those who see it; merge with POST /messages/:id/merge)',
    tag: 'intake',
    params: idParams,
    success: json(200, 'likely duplicates, best first', intake.messageSimilarView),
    problems: [401, 404],
  },
  {
    method: 'get',
    path: '/messages/:id/attachments',
    summary:
      '留言照片 / the photos of a message, for those who may see the message (personal data: never public)',
    tag: 'intake',
    params: idParams,
    success: json(200, 'the photos', att.attachmentList),
    problems: [401, 404],
  },
  {
    method: 'post',
    path: '/messages/:id/claim',
    summary: "认领 / claim: a deputy of the station within 24 h; the station's staff after that",
    tag: 'intake',
    params: idParams,
    success: json(200, 'the message', intake.messageView),
    problems: [401, 403, 404, 409],
  },
  {
    method: 'post',
    path: '/messages/:id/answer',
    summary: '答复 / answer: the claimer, or the unit it was forwarded to',
    tag: 'intake',
    params: idParams,
    body: intake.answerBody,
    success: json(200, 'the message', intake.messageView),
    problems: [401, 403, 404, 409, 413, 422],
  },
  {
    method: 'post',
    path: '/messages/:id/forward',
    summary: '转交单位 / forward to a unit, which answers within 7 working days (the claimer)',
    tag: 'intake',
    params: idParams,
    body: intake.forwardBody,
    success: json(200, 'the message', intake.messageView),
    problems: [401, 403, 404, 409, 413, 422],
  },
  {
    method: 'post',
    path: '/messages/:id/convert',
    summary: '转为代表建议 / turn into a suggestion draft of the claiming deputy, linked both ways',
    tag: 'intake',
    params: idParams,
    body: intake.convertBody,
    success: json(200, 'the message', intake.messageView),
    problems: [401, 403, 404, 409, 413, 422],
  },
  {
    method: 'post',
    path: '/messages/:id/link',
    summary:
      '并入已有建议 / join an open suggestion the claiming deputy leads (a suggestion may gather several messages)',
    tag: 'intake',
    params: idParams,
    body: intake.linkBody,
    success: json(200, 'the message', intake.messageView),
    problems: [401, 403, 404, 409, 413, 422],
  },
  {
    method: 'post',
    path: '/messages/:id/merge',
    summary:
      '合并重复留言 / merge as a duplicate into a surviving message of the same station (station deputies and staff; the claimer once claimed)',
    tag: 'intake',
    params: idParams,
    body: intake.mergeBody,
    success: json(200, 'the message', intake.messageView),
    problems: [401, 403, 404, 409, 413, 422],
  },

  // ---- stations (家站点), admin ----
  {
    method: 'get',
    path: '/admin/stations',
    summary:
      '家站点 / stations with their counts, searched by name, code, town or address, a page at a time (admin)',
    tag: 'admin',
    query: intake.stationListQuery,
    success: json(200, 'the stations', intake.stationListView),
    problems: [401, 403, 422],
  },
  {
    method: 'post',
    path: '/admin/stations',
    summary: '新建站点 / create a station with a fresh QR code, its deputies and staff (admin)',
    tag: 'admin',
    body: intake.stationBody,
    success: json(201, 'the station', intake.stationDetailView),
    problems: [401, 403, 413, 422],
  },
  {
    method: 'get',
    path: '/admin/stations/deputy-codes',
    summary: '代表二维码 / every deputy with their own QR code (admin)',
    tag: 'admin',
    success: json(200, 'the codes', intake.deputyCodeList),
    problems: [401, 403],
  },
  {
    method: 'get',
    path: '/admin/stations/:id',
    summary: '站点详情 / one station with deputies, staff and the duty roster (admin)',
    tag: 'admin',
    params: idParams,
    success: json(200, 'the station', intake.stationDetailView),
    problems: [401, 403, 404],
  },
  {
    method: 'patch',
    path: '/admin/stations/:id',
    summary: '修改站点 / edit a station, its deputies and staff, or close it (admin)',
    tag: 'admin',
    params: idParams,
    body: intake.stationPatch,
    success: json(200, 'the station', intake.stationDetailView),
    problems: [401, 403, 404, 413, 422],
  },
  {
    method: 'put',
    path: '/admin/stations/:id/duties',
    summary: '值班表 / replace the duty roster from today on (admin)',
    tag: 'admin',
    params: idParams,
    body: intake.dutiesBody,
    success: json(200, 'the station', intake.stationDetailView),
    problems: [401, 403, 404, 413, 422],
  },
  // ---- 家站点履职 (issue 11): 约见, the station's desk, activities, 代表讲堂, 履职档案 ----
  {
    method: 'get',
    path: '/intake/targets/:code/slots',
    summary:
      "约见时段 / the duty slots of a station's or deputy's QR target for the next 30 days, free or taken (no login, no personal data)",
    tag: 'appointments',
    auth: false,
    params: intake.targetParams,
    success: json(200, 'the slots', sr.slotList),
    problems: [404, 422, 429],
  },
  {
    method: 'post',
    path: '/intake/targets/:code/appointments',
    summary:
      '预约见面 / book an appointment with a deputy on a duty slot (phone required); answers the tracking code. A taken slot is 409; limits per address and phone (429); honeypot `website` (no login)',
    tag: 'appointments',
    auth: false,
    params: intake.targetParams,
    body: sr.appointmentBody,
    success: json(201, 'the tracking code', sr.appointmentCreated),
    problems: [403, 404, 409, 413, 422, 429],
  },
  {
    method: 'get',
    path: '/intake/appointments/:code',
    summary: "约见查询 / an appointment's status by its tracking code; never name or phone (no login)",
    tag: 'appointments',
    auth: false,
    params: sr.appointmentTrackParams,
    success: json(200, 'the appointment', sr.appointmentTrackView),
    problems: [404, 422, 429],
  },
  {
    method: 'get',
    path: '/appointments',
    summary:
      "约见列表 / the deputy's own appointments, the station staff's stations', all for overseers (name and phone only for the deputy and the staff)",
    tag: 'appointments',
    query: sr.appointmentListQuery,
    success: json(200, 'the appointments', sr.appointmentList),
    problems: [401, 422],
  },
  {
    method: 'post',
    path: '/appointments',
    summary: "代为预约 / the station's staff book a slot for a constituent (409 when the slot is taken)",
    tag: 'appointments',
    body: sr.staffAppointmentBody,
    success: json(201, 'the tracking code', sr.appointmentCreated),
    problems: [401, 403, 409, 413, 422],
  },
  {
    method: 'get',
    path: '/appointments/:id',
    summary: '约见详情 / one appointment with the steps the caller may take',
    tag: 'appointments',
    params: idParams,
    success: json(200, 'the appointment', sr.appointmentView),
    problems: [401, 404],
  },
  {
    method: 'post',
    path: '/appointments/:id/confirm',
    summary: '确认约见 / the deputy asked for confirms a requested appointment',
    tag: 'appointments',
    params: idParams,
    success: json(200, 'the appointment', sr.appointmentView),
    problems: [401, 403, 404, 409],
  },
  {
    method: 'post',
    path: '/appointments/:id/decline',
    summary:
      '婉拒约见 / the deputy declines a requested or confirmed appointment, with the reason the constituent reads',
    tag: 'appointments',
    params: idParams,
    body: sr.declineBody,
    success: json(200, 'the appointment', sr.appointmentView),
    problems: [401, 403, 404, 409, 413, 422],
  },
  {
    method: 'post',
    path: '/appointments/:id/attendance',
    summary:
      "登记见面情况 / the station's staff record whether a confirmed appointment took place (once, on or after its day; held credits the deputy points)",
    tag: 'appointments',
    params: idParams,
    body: sr.attendanceBody,
    success: json(200, 'the appointment', sr.appointmentView),
    problems: [401, 403, 404, 409, 413, 422],
  },
  {
    method: 'get',
    path: '/stations/:id/day',
    summary:
      "站点当日 / a station's desk for a day: who is on duty and whether they served, the appointments (its staff and deputies, overseers)",
    tag: 'appointments',
    params: idParams,
    query: sr.dayQuery,
    success: json(200, 'the day', sr.stationDayView),
    problems: [401, 404, 422],
  },
  {
    method: 'post',
    path: '/stations/:id/duties/:dutyId/attendance',
    summary:
      "登记值班 / the station's staff record once whether the deputy on duty served (on or after the day; served credits points)",
    tag: 'appointments',
    params: sr.dutyParams,
    body: sr.dutyAttendanceBody,
    success: json(200, 'the day', sr.stationDayView),
    problems: [401, 403, 404, 409, 413, 422],
  },
  {
    method: 'get',
    path: '/activities',
    summary:
      "站点活动 / activities (接待日, 问政, 视察, 学习): overseers all, staff their stations', deputies their stations' and those they attended",
    tag: 'appointments',
    query: sr.activityListQuery,
    success: json(200, 'the activities', sr.activityList),
    problems: [401, 403, 422],
  },
  {
    method: 'post',
    path: '/activities',
    summary:
      "登记活动 / record an activity afterwards with the deputies who attended (the station's staff or deputies; once per Idempotency-Key)",
    tag: 'appointments',
    headers: idempotencyHeaders,
    body: sr.activityBody,
    success: json(201, 'the activity', sr.activityView),
    problems: [401, 403, 409, 413, 422],
  },
  {
    method: 'get',
    path: '/trainings',
    summary: '代表讲堂 / training sessions with their attendance',
    tag: 'appointments',
    success: json(200, 'the sessions', sr.trainingList),
    problems: [401, 403],
  },
  {
    method: 'post',
    path: '/trainings',
    summary:
      '新建培训 / a training session with the deputies who attended (reviewer, admin; once per Idempotency-Key)',
    tag: 'appointments',
    headers: idempotencyHeaders,
    body: sr.trainingBody,
    success: json(201, 'the session', sr.trainingView),
    problems: [401, 403, 409, 413, 422],
  },
  {
    method: 'post',
    path: '/trainings/:id/attendance',
    summary:
      '登记出勤 / add deputies who attended a session (reviewer, admin; those already recorded are not credited again)',
    tag: 'appointments',
    params: idParams,
    body: sr.trainingAttendanceBody,
    success: json(200, 'the session', sr.trainingView),
    problems: [401, 403, 404, 409, 413, 422],
  },
  {
    method: 'get',
    path: '/deputies/:id/record',
    summary:
      "履职档案 / a deputy's record by year and term: suggestions, messages, duty days, appointments, activities, training and their points (the deputy, reviewer, supervisor, admin)",
    tag: 'appointments',
    params: idParams,
    query: sr.recordQuery,
    success: json(200, 'the record', sr.deputyRecordView),
    problems: [401, 403, 404, 422],
  },
  {
    method: 'get',
    path: '/deputies/:id/record.xlsx',
    summary: '履职档案 xlsx / the record as a workbook (confidential titles masked; audited)',
    tag: 'appointments',
    params: idParams,
    query: sr.recordQuery,
    success: { status: 200, description: 'the workbook', schema: 'xlsx' },
    problems: [401, 403, 404, 422],
  },
  {
    method: 'get',
    path: '/deputies/:id/record.pdf',
    summary: '履职档案 PDF / the record printed (confidential titles masked; audited)',
    tag: 'appointments',
    params: idParams,
    query: sr.recordQuery,
    success: { status: 200, description: 'PDF document', schema: 'pdf' },
    problems: [401, 403, 404, 422],
  },

  // ---- Open311 GeoReport v2 (no session: a registered client's api_key; JSON or XML by extension) ----
  {
    method: 'get',
    path: '/open311/v2/services.:format',
    summary:
      'Open311 服务列表 / GeoReport v2 service list: the message categories (json or xml; also served at /open311/v2 by the web app)',
    tag: 'open311',
    auth: false,
    params: open311.formatParams,
    query: open311.jurisdictionQuery,
    success: json(200, 'the services', open311.serviceList),
    problems: [400, 404, 429],
    errorFormat: 'open311',
  },
  {
    method: 'get',
    path: '/open311/v2/services/:service_code.:format',
    summary: 'Open311 服务定义 / GeoReport v2 service definition (no extra attributes)',
    tag: 'open311',
    auth: false,
    params: open311.serviceParams,
    query: open311.jurisdictionQuery,
    success: json(200, 'the definition', open311.serviceDefinition),
    problems: [400, 404, 429],
    errorFormat: 'open311',
  },
  {
    method: 'post',
    path: '/open311/v2/requests.:format',
    summary:
      "Open311 提交请求 / GeoReport v2 create a service request with a registered client's api_key: a constituent message to the client's station (same workflow as the QR page); answers its id and, for the sender, the tracking code. Limits per address/device and phone (429)",
    tag: 'open311',
    auth: false,
    params: open311.formatParams,
    body: open311.requestBody,
    success: json(201, 'the new request', open311.requestCreated),
    problems: [400, 403, 404, 413, 429],
    errorFormat: 'open311',
  },
  {
    method: 'get',
    path: '/open311/v2/requests.:format',
    summary:
      'Open311 请求列表 / GeoReport v2 service requests received through Open311, public fields only (never name, phone, e-mail); the last 90 days by default, at most 1,000',
    tag: 'open311',
    auth: false,
    params: open311.formatParams,
    query: open311.requestsQuery,
    success: json(200, 'the requests', open311.serviceRequestList),
    problems: [400, 404, 429],
    errorFormat: 'open311',
  },
  {
    method: 'get',
    path: '/open311/v2/requests/:service_request_id.:format',
    summary: 'Open311 单个请求 / GeoReport v2 one service request (public fields only)',
    tag: 'open311',
    auth: false,
    params: open311.requestParams,
    query: open311.jurisdictionQuery,
    success: json(200, 'the request (a list of one, as the standard has it)', open311.serviceRequestList),
    problems: [400, 404, 429],
    errorFormat: 'open311',
  },
  {
    method: 'get',
    path: '/admin/open311/clients',
    summary: 'Open311 接入方 / registered Open311 clients (admin)',
    tag: 'admin',
    success: json(200, 'the clients', open311.clientList),
    problems: [401, 403],
  },
  {
    method: 'post',
    path: '/admin/open311/clients',
    summary:
      '登记 Open311 接入方 / register a client of a station; its api_key is answered this once (admin)',
    tag: 'admin',
    body: open311.clientBody,
    success: json(201, 'the client with its api_key', open311.clientWithKey),
    problems: [401, 403, 413, 422],
  },
  {
    method: 'patch',
    path: '/admin/open311/clients/:id',
    summary:
      '修改 Open311 接入方 / rename, move to another station, deactivate, or draw a new api_key (admin)',
    tag: 'admin',
    params: open311.clientParams,
    body: open311.clientPatch,
    success: json(200, 'the client (apiKey only when rotated)', open311.clientWithKey),
    problems: [401, 403, 404, 413, 422],
  },
];

export { problemDocument };
