/** One unit of a document's structure, in reading order. */
export interface Block {
  kind: 'heading' | 'text' | 'list' | 'table';
  /** 1–6 for headings. */
  level?: number;
  text: string;
  /** 1-based page (documents without pages are one page). */
  page: number;
}

export type DocKind = 'pdf' | 'docx' | 'html' | 'markdown' | 'text';

export interface PageInfo {
  page: number;
  chars: number;
  /** text: a text layer; scanned: an image-only page (needs OCR); ocr: read by tesseract; empty: blank page. */
  status: 'text' | 'scanned' | 'ocr' | 'empty';
}

/** What a reader made of one file. */
export interface ReadDoc {
  kind: DocKind;
  title: string | null;
  blocks: Block[];
  pages: PageInfo[];
  /** Whether the format has pages (PDF) or is read as one page (DOCX, HTML, Markdown, text). */
  paged: boolean;
  /** Sentences about what was not read, or read with a caveat (scanned pages, OCR unavailable, reader warnings). */
  notes: string[];
}
