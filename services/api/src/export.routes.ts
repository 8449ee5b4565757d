/**
 * Excel exports (导出), mounted at /api/exports after requireUser, streamed with exceljs:
 * - GET /api/exports/assignment-list.xlsx — 交办清单: one row per assigned item, filters like the list;
 * - GET /api/exports/stats.xlsx           — 统计表: the dashboard's table, with a sheet of the definitions.
 * Reviewers, coordinators, supervisors and admins export everything; a unit's users their own unit.
 * Every export writes an audit row (who exported what, with which filters).
 */
import { Router, type Response } from 'express';
import ExcelJS from 'exceljs';
import type { DataSource } from 'typeorm';
import {
  PROVISIONAL_DEADLINE_NOTE,
  isDeadlineProvisional,
  statusLabels,
  type SuggestionStatus,
} from '@jianyi/domain';
import { isOverseer, loadWorkCalendar } from '@jianyi/platform';
import { messageStatsQuery } from './contracts/intake';
import { problems } from './http/problem';
import { messageStats, messageStatsDefinitions, type MessageStatsRow } from './message-stats';
import { currentUser } from './http/auth';
import { ExportRepository } from './export.repository';
import { StatsRepository, rateDefinitions } from './stats.repository';
import { statsScope } from './stats.routes';
import { validate } from './http/validate';
import { assignmentListExportQuery, statsExportQuery } from './contracts/exports';

/** Headers of the 交办清单, in order. */
export const assignmentListHeaders = [
  '序号',
  '立案号',
  '标题',
  '领衔代表',
  '联名代表',
  '镇(街道)',
  '届次',
  '主题',
  '交办方式',
  '主办单位',
  '协办单位',
  '交办日期',
  '办理期限',
  '当前状态',
  '重点督办',
  '是否逾期',
  '期限说明',
];
/** Headers of the 统计表, in order (after the group column). */
export const statsHeaders = [
  '交办件数',
  '办结件数',
  '办结率',
  '按时办结件数',
  '按时办结率',
  '已答复件数',
  '见面件数',
  '见面率',
  '沟通件数',
  '沟通率',
  '已测评件数',
  '满意件数',
  '满意率',
  '基本满意件数',
  '基本满意率',
  '解决件数(A类)',
  '解决率',
  '解决率(A+B)',
];
const groupHeader = { unit: '承办单位', town: '镇(街道)', session: '届次', topic: '主题' } as const;

