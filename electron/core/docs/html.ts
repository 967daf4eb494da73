import { parseDocument } from 'htmlparser2';
import type { ChildNode, Element } from 'domhandler';
import type { Block } from './types';

/**
 * Readability-style main text of an HTML page (also what mammoth makes of a DOCX and markdown-it of Markdown):
 * the page's <main> or <article> when it has one, without navigation, headers, footers, sidebars, scripts, styles
 * or forms; headings, paragraphs, list items and tables kept as text. Walks the tree with an explicit stack, so a
 * hostile nesting depth cannot overflow the call stack. Text is never turned back into HTML.
 */
const DROP = new Set(['script', 'style', 'noscript', 'template', 'nav', 'header', 'footer', 'aside', 'form', 'button', 'svg', 'iframe', 'select', 'head', 'menu', 'dialog', 'canvas', 'object']);
const DROP_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'complementary', 'search', 'menu', 'menubar', 'dialog']);
const BLOCK = new Set(['p', 'div', 'section', 'article', 'main', 'blockquote', 'pre', 'dd', 'dt', 'dl', 'figure', 'figcaption', 'address', 'ul', 'ol', 'body', 'html', 'hr', 'details', 'summary', 'caption']);
const HEADING = /^h([1-6])$/;

const isEl = (n: ChildNode): n is Element => n.type === 'tag' || n.type === 'script' || n.type === 'style';

function dropped(e: Element): boolean {
  if (DROP.has(e.name)) return true;
  const role = e.attribs.role?.toLowerCase();
  if (role && DROP_ROLES.has(role)) return true;
  if ('hidden' in e.attribs || e.attribs['aria-hidden'] === 'true') return true;
  return false;
}

function find(root: ChildNode[], test: (e: Element) => boolean, intoDropped = false): Element | null {
  const stack = [...root].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    if (!isEl(n)) continue;
    if (test(n)) return n;
    if (dropped(n) && !intoDropped) continue;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
  return null;
}

const squash = (s: string) => s.replace(/[ \t\r\n\f\u00a0]+/g, ' ');

/** All text under a node, whitespace collapsed (table cells, headings). */
function textOf(node: Element): string {
  let out = '';
  const stack: ChildNode[] = [...node.children].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'text') out += n.data;
    else if (isEl(n) && !dropped(n)) {
      if (n.name === 'br') out += ' ';
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
      if (BLOCK.has(n.name) || n.name === 'li') out += ' ';
    }
  }
  return squash(out).trim();
}

function tableRows(table: Element): string[] {
  const rows: string[] = [];
  const stack: ChildNode[] = [...table.children].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    if (!isEl(n) || dropped(n)) continue;
    if (n.name === 'tr') {
      const cells = n.children.filter((c): c is Element => isEl(c) && (c.name === 'td' || c.name === 'th')).map(textOf);
      if (cells.some((c) => c)) rows.push(cells.join(' | '));
      continue;
    }
    if (n.name === 'table') continue; // a nested table is read as its own block would be: rare, and kept out of the cells
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
  return rows;
}

export function htmlBlocks(html: string, page = 1): { blocks: Block[]; title: string | null } {
  const doc = parseDocument(html, { decodeEntities: true });
  const titleEl = find(doc.children, (e) => e.name === 'title', true);
  const root = find(doc.children, (e) => e.name === 'main' || e.attribs.role === 'main') ?? find(doc.children, (e) => e.name === 'article') ?? find(doc.children, (e) => e.name === 'body');
  const blocks: Block[] = [];
  let buf = '';
  let pre = 0;
  const flush = () => {
    const text = (pre ? buf : squash(buf)).trim();
    if (text) blocks.push({ kind: 'text', text, page });
    buf = '';
  };
  type Frame = { node: ChildNode; exit?: Element };
  const stack: Frame[] = (root ? [root] : [...doc.children]).reverse().map((node) => ({ node }));
  while (stack.length) {
    const f = stack.pop()!;
    if (f.exit) {
      if (f.exit.name === 'pre') pre--;
      flush();
      continue;
    }
    const n = f.node;
    if (n.type === 'text') {
      buf += n.data;
      continue;
    }
    if (!isEl(n) || dropped(n)) continue;
    const h = HEADING.exec(n.name);
    if (h) {
      flush();
      const text = textOf(n);
      if (text) blocks.push({ kind: 'heading', level: Number(h[1]), text, page });
      continue;
    }
    if (n.name === 'table') {
      flush();
      const rows = tableRows(n);
      if (rows.length) blocks.push({ kind: 'table', text: rows.join('\n'), page });
      continue;
    }
    if (n.name === 'li') {
      flush();
      const text = textOf(n);
      if (text) blocks.push({ kind: 'list', text: `- ${text}`, page });
      continue;
    }
    if (n.name === 'br') {
      buf += '\n';
      continue;
    }
    if (BLOCK.has(n.name)) {
      flush();
      if (n.name === 'pre') pre++;
      stack.push({ node: n, exit: n });
    }
    for (let i = n.children.length - 1; i >= 0; i--) stack.push({ node: n.children[i]! });
  }
  flush();
  return { blocks, title: titleEl ? textOf(titleEl) || null : null };
}
