/**
 * The child's record drawn as one HTML page with inline CSS that prints on A4. Every piece of
 * text is escaped here, in one place, so nothing typed can become markup.
 */
import { escapeHtml as e } from "../messages/notices";
import type { ChildRecordDocument, RecordBlock, RecordField } from "./childRecord";

const fieldRows = (rows: readonly RecordField[]) =>
  `<table class="fields"><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${e(k)}</th><td>${e(v)}</td></tr>`).join("")}</tbody></table>`;

function block(b: RecordBlock): string {
  switch (b.kind) {
    case "fields":
      return fieldRows(b.rows);
    case "stage":
      return `<article class="stage"><h3>${e(b.title)}${b.note ? ` <small>${e(b.note)}</small>` : ""}</h3>\n${fieldRows(b.rows)}\n</article>`;
    case "table": {
      const cols = b.columns.map((c) => (c.width ? `<col style="width:${Math.round(c.width * 100)}%">` : "<col>")).join("");
      const head = b.columns.map((c) => `<th>${e(c.title)}</th>`).join("");
      const rows = b.rows.map((r) => `<tr>${r.map((cell) => `<td>${e(cell)}</td>`).join("")}</tr>`).join("\n");
      return `<table class="list"><colgroup>${cols}</colgroup><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
    }
    case "text":
      return `<p class="text">${e(b.text)}</p>`;
    case "none":
      return `<p class="none">${e(b.text)}</p>`;
  }
}

export function recordHtml(doc: ChildRecordDocument): string {
  const body = doc.sections
    .map((s) => `<section id="${s.title.toLowerCase().replace(/[^a-z]+/g, "-")}"><h2>${e(s.title)}</h2>\n${s.blocks.map(block).join("\n")}\n</section>`)
    .join("\n");
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(doc.documentTitle)}</title>
<style>
@page{size:A4;margin:16mm 14mm 18mm}
*{box-sizing:border-box}
body{font-family:Arial,'Liberation Sans',Helvetica,sans-serif;font-size:10.5pt;line-height:1.35;color:#000;margin:0 auto;max-width:190mm;padding:8px}
header{border-bottom:2px solid #000;margin-bottom:8px;padding-bottom:4px}
.marking{font-weight:bold;letter-spacing:.05em;font-size:9pt;margin:0}
h1{font-size:15pt;margin:4px 0}
.meta{font-size:9pt;color:#333;margin:0}
h2{font-size:12pt;margin:14px 0 4px;border-bottom:1px solid #888;page-break-after:avoid;break-after:avoid}
h3{font-size:10.5pt;margin:8px 0 3px;page-break-after:avoid;break-after:avoid}
h3 small{font-weight:normal}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #999;padding:3px 5px;text-align:left;vertical-align:top;white-space:pre-wrap;overflow-wrap:break-word}
th{background:#eee}
table.fields th{width:32%;font-weight:bold}
tr,article.stage{page-break-inside:avoid;break-inside:avoid}
thead{display:table-header-group}
table.list{table-layout:fixed}
.text{white-space:pre-wrap;overflow-wrap:break-word;margin:2px 0}
.none{font-style:italic;margin:2px 0}
footer{margin-top:16px;border-top:1px solid #888;font-size:8.5pt;color:#333}
@media print{body{padding:0;max-width:none}}
</style>
</head>
<body>
<header>
<p class="marking">${e(doc.marking)}</p>
<h1>${e(doc.title)}</h1>
<p class="meta">${e(doc.meta)}</p>
</header>
${body}
<footer>${e(doc.footer)}</footer>
</body>
</html>
`;
}
