import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { renderPdf } from '../documents/pdf.js';
import { byline, SUMMARY_HEADINGS, type SummaryDocument } from './summary-docx.js';

const bulletList = (items: string[]): Content => ({ ul: items, margin: [0, 0, 0, 8] });

/** The pdfmake document for a summary: the same content and order as the Word export. */
export function summaryPdfDefinition(doc: SummaryDocument, options: { compress?: boolean } = {}): TDocumentDefinitions {
  const { summary } = doc;
  const content: Content[] = [
    { text: SUMMARY_HEADINGS.title, style: 'title' },
    { text: doc.clientName, style: 'client' },
    { text: byline(doc), style: 'byline' },
  ];
  for (const paragraph of summary.thanks.split(/\n+/).filter((p) => p.trim() !== '')) {
    content.push({ text: paragraph, margin: [0, 0, 0, 8] });
  }
  if (summary.heard.length > 0) {
    content.push({ text: SUMMARY_HEADINGS.heard, style: 'h1' });
    for (const theme of summary.heard) {
      content.push({ text: theme.theme, style: 'h2' }, bulletList(theme.points));
    }
  }
  if (summary.willDo.length > 0) {
    content.push({ text: SUMMARY_HEADINGS.willDo, style: 'h1' }, bulletList(summary.willDo));
  }
  if (summary.nextSteps.length > 0) {
    content.push({ text: SUMMARY_HEADINGS.nextSteps, style: 'h1' }, bulletList(summary.nextSteps));
  }
  const title = `${SUMMARY_HEADINGS.title}: ${doc.clientName}`;
  return {
    info: { title, creator: 'Hearken', subject: byline(doc) },
    pageSize: 'A4',
    pageMargins: [56, 56, 56, 64],
    compress: options.compress ?? true,
    defaultStyle: { font: 'Roboto', fontSize: 11, lineHeight: 1.25 },
    styles: {
      title: { fontSize: 20, bold: true, margin: [0, 0, 0, 6] },
      client: { fontSize: 14, bold: true, margin: [0, 0, 0, 2] },
      byline: { italics: true, color: '#555555', margin: [0, 0, 0, 16] },
      h1: { fontSize: 15, bold: true, margin: [0, 14, 0, 6] },
      h2: { fontSize: 12, bold: true, margin: [0, 8, 0, 4] },
    },
    content,
    footer: (page: number, pages: number) => ({ text: `${title} · page ${page} of ${pages}`, alignment: 'center', fontSize: 8, color: '#777777' }),
  };
}

/** The summary as a PDF. `compress: false` leaves the content streams readable (tests read them). */
export async function renderSummaryPdf(doc: SummaryDocument, options: { compress?: boolean } = {}): Promise<Buffer> {
  return renderPdf(summaryPdfDefinition(doc, options));
}
