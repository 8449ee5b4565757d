/**
 * Measures the two methods on the labelled set (used by bench/text-quality.bench.ts):
 * - duplicates: every pair of items is scored; a pair at or above the threshold is "flagged"; truth is
 *   "same duplicate group". Precision = flagged true pairs / flagged pairs; recall = flagged true pairs /
 *   true pairs.
 * - recommendation: a fixed split, every third item (by id) is a test item, the rest are the past items
 *   the method learns from (an item's duplicates may be in either part, as in real life when a proposal
 *   comes back a year later). Top-k = share of test items whose true lead unit is among the first k.
 *   Also measured with no past items at all (remit texts only: the cold start).
 */
import { type LabelledSuggestion, labelledSuggestions, labelledUnits } from './dataset';
import { recommendUnits } from './recommend';
import { DUPLICATE_THRESHOLD, profile, similarity } from './similarity';

export function duplicatePairs(items: LabelledSuggestion[], threshold = DUPLICATE_THRESHOLD) {
  const ps = items.map((i) => profile(i.title, i.content));
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const misses: string[] = [];
  const falseAlarms: string[] = [];
  for (let a = 0; a < items.length; a++)
    for (let b = a + 1; b < items.length; b++) {
      const same = !!items[a]!.duplicateGroup && items[a]!.duplicateGroup === items[b]!.duplicateGroup;
      const s = similarity(ps[a]!, ps[b]!).score;
      const flagged = s >= threshold;
      if (flagged && same) tp++;
      else if (flagged) {
        fp++;
        falseAlarms.push(`${items[a]!.id}~${items[b]!.id} ${s.toFixed(2)}`);
      } else if (same) {
        fn++;
        misses.push(`${items[a]!.id}~${items[b]!.id} ${s.toFixed(2)}`);
      }
    }
  return {
    threshold,
    truePairs: tp + fn,
    flagged: tp + fp,
    precision: tp + fp ? tp / (tp + fp) : 1,
    recall: tp + fn ? tp / (tp + fn) : 1,
    misses,
    falseAlarms,
  };
}

export function recommendationAccuracy(opts: { coldStart?: boolean; k?: number; remitWeight?: number } = {}) {
  const items = labelledSuggestions();
  const units = labelledUnits().map((u) => ({ id: u.code, name: u.name, profile: profile(u.name, u.remit) }));
  const test = items.filter((_, i) => i % 3 === 2);
  const train = opts.coldStart ? [] : items.filter((_, i) => i % 3 !== 2);
  const past = train.map((t) => ({
    title: t.title,
    profile: profile(t.title, t.content),
    lead: t.lead,
    coHandlers: t.coHandlers,
  }));
  let top1 = 0;
  let top3 = 0;
  let coHit = 0;
  let coTotal = 0;
  const wrong: string[] = [];
  for (const t of test) {
    const r = recommendUnits(profile(t.title, t.content), past, units, opts);
    const ids = r.lead.map((x) => x.unitId);
    if (ids[0] === t.lead) top1++;
    if (ids.includes(t.lead)) top3++;
    else wrong.push(`${t.id} ${t.title} → ${ids.join(',')} (truth ${t.lead})`);
    for (const c of t.coHandlers) {
      coTotal++;
      if (r.coHandlers.some((x) => x.unitId === c)) coHit++;
    }
  }
  return {
    train: train.length,
    test: test.length,
    top1: top1 / test.length,
    top3: top3 / test.length,
    coHandlerRecallTop3: coTotal ? coHit / coTotal : 1,
    wrong,
  };
}
