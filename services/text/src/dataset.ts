/**
 * The labelled set (data/labelled-suggestions.txt, data/units.json): 160 suggestions written for this
 * project in the style of city-level suggestions, each with its lead unit, co-handlers and, for 28
 * groups, the other items that are the same proposal written differently. See data/README.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LabelledUnit {
  code: string;
  name: string;
  remit: string;
}
export interface LabelledSuggestion {
  id: string;
  year: number;
  lead: string;
  coHandlers: string[];
  duplicateGroup: string | null;
  title: string;
  content: string;
}

const dir = join(__dirname, '..', 'data');

export function labelledUnits(): LabelledUnit[] {
  return JSON.parse(readFileSync(join(dir, 'units.json'), 'utf8')) as LabelledUnit[];
}

export function labelledSuggestions(): LabelledSuggestion[] {
  return readFileSync(join(dir, 'labelled-suggestions.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => {
      const [id, year, lead, co, dup, title, content] = l.split('|');
      if (!id || !year || !lead || co === undefined || dup === undefined || !title || !content)
        throw new Error(`bad line in labelled-suggestions.txt: ${l}`);
      return {
        id,
        year: Number(year),
        lead,
        coHandlers: co ? co.split(',') : [],
        duplicateGroup: dup || null,
        title,
        content,
      };
    });
}
