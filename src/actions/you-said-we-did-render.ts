import { AlignmentType, Document, Footer, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { renderPdf } from '../documents/pdf.js';
import { exportFileName, longDate } from '../listening/summary-docx.js';
import type { ReportPair, ValuedItem, WeDid, YouSaid, YouSaidWeDidReport } from './you-said-we-did.js';

/**
 * The "you said, we did" report as Word and PDF: the same content and order in both, built from
 * the report the service returns (which holds shareable content only).
 */

export const REPORT_HEADINGS = {
  title: 'You said, we did',
  youSaid: 'You said',
  weDid: 'We did',
  inProgress: 'In progress',
  valued: 'What you valued',
} as const;

export const reportTitle = (report: YouSaidWeDidReport) => `${REPORT_HEADINGS.title} — ${report.client.name}`;

export const periodLine = (report: YouSaidWeDidReport) => `Feedback heard from ${longDate(report.period.from)} to ${longDate(report.period.to)}`;

export const INTRO = 'Thank you for the time you have given us. Below is what we heard from you, grouped by theme, and what we have done about it.';

export const EMPTY_LINE = 'There is no feedback with a completed action to report for this period.';

/** A file name that survives every mail system, e.g. you-said-we-did-Acme-plc-2026-11-23.docx. */
export function reportFileName(report: YouSaidWeDidReport, extension: 'docx' | 'pdf'): string {
  // exportFileName makes the client's name ASCII-safe; only its prefix is the summary's.
  return exportFileName({ clientName: report.client.name, sessionDate: report.period.to }, extension).replace(/^listening-summary-/, 'you-said-we-did-');
}

const STATUS_LABELS: Record<WeDid['status'], string> = { open: 'open', in_progress: 'in progress', done: 'done', wont_do: 'not done' };

function saidLine(said: YouSaid | ValuedItem): string {
  return `${said.summary} (${longDate(said.heardOn)})`;
}

function quoteLine(said: YouSaid | ValuedItem): string | null {
  if (!said.quote) {
    return null;
  }
  return said.speaker ? `“${said.quote}” — ${said.speaker}` : `“${said.quote}”`;
}

function didLine(action: WeDid): string {
  const when = action.status === 'done' && action.closedAt ? `done ${longDate(action.closedAt.slice(0, 10))}` : STATUS_LABELS[action.status];
  return action.closureNote ? `${action.title} (${when}): ${action.closureNote}` : `${action.title} (${when})`;
}

/** Pairs grouped by theme, keeping the report's order. */
function byTheme(pairs: ReportPair[]): Array<{ theme: string; pairs: ReportPair[] }> {
  const groups: Array<{ theme: string; pairs: ReportPair[] }> = [];
  for (const pair of pairs) {
    const last = groups.at(-1);
    if (last && last.theme === pair.theme) {
      last.pairs.push(pair);
    } else {
      groups.push({ theme: pair.theme, pairs: [pair] });
    }
  }
  return groups;
}

// ---------------------------------------------------------------- Word

function docxPairs(pairs: ReportPair[]): Paragraph[] {
  const out: Paragraph[] = [];
  for (const group of byTheme(pairs)) {
    out.push(new Paragraph({ text: group.theme, heading: HeadingLevel.HEADING_2 }));
    for (const pair of group.pairs) {
      out.push(
        new Paragraph({
          children: [new TextRun({ text: `${REPORT_HEADINGS.youSaid}: `, bold: true }), new TextRun(saidLine(pair.youSaid))],
          spacing: { before: 120 },
        }),
      );
      const quote = quoteLine(pair.youSaid);
      if (quote) {
        out.push(new Paragraph({ children: [new TextRun({ text: quote, italics: true, color: '555555' })], indent: { left: 360 } }));
      }
      out.push(new Paragraph({ children: [new TextRun({ text: `${REPORT_HEADINGS.weDid}:`, bold: true })] }));
      out.push(...pair.weDid.map((a) => new Paragraph({ text: didLine(a), bullet: { level: 0 } })));
    }
  }
  return out;
}

export async function renderYouSaidWeDidDocx(report: YouSaidWeDidReport): Promise<Buffer> {
  const title = reportTitle(report);
  const children: Paragraph[] = [
    new Paragraph({ text: title, heading: HeadingLevel.TITLE }),
    new Paragraph({ children: [new TextRun({ text: periodLine(report), italics: true, color: '555555' })], spacing: { after: 240 } }),
    new Paragraph({ text: INTRO, spacing: { after: 160 } }),
  ];
  if (report.items.length === 0) {
    children.push(new Paragraph({ text: EMPTY_LINE }));
  } else {
    children.push(...docxPairs(report.items));
  }
  if (report.inProgress.length > 0) {
    children.push(new Paragraph({ text: REPORT_HEADINGS.inProgress, heading: HeadingLevel.HEADING_1 }), ...docxPairs(report.inProgress));
  }
  if (report.valued.length > 0) {
    children.push(new Paragraph({ text: REPORT_HEADINGS.valued, heading: HeadingLevel.HEADING_1 }));
    for (const item of report.valued) {
      const quote = quoteLine(item);
      children.push(new Paragraph({ text: quote ? `${saidLine(item)} ${quote}` : saidLine(item), bullet: { level: 0 } }));
    }
  }
  const document = new Document({
    title,
    creator: 'Hearken',
    description: periodLine(report),
    styles: { default: { document: { run: { font: 'Calibri', size: 22 } } } },
    sections: [
      {
        children,
        footers: {
          default: new Footer({
            children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: title, size: 16, color: '777777' })] })],
          }),
        },
      },
    ],
  });
  return Packer.toBuffer(document);
}

