/**
 * Quality of duplicates (疑似重复) and unit recommendation (交办推荐) on the labelled set
 * (services/text/data, 160 suggestions, 30 units). No stack needed: `pnpm bench:text`
 * (also run by `./dev bench`). Writes bench/results/text-quality.json.
 * The method of measurement (cross-validation, what is tuned where) is in services/text/src/evaluate.ts.
 */
import {
  DUPLICATE_THRESHOLD,
  DUPLICATE_WEIGHTS,
  type DuplicateWeights,
  duplicateCrossValidation,
  duplicatePairs,
  labelledSuggestions,
  recommendationAccuracy,
  tunedOnAll,
} from '../services/text/src';
import { machineInfo, printTable, writeResults } from './_shared';

const fmtW = (w: DuplicateWeights) => `${w.words}/${w.chars}/${w.title}/${w.ask} p${w.titlePower}`;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

const items = labelledSuggestions();
const cv = duplicateCrossValidation(items);
const inSample = duplicatePairs(items);
const tuned = tunedOnAll(items);
const rec = recommendationAccuracy();
const cold = recommendationAccuracy({ coldStart: true });

printTable(
  `Duplicates on ${items.length} labelled suggestions (${cv.truePairs} true pairs)`,
  ['measure', 'precision', 'recall', 'flagged'],
  [
    [`${cv.folds}-fold cross-validated (honest)`, r3(cv.precision), r3(cv.recall), cv.flagged],
    [
      `in-sample at the default (${fmtW(DUPLICATE_WEIGHTS)}, t=${DUPLICATE_THRESHOLD})`,
      r3(inSample.precision),
      r3(inSample.recall),
      inSample.flagged,
    ],
  ],
);
console.log(
  `nearest item is a duplicate: ${pct(cv.nearestIsDuplicate)}; a duplicate among the 3 nearest: ${pct(cv.duplicateInNearest3)} (${cv.itemsWithDuplicate} items with a duplicate)`,
);
console.log(
  `per fold (weights words/chars/title/ask, title power; threshold): ${cv.perFold.map((f) => `${fmtW(f.weights)}; ${f.threshold}`).join(' | ')}`,
);
console.log(`the same rule on the whole set picks: ${fmtW(tuned.weights)}, t=${tuned.threshold}`);
printTable(
  `Unit recommendation (${rec.test} items, ${rec.folds}-fold)`,
  ['measure', 'top-1', 'top-3', 'co-handler recall@3'],
  [
    ['past items + remit texts', pct(rec.top1), pct(rec.top3), pct(rec.coHandlerRecallTop3)],
    ['remit texts only (cold start)', pct(cold.top1), pct(cold.top3), pct(cold.coHandlerRecallTop3)],
  ],
);

const file = writeResults('text-quality', {
  name: 'text-quality',
  machine: machineInfo(),
  labelledItems: items.length,
  duplicates: {
    crossValidated: {
      method: cv.method,
      folds: cv.folds,
      precision: r3(cv.precision),
      recall: r3(cv.recall),
      truePairs: cv.truePairs,
      flagged: cv.flagged,
      perFold: cv.perFold,
      nearestIsDuplicate: r3(cv.nearestIsDuplicate),
      duplicateInNearest3: r3(cv.duplicateInNearest3),
      falseAlarms: cv.falseAlarms,
      misses: cv.misses,
    },
    inSampleAtDefault: {
      weights: DUPLICATE_WEIGHTS,
      threshold: DUPLICATE_THRESHOLD,
      precision: r3(inSample.precision),
      recall: r3(inSample.recall),
      flagged: inSample.flagged,
    },
    tunedOnAll: tuned,
  },
  recommendation: {
    withPast: {
      ...rec,
      top1: r3(rec.top1),
      top3: r3(rec.top3),
      coHandlerRecallTop3: r3(rec.coHandlerRecallTop3),
    },
    coldStart: {
      ...cold,
      top1: r3(cold.top1),
      top3: r3(cold.top3),
      coHandlerRecallTop3: r3(cold.coHandlerRecallTop3),
    },
  },
});
console.log(`\nwrote ${file}`);
