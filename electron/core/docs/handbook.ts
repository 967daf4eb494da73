import fs from 'node:fs';
import path from 'node:path';
import { writeDocx, type DocxBlock } from './docxwriter';
import { writePdf, wrap, type PdfLine, type PdfPage } from './pdfwriter';

/**
 * The sample project's handbook: a few pages of a fictional company's expense and tax rules, in English and
 * Chinese, written as PDF and DOCX by code (nothing shipped, nothing downloaded), so that a new user can try
 * documents → questions without their own files.
 */
interface Section {
  heading: string;
  paras: string[];
  table?: string[][];
}

const EN: { title: string; sections: Section[] } = {
  title: 'Northwind Trading GmbH — Expense and Tax Handbook',
  sections: [
    { heading: '1 Scope', paras: ['This handbook applies to all employees of Northwind Trading GmbH who incur costs on behalf of the company. Expenses are reimbursed only when they are necessary for business, documented with a receipt and submitted within 60 days.'] },
    {
      heading: '2 Travel',
      paras: [
        'Business trips must be approved by the cost-centre manager before any booking is made. Trains are used for trips under 500 km; flights need written approval from a director.',
        'Hotel costs are reimbursed up to EUR 130 per night in Berlin, Munich and Hamburg, and up to EUR 95 per night elsewhere in Germany. A higher rate is accepted only when the booking confirmation shows that no cheaper room was available within 5 km.',
      ],
    },
    {
      heading: '3 Meals and per diem',
      paras: [
        'For a trip of more than 8 hours the employee receives a per diem of EUR 14; for a full calendar day away the per diem is EUR 28. The per diem is reduced by 20% of the full-day rate for each breakfast and by 40% for each lunch or dinner that is provided free of charge.',
        'Business meals with customers are reimbursed at 70% as a tax-deductible expense; the remaining 30% is booked as non-deductible. The receipt must name every participant and the purpose of the meal.',
      ],
      table: [['Case', 'Per diem (EUR)'], ['More than 8 hours', '14'], ['Full day away', '28'], ['Full day, breakfast provided', '22.40']],
    },
    {
      heading: '4 Mileage',
      paras: ['Employees who use a private car receive EUR 0.30 per kilometre driven on business. From the 21st kilometre of the daily commute the tax-free commuter allowance is EUR 0.38 per kilometre; the first 20 kilometres remain at EUR 0.30.'],
    },
    {
      heading: '5 Value-added tax',
      paras: [
        'Input VAT can be reclaimed only when the invoice names Northwind Trading GmbH and shows the VAT amount separately. For small invoices up to EUR 250 gross a simplified receipt without the customer name is sufficient.',
        'Hotel invoices carry 7% VAT on the room and 19% on breakfast; the two amounts must be entered separately in the expense report.',
      ],
    },
    { heading: '6 Deadlines and approval', paras: ['Expense reports are approved by the cost-centre manager within 10 working days. Reports submitted more than 60 days after the expense are rejected unless the finance department agrees in writing.'] },
  ],
};

const ZH: { title: string; sections: Section[] } = {
  title: '北风贸易有限公司——费用与税务手册',
  sections: [
    { heading: '一、适用范围', paras: ['本手册适用于代表公司发生费用的全体员工。费用只有在业务必需、附有发票并在六十天内提交时才予以报销。'] },
    {
      heading: '二、差旅',
      paras: ['出差须在预订前获得成本中心负责人批准。五百公里以内的行程乘坐火车；乘坐飞机须经总监书面批准。', '在北京、上海和深圳，住宿费每晚最高报销八百元；其他城市每晚最高报销五百元。只有当预订确认显示五公里内没有更便宜的房间时，才接受更高的价格。'],
    },
    {
      heading: '三、餐费与出差补贴',
      paras: ['出差超过八小时的，每天补贴六十元；全天在外的，每天补贴一百元。接待方免费提供早餐的，每次扣减全天标准的百分之二十；免费提供午餐或晚餐的，每次扣减百分之四十。', '与客户的业务招待费按发生额的百分之六十在税前扣除，但最高不得超过当年销售收入的千分之五。'],
      table: [['情形', '补贴（元）'], ['超过八小时', '60'], ['全天在外', '100'], ['全天在外、提供早餐', '80']],
    },
    { heading: '四、增值税', paras: ['只有抬头为本公司并单独列明税额的增值税专用发票才能抵扣进项税额。住宿费专用发票的税率为百分之六。'] },
    { heading: '五、期限与审批', paras: ['报销单由成本中心负责人在十个工作日内审批。费用发生后超过六十天提交的报销单不予受理，除非财务部书面同意。'] },
  ],
};

function pdfPages(h: typeof EN): PdfPage[] {
  const pages: PdfPage[] = [];
  let lines: PdfLine[] = [{ text: h.title, size: 18 }, { text: '' }];
  const room = 44;
  for (const s of h.sections) {
    const block: PdfLine[] = [{ text: s.heading, size: 14 }];
    for (const p of s.paras) block.push(...wrap(p, 88).map((text) => ({ text })), { text: '' });
    for (const r of s.table ?? []) block.push({ text: r.join(' | ') });
    if (s.table) block.push({ text: '' });
    // Two sections a page keeps the handbook a few pages long and puts page breaks where a reader expects them.
    if (lines.length + block.length > room || lines.filter((l) => l.size === 14).length >= 2) {
      pages.push({ lines });
      lines = [];
    }
    lines.push(...block);
  }
  pages.push({ lines });
  return pages;
}

function docxBlocks(h: typeof EN): DocxBlock[] {
  const out: DocxBlock[] = [{ kind: 'heading', level: 1, text: h.title }];
  for (const s of h.sections) {
    out.push({ kind: 'heading', level: 2, text: s.heading });
    for (const p of s.paras) out.push({ kind: 'para', text: p });
    if (s.table) out.push({ kind: 'table', rows: s.table });
  }
  return out;
}

export const HANDBOOK_FILES = ['handbook-en.pdf', 'handbook-en.docx', 'handbook-zh.pdf', 'handbook-zh.docx'] as const;

/** Writes the four handbook files into `dir` (created when missing) and returns their paths. */
export function writeHandbook(dir: string, write: (file: string, data: Buffer) => void = (f, d) => fs.writeFileSync(f, d)): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const out: [string, Buffer][] = [
    ['handbook-en.pdf', writePdf(pdfPages(EN), { title: 'Northwind Trading expense and tax handbook' })],
    ['handbook-en.docx', writeDocx(docxBlocks(EN), EN.title)],
    ['handbook-zh.pdf', writePdf(pdfPages(ZH), { title: 'Northwind Trading expense and tax handbook (Chinese)' })],
    ['handbook-zh.docx', writeDocx(docxBlocks(ZH), ZH.title)],
  ];
  return out.map(([name, data]) => {
    const file = path.join(dir, name);
    write(file, data);
    return file;
  });
}

/** A fact of the handbook per language, for tests: it must survive reading and chunking verbatim. */
export const HANDBOOK_FACTS = { en: 'Hotel costs are reimbursed up to EUR 130 per night in Berlin, Munich and Hamburg', zh: '住宿费每晚最高报销八百元' };
