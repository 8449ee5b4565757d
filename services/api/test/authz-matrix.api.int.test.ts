import { auditRoutes } from '../src/audit.routes';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { config } from '@jianyi/platform';
import {
  ApiSession as ApiSessionClass,
  apiBase,
  waitFor,
  type ApiSession,
} from '@jianyi/platform/src/testing';
import type { DataSource } from 'typeorm';
import { demoId } from '@jianyi/platform/src/db/seed';
import { congressSessionRoutes } from '../src/congress-session.routes';
import { deputyAdminRoutes } from '../src/deputy-admin.routes';
import { CONFIDENTIAL_TITLE, exportRoutes } from '../src/export.routes';
import { publicRoutes } from '../src/public.routes';
import { statsRoutes } from '../src/stats.routes';
import { notificationRoutes } from '../src/notification.routes';
import { pointsRoutes } from '../src/points.routes';
import { preferenceRoutes } from '../src/preference.routes';
import { unitWebhookRoutes } from '../src/unit-webhook.routes';
import { clockRoutes } from '../src/clocks.routes';
import { suggestionRoutes } from '../src/suggestion.routes';
import type { SuggestionService } from '../src/suggestion.service';
import { timelineRoutes } from '../src/timeline.routes';
import { printRoutes } from '../src/print.routes';
import { deadlinePreviewRoutes } from '../src/deadline-preview.routes';
import { directoryRoutes } from '../src/directory.routes';
import { unitInboxRoutes } from '../src/unit-inbox.routes';
import { unitRequestRoutes } from '../src/unit-request.routes';
import { intakePublicRoutes } from '../src/intake-public.routes';
import { messageRoutes } from '../src/message.routes';
import { stationAdminRoutes } from '../src/station-admin.routes';
import { IntakeService } from '../src/intake.service';
import { attachmentPublicRoutes, attachmentRoutes } from '../src/attachment.routes';
import { AttachmentService } from '../src/attachments/attachment.service';
import sharp from 'sharp';
import { importRoutes } from '../src/import.routes';
import { listExportRoutes } from '../src/list-export.routes';
import { AppointmentService } from '../src/appointment.service';
import { appointmentPublicRoutes, appointmentRoutes } from '../src/appointment.routes';
import { StationRecordsService } from '../src/station-records.service';
import { activityRoutes, stationDeskRoutes, trainingRoutes } from '../src/station-records.routes';
import { deputyRecordRoutes } from '../src/deputy-record.routes';
import { open311Routes } from '../src/open311.routes';
import { open311AdminRoutes } from '../src/open311-admin.routes';
import type { Client } from '@temporalio/client';
import {
  AuthzWorld,
  JTJ,
  ZJJ,
  contactBody,
  extensionRequest,
  reassignmentRequest,
  replyBody,
  roleKeys,
  userId,
  usernames,
  type Item,
  type ItemState,
  type Res,
  type RoleKey,
} from './authz-support';

// The authorization matrix: every role × every action of the suggestions API and of the
// notification/points API (and two admin endpoints as representatives of the admin API), allowed or refused, against the real stack.
//
// Each action runs on a fresh item put into exactly the state in which the action is valid, so a
// refusal can only come from who is asking, never from a wrong state (409). The refused roles go
// first, one at a time on the same item, and after each the item must be unchanged (status as the
// owner sees it, its outbox and audit rows); then each allowed role acts on an item of its own
// (an allowed call moves the item on), or on the same item where the action can be repeated, and
// must leave a trace (a new outbox row). One `it` per action; it collects every mismatching cell
// and fails with a table of them, so a failure names the action and the role.
//
// 404 rather than 403: a caller who may not see an item (a draft of someone else, another deputy's
// item, an item not assigned to the caller's unit) gets the same 404 as for an id that does not
// exist, so the API does not reveal that the item exists, nor its state. 403 is for a caller who
// may see the item but whose role may not take this step on it.
//
// Rows: anonymous (no session); the lead deputy (wangjianguo, lead of every item here); another
// deputy (lixiuying); reviewer; coordinator; supervisor; jtj.handler, handler of the assigned unit
// JTJ; jyj.handler, a unit handler whose unit JYJ is never assigned here (not even as co-handler,
// so it stands for "some other unit"); jtj.leader, leader of the assigned unit; admin.

const OK = 'ok' as const;
type Cell = typeof OK | 401 | 403 | 404;

