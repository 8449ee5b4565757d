/**
 * 履职档案 exports: the deputy's record as a workbook (exceljs, one sheet per section and a summary)
 * and as a printed PDF (pdfkit with the embedded CJK font, as the other printed documents). Both
 * take the record view; a confidential (涉密) suggestion's title never leaves: it is masked.
 */
import ExcelJS from 'exceljs';
import type { DeputyRecordView } from '../contracts/station-records';
import { fieldRows, heading, line, newDoc, pageNumbers, toBuffer } from './documents';

export const CONFIDENTIAL = '(涉密件,标题不导出)';
const title = (s: DeputyRecordView['suggestions'][number]) => (s.confidential ? CONFIDENTIAL : s.title);
const yes = (v: boolean | null) => (v === null ? '未登记' : v ? '是' : '否');
const ratingLabels: Record<string, string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  unsatisfied: '不满意',
  no_feedback: '未反馈',
};

export function periodLabel(r: DeputyRecordView): string {
  if (!r.year) return '全部年度';
  return `${r.term ? `第${r.term}届 · ` : ''}${r.year}年度`;
}

/** The sections as rows: [sheet name, headers, rows]. */
function sections(r: DeputyRecordView): [string, string[], (string | number)[][]][] {
  return [
    [
      '代表建议',
      ['标题', '身份', '登记号', '状态', '答复类别', '测评', '优秀建议', '积分'],
      r.suggestions.map((s) => [
        title(s),
        s.role === 'lead' ? '领衔' : '联名',
        s.registrationNo ?? '',
        s.statusLabel,
        s.replyCategory ?? '',
        s.rating ? (ratingLabels[s.rating] ?? s.rating) : '',
        s.excellent ? '是' : '',
        s.points,
      ]),
    ],
    [
      '群众留言',
      ['查询码', '站点', '状态', '认领时间', '答复时间', '按时办理', '积分'],
      r.messages.map((m) => [
        m.trackingCode,
        m.stationName ?? '',
        m.statusLabel,
        m.claimedAt?.slice(0, 10) ?? '',
        m.answeredAt?.slice(0, 10) ?? '',
        yes(m.onTime),
        m.points,
      ]),
    ],
    [
      '值班',
      ['日期', '时段', '站点', '到岗', '积分'],
      r.dutyDays.map((d) => [d.day, d.slotLabel, d.stationName, yes(d.served), d.points]),
    ],
    [
      '约见',
      ['日期', '时段', '站点', '状态', '积分'],
      r.appointments.map((a) => [a.day, a.slotLabel, a.stationName, a.statusLabel, a.points]),
    ],
    [
      '活动',
      ['日期', '类型', '标题', '站点', '积分'],
      r.activities.map((a) => [a.day, a.kindLabel, a.title, a.stationName, a.points]),
    ],
    ['代表讲堂', ['日期', '培训', '积分'], r.trainings.map((t) => [t.day, t.title, t.points])],
  ];
}

export async function recordWorkbook(r: DeputyRecordView): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'jianyi 代表建议办理平台';
  const sum = wb.addWorksheet('汇总');
  sum.addRow([`${r.deputy.name} 履职档案(${periodLabel(r)})`]).font = { bold: true, size: 14 };
  sum.addRow(['镇(街道)', r.deputy.town, '代表团', r.deputy.delegation]);
  sum.addRow([]);
  sum.addRow(['履职项目', '计数', '积分']).font = { bold: true };
  for (const s of r.totals.bySource) sum.addRow([s.label, s.count, s.points]);
  sum.addRow(['合计', '', r.totals.points]).font = { bold: true };
  sum.columns.forEach((c) => (c.width = 22));
  for (const [name, headers, rows] of sections(r)) {
    const ws = wb.addWorksheet(name);
    ws.addRow(headers).font = { bold: true };
    for (const row of rows) ws.addRow(row);
    ws.columns.forEach((c, i) => (c.width = i === 0 && name === '代表建议' ? 48 : 16));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function renderRecord(r: DeputyRecordView): Promise<Buffer> {
  const doc = newDoc(`${r.deputy.name} 履职档案`);
  doc
    .font('bold')
    .fontSize(22)
    .text(`${r.deputy.name} 履职档案`, { align: 'center' })
    .moveDown(0.3)
    .font('serif')
    .fontSize(13)
    .text(periodLabel(r), { align: 'center' })
    .moveDown(1);
  fieldRows(doc, [
    ['镇(街道)', r.deputy.town],
    ['代表团', r.deputy.delegation],
    ['履职积分', `${r.totals.points} 分`],
  ]);
  heading(doc, '积分汇总');
  for (const s of r.totals.bySource) line(doc, `${s.label}:${s.count} 项,${s.points} 分`);
  for (const [name, headers, rows] of sections(r)) {
    heading(doc, `${name}(${rows.length})`);
    if (!rows.length) line(doc, '无', { grey: true });
    for (const row of rows)
      line(
        doc,
        row
          .map((v, i) => (i === row.length - 1 ? `${headers[i]} ${v}` : String(v)))
          .filter((v) => v !== '')
          .join(' · '),
      );
  }
  pageNumbers(doc);
  return toBuffer(doc);
}
