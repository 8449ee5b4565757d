/**
 * Accessibility checks with axe-core (Deque's engine, the one browsers' audit tools use), run inside
 * the real Chromium on the page as the user sees it: WCAG 2.1 A and AA rules. The journeys and the
 * page tour call `axeViolations()` and expect no serious or critical violation.
 */
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axePath = createRequire(__filename).resolve('axe-core/axe.min.js');

export interface A11yViolation {
  id: string;
  impact: string | null;
  help: string;
  /** Where: the first few CSS targets of the failing nodes. */
  targets: string[];
}

/** The serious and critical WCAG 2.1 A/AA violations on the page now. */
export async function axeViolations(page: Page): Promise<A11yViolation[]> {
  // These functions run in the page (the tests' tsconfig has no DOM types: the page's globals by name).
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () => {
    const g = globalThis as unknown as {
      axe: { run: (ctx: unknown, opts: unknown) => Promise<unknown> };
      document: unknown;
    };
    return (await g.axe.run(g.document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    })) as {
      violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
    };
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
}
