/**
 * The renderer's strings, one layout: `<language>/<namespace>.json` (en, zh-CN), each file holding the
 * strings found under `<namespace>.*` (so `t('train.run.start')` reads train.json's run.start). Vite bundles
 * every file at build time; Vitest runs the same transform, so tests read the same resources the app ships.
 */
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

/** A namespace's strings: nested keys, and lists (of lists) of strings such as concepts' [term, meaning] pairs. */
export type Strings = string | Strings[] | Tree;
export type Tree = { [key: string]: Strings };

const files = import.meta.glob<Tree>('./*/*.json', { eager: true, import: 'default' });

/** `./en/train.json` → language `en`, namespace `train`. */
export function namespaceOf(file: string): { language: string; namespace: string } {
  const m = /^\.\/([^/]+)\/([^/]+)\.json$/.exec(file);
  if (!m) throw new Error(`not a string file: ${file}`);
  return { language: m[1]!, namespace: m[2]! };
}

/** Every language's strings: language → namespace → its tree. */
export const strings: Record<string, Record<string, Tree>> = {};
for (const [file, tree] of Object.entries(files)) {
  const { language, namespace } = namespaceOf(file);
  (strings[language] ??= {})[namespace] = tree;
}

/** The i18next resources: every namespace file under the one `translation` namespace, keyed by its name. */
export const resources = Object.fromEntries(Object.entries(strings).map(([language, tree]) => [language, { translation: tree }]));
