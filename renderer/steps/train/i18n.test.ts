import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { en, zhCN } from './i18n';

function keys(o: unknown, prefix = ''): string[] {
  return typeof o === 'object' && o !== null ? Object.entries(o).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k)) : [prefix];
}

describe('train strings', () => {
  it('hold the same keys in English and Chinese', () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
  });

  it('have no empty string and keep the same {{variables}}', () => {
    const flat = (o: unknown, p = ''): [string, string][] =>
      typeof o === 'object' && o !== null ? Object.entries(o).flatMap(([k, v]) => flat(v, p ? `${p}.${k}` : k)) : [[p, String(o)]];
    const zh = new Map(flat(zhCN));
    for (const [k, v] of flat(en)) {
      expect(v.trim(), k).not.toBe('');
      const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
      expect(vars(zh.get(k) ?? ''), k).toEqual(vars(v));
    }
  });

  it('are registered with i18next in both languages', async () => {
    await i18next.init({ lng: 'zh-CN', resources: {}, initAsync: false });
    expect(i18next.exists('train.lead', { lng: 'en' })).toBe(true);
    expect(i18next.t('train.lead')).toBe(zhCN.lead);
  });
});
