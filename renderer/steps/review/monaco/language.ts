import type * as Monaco from 'monaco-editor';
import { TRACE_LANGUAGE } from './options';
import { STEP_WORDS, STEP_WORDS_ZH, stepFolds } from './steps';
import { isDark } from '../../../app/theme';

export const LIGHT_THEME = 'distillery-light';
export const DARK_THEME = 'distillery-dark';

type MonacoApi = typeof Monaco;

/**
 * Monarch tokens: thinking boundaries (<think>, </think>), step markers ("Wait", "Alternatively", "But",
 * "Hmm", numbered steps "1." / "Step 2:"), and LaTeX ($…$, \(…\), \[…\], $$…$$) with its commands.
 * Inline $…$ is entered only when its closing $ is on the same line, so an amount such as "$5" never
 * turns the rest of the trace into math.
 */
export const monarch: Monaco.languages.IMonarchLanguage = {
  defaultToken: '',
  tokenPostfix: '.trace',
  stepWords: [...STEP_WORDS],
  tokenizer: {
    root: [
      [/<\/?think>/, 'think-tag'],
      [/^\s*(?:Step|步骤)\s*\d+\s*[:：.)]/, 'step-number'],
      [/^\s*第\s*\d+\s*步/, 'step-number'],
      [/^\s*\d{1,3}[.)](?=\s|$)/, 'step-number'],
      [new RegExp(`^\\s*(?:${STEP_WORDS_ZH.join('|')})`), 'step-marker'],
      [/[A-Z][a-z]+/, { cases: { '@stepWords': 'step-marker', '@default': '' } }],
      [/\$\$/, { token: 'math-delim', next: '@displayDollar' }],
      [/\\\[/, { token: 'math-delim', next: '@displayBracket' }],
      [/\\\(/, { token: 'math-delim', next: '@inlineParen' }],
      [/\\\$/, ''],
      [/\$(?!\s)(?=(?:\\.|[^$\\])+\$)/, { token: 'math-delim', next: '@inlineDollar' }],
      [/[a-z0-9_]+/, ''],
      [/[^<$\\A-Za-z0-9_\s]+/, ''],
      [/\s+/, ''],
      [/./, ''],
    ],
    inlineDollar: [[/\$/, { token: 'math-delim', next: '@pop' }], { include: '@math' }],
    inlineParen: [[/\\\)/, { token: 'math-delim', next: '@pop' }], { include: '@math' }],
    displayDollar: [[/\$\$/, { token: 'math-delim', next: '@pop' }], { include: '@math' }],
    displayBracket: [[/\\\]/, { token: 'math-delim', next: '@pop' }], { include: '@math' }],
    math: [
      [/\\[a-zA-Z]+/, 'math-command'],
      [/\\./, 'math'],
      [/[{}^_]/, 'math-operator'],
      [/[^\\${}^_]+/, 'math'],
      [/./, 'math'],
    ],
  },
};

export const TOKEN_COLORS = {
  light: { think: '7c3aed', marker: 'c2410c', number: '0369a1', math: '047857', command: '065f46', operator: '0f766e' },
  dark: { think: 'c4b5fd', marker: 'fdba74', number: '7dd3fc', math: '6ee7b7', command: 'a7f3d0', operator: '5eead4' },
} as const;

function rules(c: (typeof TOKEN_COLORS)['light' | 'dark']): Monaco.editor.ITokenThemeRule[] {
  return [
    { token: 'think-tag', foreground: c.think, fontStyle: 'bold' },
    { token: 'step-marker', foreground: c.marker, fontStyle: 'bold' },
    { token: 'step-number', foreground: c.number, fontStyle: 'bold' },
    { token: 'math-delim', foreground: c.math },
    { token: 'math', foreground: c.math },
    { token: 'math-command', foreground: c.command, fontStyle: 'bold' },
    { token: 'math-operator', foreground: c.operator },
  ];
}

/** Registers the language, its folding by step and two themes; once per page. */
export function registerTraceLanguage(monaco: MonacoApi): void {
  if (monaco.languages.getLanguages().some((l) => l.id === TRACE_LANGUAGE)) return;
  monaco.languages.register({ id: TRACE_LANGUAGE });
  monaco.languages.setMonarchTokensProvider(TRACE_LANGUAGE, monarch);
  monaco.languages.setLanguageConfiguration(TRACE_LANGUAGE, {
    brackets: [
      ['{', '}'],
      ['(', ')'],
      ['[', ']'],
    ],
    // Brackets match (handy in LaTeX) but are not coloured: a colour per nesting level would split the math tokens.
    colorizedBracketPairs: [],
    autoClosingPairs: [],
    wordPattern: /(-?\d*\.\d\w*)|([^\s`~!@#%^&*()\-=+[{\]}\\|;:'",.<>/?$]+)/g,
  });
  monaco.languages.registerFoldingRangeProvider(TRACE_LANGUAGE, {
    provideFoldingRanges(model) {
      return stepFolds(model.getLinesContent()).map((r) => ({
        start: r.start,
        end: r.end,
        kind: r.kind === 'think' ? monaco.languages.FoldingRangeKind.Region : undefined,
      }));
    },
  });
  monaco.editor.defineTheme(LIGHT_THEME, { base: 'vs', inherit: true, rules: rules(TOKEN_COLORS.light), colors: {} });
  monaco.editor.defineTheme(DARK_THEME, { base: 'vs-dark', inherit: true, rules: rules(TOKEN_COLORS.dark), colors: { 'editor.background': '#0f172a' } });
}

/** The theme the rest of the app uses (app/theme.ts: the user's choice or the OS). */
export function currentTheme(): string {
  return isDark() ? DARK_THEME : LIGHT_THEME;
}
