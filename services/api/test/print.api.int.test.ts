/**
 * Printed documents (打印) walked as the roles use them, on the real stack: the unit drafts its reply
 * with the letter's 文号 and contact, previews the 答复函 (marked 草稿) while the deputy and other
 * units cannot see it; the leader signs, the unit sends; the deputy then prints the letter with the
 * 签发人; the reviewer prints the dossier with every step; the deputy's dossier leaves out the unit's
 * internal steps. Each PDF is read back with poppler (pdftotext), and every print is audited.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type ApiSession } from '@jianyi/platform/src/testing';
import { AuthzWorld, JTJ, contactBody, userId, type Item } from './authz-support';

let world: AuthzWorld;
let item: Item;
const dir = mkdtempSync(path.join(tmpdir(), 'jianyi-print-'));

beforeAll(async () => {
  world = await AuthzWorld.open();
  item = await world.signedIn();
}, 180_000);
afterAll(async () => {
  await world?.close();
});

/** The PDF's text as a reader sees it (spaces of the layout removed), or the status when refused. */
async function printed(s: ApiSession, file: string): Promise<{ status: number; text: string }> {
  const r = await s.download(`/api/suggestions/${item.id}/print/${file}`);
  if (r.status !== 200) return { status: r.status, text: r.bytes.toString('utf8') };
  expect(r.type).toBe('application/pdf');
  const f = path.join(dir, `${Date.now()}-${Math.random()}.pdf`);
  writeFileSync(f, r.bytes);
  return { status: 200, text: execFileSync('pdftotext', [f, '-'], { encoding: 'utf8' }).replace(/\s+/g, '') };
}

const letter = {
  category: 'B',
  body: '已将地铁站周边非机动车停放区建设列入明年计划，先行增加调度人员。',
  promisedDate: '2027-06-30',
  documentNo: '市交复〔2026〕88号',
  contactPerson: '周洁',
  contactPhone: '0571-85000000',
};

describe('printed documents (答复函, 代表建议, 办理案卷)', () => {
  it('the unit previews its draft letter; nobody outside the unit sees it until it is sent', async () => {
    const { unitHandler, leadDeputy, otherUnit } = world.as;
    expect((await world.unitStep(unitHandler, item, 'contacts', contactBody)).status).toBe(200);
    expect((await world.unitStep(unitHandler, item, 'reply', letter)).status).toBe(200);

    const preview = await printed(unitHandler, `reply-letter.pdf?unitId=${JTJ}`);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('草稿');
    expect(preview.text).toContain('市交复〔2026〕88号');
    expect(preview.text).toContain('联系人：周洁');
    expect(preview.text).toContain('计划解决时间：2027年6月30日');

    // The deputy and an unassigned unit: as if there were no letter.
    expect((await printed(leadDeputy, 'reply-letter.pdf')).status).toBe(404);
    expect((await printed(otherUnit, `reply-letter.pdf?unitId=${JTJ}`)).status).toBe(404);
    // The unit's own timeline carries the letter's fields with the draft.
    const t = await unitHandler.call('GET', `/api/suggestions/${item.id}/timeline`);
    expect(t.body.replies[0]).toMatchObject({
      documentNo: letter.documentNo,
      contactPerson: letter.contactPerson,
      contactPhone: letter.contactPhone,
    });
  });

  it('bad input names the field; a phone that is not a phone is refused', async () => {
    const bad = await world.unitStep(world.as.unitHandler, item, 'reply', {
      ...letter,
      contactPhone: '请致电',
    });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body.errors)).toContain('contactPhone');
    const q = await world.as.reviewer.download(
      `/api/suggestions/${item.id}/print/reply-letter.pdf?round=abc`,
    );
    expect(q.status).toBe(422);
    expect(q.bytes.toString('utf8')).toContain('round');
  });

  it('after sign-off and sending, the deputy prints the letter with its 签发人 and no draft mark', async () => {
    const { unitHandler, unitLeader, leadDeputy } = world.as;
    expect((await world.unitStep(unitLeader, item, 'reply/sign-off')).status).toBe(200);
    expect((await world.unitStep(unitHandler, item, 'reply/send')).status).toBe(200);
    await waitFor(
      'replied',
      async () => (await leadDeputy.call('GET', `/api/suggestions/${item.id}`)).body?.status === 'replied',
    );
    const leader = await unitLeader.call('GET', '/api/me');
    const sent = await printed(leadDeputy, 'reply-letter.pdf');
    expect(sent.status).toBe(200);
    expect(sent.text).not.toContain('草稿');
    expect(sent.text).toContain('市交复〔2026〕88号');
    expect(sent.text).toContain(`签发人：${leader.body.user.displayName}`);
    expect(sent.text).toContain('B类');
    expect(sent.text).toContain('代表：');
  });

  it("the reviewer's dossier has every step; the deputy's leaves out the unit's internal steps", async () => {
    const full = await printed(world.as.reviewer, 'dossier.pdf');
    expect(full.status).toBe(200);
    for (const step of [
      '提交建议',
      '立案',
      '交办',
      '签收',
      '与代表沟通',
      '拟写答复',
      '负责人签发',
      '答复代表',
    ])
      expect(full.text).toContain(step);
    expect(full.text).toContain('市交复〔2026〕88号');

    const deputy = await printed(world.as.leadDeputy, 'dossier.pdf');
    expect(deputy.status).toBe(200);
    expect(deputy.text).toContain('答复代表');
    expect(deputy.text).not.toContain('拟写答复');
    expect(deputy.text).not.toContain('负责人签发');

    const form = await printed(world.as.leadDeputy, 'suggestion.pdf');
    expect(form.status).toBe(200);
    expect(form.text).toContain('代表建议');
  });

  it('every print is audited with who printed which document', async () => {
    const rows: { actor: string; document: string }[] = await world.ds.query(
      `SELECT actor_user_id::text AS actor, after->>'document' AS document FROM audit_log
       WHERE entity_id = $1 AND action = 'print.document' ORDER BY id`,
      [item.id],
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        { actor: userId('unitHandler'), document: 'reply_letter' },
        { actor: userId('leadDeputy'), document: 'reply_letter' },
        { actor: userId('reviewer'), document: 'dossier' },
        { actor: userId('leadDeputy'), document: 'dossier' },
        { actor: userId('leadDeputy'), document: 'suggestion' },
      ]),
    );
    // Refused prints wrote no print row.
    expect(rows.filter((r) => r.actor === userId('otherUnit'))).toEqual([]);
  });
});
