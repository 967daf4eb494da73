// The renderer's strings have one layout (resources.ts): `<language>/<namespace>.json`, loaded by one glob.
import fs from 'node:fs';
import path from 'node:path';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, resources, strings, type Strings } from './resources';

const here = import.meta.dirname;
const renderer = path.resolve(here, '..');

/** Every string of a tree as [key path, text]; an item of a list is keyed by its index. */
function leaves(o: Strings, prefix = ''): [string, string][] {
  if (typeof o === 'string') return [[prefix, o]];
  if (Array.isArray(o)) return o.flatMap((s, i) => leaves(s, `${prefix}[${i}]`));
  return Object.entries(o).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

const placeholders = (s: string) => [...new Set([...s.matchAll(/\{\{\s*(\w+)[^}]*\}\}/g)].map((m) => m[1]))].sort();

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : [p];
  });
}

const namespaces = Object.keys(strings.en ?? {}).sort();

describe('the renderer strings layout', () => {
  it('has a folder per language, each with the same namespace files', () => {
    expect(Object.keys(strings).sort()).toEqual([...LANGUAGES].sort());
    expect(namespaces.length).toBeGreaterThan(20);
    for (const lang of LANGUAGES) expect(fs.readdirSync(path.join(here, lang)).sort(), lang).toEqual(namespaces.map((n) => `${n}.json`));
    expect(namespaces).toEqual(expect.arrayContaining(['errors', 'notes', 'train', 'evaluate', 'review', 'questions', 'curate', 'teacher', 'traces', 'models', 'safe']));
  });

  describe.each(namespaces)('%s', (ns) => {
    const en = leaves(strings.en![ns]!);
    const zh = new Map(leaves(strings['zh-CN']![ns]!));

    it('holds the same keys in English and Chinese', () => {
      expect([...zh.keys()].sort()).toEqual(en.map(([k]) => k).sort());
    });

    it('has no empty string and the same {{placeholders}} per key', () => {
      for (const [k, v] of en) {
        expect(v.trim(), `en ${ns}.${k}`).not.toBe('');
        expect(zh.get(k)?.trim(), `zh-CN ${ns}.${k}`).not.toBe('');
        expect(placeholders(zh.get(k) ?? ''), `${ns}.${k}`).toEqual(placeholders(v));
      }
    });

    it('is what i18next shows in both languages', async () => {
      const t = i18next.createInstance();
      await t.init({ resources, lng: 'en', fallbackLng: false, interpolation: { escapeValue: false }, initAsync: false });
      const [key, text] = en.find(([k]) => !k.includes('['))!;
      expect(t.t(`${ns}.${key}`, { lng: 'en', skipInterpolation: true })).toBe(text);
      expect(t.t(`${ns}.${key}`, { lng: 'zh-CN', skipInterpolation: true })).toBe(zh.get(key));
    });
  });

  it('is the only place under renderer/ that holds or registers strings', () => {
    const self = path.join(here, 'layout.test.ts');
    const sources = files(renderer).filter((f) => /\.(ts|tsx)$/.test(f) && f !== self);
    expect(sources.filter((f) => /addResourceBundle|addResources?\(/.test(fs.readFileSync(f, 'utf8'))).map((f) => path.relative(renderer, f))).toEqual([]);
    // A string table: a module of en/zhCN objects, or a file named for strings outside renderer/i18n.
    expect(sources.filter((f) => /export const (en|zhCN|zh)\b/.test(fs.readFileSync(f, 'utf8'))).map((f) => path.relative(renderer, f))).toEqual([]);
    expect(sources.filter((f) => !f.startsWith(here + path.sep) && /(i18n|strings)[^/]*\.tsx?$/.test(path.basename(f))).map((f) => path.relative(renderer, f))).toEqual([]);
    const inLayout = (f: string) => LANGUAGES.some((lang) => path.dirname(f) === path.join(here, lang));
    expect(files(renderer).filter((f) => f.endsWith('.json') && !inLayout(f)).map((f) => path.relative(renderer, f))).toEqual([]);
  });
});
