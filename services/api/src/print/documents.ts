/**
 * Printed documents (打印件) as PDF, drawn with pdfkit and the CJK serif font of `config.pdf` (embedded
 * as a subset, so the file reads the same on any machine):
 *
 * - 答复函: the unit's reply letter (process.md, "The reply letter"): category and publication mark,
 *   the unit's letterhead, 文号 and 签发人, the title naming the suggestion, the deputies addressed,
 *   the body (B: the promised date; C: the explanation), the unit and date, the contact person;
 * - 代表建议: the suggestion as submitted, with its signers (the form a deputy hands in);
 * - 办理案卷: the item's dossier for the archive: the suggestion, every step in order, the contacts,
 *   opinions, replies, ratings, requests and returns, with page numbers.
 *
 * The renderers take plain data (what the caller may see, already filtered) and know nothing of
 * HTTP or the database.
 */
import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { chinaDateOf, replyCategoryLabels, statusLabels, stepLabels } from '@jianyi/domain';
import type { SuggestionStatus } from '@jianyi/domain';
import { config } from '@jianyi/platform';

type Doc = PDFKit.PDFDocument;

/** 2026-12-02 → 2026年12月2日 (China time). */
export function chineseDate(v: Date | string | number | null | undefined): string {
  if (v == null || v === '') return '';
  const iso = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : chinaDateOf(new Date(v).getTime());
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}
/** 2026-12-02 09:05 (China time). */
function chineseDateTime(v: Date | string | null | undefined): string {
  if (!v) return '';
  const t = new Date(new Date(v).getTime() + 8 * 3600_000).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 16)}`;
}

let fonts: { regular: Buffer; bold: Buffer } | null = null;
/**
 * The fonts, read once. Throws naming the setting when a file is missing, so a deployment without
 * the fonts stops at start (assertPrintFonts) rather than at the first print.
 */
function loadFonts(): { regular: Buffer; bold: Buffer } {
  if (fonts) return fonts;
  const read = (path: string, variable: string) => {
    try {
      return readFileSync(path);
    } catch {
      throw new Error(
        `${variable}: the font file ${path} for printed documents is missing (install fonts-noto-cjk or set ${variable})`,
      );
    }
  };
  fonts = {
    regular: read(config.pdf.font, 'JIANYI_PDF_FONT'),
    bold: read(config.pdf.boldFont, 'JIANYI_PDF_BOLD_FONT'),
  };
  return fonts;
}
/** Called at the API's start: the fonts exist and contain the configured faces. */
export function assertPrintFonts(): void {
  const doc = newDoc('check');
  doc.end();
}

const A4_MARGINS = { top: 72, bottom: 64, left: 76, right: 72 };
const RED = '#c00000';
const GREY = '#666666';

export function newDoc(title: string): Doc {
  const f = loadFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: A4_MARGINS,
    bufferPages: true,
    lang: 'zh-CN',
    displayTitle: true,
    info: { Title: title, Producer: 'jianyi 代表建议办理平台', Creator: 'jianyi' },
  });
  doc.registerFont('serif', f.regular, config.pdf.fontFace);
  doc.registerFont('bold', f.bold, config.pdf.boldFontFace);
  doc.font('serif');
  return doc;
}

export function toBuffer(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

const contentWidth = (doc: Doc) => doc.page.width - doc.page.margins.left - doc.page.margins.right;

/** Paragraphs of a text, each indented two characters (公文 style). */
function paragraphs(doc: Doc, text: string, size = 15): void {
  doc.font('serif').fontSize(size).fillColor('black');
  for (const p of text.split(/\r?\n/).map((l) => l.trim())) {
    if (!p) continue;
    doc.text(p, { indent: size * 2, lineGap: size * 0.45, paragraphGap: size * 0.3, align: 'justify' });
  }
}

/** A diagonal grey mark across every page (草稿 …), drawn after the content. */
function watermark(doc: Doc, text: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.save();
    doc.rotate(-35, { origin: [doc.page.width / 2, doc.page.height / 2] });
    doc
      .font('bold')
      .fontSize(64)
      .fillColor('#999999')
      .fillOpacity(0.25)
      .text(text, 0, doc.page.height / 2 - 40, { width: doc.page.width, align: 'center', lineBreak: false });
    doc.restore();
    doc.fillOpacity(1);
  }
}

/** 第 N 页 共 M 页 at the foot of every page. */
export function pageNumbers(doc: Doc): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('serif')
      .fontSize(10)
      .fillColor(GREY)
      .text(`第 ${i + 1} 页 共 ${range.count} 页`, doc.page.margins.left, doc.page.height - 40, {
        width: contentWidth(doc),
        align: 'center',
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
  }
}

// ---------------------------------------------------------------- 答复函

export interface ReplyLetterData {
  unitName: string;
  documentNo: string | null;
  signedByName: string | null;
  category: string | null;
  registrationNo: string | null;
  title: string;
  /** Lead deputy first, then the co-signers. */
  deputies: string[];
  body: string;
  promisedDate: string | null;
  explanation: string | null;
  /** When the letter was sent (or signed, for a preview); today when neither. */
  date: Date | string | null;
  contactPerson: string | null;
  contactPhone: string | null;
  /** Publication of the reply after closure: 'withheld' when confidential or objected to. */
  publication: 'public' | 'withheld';
  keyItem: boolean;
  /** Not sent yet: printed as a preview with a 草稿 mark. */
  draft: boolean;
}

/** The 答复函 of one unit's reply, as a PDF. */
export function renderReplyLetter(d: ReplyLetterData): Promise<Buffer> {
  const doc = newDoc(`${d.unitName}答复函${d.registrationNo ? `（${d.registrationNo}）` : ''}`);
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  const category = d.category && d.category in replyCategoryLabels ? d.category : null;

  // Marks above the letterhead: category (答复类别), publication, key item.
  doc.font('bold').fontSize(14).fillColor('black');
  doc.text(
    category
      ? `${category}类（${replyCategoryLabels[category as keyof typeof replyCategoryLabels].zh}）`
      : '',
    left,
    doc.page.margins.top,
    { width: width / 2, lineBreak: false },
  );
  doc.text(
    [d.keyItem ? '重点督办' : '', d.publication === 'withheld' ? '不予公开' : '同意公开']
      .filter(Boolean)
      .join('　'),
    left + width / 2,
    doc.page.margins.top,
    { width: width / 2, align: 'right', lineBreak: false },
  );

  if (d.draft)
    doc
      .font('serif')
      .fontSize(11)
      .fillColor(GREY)
      .text('草稿预览：尚未签发发出，不得作为正式答复', left, doc.page.margins.top - 28, {
        width,
        align: 'center',
        lineBreak: false,
      });

  // Letterhead (版头) and the red rule.
  doc.fillColor('black');
  doc.x = left;
  doc.y = doc.page.margins.top + 18;
  doc.moveDown(1.6);
  doc.font('bold').fontSize(26).fillColor(RED).text(d.unitName, left, doc.y, { width, align: 'center' });
  doc.moveDown(0.5);
  doc.font('serif').fontSize(15).fillColor('black');
  const lineY = doc.y;
  doc.text(d.documentNo ?? '', left, lineY, { width: width / 2, lineBreak: false });
  doc.text(d.signedByName ? `签发人：${d.signedByName}` : '签发人：', left + width / 2, lineY, {
    width: width / 2,
    align: 'right',
    lineBreak: false,
  });
  const ruleY = lineY + 26;
  doc
    .moveTo(left, ruleY)
    .lineTo(left + width, ruleY)
    .lineWidth(2)
    .strokeColor(RED)
    .stroke();

  // Title and addressees.
  doc.y = ruleY + 24;
  doc
    .font('bold')
    .fontSize(20)
    .fillColor('black')
    .text(
      d.registrationNo ? `对${d.registrationNo}代表建议的答复` : `关于《${d.title}》的答复`,
      left,
      doc.y,
      {
        width,
        align: 'center',
        lineGap: 6,
      },
    );
  if (d.registrationNo)
    doc.font('serif').fontSize(14).fillColor('black').text(`（${d.title}）`, { width, align: 'center' });
  doc.moveDown(1);
  doc
    .font('serif')
    .fontSize(15)
    .fillColor('black')
    .text(`${d.deputies.join('、')}代表：`, left, doc.y, { width });
  doc.moveDown(0.4);

  paragraphs(doc, d.body);
  if (category === 'B' && d.promisedDate) paragraphs(doc, `计划解决时间：${chineseDate(d.promisedDate)}。`);
  if (d.explanation) paragraphs(doc, `情况说明：${d.explanation}`);

  // The unit and the date, right-aligned; the contact person below.
  doc.moveDown(2);
  doc.font('serif').fontSize(15).text(d.unitName, { width, align: 'right' });
  doc.text(chineseDate(d.date ?? new Date()), { width, align: 'right' });
  doc.moveDown(1.5);
  const contact = [
    d.contactPerson ? `联系人：${d.contactPerson}` : '',
    d.contactPhone ? `联系电话：${d.contactPhone}` : '',
  ]
    .filter(Boolean)
    .join('　　');
  if (contact) doc.fontSize(13).text(`（${contact}）`, { width });

  if (d.draft) watermark(doc, '草稿　未发出');
  return toBuffer(doc);
}

// ---------------------------------------------------------------- 代表建议

export interface SuggestionFormData {
  registrationNo: string | null;
  title: string;
  content: string;
  status: string;
  leadDeputyName: string | null;
  cosigners: string[];
  topic: string;
  submittedAt: Date | string | null;
  keySupervision: boolean;
}

export function fieldRows(doc: Doc, rows: [string, string][]): void {
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  const labelWidth = 86;
  for (const [label, value] of rows) {
    const y = doc.y;
    doc.font('bold').fontSize(13).fillColor('black').text(label, left, y, { width: labelWidth });
    doc
      .font('serif')
      .fontSize(13)
      .text(value || '—', left + labelWidth, y, { width: width - labelWidth, lineGap: 3 });
    const end = Math.max(doc.y, y + 20) + 6;
    doc
      .moveTo(left, end - 3)
      .lineTo(left + width, end - 3)
      .lineWidth(0.5)
      .strokeColor('#bbbbbb')
      .stroke();
    doc.y = end + 3;
  }
  doc.x = left;
}

function suggestionSection(doc: Doc, d: SuggestionFormData): void {
  fieldRows(doc, [
    ['立案号', d.registrationNo ?? '（未立案）'],
    ['提出时间', chineseDate(d.submittedAt)],
    ['领衔代表', d.leadDeputyName ?? ''],
    ['联名代表', d.cosigners.join('、')],
    ['主题', d.topic],
    ['状态', statusLabels[d.status as SuggestionStatus]?.zh ?? d.status],
    ['重点督办', d.keySupervision ? '是' : '否'],
    ['标题', d.title],
  ]);
  doc.moveDown(0.5);
  doc
    .font('bold')
    .fontSize(13)
    .text('内容', { width: contentWidth(doc) });
  doc.moveDown(0.3);
  paragraphs(doc, d.content, 13);
}

/** The suggestion (代表建议) with its signers, as a PDF. */
export function renderSuggestionForm(d: SuggestionFormData): Promise<Buffer> {
  const doc = newDoc(`代表建议${d.registrationNo ? `（${d.registrationNo}）` : ''}`);
  doc.font('bold').fontSize(24).text('代　表　建　议', { align: 'center' });
  doc.moveDown(1);
  suggestionSection(doc, d);
  if (d.status === 'draft') watermark(doc, '草稿　未提交');
  pageNumbers(doc);
  return toBuffer(doc);
}

// ---------------------------------------------------------------- 办理案卷

export interface DossierData {
  suggestion: SuggestionFormData;
  steps: {
    type: string;
    occurredAt: string;
    actorName: string | null;
    unitName: string | null;
    /** The step's reason, comments, category … as label: value. */
    details: [string, string][];
  }[];
  contacts: { unitName: string; contactedOn: string; form: string; summary: string }[];
  opinions: { unitName: string; round: number; body: string; sentAt: Date | string | null }[];
  replies: { letter: ReplyLetterData; round: number; sentAt: Date | string | null }[];
  evaluations: { round: number; rating: string; comment: string | null; ratedByName: string | null }[];
  requests: { unitName: string; kind: string; reason: string; status: string; decisionNote: string | null }[];
  replyReturns: { unitName: string; round: number; reason: string }[];
  consultationSummary: string | null;
  /** 附件: every file the reader may see, listed; JPEG and PNG images embedded (`image`). */
  attachments?: {
    fileName: string;
    ownerLabel: string;
    unitName: string | null;
    sizeBytes: number;
    createdAt: string;
    image?: Buffer | null;
  }[];
  /** Who printed it and when (the archive keeps that). */
  printedBy: string;
  printedAt: Date;
}

const ratingLabels: Record<string, string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  unsatisfied: '不满意',
  no_feedback: '未反馈',
};
const requestLabels: Record<string, string> = { reassignment: '申请调整', extension: '申请延期' };
const requestStatusLabels: Record<string, string> = {
  pending: '待审批',
  approved: '同意',
  refused: '不同意',
};

export function heading(doc: Doc, text: string): void {
  if (doc.y > doc.page.height - doc.page.margins.bottom - 80) doc.addPage();
  doc.moveDown(0.8);
  doc
    .font('bold')
    .fontSize(16)
    .fillColor('black')
    .text(text, doc.page.margins.left, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.4);
}
export function line(doc: Doc, text: string, opts: { grey?: boolean } = {}): void {
  doc
    .font('serif')
    .fontSize(12)
    .fillColor(opts.grey ? GREY : 'black')
    .text(text, doc.page.margins.left, doc.y, { width: contentWidth(doc), lineGap: 3, paragraphGap: 4 });
}

/** The whole file of one item for the archive, as a PDF. */
export function renderDossier(d: DossierData): Promise<Buffer> {
  const s = d.suggestion;
  const doc = newDoc(`办理案卷${s.registrationNo ? `（${s.registrationNo}）` : ''}`);
  // Cover.
  doc.moveDown(6);
  doc.font('bold').fontSize(28).text('代表建议办理案卷', { align: 'center' });
  doc.moveDown(2);
  doc.font('serif').fontSize(16);
  for (const [k, v] of [
    ['立案号', s.registrationNo ?? '（未立案）'],
    ['标题', s.title],
    ['领衔代表', s.leadDeputyName ?? ''],
    ['状态', statusLabels[s.status as SuggestionStatus]?.zh ?? s.status],
  ])
    doc.text(`${k}：${v}`, { align: 'center', lineGap: 6 });
  doc.moveDown(4);
  doc
    .fontSize(12)
    .fillColor(GREY)
    .text(`${d.printedBy} 于 ${chineseDateTime(d.printedAt)} 打印`, { align: 'center' });

  doc.addPage();
  heading(doc, '一、代表建议');
  suggestionSection(doc, s);

  heading(doc, '二、办理轨迹');
  for (const st of d.steps) {
    const who = [st.unitName, st.actorName].filter(Boolean).join(' ');
    line(
      doc,
      `${chineseDateTime(st.occurredAt)}　${stepLabels[st.type]?.zh ?? st.type}${who ? `　${who}` : ''}`,
    );
    for (const [k, v] of st.details) line(doc, `　　${k}：${v}`, { grey: true });
  }

  if (d.contacts.length) {
    heading(doc, '三、沟通记录');
    for (const c of d.contacts)
      line(doc, `${chineseDate(c.contactedOn)}　${c.unitName}　${c.form}：${c.summary}`);
  }
  if (d.opinions.length) {
    heading(doc, '四、协办意见');
    for (const o of d.opinions) {
      line(doc, `${o.unitName}（第${o.round}轮，${o.sentAt ? chineseDate(o.sentAt) : '未发送'}）`);
      paragraphs(doc, o.body, 12);
    }
  }
  if (d.replies.length) {
    heading(doc, '五、答复');
    for (const r of d.replies) {
      const l = r.letter;
      line(
        doc,
        `${l.unitName}（第${r.round}轮，${l.category ? `${l.category}类，` : ''}${r.sentAt ? `${chineseDate(r.sentAt)}答复` : '草稿'}${l.documentNo ? `，${l.documentNo}` : ''}${l.signedByName ? `，签发人 ${l.signedByName}` : ''}）`,
      );
      paragraphs(doc, l.body, 12);
      if (l.promisedDate) line(doc, `计划解决时间：${chineseDate(l.promisedDate)}`);
      if (l.explanation) line(doc, `情况说明：${l.explanation}`);
    }
  }
  if (d.evaluations.length) {
    heading(doc, '六、满意度测评');
    for (const e of d.evaluations)
      line(
        doc,
        `第${e.round}轮：${ratingLabels[e.rating] ?? e.rating}${e.ratedByName ? `（${e.ratedByName}）` : ''}${e.comment ? `　${e.comment}` : ''}`,
      );
  }
  if (d.requests.length || d.replyReturns.length || d.consultationSummary) {
    heading(doc, '七、申请、退回与协商');
    for (const r of d.requests)
      line(
        doc,
        `${r.unitName}　${requestLabels[r.kind] ?? r.kind}：${r.reason}　（${requestStatusLabels[r.status] ?? r.status}${r.decisionNote ? `：${r.decisionNote}` : ''}）`,
      );
    for (const r of d.replyReturns) line(doc, `退回重办　${r.unitName}（第${r.round}轮）：${r.reason}`);
    if (d.consultationSummary) line(doc, `当面协商：${d.consultationSummary}`);
  }
  if (d.attachments?.length) {
    heading(doc, '八、附件');
    d.attachments.forEach((a, i) => {
      const size =
        a.sizeBytes >= 1024 * 1024
          ? `${(a.sizeBytes / 1024 / 1024).toFixed(1)} MB`
          : `${Math.max(1, Math.round(a.sizeBytes / 1024))} KB`;
      line(
        doc,
        `${i + 1}. ${a.fileName}　（${a.ownerLabel}${a.unitName ? `，${a.unitName}` : ''}，${size}，${chineseDate(a.createdAt)}）`,
      );
      if (a.image) {
        const h = 220;
        if (doc.y + h > doc.page.height - doc.page.margins.bottom) doc.addPage();
        try {
          doc.image(a.image, doc.page.margins.left, doc.y, { fit: [contentWidth(doc), h] });
          doc.y += h + 8;
        } catch {
          line(doc, '（图片无法嵌入）', { grey: true });
        }
      }
    });
  }
  pageNumbers(doc);
  return toBuffer(doc);
}
