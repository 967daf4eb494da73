import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { en, zhCN } from './i18n';

await i18next.init({ resources: { en: { translation: {} }, 'zh-CN': { translation: {} } }, lng: 'en', initAsync: false });

function keys(o: unknown, prefix = ''): string[] {
  if (!o || typeof o !== 'object') return [prefix];
  return Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe('Questions step strings', () => {
  it('English and Chinese hold the same keys', () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
  });

  it('no string is empty, and placeholders match between the languages', () => {
    const flat = (o: unknown, prefix = ''): [string, string][] =>
      o && typeof o === 'object' ? Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => flat(v, prefix ? `${prefix}.${k}` : k)) : [[prefix, String(o)]];
    const zh = new Map(flat(zhCN));
    for (const [k, v] of flat(en)) {
      expect(v.trim(), k).not.toBe('');
      const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
      expect(vars(zh.get(k) ?? ''), k).toEqual(vars(v));
    }
  });

  it('registers both bundles under questions.*', () => {
    expect(i18next.getResourceBundle('en', 'translation')).toMatchObject({ questions: { title: 'Questions' } });
    expect(i18next.getResourceBundle('zh-CN', 'translation')).toMatchObject({ questions: { title: '题目' } });
  });
});
