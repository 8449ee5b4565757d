/**
 * The printed documents, read back as a reader would: the PDF's text (pdftotext), its fonts (pdffonts:
 * embedded, so it prints the same anywhere) and each first page rendered to PNG (pdftoppm), kept in
 * test-results/print/ as artifacts to look at. Poppler's tools come from infra/install.sh.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderDossier, renderReplyLetter, renderSuggestionForm, type ReplyLetterData } from './documents';

const out = path.resolve(__dirname, '../../../../test-results/print');
mkdirSync(out, { recursive: true });

/** Writes the PDF, renders its first page to PNG beside it, and answers the PDF's text. */
function readBack(name: string, pdf: Buffer): { text: string; fonts: string; pages: number } {
  const file = path.join(out, `${name}.pdf`);
  writeFileSync(file, pdf);
  execFileSync('pdftoppm', [
    '-png',
    '-r',
    '60',
    '-f',
    '1',
    '-l',
    '1',
    '-singlefile',
    file,
    path.join(out, name),
  ]);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return { text, fonts, pages: Number(/Pages:\s+(\d+)/.exec(info)?.[1]) };
}
/** pdftotext keeps the layout's spaces; compare without them. */
const squeeze = (s: string) => s.replace(/\s+/g, '');

const letter: ReplyLetterData = {
  unitName: '市住房和城乡建设局',
  documentNo: '市建复〔2026〕12号',
  signedByName: '王建国',
  category: 'B',
  registrationNo: '2026-第0153号',
  title: '关于加快老旧小区加装电梯的建议',
  deputies: ['李明', '张华'],
  body: '您提出的关于加快老旧小区加装电梯的建议收悉。\n我局高度重视，会同各区政府制定了年度计划。',
  promisedDate: '2027-06-30',
  explanation: null,
  date: '2026-12-02T02:00:00Z',
  contactPerson: '赵敏',
  contactPhone: '0571-87654321',
  publication: 'public',
  keyItem: false,
  draft: false,
};

describe('答复函 (reply letter)', () => {
  it('carries what process.md lists: 文号, deputies, registration number, title, body, category, 签发人, date, contact', async () => {
    const { text, fonts } = readBack('reply-letter', await renderReplyLetter(letter));
    const t = squeeze(text);
    for (const expected of [
      '市住房和城乡建设局',
      '市建复〔2026〕12号',
      '签发人：王建国',
      'B类（正在解决或列入计划解决）',
      '同意公开',
      '对2026-第0153号代表建议的答复',
      '（关于加快老旧小区加装电梯的建议）',
      '李明、张华代表：',
      '我局高度重视，会同各区政府制定了年度计划。',
      '计划解决时间：2027年6月30日。',
      '2026年12月2日',
      '联系人：赵敏',
      '联系电话：0571-87654321',
    ])
      expect(t).toContain(squeeze(expected));
    expect(t).not.toContain('草稿');
    // The CJK font is embedded (as a subset), not referenced.
    expect(fonts).toMatch(/NotoSerifCJK/);
    expect(fonts).not.toMatch(/\bno\s+no\s+no\b/);
    expect(fonts.split('\n').filter((l) => /CID|Type/.test(l) && / yes /.test(l)).length).toBeGreaterThan(0);
  });

  it('a draft prints as a preview marked 草稿, a withheld reply says 不予公开, C prints its explanation', async () => {
    const { text } = readBack(
      'reply-letter-draft',
      await renderReplyLetter({
        ...letter,
        draft: true,
        category: 'C',
        promisedDate: null,
        explanation: '受用地指标限制，暂时无法实施。',
        publication: 'withheld',
        keyItem: true,
        signedByName: null,
        documentNo: null,
      }),
    );
    const t = squeeze(text);
    expect(t).toContain('草稿');
    expect(t).toContain('不予公开');
    expect(t).toContain('重点督办');
    expect(t).toContain(squeeze('情况说明：受用地指标限制，暂时无法实施。'));
    expect(t).not.toContain('计划解决时间');
    expect(t).not.toContain('同意公开');
  });
});

describe('代表建议 and 办理案卷', () => {
  const form = {
    registrationNo: '2026-第0153号',
    title: '关于加快老旧小区加装电梯的建议',
    content: '一、现状。\n'.repeat(3) + '建议市政府加大财政补贴力度。'.repeat(40),
    status: 'closed',
    leadDeputyName: '李明',
    cosigners: ['张华', '陈静'],
    topic: '城乡建设',
    submittedAt: '2026-03-05T01:00:00Z',
    keySupervision: true,
  };

  it('the suggestion form names the signers and flows the text over pages with page numbers', async () => {
    const { text, pages } = readBack('suggestion-form', await renderSuggestionForm(form));
    const t = squeeze(text);
    expect(t).toContain('代表建议');
    expect(t).toContain('2026-第0153号');
    expect(t).toContain(squeeze('联名代表 张华、陈静'));
    expect(t).toContain('2026年3月5日');
    expect(t).toContain('城乡建设');
    expect(t).toContain(`第1页共${pages}页`);
  });

  it('the dossier lists every step in order with its reason, the contacts, replies and ratings', async () => {
    const { text } = readBack(
      'dossier',
      await renderDossier({
        suggestion: form,
        steps: [
          {
            type: 'suggestion.submitted',
            occurredAt: '2026-03-05T01:00:00Z',
            actorName: '李明',
            unitName: null,
            details: [],
          },
          {
            type: 'suggestion.returned',
            occurredAt: '2026-03-06T02:00:00Z',
            actorName: '审查员',
            unitName: null,
            details: [['修改意见', '请补充现状数据']],
          },
          {
            type: 'suggestion.reply_sent',
            occurredAt: '2026-05-06T02:00:00Z',
            actorName: '赵敏',
            unitName: '市住房和城乡建设局',
            details: [],
          },
        ],
        contacts: [
          {
            unitName: '市住房和城乡建设局',
            contactedOn: '2026-04-01',
            form: '面商',
            summary: '上门听取意见',
          },
        ],
        opinions: [],
        replies: [{ letter, round: 1, sentAt: '2026-05-06T02:00:00Z' }],
        evaluations: [
          { round: 1, rating: 'basically_satisfied', comment: '希望加快进度', ratedByName: '李明' },
        ],
        requests: [],
        replyReturns: [],
        consultationSummary: null,
        printedBy: '审查员',
        printedAt: new Date('2026-12-02T02:00:00Z'),
      }),
    );
    const t = squeeze(text);
    expect(t).toContain('代表建议办理案卷');
    const order = ['提交建议', '退回修改', '修改意见：请补充现状数据', '答复代表'].map((x) =>
      t.indexOf(squeeze(x)),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(t).toContain(squeeze('面商：上门听取意见'));
    expect(t).toContain('市建复〔2026〕12号');
    expect(t).toContain(squeeze('第1轮：基本满意（李明） 希望加快进度'));
  });
});