// prettier-ignore
const matrix: Record<string, [Cell, Cell, Cell, Cell, Cell, Cell, Cell, Cell, Cell, Cell]> = {
  //                                  anon  lead  other  rev   coord  sup   jtjH  jyjH  jtjL  admin
  'create draft':                     [401, OK,   OK,    403,  403,   403,  403,  403,  403,  403],
  'list':                             [401, OK,   OK,    OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'get (draft)':                      [401, OK,   404,   404,  404,   404,  404,  404,  404,  404],
  'get (submitted)':                  [401, OK,   404,   OK,   OK,    OK,   404,  404,  404,  OK ],
  'get (assigned)':                   [401, OK,   404,   OK,   OK,    OK,   OK,   404,  OK,   OK ],
  'handling record (assigned)':       [401, OK,   404,   OK,   OK,    OK,   OK,   404,  OK,   OK ],
  'submit (draft)':                   [401, OK,   404,   404,  404,   404,  404,  404,  404,  404],
  'review accept (submitted)':        [401, 403,  404,   OK,   403,   403,  404,  404,  404,  403],
  'review return (submitted)':        [401, 403,  404,   OK,   403,   403,  404,  404,  404,  403],
  'review reject (submitted)':        [401, 403,  404,   OK,   403,   403,  404,  404,  404,  403],
  'review convert (submitted)':       [401, 403,  404,   OK,   403,   403,  404,  404,  404,  403],
  'review merge (submitted)':         [401, 403,  404,   OK,   403,   403,  404,  404,  404,  403],
  'resubmit (returned)':              [401, OK,   404,   403,  403,   403,  404,  404,  404,  403],
  'withdraw (submitted)':             [401, OK,   404,   403,  403,   403,  404,  404,  404,  403],
  'assign (accepted)':                [401, 403,  404,   OK,   OK,    403,  404,  404,  404,  403],
  'bulk assign (accepted)':           [401, 403,  403,   OK,   OK,    403,  403,  403,  403,  403],
  'sign-in (assigned)':               [401, 403,  404,   403,  403,   403,  OK,   404,  OK,   403],
  'contact (signed in)':              [401, 403,  404,   403,  403,   403,  OK,   404,  OK,   403],
  'reply draft (signed in)':          [401, 403,  404,   403,  403,   403,  OK,   404,  OK,   403],
  'reply sign-off (drafted)':         [401, 403,  404,   403,  403,   403,  403,  404,  OK,   403],
  'reply send (signed off)':          [401, 403,  404,   403,  403,   403,  OK,   404,  OK,   403],
  'opinion (co-handler, signed in)':  [401, 403,  404,   403,  403,   403,  OK,   404,  OK,   403],
  'request extension (assigned)':     [401, 403,  404,   403,  403,   403,  OK,   404,  OK,   403],
  'request re-assignment (assigned)': [401, 403,  404,   403,  403,   403,  OK,   404,  OK,   403],
  'request decision (pending)':       [401, 403,  404,   OK,   403,   403,  403,  404,  403,  403],
  'urge (assigned)':                  [401, 403,  404,   OK,   OK,    OK,   403,  404,  403,  403],
  'key supervision (assigned)':       [401, 403,  404,   OK,   403,   OK,   403,  404,  403,  403],
  'rate (replied)':                   [401, OK,   404,   403,  403,   403,  403,  404,  403,  403],
  'consultation (2nd 不满意)':         [401, 403,  404,   OK,   OK,    403,  403,  404,  403,  403],
  'follow-up report (published, B)':  [401, 403,  404,   403,  403,   403,  OK,   404,  OK,   403],
  'reply send-back (replied)':        [401, 403,  404,   OK,   403,   403,  403,  404,  403,  403],
  'progress report (key, handling)':  [401, 403,  404,   403,  403,   403,  OK,   404,  OK,   403],
  'withhold publication (assigned)':  [401, OK,   404,   OK,   403,   403,  403,  404,  403,  403],
  'mark excellent (replied)':         [401, 403,  404,   OK,   403,   OK,   403,  404,  403,  403],
  'edit draft (draft)':               [401, OK,   404,   404,  404,   404,  404,  404,  404,  404],
  'timeline (submitted)':             [401, OK,   404,   OK,   OK,    OK,   404,  404,  404,  OK ],
  'timeline (assigned)':              [401, OK,   404,   OK,   OK,    OK,   OK,   404,  OK,   OK ],
  // printed documents (print.routes.ts): as the timeline; a draft letter only for its unit and overseers
  'print: suggestion pdf (assigned)':  [401, OK,   404,   OK,   OK,    OK,   OK,   404,  OK,   OK ],
  'print: dossier pdf (assigned)':     [401, OK,   404,   OK,   OK,    OK,   OK,   404,  OK,   OK ],
  'print: reply letter pdf (drafted)': [401, 404,  404,   OK,   OK,    OK,   OK,   404,  OK,   OK ],
  'directory: units':                 [401, OK,   OK,    OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'directory: deputies':              [401, OK,   OK,    OK,   OK,    OK,   403,  403,  403,  OK ],
  'directory: supervisors':           [401, 403,  403,   OK,   403,   OK,   403,  403,  403,  OK ],
  'unit inbox (assigned)':            [401, 403,  403,   403,  403,   403,  OK,   OK,   OK,   403],
  'unit inbox: awaiting my sign-off': [401, 403,  403,   403,  403,   403,  403,  403,  OK,   403],
  'deputy: my clocks (assigned)':     [401, OK,   OK,    403,  403,   403,  403,  403,  403,  403],
  'deputy: my clocks (submitted)':    [401, OK,   OK,    403,  403,   403,  403,  403,  403,  403],
  'deputy: my clocks (accepted)':     [401, OK,   OK,    403,  403,   403,  403,  403,  403,  403],
  'deadline preview':                 [401, 403,  403,   OK,   OK,    403,  403,  403,  403,  403],
  'unit requests (pending)':          [401, 403,  403,   OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'admin: GET /api/admin/units':      [401, 403,  403,   403,  403,   403,  403,  403,  403,  OK ],
  'admin: PATCH /api/admin/units/:id': [401, 403, 403,   403,  403,   403,  403,  403,  403,  OK ],
  'admin: PUT /api/admin/policy':     [401, 403,  403,   403,  403,   403,  403,  403,  403,  OK ],
  'admin: load a calendar year':      [401, 403,  403,   403,  403,   403,  403,  403,  403,  OK ],
  // statistics, supervision and exports: overseers see all, a unit its own unit (stats.routes.ts, export.routes.ts)
  'stats by unit':                    [401, 403,  403,   OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'stats drill-down items':           [401, 403,  403,   OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'supervision: overdue':             [401, 403,  403,   OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'supervision: at-risk':             [401, 403,  403,   OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'supervision: today':               [401, 403,  403,   OK,   OK,    OK,   403,  403,  403,  OK ],
  'stats: monthly trend':             [401, 403,  403,   OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'stats by topic':                   [401, 403,  403,   OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'export: assignment list xlsx':     [401, 403,  403,   OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'export: stats xlsx':               [401, 403,  403,   OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'stats: messages (一码通)':           [401, 403,  403,   OK,   OK,    OK,   403,  403,  403,  OK ],
  'export: message stats xlsx':       [401, 403,  403,   OK,   OK,    OK,   403,  403,  403,  OK ],
  // the audit log: the admin and supervisors only (audit.routes.ts)
  'audit: log':                       [401, 403,  403,   403,  403,   OK,   403,  403,  403,  OK ],
  'audit: export xlsx':               [401, 403,  403,   403,  403,   OK,   403,  403,  403,  OK ],
  // public replies: no login needed (public.routes.ts)
  'public: replies list':             [OK,  OK,   OK,    OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'public: reply detail (published)': [OK,  OK,   OK,    OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'public: facets':                   [OK,  OK,   OK,    OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  // deputies (deputy-admin.routes.ts)
  'admin: GET /api/admin/deputies':   [401, 403,  403,   403,  403,   403,  403,  403,  403,  OK ],
  'admin: deputy delegations':       [401, 403,  403,   403,  403,   403,  403,  403,  403,  OK ],
  'admin: POST /api/admin/deputies':  [401, 403,  403,   403,  403,   403,  403,  403,  403,  OK ],
  'admin: PATCH /api/admin/deputies': [401, 403,  403,   403,  403,   403,  403,  403,  403,  OK ],
  // 届次 (congress-session.routes.ts)
  'admin: GET /api/admin/sessions':   [401, 403,  403,   403,  403,   403,  403,  403,  403,  OK ],
  'admin: POST /api/admin/sessions':  [401, 403,  403,   403,  403,   403,  403,  403,  403,  OK ],
  'admin: PATCH /api/admin/sessions': [401, 403,  403,   403,  403,   403,  403,  403,  403,  OK ],
  'admin: DELETE /api/admin/sessions':[401, 403,  403,   403,  403,   403,  403,  403,  403,  OK ],
  'notifications: list own':          [401, OK,   OK,    OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'notifications: mark read (lead\'s)': [401, OK,   404,   404,  404,   404,  404,  404,  404,  404],
  'notifications: read all (own)':    [401, OK,   OK,    OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'preferences: get own':             [401, OK,   OK,    OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'preferences: put own':             [401, OK,   OK,    OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'points: own (deputies)':           [401, OK,   OK,    403,  403,   403,  403,  403,  403,  403],
  'points: lead deputy\'s':           [401, OK,   403,   OK,   403,   OK,   403,  403,  403,  OK ],
  'points: ranking':                  [401, 403,  403,   OK,   403,   OK,   403,  403,  403,  OK ],
  'unit robot: get (admin)':          [401, 403,  403,   403,  403,   403,  403,  403,  403,  OK ],
  'unit robot: put (admin)':          [401, 403,  403,   403,  403,   403,  403,  403,  403,  OK ],
  'unit robot: test (admin)':         [401, 403,  403,   403,  403,   403,  403,  403,  403,  OK ],
  'admin: GET /api/admin/robots':     [401, 403,  403,   403,  403,   403,  403,  403,  403,  OK ],
  // 一码通 (intake-public.routes.ts: no login; message.routes.ts: the station's deputies (王建国 sits in
  // the 溧城 station the messages here go to; 李秀英 in another), overseers read, a unit only what it
  // was forwarded; station-admin.routes.ts: admin). 线下反馈 is for station staff, a role no row has.
  'intake: target':                   [OK,  OK,   OK,    OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'intake: QR code':                  [OK,  OK,   OK,    OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'intake: write a message':          [OK,  OK,   OK,    OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'intake: track':                    [OK,  OK,   OK,    OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'intake: rate (answered)':          [OK,  OK,   OK,    OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'messages: list':                   [401, OK,   OK,    OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'messages: my stations':            [401, OK,   OK,    OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'messages: offline (线下反馈)':      [401, 403,  403,   403,  403,   403,  403,  403,  403,  403],
  'messages: get (pending)':          [401, OK,   404,   OK,   OK,    OK,   404,  404,  404,  OK ],
  'messages: similar (pending)':      [401, OK,   404,   OK,   OK,    OK,   404,  404,  404,  OK ],
  'messages: claim (pending)':        [401, OK,   404,   403,  403,   403,  404,  404,  404,  403],
  'messages: answer (claimed)':       [401, OK,   404,   403,  403,   403,  404,  404,  404,  403],
  'messages: forward (claimed)':      [401, OK,   404,   403,  403,   403,  404,  404,  404,  403],
  'messages: convert (claimed)':      [401, OK,   404,   403,  403,   403,  404,  404,  404,  403],
  'messages: link targets':           [401, OK,   OK,    OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'messages: link (claimed)':         [401, OK,   404,   403,  403,   403,  404,  404,  404,  403],
  'messages: merge (pending)':        [401, OK,   404,   403,  403,   403,  404,  404,  404,  403],
  'stations: list':                   [401, 403,  403,   403,  403,   403,  403,  403,  403,  OK ],
  'stations: create':                 [401, 403,  403,   403,  403,   403,  403,  403,  403,  OK ],
  'stations: get':                    [401, 403,  403,   403,  403,   403,  403,  403,  403,  OK ],
  'stations: edit':                   [401, 403,  403,   403,  403,   403,  403,  403,  403,  OK ],
  'stations: duty roster':            [401, 403,  403,   403,  403,   403,  403,  403,  403,  OK ],
  'stations: deputy codes':           [401, 403,  403,   403,  403,   403,  403,  403,  403,  OK ],
  // Open311 GeoReport v2 (open311.routes.ts): no session; a registered client's api_key authorises a
  // request whoever sends it. Its clients are the admin's (open311-admin.routes.ts).
  'open311: services':                [OK,  OK,   OK,    OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'open311: service definition':      [OK,  OK,   OK,    OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'open311: post a request (api_key)':[OK,  OK,   OK,    OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'open311: requests':                [OK,  OK,   OK,    OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'open311: one request':             [OK,  OK,   OK,    OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'open311 clients: list':            [401, 403,  403,   403,  403,   403,  403,  403,  403,  OK ],
  'open311 clients: register':        [401, 403,  403,   403,  403,   403,  403,  403,  403,  OK ],
  'open311 clients: edit':            [401, 403,  403,   403,  403,   403,  403,  403,  403,  OK ],
  // 附件 (attachment.routes.ts): the record's own visibility; who may attach: the lead deputy to a
  // draft, the unit to its own contacts and replies; the constituent (no login) to a pending message
  'attachments: to draft (draft)':    [401, OK,   404,   404,  404,   404,  404,  404,  404,  404],
  'attachments: to contact (drafted)':[401, 403,  404,   403,  403,   403,  OK,   404,  OK,   403],
  'attachments: to reply (drafted)':  [401, 404,  404,   403,  403,   403,  OK,   404,  OK,   403],
  'attachments: list (drafted)':      [401, OK,   404,   OK,   OK,    OK,   OK,   404,  OK,   OK ],
  'attachments: contact photo':       [401, OK,   404,   OK,   OK,    OK,   OK,   404,  OK,   OK ],
  'attachments: contact thumbnail':   [401, OK,   404,   OK,   OK,    OK,   OK,   404,  OK,   OK ],
  'attachments: reply draft scan':    [401, 404,  404,   OK,   OK,    OK,   OK,   404,  OK,   OK ],
  'attachments: delete (draft)':      [401, OK,   404,   404,  404,   404,  404,  404,  404,  404],
  'intake: add a photo (pending)':    [OK,  OK,   OK,    OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'messages: photos (pending)':       [401, OK,   404,   OK,   OK,    OK,   404,  404,  404,  OK ],
  // Excel 导入 (import.routes.ts): the admin only
  'import: template':                 [401, 403,  403,   403,  403,   403,  403,  403,  403,  OK ],
  'import: validate':                 [401, 403,  403,   403,  403,   403,  403,  403,  403,  OK ],
  'import: apply':                    [401, 403,  403,   403,  403,   403,  403,  403,  403,  OK ],
  // list exports (list-export.routes.ts): every list as its caller sees it; the exchange JSON for overseers
  'export: suggestions xlsx':         [401, OK,   OK,    OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'export: supervision xlsx':         [401, 403,  403,   OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'export: exchange json':            [401, 403,  403,   OK,   OK,    OK,   403,  403,  403,  OK ],
  'export: unit inbox xlsx':          [401, 403,  403,   403,  403,   403,  OK,   OK,   OK,   403],
  'export: messages xlsx':            [401, OK,   OK,    OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  // 家站点履职 (appointment.routes.ts, station-records.routes.ts, deputy-record.routes.ts): a station of
  // the matrix's own with 王建国 attached and lc.staff as staff; booking is public; the deputy asked for
  // confirms or declines; attendance, duty days and booking for a constituent are for the station's
  // staff (a role no row has); the record as the deputy's points.
  'intake: appointment slots':        [OK,  OK,   OK,    OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'intake: book an appointment':      [OK,  OK,   OK,    OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'intake: track an appointment':     [OK,  OK,   OK,    OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'appointments: list':               [401, OK,   OK,    OK,   OK,    OK,   OK,   OK,   OK,   OK ],
  'appointments: book for (staff)':   [401, 403,  403,   403,  403,   403,  403,  403,  403,  403],
  'appointments: get (requested)':    [401, OK,   404,   OK,   OK,    OK,   404,  404,  404,  OK ],
  'appointments: confirm (requested)':[401, OK,   404,   403,  403,   403,  404,  404,  404,  403],
  'appointments: decline (requested)':[401, OK,   404,   403,  403,   403,  404,  404,  404,  403],
  'appointments: attendance (confirmed)':[401, 403, 404, 403,  403,   403,  404,  404,  404,  403],
  'stations: day desk':               [401, OK,   404,   OK,   OK,    OK,   404,  404,  404,  OK ],
  'stations: duty served':            [401, 403,  404,   403,  403,   403,  404,  404,  404,  403],
  'activities: list':                 [401, OK,   OK,    OK,   OK,    OK,   403,  403,  403,  OK ],
  'activities: record':               [401, OK,   403,   403,  403,   403,  403,  403,  403,  403],
  'trainings: list':                  [401, OK,   OK,    OK,   OK,    OK,   403,  403,  403,  OK ],
  'trainings: create':                [401, 403,  403,   OK,   403,   403,  403,  403,  403,  OK ],
  'trainings: attendance':            [401, 403,  403,   OK,   403,   403,  403,  403,  403,  OK ],
  'record: lead deputy\'s':           [401, OK,   403,   OK,   403,   OK,   403,  403,  403,  OK ],
  'record: xlsx':                     [401, OK,   403,   OK,   403,   OK,   403,  403,  403,  OK ],
  'record: pdf':                      [401, OK,   403,   OK,   403,   OK,   403,  403,  403,  OK ],
};

/**
 * Cells where the stack answers differently from the matrix because of a bug in the code (reported,
 * not taken as the expected behaviour): the matrix keeps the right value. A run that sees exactly
 * the recorded wrong answer prints a warning instead of failing; a run that sees the right answer
 * fails, so the entry is removed once the bug is fixed. Delete an entry to make its cell fail hard.
 */
const knownBugs: Partial<
  Record<keyof typeof matrix, Partial<Record<RoleKey, { got: number; why: string }>>>
> = {};

let world: AuthzWorld;
const policyChoices: string[] = [];
const createdDeputies: string[] = [];
const createdSessions: string[] = [];
let testSessionNo = 0;
/** A session no other row uses: terms 90–99, dates in 2090 onwards, one week per call. */
function nextTestSession() {
  testSessionNo += 1;
  const start = new Date(Date.UTC(2090, 0, 1) + testSessionNo * 7 * 86_400_000);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return {
    term: 90 + Math.floor(testSessionNo / 20),
    session: (testSessionNo % 20) + 1,
    startsOn: day(start),
    endsOn: day(new Date(start.getTime() + 2 * 86_400_000)),
  };
}
/** The sessions a refused call must not change (the admin's own test rows aside). */
const sessionRows = async () =>
  JSON.stringify(
    await world.ds.query(
      `SELECT id, name, starts_on::text, ends_on::text FROM congress_sessions WHERE term < 90 ORDER BY id`,
    ),
  );
beforeAll(async () => {
  world = await AuthzWorld.open();
});
afterAll(async () => {
  if (world && policyChoices.length)
    await world.ds.query(`DELETE FROM policy_choices WHERE id = ANY($1::bigint[])`, [policyChoices]);
  if (world && createdSessions.length)
    await world.ds.query(`DELETE FROM congress_sessions WHERE id = ANY($1::uuid[])`, [createdSessions]);
  if (world && createdStations.length)
    await world.ds.query(`DELETE FROM stations WHERE id = ANY($1::uuid[])`, [createdStations]);
  if (world && createdDeputies.length)
    await world.ds.query(`DELETE FROM deputies WHERE id = ANY($1::uuid[])`, [createdDeputies]);
  await world?.close();
});

interface Action {
  /** Route of suggestionRoutes this action exercises ("METHOD path"), for the coverage check; admin actions have none. */
  route?: string;
  /** The state the item must be in; none for actions that need no item. */
  state?: ItemState;
  /** The success status of an allowed call. */
  ok: number;
  call: (s: ApiSession, item: Item) => Promise<Res>;
  /** Reads nothing changes: all roles may use one shared item. */
  readOnly?: boolean;
  /** An allowed call leaves the item able to take the same action again: allowed roles share one item. */
  repeatable?: boolean;
  /** What refusals must not change, when it is not the item (default: the item's status, outbox and audit rows). */
  probe?: () => Promise<string>;
  /** A further check of an answer; returns a mismatch description or null. */
  check?: (role: RoleKey, r: Res, item: Item) => string | null;
}

const sid = (it: Item) => `/api/suggestions/${it.id}`;
const post = (path: (it: Item) => string, body?: unknown) => (s: ApiSession, it: Item) =>
  s.call('POST', path(it), body);
const unitStep = (path: string, body?: unknown) => (s: ApiSession, it: Item) =>
  world.unitStep(s, it, path, body, JTJ);
const review = (decision: object) => ({
  route: 'POST /:id/review',
  state: 'submitted' as const,
  ok: 200,
  call: post((it) => `${sid(it)}/review`, decision),
});
const nonDeputyIds = () =>
  roleKeys
    .filter((r) => !['anonymous', 'leadDeputy', 'otherDeputy'].includes(r))
    .map((r) => userId(r as Exclude<RoleKey, 'anonymous'>));
const nonAdminIds = () =>
  roleKeys
    .filter((r) => !['anonymous', 'admin'].includes(r))
    .map((r) => userId(r as Exclude<RoleKey, 'anonymous'>));
const visibleWhenAssigned = (role: RoleKey) => matrix['get (assigned)']![roleKeys.indexOf(role)] === OK;

/** The lead deputy's 我的期限 lists the item with this clock (held by the reviewer); another deputy's does not. */
const clockOf = (role: RoleKey, r: { status: number; body: any }, it: Item, clock: string) => {
  if (r.status !== 200) return null;
  const mine = (r.body.items as { id: string; clocks: { clock: string; holder: string }[] }[]).find(
    (x) => x.id === it.id,
  );
  if (role === 'leadDeputy')
    return mine?.clocks.some((c) => c.clock === clock && c.holder === 'reviewer')
      ? null
      : `no ${clock} clock`;
  return mine ? "another deputy's item listed" : null;
};

const actions: Record<keyof typeof matrix, Action> = {
  'create draft': {
    route: 'POST /',
    ok: 201,
    call: (s) =>
      s.call(
        'POST',
        '/api/suggestions',
        {
          title: `关于增设社区充电桩的建议 ${world.tag}`,
          content: '老旧小区电动自行车充电难,飞线充电隐患大,建议增设集中充电设施。',
        },
        { 'Idempotency-Key': randomUUID() },
      ),
    probe: async () =>
      JSON.stringify(
        await world.ds.query(
          `SELECT count(*)::int AS n FROM suggestions WHERE created_by = ANY($1::uuid[])`,
          [nonDeputyIds()],
        ),
      ),
    check: (_role, r) =>
      r.status === 201 && r.body?.status !== 'draft'
        ? `created item has status ${String(r.body?.status)}`
        : null,
  },
  // The list answers 200 to everyone signed in; what it contains must match what GET allows.
  list: {
    route: 'GET /',
    state: 'assigned',
    ok: 200,
    readOnly: true,
    call: (s, it) => s.call('GET', `/api/suggestions?q=${it.token}&pageSize=200`),
    check: (role, r, it) => {
      if (r.status !== 200) return null;
      const listed = (r.body.items as { id: string }[]).some((x) => x.id === it.id);
      return listed === visibleWhenAssigned(role)
        ? null
        : `list ${listed ? 'shows' : 'hides'} an item GET ${visibleWhenAssigned(role) ? 'shows' : 'hides'}`;
    },
  },
  'get (draft)': {
    route: 'GET /:id',
    state: 'draft',
    ok: 200,
    readOnly: true,
    call: (s, it) => s.call('GET', sid(it)),
    check: (_r, res, it) => sameItem(res, it),
  },
  'get (submitted)': {
    route: 'GET /:id',
    state: 'submitted',
    ok: 200,
    readOnly: true,
    call: (s, it) => s.call('GET', sid(it)),
    check: (_r, res, it) => sameItem(res, it),
  },
  'get (assigned)': {
    route: 'GET /:id',
    state: 'assigned',
    ok: 200,
    readOnly: true,
    call: (s, it) => s.call('GET', sid(it)),
    check: (_r, res, it) => sameItem(res, it),
  },
  'handling record (assigned)': {
    route: 'GET /:id/handling',
    state: 'assigned',
    ok: 200,
    readOnly: true,
    call: (s, it) => s.call('GET', `${sid(it)}/handling`),
    check: (_role, r) =>
      r.status === 200 && !(r.body?.assignments?.length >= 1)
        ? 'handling record without the assignment'
        : null,
  },
  'submit (draft)': {
    route: 'POST /:id/submit',
    state: 'draft',
    ok: 202,
    call: post((it) => `${sid(it)}/submit`),
  },
  'review accept (submitted)': review({ decision: 'accept' }),
  'review return (submitted)': review({ decision: 'return', comments: '请补充具体点位' }),
  'review reject (submitted)': review({ decision: 'reject', reason: '属于个人诉求' }),
  'review convert (submitted)': review({ decision: 'convert', reason: '属个人诉求,转来信处理' }),
  // 并案 into another open item of the same deputy (the shared submitted item, which stays open).
  'review merge (submitted)': {
    route: 'POST /:id/review',
    state: 'submitted',
    ok: 200,
    call: async (s, it) =>
      s.call('POST', `${sid(it)}/review`, {
        decision: 'merge',
        intoSuggestionId: (await world.sharedItem('submitted')).id,
        reason: '与同类建议并案办理',
      }),
  },
  'resubmit (returned)': {
    route: 'POST /:id/resubmit',
    state: 'returned',
    ok: 200,
    call: post((it) => `${sid(it)}/resubmit`),
  },
  'withdraw (submitted)': {
    route: 'POST /:id/withdraw',
    state: 'submitted',
    ok: 200,
    call: post((it) => `${sid(it)}/withdraw`),
  },
  'assign (accepted)': {
    route: 'POST /:id/assign',
    state: 'accepted',
    ok: 200,
    call: post((it) => `${sid(it)}/assign`, { mode: 'lead', leadUnitId: JTJ, coUnitIds: [] }),
  },
  // 交办会: the route refuses every role but the assigners with 403 (it names no single item, so there
  // is nothing to hide); each item then goes through the same checks as a single assignment.
  'bulk assign (accepted)': {
    route: 'POST /bulk-assign',
    state: 'accepted',
    ok: 200,
    call: (s, it) =>
      s.call('POST', '/api/suggestions/bulk-assign', {
        items: [{ id: it.id, assignment: { mode: 'lead', leadUnitId: JTJ, coUnitIds: [] } }],
      }),
    check: (_role, r) =>
      r.status === 200 && r.body?.assigned !== 1
        ? `item not assigned: ${JSON.stringify(r.body?.results)}`
        : null,
  },
  'sign-in (assigned)': {
    route: 'POST /:id/units/:unitId/sign-in',
    state: 'assigned',
    ok: 200,
    call: unitStep('sign-in'),
  },
  'contact (signed in)': {
    route: 'POST /:id/units/:unitId/contacts',
    state: 'signedIn',
    ok: 200,
    repeatable: true,
    call: unitStep('contacts', contactBody),
  },
  'reply draft (signed in)': {
    route: 'POST /:id/units/:unitId/reply',
    state: 'signedIn',
    ok: 200,
    repeatable: true,
    call: unitStep('reply', replyBody),
  },
  'reply sign-off (drafted)': {
    route: 'POST /:id/units/:unitId/reply/sign-off',
    state: 'drafted',
    ok: 200,
    call: unitStep('reply/sign-off'),
  },
  'reply send (signed off)': {
    route: 'POST /:id/units/:unitId/reply/send',
    state: 'signedOff',
    ok: 200,
    call: unitStep('reply/send'),
  },
  'opinion (co-handler, signed in)': {
    route: 'POST /:id/units/:unitId/opinion',
    state: 'coSignedIn',
    ok: 200,
    call: unitStep('opinion', { body: '建议同步规划非机动车停放设施。' }),
  },
  'request extension (assigned)': {
    route: 'POST /:id/units/:unitId/requests',
    state: 'assigned',
    ok: 200,
    call: unitStep('requests', extensionRequest),
  },
  'request re-assignment (assigned)': {
    route: 'POST /:id/units/:unitId/requests',
    state: 'assigned',
    ok: 200,
    call: unitStep('requests', reassignmentRequest),
  },
  'request decision (pending)': {
    route: 'POST /:id/units/:unitId/requests/decision',
    state: 'pendingRequest',
    ok: 200,
    call: unitStep('requests/decision', { approve: true, note: '同意延期一个月' }),
  },
  'urge (assigned)': {
    route: 'POST /:id/urge',
    state: 'assigned',
    ok: 200,
    repeatable: true,
    call: post((it) => `${sid(it)}/urge`, { note: '请加快办理进度' }),
  },
  'key supervision (assigned)': {
    route: 'POST /:id/key-supervision',
    state: 'assigned',
    ok: 200,
    call: post((it) => `${sid(it)}/key-supervision`, {}),
  },
  'rate (replied)': {
    route: 'POST /:id/rate',
    state: 'replied',
    ok: 200,
    call: post((it) => `${sid(it)}/rate`, { rating: 'satisfied' }),
  },
  'consultation (2nd 不满意)': {
    route: 'POST /:id/consultation',
    state: 'secondUnsatisfied',
    ok: 200,
    call: post((it) => `${sid(it)}/consultation`, { summary: '与代表当面协商,说明后续安排' }),
  },
  'follow-up report (published, B)': {
    route: 'POST /:id/units/:unitId/follow-up',
    state: 'followUp',
    ok: 200,
    repeatable: true,
    call: post((it) => `${sid(it)}/units/${JTJ}/follow-up`, { report: '一期工程已完工', final: false }),
  },
  'reply send-back (replied)': {
    route: 'POST /:id/units/:unitId/reply/return',
    state: 'replied',
    ok: 200,
    call: unitStep('reply/return', { reason: '答复未回应代表提出的停放点位问题' }),
  },
  'mark excellent (replied)': {
    route: 'POST /:id/excellent',
    state: 'replied',
    ok: 200,
    call: post((it) => `${sid(it)}/excellent`, { reason: '办理成效显著' }),
  },
  'withhold publication (assigned)': {
    route: 'POST /:id/withhold-publication',
    state: 'assigned',
    ok: 200,
    call: post((it) => `${sid(it)}/withhold-publication`, { reason: '涉及未公开的规划信息' }),
  },
  'progress report (key, handling)': {
    route: 'POST /:id/units/:unitId/progress-report',
    state: 'keyHandling',
    ok: 200,
    call: unitStep('progress-report', { summary: '已完成点位排查,正在施工。' }),
  },
  'edit draft (draft)': {
    route: 'PATCH /:id',
    state: 'draft',
    ok: 200,
    call: (s, it) =>
      s.call('PATCH', sid(it), {
        title: `关于增设社区充电桩的建议(修改) ${world.tag}`,
        content: '老旧小区电动自行车充电难,建议增设集中充电设施并加装烟感报警。',
      }),
  },
  'timeline (submitted)': {
    route: 'GET /:id/timeline',
    state: 'submitted',
    ok: 200,
    readOnly: true,
    call: (s, it) => s.call('GET', `${sid(it)}/timeline`),
    check: (_role, r, it) =>
      r.status === 200 &&
      (r.body?.suggestion?.id !== it.id || r.body?.steps?.[0]?.type !== 'suggestion.submitted')
        ? 'timeline without the submission step'
        : null,
  },
  'timeline (assigned)': {
    route: 'GET /:id/timeline',
    state: 'assigned',
    ok: 200,
    readOnly: true,
    call: (s, it) => s.call('GET', `${sid(it)}/timeline`),
    check: (_role, r) =>
      r.status === 200 &&
      !(r.body?.steps as { type: string }[] | undefined)?.some((x) => x.type === 'suggestion.assigned')
        ? 'timeline without the assignment step'
        : null,
  },
  'print: suggestion pdf (assigned)': {
    route: 'GET /:id/print/suggestion.pdf',
    state: 'assigned',
    ok: 200,
    readOnly: true,
    call: (s, it) => s.call('GET', `${sid(it)}/print/suggestion.pdf`),
    check: (_role, r) => pdfCheck(r),
  },
  'print: dossier pdf (assigned)': {
    route: 'GET /:id/print/dossier.pdf',
    state: 'assigned',
    ok: 200,
    readOnly: true,
    call: (s, it) => s.call('GET', `${sid(it)}/print/dossier.pdf`),
    check: (_role, r) => pdfCheck(r),
  },
  'print: reply letter pdf (drafted)': {
    route: 'GET /:id/print/reply-letter.pdf',
    state: 'drafted',
    ok: 200,
    readOnly: true,
    call: (s, it) => s.call('GET', `${sid(it)}/print/reply-letter.pdf?unitId=${JTJ}`),
    check: (_role, r) => pdfCheck(r),
  },
  'directory: units': {
    route: 'GET /directory/units',
    ok: 200,
    call: (s) => s.call('GET', '/api/directory/units'),
    check: (_role, r) =>
      r.status === 200 && !(r.body?.items as { id: string }[] | undefined)?.some((u) => u.id === JTJ)
        ? 'unit list without JTJ'
        : null,
  },
  'directory: deputies': {
    route: 'GET /directory/deputies',
    ok: 200,
    call: (s) => s.call('GET', '/api/directory/deputies'),
    check: (_role, r) => (r.status === 200 && !(r.body?.items?.length > 1) ? 'deputy list empty' : null),
  },
  'directory: supervisors': {
    route: 'GET /directory/supervisors',
    ok: 200,
    call: (s) => s.call('GET', '/api/directory/supervisors'),
    check: (_role, r) => (r.status === 200 && !(r.body?.items?.length >= 1) ? 'supervisor list empty' : null),
  },
  // Each unit's people see their own unit's parts only: JTJ's item is in JTJ's inbox, not in JYJ's.
  // The lead deputy sees the assigned item's unit clocks; another deputy sees none of it.
  'deputy: my clocks (assigned)': {
    route: 'GET /me/clocks',
    state: 'assigned',
    ok: 200,
    readOnly: true,
    call: (s) => s.call('GET', '/api/me/clocks'),
    check: (role, r, it) => {
      if (r.status !== 200) return null;
      const mine = (r.body.items as { id: string; clocks: { clock: string }[] }[]).find(
        (x) => x.id === it.id,
      );
      if (role === 'leadDeputy')
        return mine?.clocks.some((c) => c.clock === 'reply') ? null : 'no reply clock';
      return mine ? "another deputy's item listed" : null;
    },
  },
  // Before assignment the clocks are the reviewer's: pre-review while submitted, assignment once accepted.
  'deputy: my clocks (submitted)': {
    route: 'GET /me/clocks',
    state: 'submitted',
    ok: 200,
    readOnly: true,
    call: (s) => s.call('GET', '/api/me/clocks'),
    check: (role, r, it) => clockOf(role, r, it, 'pre_review'),
  },
  'deputy: my clocks (accepted)': {
    route: 'GET /me/clocks',
    state: 'accepted',
    ok: 200,
    readOnly: true,
    call: (s) => s.call('GET', '/api/me/clocks'),
    check: (role, r, it) => clockOf(role, r, it, 'assignment'),
  },
  'unit inbox: awaiting my sign-off': {
    route: 'GET /unit-inbox/sign-off',
    ok: 200,
    call: (s) => s.call('GET', '/api/unit-inbox/sign-off'),
    check: (_role, r) => (r.status === 200 && !Array.isArray(r.body?.items) ? 'no list' : null),
  },
  'unit inbox (assigned)': {
    route: 'GET /unit-inbox',
    state: 'assigned',
    ok: 200,
    readOnly: true,
    call: (s) => s.call('GET', '/api/unit-inbox'),
    check: (role, r, it) => {
      if (r.status !== 200) return null;
      const listed = (r.body.items as { id: string }[]).some((x) => x.id === it.id);
      return listed === (role !== 'otherUnit') ? null : `item ${listed ? 'listed' : 'missing'}`;
    },
  },
  'deadline preview': {
    route: 'GET /deadline-preview',
    ok: 200,
    call: (s) => s.call('GET', '/api/deadline-preview'),
    check: (_role, r) =>
      r.status === 200 &&
      !(typeof r.body?.reply?.workingDays === 'number' && r.body.reply.deadlineAt > r.body.from)
        ? 'no reply deadline'
        : null,
  },
  // Everyone allowed gets 200; the pending request of JTJ is listed for the all-seeing roles and JTJ's people only.
  'unit requests (pending)': {
    route: 'GET /unit-requests',
    state: 'pendingRequest',
    ok: 200,
    readOnly: true,
    call: (s) => s.call('GET', '/api/unit-requests?status=pending'),
    check: (role, r, it) => {
      if (r.status !== 200) return null;
      const listed = (r.body.items as { suggestionId: string }[]).some((x) => x.suggestionId === it.id);
      const should = !['otherUnit'].includes(role);
      return listed === should ? null : `request ${listed ? 'listed' : 'missing'}`;
    },
  },
  'admin: GET /api/admin/units': {
    ok: 200,
    call: (s) => s.call('GET', '/api/admin/units'),
    check: (_role, r) => (r.status === 200 && !Array.isArray(r.body?.items) ? 'no unit list' : null),
  },
  // The allowed call keeps a demo unit active (no change for anyone else).
  'admin: PATCH /api/admin/units/:id': {
    ok: 200,
    call: (s) => s.call('PATCH', `/api/admin/units/${demoId('unit:JTJ')}`, { active: true }),
    check: (_role, r) => (r.status === 200 && r.body?.active !== true ? 'unit not active' : null),
  },
  // The allowed call chooses the policy already in force (so nothing changes for anyone else); the row is removed in afterAll.
  'admin: PUT /api/admin/policy': {
    ok: 200,
    call: async (s) => {
      const current = (await world.as.admin.call('GET', '/api/admin/policy')).body.policyKey as string;
      const r = await s.call('PUT', '/api/admin/policy', { policyKey: current });
      if (r.status === 200 && r.body?.choiceId) policyChoices.push(String(r.body.choiceId));
      return r;
    },
    probe: async () =>
      JSON.stringify(
        await world.ds.query(
          `SELECT (SELECT count(*)::int FROM policy_choices WHERE chosen_by = ANY($1::uuid[])) AS choices,
              (SELECT count(*)::int FROM audit_log WHERE action = 'policy.choose' AND actor_user_id = ANY($1::uuid[])) AS audit`,
          [nonAdminIds()],
        ),
      ),
  },
  // Loads 2098 (a year nothing else uses, no clock runs through it): the same notice each time.
  'admin: load a calendar year': {
    ok: 200,
    call: (s) => s.call('PUT', '/api/admin/calendar/years/2098', { holidays: ['2098-01-01'] }),
    probe: async () =>
      JSON.stringify(
        await world.ds.query(
          `SELECT (SELECT count(*)::int FROM work_calendar_years WHERE loaded_by = ANY($1::uuid[])) AS years,
              (SELECT count(*)::int FROM audit_log WHERE action = 'calendar.load_year' AND actor_user_id = ANY($1::uuid[])) AS audit`,
          [nonAdminIds()],
        ),
      ),
  },
  // Notifications, preferences and points (notification.routes.ts): each caller only their own
  // notices and preferences; a deputy's points for that deputy, reviewers, supervisors and admins.
  'notifications: list own': {
    route: 'GET /notifications',
    ok: 200,
    call: (s) => s.call('GET', '/api/notifications?page=1&pageSize=5'),
    check: (_role, r) =>
      r.status === 200 && !(Array.isArray(r.body?.items) && typeof r.body?.unread === 'number')
        ? 'no { items, total, unread }'
        : null,
  },
  "notifications: mark read (lead's)": {
    route: 'POST /notifications/:id/read',
    ok: 204,
    call: async (s) => s.call('POST', `/api/notifications/${await leadNotice()}/read`),
    probe: async () =>
      JSON.stringify(
        await world.ds.query(`SELECT read_at IS NOT NULL AS read FROM notifications WHERE id = $1`, [
          await leadNotice(),
        ]),
      ),
  },
  'notifications: read all (own)': {
    route: 'POST /notifications/read-all',
    ok: 204,
    call: (s) => s.call('POST', '/api/notifications/read-all'),
  },
  'preferences: get own': {
    route: 'GET /me/preferences',
    ok: 200,
    call: (s) => s.call('GET', '/api/me/preferences'),
    check: (_role, r) => (r.status === 200 && r.body?.channels?.in_app !== true ? 'no preferences' : null),
  },
  // The allowed call writes back what the caller has, so nothing changes for other tests.
  'preferences: put own': {
    route: 'PUT /me/preferences',
    ok: 200,
    call: async (s) => {
      const current = await s.call('GET', '/api/me/preferences');
      return s.call(
        'PUT',
        '/api/me/preferences',
        current.status === 200
          ? current.body
          : { email: null, channels: { in_app: true, email: true, webhook: true }, digest: true },
      );
    },
    probe: async () =>
      JSON.stringify(
        await world.ds.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'preferences.update'`),
      ),
  },
  'points: own (deputies)': {
    route: 'GET /points/me',
    ok: 200,
    call: (s) => s.call('GET', '/api/points/me'),
  },
  "points: lead deputy's": {
    route: 'GET /deputies/:id/points',
    ok: 200,
    call: (s) => s.call('GET', `/api/deputies/${demoId('deputy:wang')}/points`),
    check: (_role, r) =>
      r.status === 200 && r.body?.deputyId !== demoId('deputy:wang') ? "another deputy's points" : null,
  },
  'points: ranking': {
    route: 'GET /points/ranking',
    ok: 200,
    call: (s) => s.call('GET', '/api/points/ranking'),
  },
  'unit robot: get (admin)': {
    route: 'GET /units/:id/webhook',
    ok: 200,
    call: (s) => s.call('GET', `/api/units/${ZJJ}/webhook`),
  },
  // Inactive, so the running notifier posts nothing to it during other tests.
  'unit robot: put (admin)': {
    route: 'PUT /units/:id/webhook',
    ok: 200,
    call: (s) =>
      s.call('PUT', `/api/units/${ZJJ}/webhook`, {
        url: 'http://127.0.0.1:9/robot/send',
        secret: 'matrix-robot-secret-0123456789',
        active: false,
      }),
    probe: async () =>
      JSON.stringify(
        await world.ds.query(`SELECT count(*)::int AS n FROM unit_webhooks WHERE unit_id = $1`, [ZJJ]),
      ),
    check: (_role, r) =>
      r.status === 200 && (r.body?.hasSecret !== true || 'secret' in (r.body ?? {}))
        ? 'secret echoed or not set'
        : null,
  },
  // The robot (inactive, on a closed port) is set first, so the admin's test answers 200 with the failure.
  'unit robot: test (admin)': {
    route: 'POST /units/:id/webhook/test',
    ok: 200,
    call: async (s) => {
      await s.call('PUT', `/api/units/${ZJJ}/webhook`, {
        url: 'http://127.0.0.1:9/robot/send',
        secret: 'matrix-robot-secret-0123456789',
        active: false,
      });
      return s.call('POST', `/api/units/${ZJJ}/webhook/test`);
    },
    probe: async () =>
      JSON.stringify(
        await world.ds.query(
          `SELECT count(*)::int AS n FROM audit_log WHERE action IN ('unit.webhook.test', 'unit.webhook.set')`,
        ),
      ),
    check: (_role, r) => (r.status === 200 && r.body?.ok !== false ? 'a closed port answered' : null),
  },
  'admin: GET /api/admin/robots': {
    route: 'GET /admin/robots',
    ok: 200,
    call: (s) => s.call('GET', '/api/admin/robots'),
    check: (_role, r) =>
      r.status === 200 && (!Array.isArray(r.body?.items) || JSON.stringify(r.body).includes('secret-'))
        ? 'no list, or a secret in it'
        : null,
  },
};

const deputyCount = async () =>
  JSON.stringify(
    await world.ds.query(
      `SELECT (SELECT count(*)::int FROM deputies) AS n, (SELECT count(*)::int FROM audit_log WHERE action LIKE 'deputy.%' AND actor_user_id = ANY($1::uuid[])) AS audit`,
      [nonAdminIds()],
    ),
  );
const get = (path: string, check?: Action['check']): Action => ({
  ok: 200,
  call: (s) => s.call('GET', path),
  check,
});
Object.assign(actions, {
  'stats by unit': {
    ...get('/api/stats?by=unit', (_role, r) =>
      r.status === 200 && !Array.isArray(r.body?.rows) ? 'no rows' : null,
    ),
    route: 'stats GET /stats',
  },
  'stats drill-down items': { ...get('/api/stats/items?by=unit'), route: 'stats GET /stats/items' },
  'supervision: overdue': { ...get('/api/supervision/overdue'), route: 'stats GET /supervision/overdue' },
  'supervision: at-risk': {
    ...get('/api/supervision/at-risk?days=5'),
    route: 'stats GET /supervision/at-risk',
  },
  'supervision: today': {
    ...get('/api/supervision/today', (_role, r) =>
      r.status === 200 && !Array.isArray(r.body?.overdue?.items) ? 'no lists' : null,
    ),
    route: 'stats GET /supervision/today',
  },
  'stats: monthly trend': {
    ...get('/api/stats/trend?months=6', (_role, r) =>
      r.status === 200 && r.body?.rows?.length !== 6 ? 'not six months' : null,
    ),
    route: 'stats GET /stats/trend',
  },
  'stats by topic': {
    ...get('/api/stats?by=topic', (_role, r) =>
      r.status === 200 && (r.body?.by !== 'topic' || !Array.isArray(r.body?.rows)) ? 'no topic rows' : null,
    ),
  },
  'export: assignment list xlsx': {
    ...get('/api/exports/assignment-list.xlsx?status=published'),
    route: 'exports GET /assignment-list.xlsx',
  },
  'export: stats xlsx': { ...get('/api/exports/stats.xlsx?by=town'), route: 'exports GET /stats.xlsx' },
  'stats: messages (一码通)': {
    ...get('/api/stats/messages', (_role, r) =>
      r.status === 200 && !Array.isArray(r.body?.byStation) ? 'no rows' : null,
    ),
    route: 'stats GET /stats/messages',
  },
  'export: message stats xlsx': {
    ...get('/api/exports/message-stats.xlsx'),
    route: 'exports GET /message-stats.xlsx',
  },
  'audit: log': {
    ...get('/api/audit?pageSize=5', (_role, r) =>
      r.status === 200 && !Array.isArray(r.body?.items) ? 'no rows' : null,
    ),
    route: 'audit GET /',
  },
  'audit: export xlsx': {
    ...get('/api/audit/export.xlsx?action=auth.login'),
    route: 'audit GET /export.xlsx',
  },
  'public: replies list': { ...get('/api/public/replies?pageSize=5'), route: 'public GET /replies' },
  'public: reply detail (published)': {
    route: 'public GET /replies/:id',
    state: 'followUp',
    ok: 200,
    readOnly: true,
    call: (s: ApiSession, it: Item) => s.call('GET', `/api/public/replies/${it.id}`),
  },
  'public: facets': { ...get('/api/public/facets'), route: 'public GET /facets' },
  'admin: GET /api/admin/deputies': { ...get('/api/admin/deputies'), route: 'deputies GET /' },
  'admin: deputy delegations': {
    ...get('/api/admin/deputies/delegations', (_role, r) =>
      r.status === 200 &&
      !(r.body.items as { delegation: string }[]).some((d) => d.delegation === '溧城代表团')
        ? 'the demo delegation is missing'
        : null,
    ),
    route: 'deputies GET /delegations',
  },
  'admin: POST /api/admin/deputies': {
    route: 'deputies POST /',
    ok: 201,
    probe: deputyCount,
    call: async (s: ApiSession) => {
      const r = await s.call('POST', '/api/admin/deputies', {
        name: `测试代表${world.tag}`,
        town: '测试镇',
        delegation: '测试代表团',
      });
      if (r.status === 201) createdDeputies.push(String(r.body.id));
      return r;
    },
  },
  'admin: PATCH /api/admin/deputies': {
    route: 'deputies PATCH /:id',
    ok: 200,
    probe: async () =>
      JSON.stringify(
        await world.ds.query(`SELECT delegation FROM deputies WHERE id = $1`, [demoId('deputy:chen')]),
      ) + (await deputyCount()),
    // The allowed call writes the value the seed gave, so the demo deputy stays as it was.
    call: (s: ApiSession) =>
      s.call('PATCH', `/api/admin/deputies/${demoId('deputy:chen')}`, { delegation: '别桥代表团' }),
  },
  'admin: GET /api/admin/sessions': { ...get('/api/admin/sessions'), route: 'sessions GET /' },
  'admin: POST /api/admin/sessions': {
    route: 'sessions POST /',
    ok: 201,
    probe: sessionRows,
    call: async (s: ApiSession) => {
      const r = await s.call('POST', '/api/admin/sessions', nextTestSession());
      if (r.status === 201) createdSessions.push(String(r.body.id));
      return r;
    },
  },
  'admin: PATCH /api/admin/sessions': {
    route: 'sessions PATCH /:id',
    ok: 200,
    probe: sessionRows,
    // The allowed call writes the name the seed gave, so the demo session stays as it was.
    call: (s: ApiSession) =>
      s.call('PATCH', `/api/admin/sessions/${demoId('congress-session:17-5')}`, {
        name: '第十七届人民代表大会第五次会议',
      }),
  },
  'admin: DELETE /api/admin/sessions': {
    route: 'sessions DELETE /:id',
    ok: 204,
    probe: sessionRows,
    // Each call deletes a session the admin has just added (refused calls leave it: removed in afterAll).
    call: async (s: ApiSession) => {
      const made = await world.as.admin.call('POST', '/api/admin/sessions', nextTestSession());
      createdSessions.push(String(made.body.id));
      return s.call('DELETE', `/api/admin/sessions/${String(made.body.id)}`);
    },
  },
} satisfies Record<string, Action>);
// ---- 一码通: messages to the demo 溧城 station (deputies 王建国 = leadDeputy, 陈丽华; staff lc.staff) ----
const STATION_CODE = 'CZ3K7M';
const createdStations: string[] = [];
const fromAddress = () =>
  `198.51.100.${1 + Math.floor(Math.random() * 250)}, 10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
interface Msg {
  id: string;
  code: string;
}
/** A fresh message at the station, taken as far as `to` by 王建国 (the lead deputy's account). */
async function newMessage(to: 'pending' | 'claimed' | 'answered'): Promise<Msg> {
  const r = await world.as.anonymous.call(
    'POST',
    `/api/intake/targets/${STATION_CODE}/messages`,
    { category: 'transport', content: `公交站台缺少遮雨棚,希望加装 ${world.tag}`, consent: true },
    { 'X-Forwarded-For': fromAddress() },
  );
  if (r.status !== 201) throw new Error(`message: ${r.status} ${JSON.stringify(r.body)}`);
  const code = String(r.body.trackingCode);
  const rows: { id: string }[] = await world.ds.query(`SELECT id FROM messages WHERE tracking_code = $1`, [
    code,
  ]);
  const id = rows[0]!.id;
  const lead = world.as.leadDeputy;
  // The workflow writes message.received first; a claim before it answers 409 (or 404 before the start).
  await waitFor('received', async () => {
    const n: { n: number }[] = await world.ds.query(
      `SELECT count(*)::int AS n FROM outbox WHERE aggregate_id = $1 AND type = 'message.received'`,
      [id],
    );
    return n[0]!.n === 1;
  });
  if (to !== 'pending') {
    const c = await lead.call('POST', `/api/messages/${id}/claim`);
    if (c.status !== 200) throw new Error(`claim: ${c.status} ${JSON.stringify(c.body)}`);
  }
  if (to === 'answered') {
    const a = await lead.call('POST', `/api/messages/${id}/answer`, {
      answer: '已联系公交公司,本月内加装。',
    });
    if (a.status !== 200) throw new Error(`answer: ${a.status} ${JSON.stringify(a.body)}`);
  }
  return { id, code };
}
const sharedMessages = new Map<string, Promise<Msg>>();
let linkDraft: Promise<{ id: string }> | null = null;
const linkSuggestion = () => (linkDraft ??= world.draft());
const messageFor = (action: string, to: 'pending' | 'claimed' | 'answered') => {
  let p = sharedMessages.get(action);
  if (!p) {
    p = newMessage(to);
    sharedMessages.set(action, p);
  }
  return p;
};
/** What a refused step must not change: status, outbox and audit rows of the message. */
const messageProbe = (action: string, to: 'pending' | 'claimed' | 'answered') => async () => {
  const m = await messageFor(action, to);
  return JSON.stringify(
    await world.ds.query(
      `SELECT status, (SELECT count(*)::int FROM outbox WHERE aggregate_id = $1::uuid) AS outbox,
              (SELECT count(*)::int FROM audit_log WHERE entity_id = $1::text AND action <> 'access.refused') AS audit
       FROM messages WHERE id = $1`,
      [m.id],
    ),
  );
};
const messageStep = (name: string, to: 'pending' | 'claimed', step: string, body?: unknown): Action => ({
  route: `messages POST /:id/${step}`,
  ok: 200,
  probe: messageProbe(name, to),
  call: async (s: ApiSession) =>
    s.call('POST', `/api/messages/${(await messageFor(name, to)).id}/${step}`, body),
});
const stationRows = async () =>
  JSON.stringify(
    await world.ds.query(
      `SELECT (SELECT count(*)::int FROM stations) AS stations, (SELECT count(*)::int FROM station_duties) AS duties,
              (SELECT name FROM stations WHERE id = $1) AS name`,
      [demoId('station:lc')],
    ),
  );
Object.assign(actions, {
  'intake: target': { ...get(`/api/intake/targets/${STATION_CODE}`), route: 'intake GET /targets/:code' },
  'intake: QR code': {
    ...get(`/api/intake/targets/${STATION_CODE}/qr.svg`),
    route: 'intake GET /targets/:code/qr.svg',
  },
  'intake: write a message': {
    route: 'intake POST /targets/:code/messages',
    ok: 201,
    call: (s: ApiSession) =>
      s.call(
        'POST',
        `/api/intake/targets/${STATION_CODE}/messages`,
        { category: 'other', content: `测试留言内容 ${world.tag}`, consent: false },
        { 'X-Forwarded-For': fromAddress() },
      ),
    check: (_role: RoleKey, r: Res) =>
      r.status === 201 && !/^[2-9A-Z]{10}$/.test(String(r.body?.trackingCode)) ? 'no tracking code' : null,
  },
  'intake: track': {
    route: 'intake GET /track/:code',
    ok: 200,
    call: async (s: ApiSession) =>
      s.call('GET', `/api/intake/track/${(await messageFor('track', 'pending')).code}`),
  },
  'intake: rate (answered)': {
    route: 'intake POST /track/:code/rating',
    ok: 200,
    // Whoever holds the tracking code rates (no account): each call rates a message of its own.
    call: async (s: ApiSession) =>
      s.call('POST', `/api/intake/track/${(await newMessage('answered')).code}/rating`, {
        rating: 'satisfied',
      }),
  },
  'messages: list': { ...get('/api/messages?limit=5'), route: 'messages GET /' },
  'messages: my stations': { ...get('/api/messages/my-stations'), route: 'messages GET /my-stations' },
  'messages: offline (线下反馈)': {
    route: 'messages POST /offline',
    ok: 201,
    probe: async () =>
      JSON.stringify(
        await world.ds.query(`SELECT count(*)::int AS n FROM messages WHERE channel = 'offline'`),
      ),
    call: (s: ApiSession) =>
      s.call('POST', '/api/messages/offline', {
        category: 'other',
        content: '群众来站反映的问题(测试)',
        consent: false,
        stationId: demoId('station:lc'),
      }),
  },
  'messages: get (pending)': {
    route: 'messages GET /:id',
    ok: 200,
    call: async (s: ApiSession) => s.call('GET', `/api/messages/${(await messageFor('get', 'pending')).id}`),
    check: (_role: RoleKey, r: Res) =>
      r.status === 200 && r.body?.allowedActions === undefined ? 'no allowedActions' : null,
  },
  'messages: similar (pending)': {
    route: 'messages GET /:id/similar',
    ok: 200,
    call: async (s: ApiSession) =>
      s.call('GET', `/api/messages/${(await messageFor('get', 'pending')).id}/similar`),
    check: (_role: RoleKey, r: Res) =>
      r.status === 200 && typeof r.body?.canMerge !== 'boolean' ? 'no canMerge' : null,
  },
  'messages: claim (pending)': messageStep('claim', 'pending', 'claim'),
  'messages: answer (claimed)': messageStep('answer', 'claimed', 'answer', {
    answer: '已与社区沟通,下周加装。',
  }),
  'messages: forward (claimed)': messageStep('forward', 'claimed', 'forward', {
    unitId: JTJ,
    note: '请核实',
  }),
  'messages: convert (claimed)': messageStep('convert', 'claimed', 'convert', {
    title: '关于完善公交站台遮雨设施的建议',
  }),
  'messages: link targets': { ...get('/api/messages/link-targets'), route: 'messages GET /link-targets' },
  'messages: link (claimed)': {
    ...messageStep('link', 'claimed', 'link'),
    // Joins a draft the lead deputy (王建国) leads; made once, before any call.
    call: async (s: ApiSession) =>
      s.call('POST', `/api/messages/${(await messageFor('link', 'claimed')).id}/link`, {
        suggestionId: (await linkSuggestion()).id,
      }),
  },
  'messages: merge (pending)': {
    ...messageStep('merge', 'pending', 'merge'),
    call: async (s: ApiSession) =>
      s.call('POST', `/api/messages/${(await messageFor('merge', 'pending')).id}/merge`, {
        intoMessageId: (await messageFor('merge-into', 'pending')).id,
        reason: '同一站台',
      }),
  },
  'stations: list': { ...get('/api/admin/stations'), route: 'stations GET /' },
  'stations: create': {
    route: 'stations POST /',
    ok: 201,
    probe: stationRows,
    call: async (s: ApiSession) => {
      const r = await s.call('POST', '/api/admin/stations', {
        name: `测试联络点${world.tag}`,
        kind: 'point',
        town: '测试镇',
      });
      if (r.status === 201) createdStations.push(String(r.body.id));
      return r;
    },
  },
  'stations: get': { ...get(`/api/admin/stations/${demoId('station:lc')}`), route: 'stations GET /:id' },
  'stations: edit': {
    route: 'stations PATCH /:id',
    ok: 200,
    probe: stationRows,
    // The allowed call writes the name the seed gave.
    call: (s: ApiSession) =>
      s.call('PATCH', `/api/admin/stations/${demoId('station:lc')}`, { name: '溧城街道人大代表联络站' }),
  },
  'stations: duty roster': {
    route: 'stations PUT /:id/duties',
    ok: 200,
    probe: stationRows,
    call: (s: ApiSession) =>
      s.call('PUT', `/api/admin/stations/${demoId('station:lc')}/duties`, { duties: [] }),
  },
  'stations: deputy codes': {
    ...get('/api/admin/stations/deputy-codes'),
    route: 'stations GET /deputy-codes',
  },
} satisfies Record<string, Action>);

// ---- Open311: one client of the demo 溧城 station, registered once by the admin ----
let open311Client: Promise<{ id: string; apiKey: string }> | null = null;
const registeredClient = () =>
  (open311Client ??= world.as.admin
    .call('POST', '/api/admin/open311/clients', {
      name: `矩阵测试客户端${world.tag}`,
      stationId: demoId('station:lc'),
    })
    .then((r) => {
      if (r.status !== 201) throw new Error(`open311 client: ${r.status} ${JSON.stringify(r.body)}`);
      return { id: String(r.body.id), apiKey: String(r.body.apiKey) };
    }));
let open311Request: Promise<string> | null = null;
const postOpen311 = (s: ApiSession) =>
  registeredClient().then((c) =>
    s.call(
      'POST',
      '/api/open311/v2/requests.json',
      {
        api_key: c.apiKey,
        service_code: 'transport',
        description: `路口信号灯时间太短，老人过马路来不及 ${world.tag}`,
        device_id: `matrix-${randomUUID()}`,
      },
      { 'X-Forwarded-For': fromAddress() },
    ),
  );
const anOpen311Request = () =>
  (open311Request ??= postOpen311(world.as.anonymous).then((r) => {
    if (r.status !== 201) throw new Error(`open311 request: ${r.status} ${JSON.stringify(r.body)}`);
    return String((r.body as { service_request_id: string }[])[0]!.service_request_id);
  }));
const open311Clients = async () =>
  JSON.stringify(await world.ds.query(`SELECT id, name, active, key_hash FROM open311_clients ORDER BY id`));
Object.assign(actions, {
  'open311: services': { ...get('/api/open311/v2/services.json'), route: 'open311 GET /services.:format' },
  'open311: service definition': {
    ...get('/api/open311/v2/services/transport.xml'),
    route: 'open311 GET /services/:service_code.:format',
  },
  'open311: post a request (api_key)': {
    route: 'open311 POST /requests.:format',
    ok: 201,
    call: (s: ApiSession) => postOpen311(s),
  },
  'open311: requests': { ...get('/api/open311/v2/requests.json'), route: 'open311 GET /requests.:format' },
  'open311: one request': {
    route: 'open311 GET /requests/:service_request_id.:format',
    ok: 200,
    call: async (s: ApiSession) => s.call('GET', `/api/open311/v2/requests/${await anOpen311Request()}.json`),
  },
  'open311 clients: list': { ...get('/api/admin/open311/clients'), route: 'open311clients GET /' },
  'open311 clients: register': {
    route: 'open311clients POST /',
    ok: 201,
    probe: open311Clients,
    call: (s: ApiSession) =>
      s.call('POST', '/api/admin/open311/clients', {
        name: `矩阵测试登记${world.tag}`,
        stationId: demoId('station:lc'),
      }),
  },
  'open311 clients: edit': {
    route: 'open311clients PATCH /:id',
    ok: 200,
    // The client exists before the first probe (the first call would otherwise register it).
    probe: async () => (await registeredClient(), open311Clients()),
    call: async (s: ApiSession) =>
      s.call('PATCH', `/api/admin/open311/clients/${(await registeredClient()).id}`, { active: true }),
  },
} satisfies Record<string, Action>);

let leadNoticeId: Promise<string> | undefined;
/** One in-app notice of the lead deputy (made once), for the mark-read row. */
function leadNotice(): Promise<string> {
  leadNoticeId ??= world.ds
    .query(
      `INSERT INTO notifications (event_id, user_id, channel, event_type, title, body) VALUES ($1, $2, 'in_app', 'suggestion.accepted', '建议已立案', '测试通知') RETURNING id::text AS id`,
      [randomUUID(), userId('leadDeputy')],
    )
    .then((rows: { id: string }[]) => rows[0]!.id);
  return leadNoticeId;
}

function sameItem(r: Res, it: Item): string | null {
  return r.status === 200 && r.body?.id !== it.id ? `answered another item ${String(r.body?.id)}` : null;
}

interface Mismatch {
  role: RoleKey;
  expected: string;
  got: string;
}

const short = (r: Res) =>
  `${r.status}${r.status >= 400 ? ` ${String(r.body?.detail ?? r.body?.title ?? '')}` : ''}`.slice(0, 120);
const who = (role: RoleKey) => (role === 'anonymous' ? '(no session)' : usernames[role]);

function table(name: string, state: string, rows: Mismatch[]): string {
  const lines = rows.map((m) => `| ${m.role} | ${who(m.role)} | ${m.expected} | ${m.got} |`);
  return [
    `authorization mismatches for "${name}" (item state: ${state}):`,
    '| role | user | expected | got |',
    '|---|---|---|---|',
    ...lines,
  ].join('\n');
}

async function runAction(name: keyof typeof matrix): Promise<void> {
  const spec = actions[name]!;
  const row = matrix[name]!;
  const expected = (role: RoleKey) => row[roleKeys.indexOf(role)]!;
  const allowed = roleKeys.filter((r) => expected(r) === OK);
  const refused = roleKeys.filter((r) => expected(r) !== OK);

  // Items: one for the refusals (reused by the first allowed role), plus one per further allowed role
  // unless the action is read-only or repeatable. Built in parallel.
  const needed = !spec.state ? 0 : spec.readOnly || spec.repeatable ? 1 : Math.max(1, allowed.length);
  const items: Item[] =
    spec.readOnly && spec.state
      ? [await world.sharedItem(spec.state)]
      : await Promise.all(Array.from({ length: needed }, () => world.make(spec.state!)));
  const noItem = { id: '', token: '', state: 'draft' } as Item;
  const main = items[0] ?? noItem;
  const probe = (it: Item) =>
    spec.probe ? spec.probe() : spec.state ? world.snapshot(it) : Promise.resolve('(no state)');

  const mismatches: Mismatch[] = [];
  /** Compares one answer's status with the matrix, minding the known bugs; true when as the matrix says. */
  const judge = (role: RoleKey, r: Res, want: number, label: string): boolean => {
    const bug = knownBugs[name]?.[role];
    if (r.status === want) {
      if (bug)
        mismatches.push({
          role,
          expected: `known bug (${bug.got}) still present`,
          got: `${short(r)}: fixed? remove its knownBugs entry`,
        });
      return true;
    }
    if (bug && r.status === bug.got)
      console.warn(`KNOWN BUG ${name} × ${role}: expected ${label}, got ${short(r)}; ${bug.why}`);
    else mismatches.push({ role, expected: label, got: short(r) });
    return false;
  };
  let before = await probe(main);
  for (const role of refused) {
    const r = await spec.call(world.as[role], main);
    judge(role, r, expected(role) as number, String(expected(role)));
    const extra = spec.check?.(role, r, main);
    if (extra) mismatches.push({ role, expected: 'check', got: extra });
    const after = await probe(main);
    if (after !== before) mismatches.push({ role, expected: `unchanged (${before})`, got: after });
    before = after;
  }
  for (const [i, role] of allowed.entries()) {
    const it = items[spec.readOnly || spec.repeatable ? 0 : i] ?? noItem;
    const traceBefore = spec.state && !spec.readOnly ? await world.snapshot(it) : '';
    const r = await spec.call(world.as[role], it);
    const allowedAsExpected = judge(role, r, spec.ok, `${spec.ok} (allowed)`);
    const extra = spec.check?.(role, r, it);
    if (extra) mismatches.push({ role, expected: 'check', got: extra });
    if (allowedAsExpected && spec.state && !spec.readOnly) {
      // An allowed step leaves a trace (some steps finish in the workflow just after the answer).
      const changed = await waitUntil(async () => (await world.snapshot(it)) !== traceBefore, 10_000);
      if (!changed)
        mismatches.push({
          role,
          expected: 'a new outbox/audit row',
          got: `nothing changed (${traceBefore})`,
        });
    }
  }
  if (mismatches.length) throw new Error(table(name, spec.state ?? 'none', mismatches));
  expect(mismatches).toEqual([]);
}

async function waitUntil(fn: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (await fn()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ---- 附件 ----
/** A small JPEG no other call sends (a new colour each time), so no upload is taken for a retry of another. */
let photoNo = 0;
const freshPhoto = async () => {
  photoNo += 1;
  return sharp({
    create: {
      width: 32,
      height: 24,
      channels: 3,
      background: { r: photoNo % 256, g: (photoNo * 7) % 256, b: 99 },
    },
  })
    .jpeg()
    .toBuffer();
};
const uploadAs = async (s: ApiSession, path: string) =>
  s.upload(path, { name: '现场照片.jpg', bytes: await freshPhoto() }, { 'Idempotency-Key': randomUUID() });
/** The contact or reply (draft) of JTJ on a drafted item. */
const recordOf = async (it: Item, table: 'contacts' | 'replies'): Promise<string> => {
  const rows: { id: string }[] = await world.ds.query(
    `SELECT id FROM ${table} WHERE suggestion_id = $1 AND unit_id = $2 ORDER BY created_at LIMIT 1`,
    [it.id, JTJ],
  );
  return rows[0]!.id;
};
/** Files on the shared drafted item, uploaded once by JTJ: a photo on its contact, a scan on its reply draft. */
let sharedFiles: Promise<{ contactPhoto: string; replyScan: string }> | null = null;
const filesOnDrafted = () =>
  (sharedFiles ??= (async () => {
    const it = await world.sharedItem('drafted');
    const h = world.as.unitHandler;
    const c = await uploadAs(h, `${sid(it)}/contacts/${await recordOf(it, 'contacts')}/attachments`);
    const r = await uploadAs(h, `${sid(it)}/replies/${await recordOf(it, 'replies')}/attachments`);
    if (c.status !== 201 || r.status !== 201) throw new Error(`attachments: ${c.status} ${r.status}`);
    return { contactPhoto: String(c.body.id), replyScan: String(r.body.id) };
  })());
const draftFiles = new Map<string, Promise<string>>();
/** What a refused download must not do: be audited as a download. */
const downloadAudits = async () =>
  JSON.stringify(
    await world.ds.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'attachment.download'`),
  );
const fileCheck = (_role: RoleKey, r: Res) =>
  r.status === 200 && !String(r.headers.get('content-type')).startsWith('image/') ? 'not the image' : null;
Object.assign(actions, {
  'attachments: to draft (draft)': {
    route: 'attachments POST /suggestions/:id/attachments',
    state: 'draft',
    ok: 201,
    call: (s: ApiSession, it: Item) => uploadAs(s, `${sid(it)}/attachments`),
  },
  'attachments: to contact (drafted)': {
    route: 'attachments POST /suggestions/:id/contacts/:contactId/attachments',
    state: 'drafted',
    ok: 201,
    repeatable: true,
    call: async (s: ApiSession, it: Item) =>
      uploadAs(s, `${sid(it)}/contacts/${await recordOf(it, 'contacts')}/attachments`),
  },
  'attachments: to reply (drafted)': {
    route: 'attachments POST /suggestions/:id/replies/:replyId/attachments',
    state: 'drafted',
    ok: 201,
    repeatable: true,
    call: async (s: ApiSession, it: Item) =>
      uploadAs(s, `${sid(it)}/replies/${await recordOf(it, 'replies')}/attachments`),
  },
  'attachments: list (drafted)': {
    route: 'attachments GET /suggestions/:id/attachments',
    state: 'drafted',
    ok: 200,
    readOnly: true,
    // The files are put on the shared item before the first call (their upload is not a read's change).
    probe: async () => {
      await filesOnDrafted();
      return world.snapshot(await world.sharedItem('drafted'));
    },
    call: async (s: ApiSession, it: Item) => {
      const files = await filesOnDrafted();
      const r = await s.call('GET', `${sid(it)}/attachments`);
      // The reply draft's scan is listed for its unit and the overseers only.
      if (r.status === 200) {
        const ids = (r.body.items as { id: string }[]).map((a) => a.id);
        const scan = ids.includes(files.replyScan);
        const mayScan = matrix['attachments: reply draft scan']![roleKeys.indexOf(roleOf(s))] === OK;
        if (!ids.includes(files.contactPhoto) || scan !== mayScan)
          return { status: 599, body: { ids }, headers: r.headers } as Res;
      }
      return r;
    },
  },
  'attachments: contact photo': {
    route: 'attachments GET /attachments/:id',
    ok: 200,
    probe: downloadAudits,
    call: async (s: ApiSession) => s.call('GET', `/api/attachments/${(await filesOnDrafted()).contactPhoto}`),
    check: fileCheck,
  },
  'attachments: contact thumbnail': {
    route: 'attachments GET /attachments/:id/thumbnail',
    ok: 200,
    probe: downloadAudits,
    call: async (s: ApiSession) =>
      s.call('GET', `/api/attachments/${(await filesOnDrafted()).contactPhoto}/thumbnail`),
    check: fileCheck,
  },
  'attachments: reply draft scan': {
    ok: 200,
    probe: downloadAudits,
    call: async (s: ApiSession) => s.call('GET', `/api/attachments/${(await filesOnDrafted()).replyScan}`),
    check: fileCheck,
  },
  'attachments: delete (draft)': {
    route: 'attachments DELETE /attachments/:id',
    state: 'draft',
    ok: 204,
    // The lead deputy's file on the draft (uploaded once per item); refusals delete nothing.
    probe: async () =>
      JSON.stringify(
        await world.ds.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'attachment.delete'`),
      ),
    call: async (s: ApiSession, it: Item) => {
      if (!draftFiles.has(it.id))
        draftFiles.set(
          it.id,
          uploadAs(world.as.leadDeputy, `${sid(it)}/attachments`).then((r) => String(r.body.id)),
        );
      return s.call('DELETE', `/api/attachments/${await draftFiles.get(it.id)!}`);
    },
  },
  'intake: add a photo (pending)': {
    route: 'intake POST /track/:code/photos',
    ok: 201,
    // Whoever holds the tracking code adds photos (no account): each call to a message of its own.
    call: async (s: ApiSession) =>
      s.upload(
        `/api/intake/track/${(await newMessage('pending')).code}/photos`,
        { name: 'IMG_0001.jpg', bytes: await freshPhoto() },
        { 'X-Forwarded-For': fromAddress() },
      ),
  },
  'messages: photos (pending)': {
    route: 'attachments GET /messages/:id/attachments',
    ok: 200,
    call: async (s: ApiSession) =>
      s.call('GET', `/api/messages/${(await messageFor('photos', 'pending')).id}/attachments`),
  },
} satisfies Record<string, Action>);
/** A units workbook with one new unit (a code no other call uses). */
let importNo = 0;
const unitsWorkbook = async () => {
  importNo += 1;
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('units');
  ws.addRow(['单位编码', '单位名称', '职责']);
  ws.addRow([`AZ${world.tag}${importNo}`, `测试单位${world.tag}${importNo}`, '测试职责']);
  return Buffer.from(await wb.xlsx.writeBuffer());
};
const unitCount = async () => JSON.stringify(await world.ds.query(`SELECT count(*)::int AS n FROM units`));
Object.assign(actions, {
  'import: template': {
    ...get('/api/admin/import/units/template.xlsx'),
    route: 'import GET /:kind/template.xlsx',
  },
  'import: validate': {
    route: 'import POST /:kind/validate',
    ok: 200,
    probe: unitCount,
    call: async (s: ApiSession) =>
      s.upload('/api/admin/import/units/validate', { name: 'u.xlsx', bytes: await unitsWorkbook() }),
  },
  'import: apply': {
    route: 'import POST /:kind/apply',
    ok: 200,
    probe: unitCount,
    call: async (s: ApiSession) =>
      s.upload('/api/admin/import/units/apply', { name: 'u.xlsx', bytes: await unitsWorkbook() }),
  },
} satisfies Record<string, Action>);
const xlsxCheck = (_role: RoleKey, r: Res) =>
  r.status === 200 && !String(r.headers.get('content-type')).includes('spreadsheetml')
    ? 'not a workbook'
    : null;
Object.assign(actions, {
  'export: suggestions xlsx': {
    ...get('/api/exports/suggestions.xlsx?status=assigned', xlsxCheck),
    route: 'exports GET /suggestions.xlsx',
  },
  'export: supervision xlsx': {
    ...get('/api/exports/supervision.xlsx?list=at-risk&days=5', xlsxCheck),
    route: 'exports GET /supervision.xlsx',
  },
  'export: unit inbox xlsx': {
    ...get('/api/exports/unit-inbox.xlsx?state=open&sort=deadlineAt', xlsxCheck),
    route: 'exports GET /unit-inbox.xlsx',
  },
  'export: messages xlsx': {
    ...get('/api/exports/messages.xlsx?status=pending_claim', xlsxCheck),
    route: 'exports GET /messages.xlsx',
  },
  'export: exchange json': {
    route: 'exports GET /items.json',
    ok: 200,
    call: (s: ApiSession) => s.call('GET', `/api/exports/items.json?status=assigned&q=${world.tag}`),
    check: (_role: RoleKey, r: Res) =>
      r.status === 200 && r.body?.format !== 'jianyi-exchange' ? 'not the exchange document' : null,
  },
} satisfies Record<string, Action>);
// ---- 家站点履职 ----
const WANG_ID = demoId('deputy:wang');
const chinaDay = (offset: number) =>
  new Date(Date.now() + 8 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);
/** A random code of the readable alphabet (tracking and QR codes). */
const readableCode = (n: number) =>
  Array.from(randomBytes(n), (b) => '23456789ABCDEFGHJKMNPQRSTVWXYZ'[b % 30]).join('');
let recordStation: Promise<{ id: string; code: string; dutyId: string }> | undefined;
let freeDay = 0;
/** The matrix's own station (made once): 王建国 attached, lc.staff its staff, 王建国 on duty today and the next 60 days. */
function matrixStation() {
  recordStation ??= (async () => {
    const id = randomUUID();
    const code = readableCode(6);
    await world.ds.query(
      `INSERT INTO stations (id, code, name, kind, town) VALUES ($1, $2, $3, 'point', '测试镇')`,
      [id, code, `矩阵测试联络点${world.tag}`],
    );
    createdStations.push(id);
    await world.ds.query(`INSERT INTO station_deputies (station_id, deputy_id) VALUES ($1, $2)`, [
      id,
      WANG_ID,
    ]);
    await world.ds.query(`INSERT INTO station_staff (station_id, user_id) VALUES ($1, $2)`, [
      id,
      demoId('user:lc.staff'),
    ]);
    const days = Array.from({ length: 61 }, (_, i) => chinaDay(i));
    const duties: { id: string }[] = await world.ds.query(
      `INSERT INTO station_duties (id, station_id, deputy_id, day, slot)
       SELECT gen_random_uuid(), $1, $2, d::date, 'am' FROM unnest($3::text[]) d ORDER BY d RETURNING id`,
      [id, WANG_ID, days],
    );
    return { id, code, dutyId: duties[0]!.id };
  })();
  return recordStation;
}
/** A free duty day of the matrix station (a new one for every call). */
const nextFreeDay = () => chinaDay(20 + (freeDay++ % 41));
/**
 * A day and slot on which 王建国 has no live appointment (other tests book him too, and one live
 * appointment per deputy, day and slot is the rule): the next free day's morning, or a slot today.
 * Days from the 20th on and 全天 first today: the stations' records test books his mornings and
 * afternoons of the next days, and the matrix's appointments stay booked.
 */
async function freeSlot(today = false): Promise<{ day: string; slot: string }> {
  for (let i = 0; i < 60; i++) {
    const day = today ? chinaDay(0) : nextFreeDay();
    for (const slot of today ? ['day', 'pm', 'am'] : ['am']) {
      const taken: unknown[] = await world.ds.query(
        `SELECT 1 FROM appointments WHERE deputy_id = $1 AND day = $2 AND slot = $3 AND status IN ('requested', 'confirmed')`,
        [WANG_ID, day, slot],
      );
      if (!taken.length) return { day, slot };
    }
    if (today) break;
  }
  throw new Error('no free slot of 王建国 for the matrix');
}
const sharedAppointments = new Map<string, Promise<{ id: string; trackingCode: string }>>();
/** An appointment of 王建国 at the matrix station in the given status (made once per action). */
function appointmentFor(action: string, status: 'requested' | 'confirmed') {
  let p = sharedAppointments.get(action);
  if (!p) {
    p = (async () => {
      const st = await matrixStation();
      const id = randomUUID();
      const trackingCode = readableCode(10);
      const at = await freeSlot(status === 'confirmed');
      await world.ds.query(
        `INSERT INTO appointments (id, tracking_code, station_id, deputy_id, day, slot, topic, phone, status)
         VALUES ($1, $2, $3, $4, $5, $6, '矩阵测试约见事由', '13900000000', $7)`,
        [id, trackingCode, st.id, WANG_ID, at.day, at.slot, status],
      );
      return { id, trackingCode };
    })();
    sharedAppointments.set(action, p);
  }
  return p;
}
const appointmentProbe = (action: string, status: 'requested' | 'confirmed') => async () => {
  const a = await appointmentFor(action, status);
  return JSON.stringify(
    await world.ds.query(
      `SELECT status, (SELECT count(*)::int FROM outbox WHERE aggregate_id = $1::uuid) AS outbox FROM appointments WHERE id = $1`,
      [a.id],
    ),
  );
};
const recordRows = async () =>
  JSON.stringify(
    await world.ds.query(
      `SELECT (SELECT count(*)::int FROM appointments) AS appointments, (SELECT count(*)::int FROM station_activities) AS activities,
              (SELECT count(*)::int FROM training_sessions) AS trainings, (SELECT count(*)::int FROM training_attendance) AS attendance,
              (SELECT count(*)::int FROM station_duties WHERE served IS NOT NULL) AS served`,
    ),
  );
let matrixTraining: Promise<string> | undefined;
const trainingId = () =>
  (matrixTraining ??= world.ds
    .query(
      `INSERT INTO training_sessions (id, title, day, created_by) VALUES (gen_random_uuid(), $1, $2, $3) RETURNING id`,
      [`矩阵测试讲堂${world.tag}`, chinaDay(0), demoId('user:reviewer')],
    )
    .then((r: { id: string }[]) => r[0]!.id));
let trainingNo = 0;
Object.assign(actions, {
  'intake: appointment slots': {
    route: 'intake GET /targets/:code/slots',
    ok: 200,
    call: async (s: ApiSession) =>
      s.call('GET', `/api/intake/targets/${(await matrixStation()).code}/slots`, undefined, {
        'X-Forwarded-For': fromAddress(),
      }),
  },
  'intake: book an appointment': {
    route: 'intake POST /targets/:code/appointments',
    ok: 201,
    call: async (s: ApiSession) =>
      s.call(
        'POST',
        `/api/intake/targets/${(await matrixStation()).code}/appointments`,
        {
          deputyId: WANG_ID,
          ...(await freeSlot()),
          topic: `矩阵测试约见 ${world.tag}`,
          phone: `137${String(randomBytes(4).readUInt32BE() % 1e8).padStart(8, '0')}`,
        },
        { 'X-Forwarded-For': fromAddress() },
      ),
  },
  'intake: track an appointment': {
    route: 'intake GET /appointments/:code',
    ok: 200,
    call: async (s: ApiSession) =>
      s.call(
        'GET',
        `/api/intake/appointments/${(await appointmentFor('track', 'requested')).trackingCode}`,
        undefined,
        { 'X-Forwarded-For': fromAddress() },
      ),
    check: (_role: RoleKey, r: Res) =>
      JSON.stringify(r.body ?? '').includes('13900000000') ? 'the phone leaked' : null,
  },
  'appointments: list': { ...get('/api/appointments'), route: 'appointments GET /' },
  'appointments: book for (staff)': {
    route: 'appointments POST /',
    ok: 201,
    probe: recordRows,
    call: async (s: ApiSession) =>
      s.call('POST', '/api/appointments', {
        stationId: (await matrixStation()).id,
        deputyId: WANG_ID,
        ...(await freeSlot()),
        topic: '矩阵测试代为预约',
        phone: '13900000001',
      }),
  },
  'appointments: get (requested)': {
    route: 'appointments GET /:id',
    ok: 200,
    call: async (s: ApiSession) =>
      s.call('GET', `/api/appointments/${(await appointmentFor('get', 'requested')).id}`),
    check: (role: RoleKey, r: Res) =>
      r.status === 200 && role !== 'leadDeputy' && r.body?.phone !== null
        ? 'an overseer reads the phone'
        : null,
  },
  'appointments: confirm (requested)': {
    route: 'appointments POST /:id/confirm',
    ok: 200,
    probe: appointmentProbe('confirm', 'requested'),
    call: async (s: ApiSession) =>
      s.call('POST', `/api/appointments/${(await appointmentFor('confirm', 'requested')).id}/confirm`),
  },
  'appointments: decline (requested)': {
    route: 'appointments POST /:id/decline',
    ok: 200,
    probe: appointmentProbe('decline', 'requested'),
    call: async (s: ApiSession) =>
      s.call('POST', `/api/appointments/${(await appointmentFor('decline', 'requested')).id}/decline`, {
        reason: '矩阵测试婉拒',
      }),
  },
  'appointments: attendance (confirmed)': {
    route: 'appointments POST /:id/attendance',
    ok: 200,
    probe: appointmentProbe('attendance', 'confirmed'),
    call: async (s: ApiSession) =>
      s.call('POST', `/api/appointments/${(await appointmentFor('attendance', 'confirmed')).id}/attendance`, {
        held: true,
      }),
  },
  'stations: day desk': {
    route: 'desk GET /:id/day',
    ok: 200,
    call: async (s: ApiSession) => s.call('GET', `/api/stations/${(await matrixStation()).id}/day`),
  },
  'stations: duty served': {
    route: 'desk POST /:id/duties/:dutyId/attendance',
    ok: 200,
    probe: recordRows,
    call: async (s: ApiSession) => {
      const st = await matrixStation();
      return s.call('POST', `/api/stations/${st.id}/duties/${st.dutyId}/attendance`, { served: true });
    },
  },
  'activities: list': { ...get('/api/activities'), route: 'activities GET /' },
  'activities: record': {
    route: 'activities POST /',
    ok: 201,
    probe: recordRows,
    call: async (s: ApiSession) =>
      s.call(
        'POST',
        '/api/activities',
        {
          stationId: (await matrixStation()).id,
          kind: 'study',
          day: chinaDay(0),
          title: `矩阵测试学习${world.tag}`,
          attendeeDeputyIds: [WANG_ID],
        },
        { 'Idempotency-Key': randomUUID() },
      ),
  },
  'trainings: list': { ...get('/api/trainings'), route: 'trainings GET /' },
  'trainings: create': {
    route: 'trainings POST /',
    ok: 201,
    probe: recordRows,
    call: (s: ApiSession) =>
      s.call(
        'POST',
        '/api/trainings',
        { title: `矩阵测试培训${world.tag}-${++trainingNo}`, day: chinaDay(0) },
        { 'Idempotency-Key': randomUUID() },
      ),
  },
  'trainings: attendance': {
    route: 'trainings POST /:id/attendance',
    ok: 200,
    // The session exists before the first probe (made lazily, it would count as the first role's write).
    probe: async () => (await trainingId(), recordRows()),
    call: async (s: ApiSession) =>
      s.call('POST', `/api/trainings/${await trainingId()}/attendance`, { deputyIds: [WANG_ID] }),
  },
  "record: lead deputy's": {
    ...get(`/api/deputies/${WANG_ID}/record`),
    route: 'GET /deputies/:id/record',
  },
  'record: xlsx': {
    ...get(`/api/deputies/${WANG_ID}/record.xlsx`, xlsxCheck),
    route: 'GET /deputies/:id/record.xlsx',
  },
  'record: pdf': {
    ...get(`/api/deputies/${WANG_ID}/record.pdf`, (_role: RoleKey, r: Res) => pdfCheck(r)),
    route: 'GET /deputies/:id/record.pdf',
  },
} satisfies Record<string, Action>);
const roleOf = (s: ApiSession): RoleKey => Object.entries(world.as).find(([, v]) => v === s)![0] as RoleKey;

const intakeNoIo = new IntakeService({} as DataSource, {} as Client);
const appointmentsNoIo = new AppointmentService({} as DataSource, intakeNoIo);
const recordsNoIo = new StationRecordsService({} as DataSource, appointmentsNoIo);

/** An allowed print answers a PDF; a refused one a problem document, never a PDF. */
function pdfCheck(r: Res): string | null {
  const pdf = r.headers.get('content-type') === 'application/pdf';
  if (r.status === 200 && !pdf) return `200 without a PDF (${r.headers.get('content-type')})`;
  if (r.status !== 200 && pdf) return 'a refusal answered with a PDF';
  return null;
}

describe('authorization matrix (role × action, real stack)', () => {
  it('covers every role and every route of the suggestions, statistics, export, public and deputy APIs', () => {
    for (const [name, row] of Object.entries(matrix)) expect(row.length, name).toBe(roleKeys.length);
    expect(Object.keys(actions).sort()).toEqual(Object.keys(matrix).sort());
    type Stack = { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
    const noDs = {} as DataSource;
    const routers: [string, unknown][] = [
      ['', suggestionRoutes({} as SuggestionService)],
      ['', timelineRoutes(noDs)],
      ['', printRoutes(noDs)],
      ['', deadlinePreviewRoutes(noDs)],
      ['', unitInboxRoutes(noDs)],
      ['', clockRoutes(noDs)],
      ['', directoryRoutes(noDs)],
      ['', unitRequestRoutes(noDs)],
      ['stats ', statsRoutes(noDs)],
      ['exports ', exportRoutes(noDs)],
      ['public ', publicRoutes(noDs)],
      ['deputies ', deputyAdminRoutes(noDs)],
      ['sessions ', congressSessionRoutes(noDs)],
      ['audit ', auditRoutes(noDs)],
      ['intake ', intakePublicRoutes(intakeNoIo)],
      ['messages ', messageRoutes(intakeNoIo)],
      ['stations ', stationAdminRoutes(intakeNoIo)],
      ['attachments ', attachmentRoutes(new AttachmentService(noDs), intakeNoIo)],
      ['intake ', attachmentPublicRoutes(new AttachmentService(noDs), intakeNoIo)],
      ['import ', importRoutes(noDs)],
      ['exports ', listExportRoutes(noDs)],
      ['intake ', appointmentPublicRoutes(appointmentsNoIo, intakeNoIo)],
      ['appointments ', appointmentRoutes(appointmentsNoIo)],
      ['desk ', stationDeskRoutes(recordsNoIo)],
      ['activities ', activityRoutes(noDs, recordsNoIo)],
      ['trainings ', trainingRoutes(noDs, recordsNoIo)],
      ['', deputyRecordRoutes(noDs)],
      ['open311 ', open311Routes(noDs, intakeNoIo)],
      ['open311clients ', open311AdminRoutes(noDs)],
    ];
    const routes = routers.flatMap(([prefix, router]) =>
      (router as Stack).stack.flatMap((l) =>
        l.route
          ? Object.keys(l.route.methods).map((m) => `${prefix}${m.toUpperCase()} ${l.route!.path}`)
          : [],
      ),
    );
    const covered = new Set(
      Object.values(actions)
        .map((a) => a.route)
        .filter(Boolean),
    );
    expect(routes.filter((r) => !covered.has(r))).toEqual([]);
    const noticeRoutes = [
      notificationRoutes(noDs),
      preferenceRoutes(noDs),
      pointsRoutes(noDs),
      unitWebhookRoutes(noDs),
    ].flatMap((router) =>
      (router as unknown as Stack).stack.flatMap((l) =>
        l.route ? Object.keys(l.route.methods).map((m) => `${m.toUpperCase()} ${l.route!.path}`) : [],
      ),
    );
    expect(noticeRoutes.length).toBeGreaterThan(0);
    expect(noticeRoutes.filter((r) => !covered.has(r))).toEqual([]);
  });

  for (const name of Object.keys(matrix)) {
    it(name, () => runAction(name), 120_000);
  }
});

// ---- Parts of an item, and what each role reads: content, not only status codes (issue 10) ----
//
// Three more rows than the table above: a co-signer deputy (联名, 张志强), a second assigned unit
// (JYJ, co-handler here, or the unit a part is moved to; jyj.handler acts for it), and a unit whose
// part was re-assigned away (JTJ). These items are built by a second world whose items name 张志强 as
// co-signer; their tokens differ from the table's, so the table's "JYJ never assigned" rows hold.
// Each check of an answer's content is paired with one that sees the content where it is allowed, so it
// would fail were the rule broken rather than pass on an empty answer.

const ZHANG = demoId('deputy:zhang');
const JYJ_ID = demoId('unit:JYJ');

/** Session cookie for fetches outside ApiSession (the tracker's stream, xlsx bytes). */
const cookieOf = (s: ApiSession) => (s as unknown as { cookie: string }).cookie;

/** A live SSE stream from the running tracker: its suggestion events as they come. */
function stream(s: ApiSession, lastEventId?: string) {
  const frames: { id: bigint; type: string; suggestionId: string }[] = [];
  const ctrl = new AbortController();
  const done = (async () => {
    const res = await fetch(`http://127.0.0.1:${config.tracker.port}/events`, {
      headers: {
        cookie: cookieOf(s),
        accept: 'text/event-stream',
        ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
      },
      signal: ctrl.signal,
    });
    if (res.status !== 200 || !res.body) throw new Error(`stream answered ${res.status}`);
    const reader = res.body.getReader();
    const dec = new TextDecoder();
    let buf = '';
    for (;;) {
      const { done: end, value } = await reader.read();
      if (end) break;
      buf += dec.decode(value, { stream: true });
      let sep: number;
      while ((sep = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, sep);
        buf = buf.slice(sep + 2);
        const id = /^id: (\d+)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (id && data && /^event: suggestion$/m.test(block)) {
          const e = JSON.parse(data) as { type: string; suggestionId: string };
          frames.push({ id: BigInt(id), type: e.type, suggestionId: e.suggestionId });
        }
      }
    }
  })().catch(() => undefined);
  return { frames, close: () => ctrl.abort(), done };
}

describe('parts of an item and what each role reads (co-signer, second unit, re-assigned unit, content)', () => {
  let w: AuthzWorld;
  let cosigner: ApiSession;
  let jyjLeader: ApiSession;
  beforeAll(async () => {
    w = await AuthzWorld.open({ cosignerDeputyIds: [ZHANG] });
    [cosigner, jyjLeader] = await Promise.all([
      ApiSessionClass.login('zhangzhiqiang'),
      ApiSessionClass.login('jyj.leader'),
    ]);
  }, 120_000);
  afterAll(async () => {
    await w?.close();
  });

  it('a co-signer (联名) reads the item, its handling and timeline, and rates as co-signer; may not edit, resubmit or withdraw', async () => {
    const [returned, submitted, replied] = await Promise.all([w.returned(), w.submitted(), w.replied()]);
    for (const it of [returned, submitted, replied])
      expect((await cosigner.call('GET', sid(it))).status, it.state).toBe(200);
    // Not the lead deputy: the lead's steps are refused (403: the co-signer may see the item), nothing changes.
    const refusals: [Item, string, string, unknown][] = [
      [
        returned,
        'PATCH',
        sid(returned),
        { title: `改标题 ${returned.token}`, content: '联名代表不能修改建议内容。' },
      ],
      [returned, 'POST', `${sid(returned)}/resubmit`, undefined],
      [submitted, 'POST', `${sid(submitted)}/withdraw`, undefined],
      [replied, 'POST', `${sid(replied)}/withhold-publication`, { reason: '联名代表不能决定公开' }],
    ];
    for (const [it, method, path, body] of refusals) {
      const before = await w.snapshot(it);
      const r = await cosigner.call(method, path, body);
      expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBe(403);
      expect(await w.snapshot(it)).toBe(before);
    }
    // Reads the handling: the reply that was sent, and the steps.
    const handling = await cosigner.call('GET', `${sid(replied)}/handling`);
    expect(handling.status).toBe(200);
    expect(JSON.stringify(handling.body)).toContain(replyBody.body);
    expect((await cosigner.call('GET', `${sid(replied)}/timeline`)).status).toBe(200);
    // Rates as co-signer: recorded, while the lead deputy's rating alone decides the item.
    const rate = await cosigner.call('POST', `${sid(replied)}/rate`, {
      rating: 'satisfied',
      comment: '联名代表满意',
    });
    expect(rate.status, JSON.stringify(rate.body)).toBe(200);
    await waitForRow(`SELECT 1 FROM cosigner_evaluations WHERE suggestion_id = $1 AND deputy_id = $2`, [
      replied.id,
      ZHANG,
    ]);
    expect((await w.as.leadDeputy.call('GET', sid(replied))).body.status).toBe('replied');
  });

  it('a second assigned unit may not act on another unit’s part, nor the lead unit on the co-handler’s', async () => {
    const it = await w.assigned(JTJ, [JYJ_ID]);
    const before = await w.snapshot(it);
    const onJtj: [ApiSession, string, unknown][] = [
      [w.as.otherUnit, 'sign-in', undefined],
      [w.as.otherUnit, 'contacts', contactBody],
      [w.as.otherUnit, 'reply', replyBody],
      [jyjLeader, 'reply/sign-off', undefined],
      [w.as.otherUnit, 'reply/send', undefined],
      [w.as.otherUnit, 'requests', extensionRequest],
    ];
    for (const [who, path, body] of onJtj) {
      const r = await w.unitStep(who, it, path, body, JTJ);
      expect(r.status, `JYJ on JTJ's ${path}: ${JSON.stringify(r.body)}`).toBe(403);
    }
    for (const path of ['sign-in', 'opinion']) {
      const r = await w.unitStep(
        w.as.unitHandler,
        it,
        path,
        path === 'opinion' ? { body: '主办单位代写协办意见' } : undefined,
        JYJ_ID,
      );
      expect(r.status, `JTJ on JYJ's ${path}: ${JSON.stringify(r.body)}`).toBe(403);
    }
    expect(await w.snapshot(it)).toBe(before);
    // Its own part it may work on.
    expect((await w.unitStep(w.as.otherUnit, it, 'sign-in', undefined, JYJ_ID)).status).toBe(200);
  });

  it('deputies and a co-handler unit never read a unit’s unsent reply draft or its explanation (handling, timeline)', async () => {
    const it = await w.assigned(JTJ, [JYJ_ID]);
    const marker = `草稿${it.token}`;
    expect((await w.unitStep(w.as.unitHandler, it, 'sign-in')).status).toBe(200);
    await w.untilStatus(it, 'handling');
    expect((await w.unitStep(w.as.unitHandler, it, 'contacts', contactBody)).status).toBe(200);
    const draft = await w.unitStep(w.as.unitHandler, it, 'reply', {
      category: 'C',
      body: `因规划调整暂不具备实施条件。${marker}`,
      explanation: `说明:涉及多部门协调 ${marker}`,
    });
    expect(draft.status, JSON.stringify(draft.body)).toBe(200);
    const readers: [string, ApiSession][] = [
      ['lead deputy', w.as.leadDeputy],
      ['co-signer', cosigner],
      ['co-handler JYJ handler', w.as.otherUnit],
      ['co-handler JYJ leader', jyjLeader],
    ];
    const internalSteps = ['suggestion.reply_drafted', 'suggestion.reply_signed'];
    const seen = async (s: ApiSession) => {
      const [h, t] = await Promise.all([
        s.call('GET', `${sid(it)}/handling`),
        s.call('GET', `${sid(it)}/timeline`),
      ]);
      expect([h.status, t.status]).toEqual([200, 200]);
      const types = (t.body.steps as { type?: string; eventType?: string }[]).map(
        (x) => x.type ?? x.eventType,
      );
      return {
        text: JSON.stringify(h.body) + JSON.stringify(t.body),
        internal: types.filter((x) => internalSteps.includes(x!)),
      };
    };
    const hidden = async (stage: string) => {
      for (const [who, s] of readers) {
        const v = await seen(s);
        expect(v.text.includes(marker), `${who} reads the ${stage} draft`).toBe(false);
        expect(v.internal, `${who} sees the ${stage} unit-internal steps`).toEqual([]);
      }
      // Where it is allowed, the draft is there (so the checks above would see a leak).
      for (const s of [w.as.unitHandler, w.as.reviewer]) expect((await seen(s)).text).toContain(marker);
    };
    await hidden('unsigned');
    expect((await w.unitStep(w.as.unitLeader, it, 'reply/sign-off')).status).toBe(200);
    await hidden('signed, unsent');
    expect((await w.unitStep(w.as.unitHandler, it, 'reply/send')).status).toBe(200);
    await w.untilStatus(it, 'replied');
    // Sent: now the deputies and the co-handler read the reply and its explanation.
    for (const [who, s] of readers) expect((await seen(s)).text.includes(marker), who).toBe(true);
  });

  it('a unit whose part was re-assigned away reads nothing more and receives no more events (API; tracker live and catch-up)', async () => {
    const [it, fenceItem] = await Promise.all([w.assigned(JTJ), w.assigned(JTJ)]);
    expect((await w.unitStep(w.as.unitHandler, it, 'sign-in')).status).toBe(200);
    expect((await w.unitStep(w.as.unitHandler, it, 'requests', reassignmentRequest)).status).toBe(200);
    const lastBefore = await outboxMax();
    const live = stream(w.as.unitHandler, lastBefore);
    const overseer = stream(w.as.reviewer, lastBefore);
    try {
      const decided = await w.unitStep(w.as.reviewer, it, 'requests/decision', {
        approve: true,
        newUnitId: JYJ_ID,
      });
      expect(decided.status, JSON.stringify(decided.body)).toBe(200);
      await w.untilUnitReady(it, JYJ_ID, 1);
      // The new unit works on the item: events JTJ must no longer receive.
      await waitFor(
        'JYJ sign-in',
        async () => (await w.unitStep(w.as.otherUnit, it, 'sign-in', undefined, JYJ_ID)).status === 200,
      );
      const signedIn = await waitForRow(
        `SELECT id::text AS id FROM outbox WHERE aggregate_id = $1::uuid AND payload->>'type' = 'suggestion.signed_in' AND payload->'data'->>'unitId' = $2`,
        [it.id, JYJ_ID],
      );
      // A fence JTJ does receive, after that in the outbox (the tracker delivers in outbox order).
      expect(
        (await w.as.supervisor.call('POST', `${sid(fenceItem)}/urge`, { note: `围栏 ${it.token}` })).status,
      ).toBe(200);
      const fence = await waitForRow(
        `SELECT id::text AS id FROM outbox WHERE aggregate_id = $1::uuid AND payload->>'type' = 'suggestion.urged'`,
        [fenceItem.id],
      );
      expect(BigInt(fence.id!)).toBeGreaterThan(BigInt(signedIn.id!));
      await waitFor('the fence on the live stream', async () =>
        live.frames.some((f) => f.id >= BigInt(fence.id!)),
      );
      await waitFor('the sign-in on the overseer’s stream', async () =>
        overseer.frames.some((f) => f.id === BigInt(signedIn.id!)),
      );
      const after = (frames: typeof live.frames) =>
        frames
          .filter(
            (f) =>
              f.suggestionId === it.id &&
              f.type !== 'suggestion.reassignment_decided' &&
              f.id > BigInt(lastBefore),
          )
          .map((f) => f.type);
      expect(after(live.frames), 'live').toEqual([]);
      expect(
        live.frames.some((f) => f.suggestionId === it.id && f.type === 'suggestion.reassignment_decided'),
      ).toBe(true);
      // Catch-up from before the decision: the same.
      const resumed = stream(w.as.unitHandler, lastBefore);
      try {
        await waitFor('the fence on catch-up', async () =>
          resumed.frames.some((f) => f.id >= BigInt(fence.id!)),
        );
        expect(after(resumed.frames), 'catch-up').toEqual([]);
      } finally {
        resumed.close();
      }
    } finally {
      live.close();
      overseer.close();
    }
    // The API: not found, like an item never assigned to it; not in its list.
    for (const path of [sid(it), `${sid(it)}/handling`, `${sid(it)}/timeline`])
      for (const s of [w.as.unitHandler, w.as.unitLeader])
        expect((await s.call('GET', path)).status, path).toBe(404);
    const list = await w.as.unitHandler.call('GET', `/api/suggestions?q=${it.token}&pageSize=50`);
    expect((list.body.items as { id: string }[]).map((x) => x.id)).not.toContain(it.id);
    expect((await w.as.otherUnit.call('GET', `${sid(it)}/handling`)).status).toBe(200);
  });

  it('a confidential (涉密) item’s title and withholding reason stay out of public pages, exports and external notices', async () => {
    // `published` is on the public pages until it is marked; `handled` is marked by the reviewer's
    // withholding (不予公开, 涉密) while its unit handles it, then urged (notices to mail and robot).
    const [published, handled] = await Promise.all([w.make('followUp'), w.make('assigned')]);
    const reason = `涉及未公开的规划 ${handled.token}`;
    const anon = w.as.anonymous;
    expect((await anon.call('GET', `/api/public/replies/${published.id}`)).status).toBe(200);
    expect(
      JSON.stringify((await anon.call('GET', `/api/public/replies?q=${published.token}`)).body),
    ).toContain(published.token);
    const withheld = await w.as.reviewer.call('POST', `${sid(handled)}/withhold-publication`, { reason });
    expect(withheld.status, JSON.stringify(withheld.body)).toBe(200);
    // A published item has no step that marks it any more: set the flag as an admin tool would.
    await w.ds.query(`UPDATE suggestions SET confidential = true WHERE id = $1`, [published.id]);
    const flags: { confidential: boolean }[] = await w.ds.query(
      `SELECT confidential FROM suggestions WHERE id = ANY($1::uuid[])`,
      [[published.id, handled.id]],
    );
    expect(flags.map((f) => f.confidential)).toEqual([true, true]);
    const secrets = [published.token, handled.token, reason];
    const leaks = (text: string) => secrets.filter((x) => text.includes(x));
    // Public pages (no login): neither item, nor a title.
    expect((await anon.call('GET', `/api/public/replies/${published.id}`)).status).toBe(404);
    for (const path of [
      `/api/public/replies?q=${published.token}`,
      `/api/public/replies?q=${handled.token}`,
      '/api/public/replies?pageSize=50',
      '/api/public/facets',
    ])
      expect(leaks(JSON.stringify((await anon.call('GET', path)).body)), path).toEqual([]);
    // Exports leave the platform: the title stays behind the login, for every role that may export.
    for (const s of [w.as.unitHandler, w.as.coordinator]) {
      const res = await fetch(`${apiBase()}/api/exports/assignment-list.xlsx?q=${w.tag}`, {
        headers: { cookie: cookieOf(s) },
      });
      expect(res.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await res.arrayBuffer());
      const cells: string[] = [];
      wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => cells.push(String(c.value)))));
      expect(cells.filter((c) => c === CONFIDENTIAL_TITLE).length).toBeGreaterThanOrEqual(2); // both rows are there
      expect(leaks(cells.join('\n'))).toEqual([]);
    }
    // External channels (mail, the unit's robot): the urge notifies the unit; stored deliveries carry no title or reason.
    expect((await w.as.supervisor.call('POST', `${sid(handled)}/urge`, { note: '请加快办理' })).status).toBe(
      200,
    );
    await waitForRow(
      `SELECT 1 FROM notification_deliveries WHERE suggestion_id = $1 AND event_type = 'suggestion.urged' AND channel = 'email'`,
      [handled.id],
    );
    const out: { subject: string; body: string }[] = await w.ds.query(
      `SELECT subject, body FROM notification_deliveries
       WHERE suggestion_id = $1 AND event_type IN ('suggestion.urged', 'suggestion.publication_withheld')
         AND channel IN ('email', 'webhook')`,
      [handled.id],
    );
    expect(out.length).toBeGreaterThan(0);
    expect(leaks(out.map((d) => d.subject + d.body).join('\n'))).toEqual([]);
    // In the platform, those with a right to the item still read its title.
    expect((await w.as.reviewer.call('GET', sid(handled))).body.title).toContain(handled.token);
  });
});

async function outboxMax(): Promise<string> {
  return (await world.ds.query(`SELECT COALESCE(max(id), 0)::text AS id FROM outbox`))[0].id as string;
}
async function waitForRow(sql: string, params: unknown[]): Promise<Record<string, string>> {
  return waitFor(
    sql.slice(0, 60),
    async () => ((await world.ds.query(sql, params)) as Record<string, string>[])[0],
  );
}