const chinaDate = (v: Date | string | null): string => {
  if (!v) return '';
  return new Date(new Date(v).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
};

function xlsxHeaders(res: Response, asciiName: string, zhName: string): void {
  res.status(200);
  res.set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  res.set(
    'Content-Disposition',
    `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(zhName)}`,
  );
  res.set('Cache-Control', 'no-store');
}

const headerStyle = (row: ExcelJS.Row) => {
  row.font = { bold: true };
  row.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
};

/** What an export shows instead of a confidential (涉密) item's title. */
export const CONFIDENTIAL_TITLE = '(涉密件,标题不导出)';

export function exportRoutes(ds: DataSource): Router {
  const stats = new StatsRepository(ds);
  const exports = new ExportRepository(ds);
  const r = Router();

  r.get('/assignment-list.xlsx', async (req, res) => {
    const q = validate(assignmentListExportQuery, req.query);
    const scope = statsScope(req, {
      unitId: q.unitId,
      town: q.town,
      sessionYear: q.sessionYear,
      session: q.session,
    });
    const user = currentUser(req);
    const rows = await exports.assignmentList(scope, q);
    await exports.recordExport(
      user,
      'export.assignment_list',
      { filter: { ...q, ...scope }, rows: rows.length },
      req.requestId ?? null,
    );

    xlsxHeaders(res, 'assignment-list.xlsx', '交办清单.xlsx');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true });
    wb.creator = '代表建议办理平台';
    const ws = wb.addWorksheet('交办清单', { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = assignmentListHeaders.map((h, i) => ({
      header: h,
      key: `c${i}`,
      width: [6, 16, 40, 10, 16, 12, 8, 10, 12, 24, 24, 12, 12, 10, 10, 10, 40][i],
    }));
    headerStyle(ws.getRow(1));
    ws.getRow(1).commit();
    const cal = await loadWorkCalendar(ds);
    rows.forEach((x, i) => {
      ws.addRow([
        i + 1,
        x.registrationNo ?? '',
        // A file leaves the platform: a confidential (涉密) item's title stays behind the login.
        x.confidential ? CONFIDENTIAL_TITLE : x.title,
        x.leadDeputy ?? '',
        x.cosigners ?? '',
        x.town ?? '',
        x.session,
        x.topic,
        x.separate ? '分办' : '主办+协办',
        x.leadUnits ?? '',
        x.coUnits ?? '',
        chinaDate(x.assignedAt),
        chinaDate(x.deadlineAt),
        statusLabels[x.status as SuggestionStatus]?.zh ?? x.status,
        x.keySupervision ? '是' : '否',
        x.overdue ? '是' : '否',
        // A deadline counted through a year whose holidays are not announced yet.
        isDeadlineProvisional(cal, x.deadlineAt, x.assignedAt) ? PROVISIONAL_DEADLINE_NOTE : '',
      ]).commit();
    });
    ws.commit();
    await wb.commit();
  });

  r.get('/stats.xlsx', async (req, res) => {
    const q = validate(statsExportQuery, req.query);
    const f = statsScope(req, {
      sessionYear: q.sessionYear,
      session: q.session,
      unitId: q.unitId,
      town: q.town,
    });
    const user = currentUser(req);
    const { rows, total } = await stats.stats(q.by, f);
    await exports.recordExport(
      user,
      'export.stats',
      { by: q.by, filter: f, rows: rows.length },
      req.requestId ?? null,
    );

    xlsxHeaders(res, `stats-by-${q.by}.xlsx`, `办理统计表(按${groupHeader[q.by]}).xlsx`);
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true });
    wb.creator = '代表建议办理平台';
    const ws = wb.addWorksheet('统计表', { views: [{ state: 'frozen', ySplit: 1, xSplit: 1 }] });
    ws.columns = [groupHeader[q.by], ...statsHeaders].map((h, i) => ({
      header: h,
      key: `c${i}`,
      width: i === 0 ? 24 : 12,
    }));
    headerStyle(ws.getRow(1));
    ws.getRow(1).commit();
    const pct = (v: number | null) => (v === null ? '' : v);
    const line = (label: string, c: typeof total) => [
      label,
      c.assigned,
      c.closed,
      pct(c.closedRate),
      c.onTime,
      pct(c.onTimeRate),
      c.replied,
      c.met,
      pct(c.meetingRate),
      c.contacted,
      pct(c.contactRate),
      c.evaluated,
      c.satisfied,
      pct(c.satisfiedRate),
      c.basicallySatisfied,
      pct(c.basicallySatisfiedRate),
      c.solved,
      pct(c.solvedRate),
      pct(c.solvedABRate),
    ];
    const percentCols = [4, 6, 9, 11, 14, 16, 18, 19];
    const addLine = (values: (string | number)[], bold = false) => {
      const row = ws.addRow(values);
      for (const c of percentCols) row.getCell(c).numFmt = '0.0%';
      if (bold) row.font = { bold: true };
      row.commit();
    };
    for (const row of rows) addLine(line(q.by === 'town' && row.label === '' ? '(未填写)' : row.label, row));
    addLine(line('合计', total), true);
    ws.commit();
    // 按月趋势: the last 12 months, same filters (and, for a unit, its own figures).
    const trend = await stats.trend(12, f);
    const tw = wb.addWorksheet('按月趋势', { views: [{ state: 'frozen', ySplit: 1, xSplit: 1 }] });
    tw.columns = [
      '月份',
      '收到件数',
      '交办件数',
      '答复件数(首轮)',
      '按时答复件数',
      '测评件数',
      '满意件数',
      '满意率',
    ].map((h, i) => ({ header: h, key: `t${i}`, width: i === 0 ? 12 : 14 }));
    headerStyle(tw.getRow(1));
    tw.getRow(1).commit();
    for (const m of trend) {
      const row = tw.addRow([
        m.month,
        m.received,
        m.assigned,
        m.replied,
        m.onTime,
        m.evaluated,
        m.satisfied,
        m.satisfiedRate === null ? '' : m.satisfiedRate,
      ]);
      row.getCell(8).numFmt = '0.0%';
      row.commit();
    }
    tw.commit();
    const defs = wb.addWorksheet('口径说明');
    defs.columns = [
      { header: '指标', key: 'k', width: 16 },
      { header: '计算口径', key: 'd', width: 80 },
      { header: 'Definition', key: 'e', width: 80 },
    ];
    headerStyle(defs.getRow(1));
    defs.getRow(1).commit();
    for (const d of rateDefinitions) defs.addRow([d.zh, d.defZh, d.defEn]).commit();
    defs
      .addRow([
        '交办件数',
        '交办给该单位(主办或分办)的建议件数;协办单位不计;按镇、届次统计时每件建议计一次',
        'items assigned to the unit as lead or 分办 unit (co-handlers not counted); by town or session each item counts once',
      ])
      .commit();
    defs
      .addRow([
        '按月趋势',
        '收到:当月提交的建议(单位:当月交办给本单位的);交办:当月首次交办;答复:当月发出的首轮答复(每件×主办或分办单位),按时:在首轮期限内发出;测评、满意:当月记录的测评',
        'received: submitted in the month (a unit: assigned to it); assigned: first assigned; replied: first-round replies sent (item × main unit), on time: by the first deadline; rated and satisfied: ratings recorded in the month',
      ])
      .commit();
    defs.commit();
    await wb.commit();
  });
  /** 群众留言统计表: by town and by station, with the city total and the definitions; counts only, no personal data. */
  r.get('/message-stats.xlsx', async (req, res) => {
    const user = currentUser(req);
    if (!isOverseer(user))
      throw problems.forbidden(`role "${user.role}" may not export the message statistics`);
    const q = validate(messageStatsQuery, req.query);
    const out = await messageStats(ds, q);
    await exports.recordExport(
      user,
      'export.message_stats',
      { filter: q, towns: out.byTown.length, stations: out.byStation.length },
      req.requestId ?? null,
    );
    xlsxHeaders(res, 'message-stats.xlsx', '群众留言统计表.xlsx');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true });
    wb.creator = '代表建议办理平台';
    const headers = [
      '收到留言',
      '已认领',
      '24小时内认领',
      '24小时认领率',
      '已答复',
      '7个工作日内答复',
      '7个工作日答复率',
      '转交单位',
      '转为代表建议',
      '已评价',
      '满意',
      '基本满意',
      '不满意',
      '满意率',
    ];
    const line = (c: MessageStatsRow) => [
      c.received,
      c.claimed,
      c.claimedInTime,
      c.claimedInTimeRate ?? '',
      c.answered,
      c.answeredInTime,
      c.answeredInTimeRate ?? '',
      c.forwarded,
      c.converted,
      c.rated,
      c.satisfied,
      c.basicallySatisfied,
      c.unsatisfied,
      c.satisfactionRate ?? '',
    ];
    const sheet = (
      name: string,
      first: string[],
      rows: MessageStatsRow[],
      lead: (r: MessageStatsRow) => string[],
    ) => {
      const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1, xSplit: first.length }] });
      ws.columns = [...first, ...headers].map((h, i) => ({
        header: h,
        key: `c${i}`,
        width: i < first.length ? 24 : 12,
      }));
      headerStyle(ws.getRow(1));
      ws.getRow(1).commit();
      const pctCols = [4, 7, 14].map((c) => c + first.length);
      const add = (values: (string | number)[], bold = false) => {
        const row = ws.addRow(values);
        for (const c of pctCols) row.getCell(c).numFmt = '0.0%';
        if (bold) row.font = { bold: true };
        row.commit();
      };
      for (const r of rows) add([...lead(r), ...line(r)]);
      add([...first.map((_, i) => (i === 0 ? '全市合计' : '')), ...line(out.total)], true);
      ws.commit();
    };
    sheet('按镇街', ['镇(街道)'], out.byTown, (r) => [r.label || '(未填写)']);
    sheet('按站点', ['站点', '镇(街道)'], out.byStation, (r) => [r.label, r.town || '(未填写)']);
    const defs = wb.addWorksheet('口径说明');
    defs.columns = [
      { header: '指标', key: 'k', width: 16 },
      { header: '计算口径', key: 'd', width: 80 },
      { header: 'Definition', key: 'e', width: 80 },
    ];
    headerStyle(defs.getRow(1));
    defs.getRow(1).commit();
    for (const d of messageStatsDefinitions) defs.addRow([d.zh, d.defZh, d.defEn]).commit();
    defs.commit();
    await wb.commit();
  });
  return r;
}
