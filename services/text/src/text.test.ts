import { describe, expect, it } from 'vitest';
import {
  DUPLICATE_THRESHOLD,
  compareSentences,
  groupFolds,
  highlight,
  labelledSuggestions,
  labelledUnits,
  parseQuery,
  profile,
  recommendUnits,
  searchDocument,
  similarity,
  askPart,
  snippet,
  words,
} from './index';

describe('segmentation', () => {
  it('keeps domain terms whole and indexes the words inside them', () => {
    expect(words('关于老旧小区加装电梯的建议')).toContain('加装电梯');
    const doc = searchDocument('完善城乡公交线路', '天目湖镇');
    for (const w of ['城乡公交', '城乡', '公交', '线路', '天目湖镇']) expect(doc.split(' ')).toContain(w);
  });
  it('drops punctuation and normalises full-width Latin letters and case', () => {
    expect(searchDocument('ＡＢＣ，5G基站！').split(' ')).toEqual(expect.arrayContaining(['abc', '5g']));
    expect(searchDocument('，。！')).toBe('');
  });
});

describe('parseQuery', () => {
  it('ANDs the segmented words and treats Latin words as prefixes', () => {
    const q = parseQuery('城乡公交 LT3f');
    expect(q.tsquery).toBe("'城乡公交' & 'lt3f':*");
    expect(q.phrases).toEqual([]);
  });
  it('keeps quoted phrases exact and adjacent', () => {
    const q = parseQuery('“加装 电梯” 补贴');
    expect(q.phrases).toEqual(['加装 电梯']);
    expect(q.tsquery).toContain("('加装' <-> '电梯')");
    expect(q.tsquery).toContain("'补贴'");
  });
  it('takes signs literally and never lets them reach tsquery syntax', () => {
    const q = parseQuery("ab%_ x'|!(");
    expect(q.phrases).toContain('ab%_');
    expect(q.tsquery).not.toMatch(/[|!(]/);
  });
  it('recognises a registration number (or its start)', () => {
    expect(parseQuery('2026-第0001号').registrationPrefix).toBe('2026-第0001号');
    expect(parseQuery('电梯').registrationPrefix).toBeNull();
    expect(parseQuery('%%').tsquery).toBeNull();
  });
});

describe('highlight', () => {
  it('marks every occurrence, longest term first, without overlaps', () => {
    expect(highlight('加装电梯和电梯', ['电梯', '加装电梯'])).toEqual([
      { text: '加装电梯', hit: true },
      { text: '和' },
      { text: '电梯', hit: true },
    ]);
  });
  it('cuts a window around the first hit', () => {
    const s = snippet('甲'.repeat(100) + '公交' + '乙'.repeat(100), ['公交'], 20);
    expect(s[0]).toEqual({ text: '…' });
    expect(s.some((p) => p.hit && p.text === '公交')).toBe(true);
  });
});

describe('duplicates', () => {
  const a = profile(
    '关于推进老旧小区加装电梯的建议',
    '老旧小区老年住户比例高，上下楼困难。建议简化加装电梯审批流程，加大财政补贴力度，协调低层住户利益。',
  );
  const paraphrase = profile(
    '关于加快老小区增设电梯的建议',
    '很多老小区没有电梯，住在五六楼的老人出门困难。希望简化增设电梯审批，给予财政补贴，协调一楼住户的意见。',
  );
  const unrelated = profile(
    '关于规范共享单车停放的建议',
    '共享单车乱停乱放，占用盲道，建议划定停放区，推行电子围栏。',
  );
  it('finds the obvious paraphrase and not the unrelated item', () => {
    expect(similarity(a, paraphrase).score).toBeGreaterThanOrEqual(DUPLICATE_THRESHOLD);
    expect(similarity(a, unrelated).score).toBeLessThan(DUPLICATE_THRESHOLD);
    expect(similarity(a, paraphrase).shared).toContain('电梯');
  });
  it('ranks the paraphrase above an item on the same topic that asks for something else', () => {
    const sameTopic = profile(
      '关于加强老旧小区电梯安全监管的建议',
      '老旧小区电梯老化，经常困人，住户上下楼提心吊胆。建议加强电梯维保单位监管，推行电梯安全责任保险。',
    );
    const s = similarity(a, sameTopic);
    expect(similarity(a, paraphrase).score).toBeGreaterThan(s.score);
    expect(similarity(a, paraphrase).ask).toBeGreaterThan(s.ask);
  });
  it('takes the ask from the first sentence that proposes, and manages without a title or an ask', () => {
    expect(askPart('路面破损。建议拓宽道路，增设路灯。')).toBe('建议拓宽道路，增设路灯。');
    expect(askPart('路面破损，没人管。')).toBe('');
    // A draft with no proposal sentence yet, a message with no title: the word signal stands in.
    const draft = profile('关于推进老旧小区加装电梯的建议', '老旧小区老年住户比例高，上下楼困难。');
    const d = similarity(draft, paraphrase);
    expect(d.ask).toBe(d.words);
    const message = profile('', '老小区没有电梯，老人上下楼困难，希望增设电梯。');
    const m = similarity(message, paraphrase);
    expect(m.title).toBe(m.words);
    expect(m.score).toBeGreaterThanOrEqual(DUPLICATE_THRESHOLD);
    expect(similarity(message, unrelated).score).toBeLessThan(DUPLICATE_THRESHOLD);
  });
  it('marks the sentences the other text does not have', () => {
    const c = compareSentences('路面破损。建议拓宽道路。', '路面破损。建议增设路灯。');
    expect(c.left.map((s) => s.same)).toEqual([true, false]);
    expect(c.right.map((s) => s.same)).toEqual([true, false]);
  });
});

describe('unit recommendation', () => {
  const units = labelledUnits().map((u) => ({ id: u.code, name: u.name, profile: profile(u.name, u.remit) }));
  it('on a cold start proposes the unit whose remit matches', () => {
    const r = recommendUnits(
      profile('关于增开城乡公交班次的建议', '农村公交班次少，候车时间长。'),
      [],
      units,
    );
    expect(r.lead.map((x) => x.unitId)).toContain('JTJ');
    expect(r.lead[0]!.reason).toMatch(/职责/);
  });
  it('learns from past assignments (lead and co-handlers)', () => {
    const past = [
      {
        title: '关于整治广场舞噪声的建议',
        profile: profile('关于整治广场舞噪声的建议', '广场舞音响声音大，影响居民休息。'),
        lead: 'CGJ',
        coHandlers: ['GAJ'],
      },
    ];
    const r = recommendUnits(
      profile('关于治理广场舞音响扰民的建议', '晚上广场舞音响声音太大，居民无法休息。'),
      past,
      units,
    );
    expect(r.lead[0]!.unitId).toBe('CGJ');
    expect(r.lead[0]!.reason).toContain('整治广场舞噪声');
    expect(r.coHandlers.map((x) => x.unitId)).toContain('GAJ');
  });
});

describe('the labelled set', () => {
  it('has at least 150 items, 30 units, and every label names a unit of the list', () => {
    const items = labelledSuggestions();
    const codes = new Set(labelledUnits().map((u) => u.code));
    expect(items.length).toBeGreaterThanOrEqual(150);
    expect(codes.size).toBe(30);
    for (const i of items)
      for (const u of [i.lead, ...i.coHandlers]) expect(codes.has(u), `${i.id} ${u}`).toBe(true);
    const groups = new Map<string, number>();
    for (const i of items)
      if (i.duplicateGroup) groups.set(i.duplicateGroup, (groups.get(i.duplicateGroup) ?? 0) + 1);
    for (const [g, n] of groups) expect(n, g).toBeGreaterThanOrEqual(2);
  });
});

describe('cross-validation folds', () => {
  it('keeps a duplicate group in one fold and uses every fold', () => {
    const items = labelledSuggestions();
    const fold = groupFolds(items);
    const byGroup = new Map<string, Set<number>>();
    items.forEach((it, i) => {
      if (it.duplicateGroup)
        byGroup.set(it.duplicateGroup, (byGroup.get(it.duplicateGroup) ?? new Set()).add(fold[i]!));
    });
    for (const [g, folds] of byGroup) expect(folds.size, g).toBe(1);
    expect(new Set(fold).size).toBe(5);
  });
});
