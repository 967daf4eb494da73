// Shared checks for a step's own string bundle (each step registers its strings under one namespace
// key): the same keys in English and Chinese, no empty string, the same {{variables}}, and registered.
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';

type Tree = Record<string, unknown>;

function leaves(o: unknown, prefix = ''): [string, string][] {
  return typeof o === 'object' && o !== null
    ? Object.entries(o as Tree).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k))
    : [[prefix, String(o)]];
}

const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

export function describeStepStrings(step: string, en: Tree, zhCN: Tree): void {
  describe(`${step} step strings`, () => {
    it('hold the same keys in English and Chinese', () => {
      expect(leaves(zhCN).map(([k]) => k).sort()).toEqual(leaves(en).map(([k]) => k).sort());
    });

    it('have no empty string and keep the same {{variables}}', () => {
      const zh = new Map(leaves(zhCN));
      for (const [k, v] of leaves(en)) {
        expect(v.trim(), k).not.toBe('');
        expect(vars(zh.get(k) ?? ''), k).toEqual(vars(v));
      }
    });

    it('are registered with i18next in both languages', async () => {
      if (!i18next.isInitialized) await i18next.init({ resources: {}, lng: 'en', initAsync: false });
      const [first, text] = leaves(en)[0] as [string, string];
      expect(i18next.t(`${step}.${first}`, { lng: 'en' })).toBe(text);
      expect(i18next.t(`${step}.${first}`, { lng: 'zh-CN' })).toBe(leaves(zhCN).find(([k]) => k === first)?.[1]);
    });
  });
}
