import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configurationReference, settingDocs } from './config';

const root = path.resolve(__dirname, '../../..');
const doc = readFileSync(path.join(root, 'docs/configuration.md'), 'utf8');

describe('docs/configuration.md documents every variable the configuration reads', () => {
  it('names every JIANYI_* variable written in config.ts', () => {
    const source = readFileSync(path.join(__dirname, 'config.ts'), 'utf8');
    const read = new Set(source.match(/\bJIANYI_[A-Z0-9_]+/g) ?? []);
    const undocumented = [...read].filter((v) => !doc.includes(`\`${v}\``));
    expect(undocumented).toEqual([]);
  });

  it('every declared variable has a description', () => {
    expect(settingDocs.filter((d) => d.doc.length < 10).map((d) => d.name)).toEqual([]);
    expect(new Set(settingDocs.map((d) => d.name)).size).toBe(settingDocs.length);
  });

  it('is up to date with the declarations (regenerate: pnpm config:doc)', () => {
    expect(doc).toBe(configurationReference());
  });
});
