/**
 * A minimal PDF writer for text pages and image-only ("scanned") pages: enough for the sample handbook, the
 * test fixtures and the bench, with a real text layer that any reader extracts. Latin text uses Helvetica
 * (WinAnsi); a line holding Chinese uses the non-embedded Adobe-GB1 font STSong-Light with the UniGB-UCS2-H
 * CMap, the way reportlab writes CJK without shipping a font (every PDF viewer substitutes it).
 */

export interface PdfLine {
  text: string;
  /** Font size in points (11 by default); a larger size is how a heading looks. */
  size?: number;
}

export interface PdfPage {
  lines?: PdfLine[];
  /** An image-only page: no text layer at all, as a scanner makes it. Gray pixels, one byte each. */
  image?: { width: number; height: number; gray: Uint8Array };
}

export interface PdfOptions {
  title?: string;
  /**
   * Test hook: adds a Standard security handler whose passwords open nothing, so that readers see an
   * encrypted file (what a password-protected PDF looks like to them).
   */
  lockedStub?: boolean;
}

const W = 595;
const H = 842;

function latin(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const b = c === 0x2019 || c === 0x2018 ? 39 : c === 0x201c || c === 0x201d ? 34 : c === 0x2013 || c === 0x2014 ? 45 : c < 256 ? c : 63;
    const x = String.fromCharCode(b);
    out += x === '(' || x === ')' || x === '\\' ? `\\${x}` : x;
  }
  return `(${out})`;
}

function ucs2Hex(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += s.charCodeAt(i).toString(16).padStart(4, '0');
  return `<${out}>`;
}

const isWide = (s: string) => /[^\u0020-\u00ff\u2018\u2019\u201c\u201d\u2013\u2014]/.test(s);

/** Writes the pages as one PDF file (bytes). Long lines are the caller's to wrap. */
export function writePdf(pages: readonly PdfPage[], opts: PdfOptions = {}): Buffer {
  const objs: (string | Buffer)[] = [];
  const add = (o: string | Buffer): number => {
    objs.push(o);
    return objs.length;
  };
  const catalog = add('');
  const pagesObj = add('');
  const f1 = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const desc = add('<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>');
  const cid = add(`<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor ${desc} 0 R /DW 1000 >>`);
  const f2 = add(`<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light-UniGB-UCS2-H /Encoding /UniGB-UCS2-H /DescendantFonts [${cid} 0 R] >>`);
  const kids: number[] = [];
  for (const p of pages) {
    let content = '';
    let xobj = '';
    if (p.image) {
      const { width, height, gray } = p.image;
      const img = add(Buffer.concat([Buffer.from(`<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Length ${gray.length} >>\nstream\n`, 'latin1'), Buffer.from(gray), Buffer.from('\nendstream', 'latin1')]));
      xobj = ` /XObject << /Im1 ${img} 0 R >>`;
      content += `q ${W - 72} 0 0 ${H - 72} 36 36 cm /Im1 Do Q\n`;
    }
    let y = H - 64;
    for (const l of p.lines ?? []) {
      const size = l.size ?? 11;
      y -= size * 1.5;
      const wide = isWide(l.text);
      content += `BT /${wide ? 'F2' : 'F1'} ${size} Tf 56 ${y.toFixed(1)} Td ${wide ? ucs2Hex(l.text) : latin(l.text)} Tj ET\n`;
    }
    const c = Buffer.from(content, 'latin1');
    const stream = add(Buffer.concat([Buffer.from(`<< /Length ${c.length} >>\nstream\n`, 'latin1'), c, Buffer.from('\nendstream', 'latin1')]));
    kids.push(add(`<< /Type /Page /Parent ${pagesObj} 0 R /MediaBox [0 0 ${W} ${H}] /Resources << /Font << /F1 ${f1} 0 R /F2 ${f2} 0 R >>${xobj} >> /Contents ${stream} 0 R >>`));
  }
  objs[catalog - 1] = `<< /Type /Catalog /Pages ${pagesObj} 0 R >>`;
  objs[pagesObj - 1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  const info = add(`<< /Producer (Distillery) /Title ${latin(opts.title ?? 'Document')} >>`);
  const enc = opts.lockedStub ? add(`<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <${'ab'.repeat(32)}> /U <${'cd'.repeat(32)}> >>`) : 0;

  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let size = parts[0]!.length;
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(size);
    const b = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), typeof o === 'string' ? Buffer.from(o, 'latin1') : o, Buffer.from('\nendobj\n', 'latin1')]);
    parts.push(b);
    size += b.length;
  });
  const xref = [`xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  const id = `<${'0123456789abcdef'.repeat(2)}>`;
  const trailer = `trailer\n<< /Size ${objs.length + 1} /Root ${catalog} 0 R /Info ${info} 0 R${enc ? ` /Encrypt ${enc} 0 R /ID [${id} ${id}]` : ''} >>\nstartxref\n${size}\n%%EOF\n`;
  parts.push(Buffer.from(xref + trailer, 'latin1'));
  return Buffer.concat(parts);
}

/** Wraps text into lines of at most `width` columns (a Chinese character counts two). */
export function wrap(text: string, width = 90): string[] {
  const out: string[] = [];
  let line = '';
  let cols = 0;
  const tokens = text.match(/[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]+|\s+/g) ?? [];
  for (const t of tokens) {
    const wide = /^[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]$/.test(t);
    const w = wide ? 2 : t.length;
    if (/^\s+$/.test(t)) {
      if (cols > 0) {
        line += ' ';
        cols += 1;
      }
      continue;
    }
    if (cols + w > width && cols > 0) {
      out.push(line.trimEnd());
      line = '';
      cols = 0;
    }
    line += t;
    cols += w;
  }
  if (line.trim()) out.push(line.trimEnd());
  return out;
}