// ---------------------------------------------------------------- PDF

function pdfPairs(pairs: ReportPair[]): Content[] {
  const out: Content[] = [];
  for (const group of byTheme(pairs)) {
    out.push({ text: group.theme, style: 'h2' });
    for (const pair of group.pairs) {
      out.push({ text: [{ text: `${REPORT_HEADINGS.youSaid}: `, bold: true }, saidLine(pair.youSaid)], margin: [0, 6, 0, 2] });
      const quote = quoteLine(pair.youSaid);
      if (quote) {
        out.push({ text: quote, italics: true, color: '#555555', margin: [18, 0, 0, 2] });
      }
      out.push({ text: `${REPORT_HEADINGS.weDid}:`, bold: true }, { ul: pair.weDid.map(didLine), margin: [0, 0, 0, 6] });
    }
  }
  return out;
}

export function youSaidWeDidPdfDefinition(report: YouSaidWeDidReport, options: { compress?: boolean } = {}): TDocumentDefinitions {
  const title = reportTitle(report);
  const content: Content[] = [
    { text: title, style: 'title' },
    { text: periodLine(report), style: 'byline' },
    { text: INTRO, margin: [0, 0, 0, 8] },
  ];
  content.push(...(report.items.length === 0 ? [{ text: EMPTY_LINE } as Content] : pdfPairs(report.items)));
  if (report.inProgress.length > 0) {
    content.push({ text: REPORT_HEADINGS.inProgress, style: 'h1' }, ...pdfPairs(report.inProgress));
  }
  if (report.valued.length > 0) {
    content.push(
      { text: REPORT_HEADINGS.valued, style: 'h1' },
      {
        ul: report.valued.map((item) => {
          const quote = quoteLine(item);
          return quote ? `${saidLine(item)} ${quote}` : saidLine(item);
        }),
      },
    );
  }
  return {
    info: { title, creator: 'Hearken', subject: periodLine(report) },
    pageSize: 'A4',
    pageMargins: [56, 56, 56, 64],
    compress: options.compress ?? true,
    defaultStyle: { font: 'Roboto', fontSize: 11, lineHeight: 1.25 },
    styles: {
      title: { fontSize: 20, bold: true, margin: [0, 0, 0, 6] },
      byline: { italics: true, color: '#555555', margin: [0, 0, 0, 16] },
      h1: { fontSize: 15, bold: true, margin: [0, 14, 0, 6] },
      h2: { fontSize: 12, bold: true, margin: [0, 10, 0, 4] },
    },
    content,
    footer: (page: number, pages: number) => ({ text: `${title} · page ${page} of ${pages}`, alignment: 'center', fontSize: 8, color: '#777777' }),
  };
}

export async function renderYouSaidWeDidPdf(report: YouSaidWeDidReport, options: { compress?: boolean } = {}): Promise<Buffer> {
  return renderPdf(youSaidWeDidPdfDefinition(report, options));
}
