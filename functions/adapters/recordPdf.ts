/**
 * The child's record as an A4 PDF, drawn by pdfkit (pure JavaScript, so it runs on Functions with
 * no browser): the marking at the top of every page, headings, tables that carry their header
 * row onto the next page, real (selectable) text, and "Dispute … · page n of N" at the foot.
 *
 * The built-in Helvetica speaks Windows-1252: a character outside it (→, or a script it does not
 * cover) is written as its nearest plain form, or "?", rather than as garbage. pdfkit is loaded
 * on the first record printed, not at the Functions host's start.
 */
import type { ChildRecordDocument, RecordBlock, RecordField } from "../../shared/reports/childRecord";

const MARGIN = { top: 56, bottom: 56, left: 42, right: 42 };
const FONT = { regular: "Helvetica", bold: "Helvetica-Bold", italic: "Helvetica-Oblique" };
const SIZE = { marking: 8.5, title: 15, meta: 8.5, h2: 12, h3: 10.5, body: 9.5, foot: 8 };
const PAD = 3;

/** Windows-1252 beyond Latin-1: what Helvetica can show in 0x80–0x9F. */
const CP1252_EXTRA = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");
const PLAIN: Record<string, string> = { "→": "->", "←": "<-", "≥": ">=", "≤": "<=", "×": "x", "\u00a0": " " };

export function pdfText(text: string): string {
  return [...text].map((c) => (PLAIN[c] ?? (c === "\n" || (c >= " " && c <= "\u00ff") || CP1252_EXTRA.has(c) ? c : "?"))).join("");
}

export async function recordPdf(record: ChildRecordDocument, createdAt: Date): Promise<Buffer> {
  const { default: PDFDocument } = await import("pdfkit");
  const doc = new PDFDocument({
    size: "A4",
    margins: MARGIN,
    bufferPages: true,
    info: { Title: pdfText(record.documentTitle), Subject: record.marking, Creator: "Resolve", CreationDate: createdAt },
    lang: "en-GB",
    displayTitle: true,
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  const width = doc.page.width - MARGIN.left - MARGIN.right;
  const bottom = () => doc.page.height - MARGIN.bottom;
  const ensure = (height: number) => {
    if (doc.y + height > bottom()) doc.addPage();
  };
  const write = (text: string, font: string, size: number, options: PDFKit.Mixins.TextOptions = {}) => {
    doc.font(font).fontSize(size).text(pdfText(text), MARGIN.left, doc.y, { width, ...options });
  };

  write(record.title, FONT.bold, SIZE.title);
  doc.moveDown(0.2);
  write(record.meta, FONT.regular, SIZE.meta);
  rule(doc, 1.5);

  for (const section of record.sections) {
    doc.moveDown(0.6);
    ensure(SIZE.h2 * 3 + 20);
    // The reader's bookmarks list the sections, so a long record can be moved through by heading.
    doc.outline.addItem(pdfText(section.title));
    write(section.title, FONT.bold, SIZE.h2);
    rule(doc, 0.5);
    doc.moveDown(0.3);
    for (const block of section.blocks) drawBlock(block);
  }
  doc.moveDown(1);
  ensure(30);
  rule(doc, 0.5);
  doc.moveDown(0.3);
  write(record.footer, FONT.regular, SIZE.foot);

  function drawBlock(block: RecordBlock): void {
    switch (block.kind) {
      case "fields":
        return fieldTable(block.rows);
      case "stage":
        doc.moveDown(0.3);
        ensure(SIZE.h3 * 2 + 30);
        write(block.note ? `${block.title} ${block.note}` : block.title, FONT.bold, SIZE.h3);
        doc.moveDown(0.2);
        return fieldTable(block.rows);
      case "table": {
        const fixed = block.columns.reduce((n, c) => n + (c.width ?? 0), 0);
        const free = block.columns.filter((c) => !c.width).length;
        const widths = block.columns.map((c) => (c.width ?? (1 - fixed) / Math.max(1, free)) * width);
        return grid(widths, block.rows, block.columns.map((c) => c.title));
      }
      case "text":
        ensure(SIZE.body * 2);
        return write(block.text, FONT.regular, SIZE.body);
      case "none":
        ensure(SIZE.body * 2);
        return write(block.text, FONT.italic, SIZE.body);
    }
  }

  function fieldTable(rows: readonly RecordField[]): void {
    grid([width * 0.32, width * 0.68], rows.map(([k, v]) => [k, v]), undefined, true);
  }

  /** Rows of cells, each row kept whole on a page; the header row repeats on every page the table reaches. */
  function grid(widths: number[], rows: string[][], header?: string[], labelled = false): void {
    const heightOf = (cells: string[], bold: boolean) =>
      Math.max(...cells.map((cell, i) => doc.font(bold || (labelled && i === 0) ? FONT.bold : FONT.regular).fontSize(SIZE.body).heightOfString(pdfText(cell), { width: widths[i]! - 2 * PAD }))) + 2 * PAD;
    const drawRow = (cells: string[], bold: boolean, shaded: boolean) => {
      const height = heightOf(cells, bold);
      let x = MARGIN.left;
      const y = doc.y;
      cells.forEach((cell, i) => {
        const w = widths[i]!;
        if (shaded || (labelled && i === 0)) doc.rect(x, y, w, height).fill("#eeeeee");
        doc.rect(x, y, w, height).lineWidth(0.5).stroke("#999999");
        doc.fillColor("#000000").font(bold || (labelled && i === 0) ? FONT.bold : FONT.regular).fontSize(SIZE.body).text(pdfText(cell), x + PAD, y + PAD, { width: w - 2 * PAD });
        x += w;
      });
      doc.x = MARGIN.left;
      doc.y = y + height;
    };
    const headerHeight = header ? heightOf(header, true) : 0;
    if (header) {
      ensure(headerHeight + (rows[0] ? heightOf(rows[0], false) : 0));
      drawRow(header, true, true);
    }
    for (const row of rows) {
      const h = heightOf(row, false);
      if (doc.y + h > bottom()) {
        doc.addPage();
        if (header) drawRow(header, true, true);
      }
      drawRow(row, false, false);
    }
    doc.moveDown(0.3);
  }

  // The marking and the page number on every page, written into the margins once all pages exist.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const { top, bottom: foot } = doc.page.margins;
    doc.page.margins.top = 0;
    doc.page.margins.bottom = 0;
    doc.font(FONT.bold).fontSize(SIZE.marking).fillColor("#000000").text(pdfText(record.marking), MARGIN.left, 26, { width, align: "center", lineBreak: false });
    doc
      .font(FONT.regular)
      .fontSize(SIZE.foot)
      .text(pdfText(`${record.pageLabel} · page ${i - range.start + 1} of ${range.count}`), MARGIN.left, doc.page.height - 36, { width, align: "right", lineBreak: false });
    doc.font(FONT.bold).fontSize(SIZE.foot).text(pdfText(record.marking.split(":")[0]!), MARGIN.left, doc.page.height - 36, { width, align: "left", lineBreak: false });
    doc.page.margins.top = top;
    doc.page.margins.bottom = foot;
  }
  doc.end();
  return done;
}

function rule(doc: PDFKit.PDFDocument, weight: number): void {
  const y = doc.y + 2;
  doc.moveTo(MARGIN.left, y).lineTo(doc.page.width - MARGIN.right, y).lineWidth(weight).stroke("#000000");
  doc.y = y + 2;
}
