import { AlignmentType, Document, Footer, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import type { SummaryContent } from './summary-schemas.js';

/**
 * What a summary export shows: the summary document itself and the three facts that place it
 * (client, day, interviewer). Deliberately nothing else from the session: the exports are sent
 * to the client, and the summary is the part written to be shared.
 */
export interface SummaryDocument {
  clientName: string;
  /** YYYY-MM-DD, or null when the session had no date. */
  sessionDate: string | null;
  interviewerName: string;
  summary: SummaryContent;
}

/** "14 March 2026" for a YYYY-MM-DD date: how a letter to a client writes it. */
export function longDate(date: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

export const SUMMARY_HEADINGS = {
  title: 'Listening session summary',
  heard: 'What we heard',
  willDo: 'What we will do',
  nextSteps: 'Next steps',
} as const;

/** The line under the title: when the session was and who ran it. */
export function byline(doc: Pick<SummaryDocument, 'sessionDate' | 'interviewerName'>): string {
  return doc.sessionDate ? `Session of ${longDate(doc.sessionDate)}, interviewed by ${doc.interviewerName}` : `Interviewed by ${doc.interviewerName}`;
}

/** Letters that Unicode does not decompose into a base letter and an accent. */
const LATIN_LETTERS: Record<string, string> = {
  Ł: 'L',
  ł: 'l',
  Ø: 'O',
  ø: 'o',
  ß: 'ss',
  Æ: 'AE',
  æ: 'ae',
  Œ: 'OE',
  œ: 'oe',
  Đ: 'D',
  đ: 'd',
  Þ: 'Th',
  þ: 'th',
};

/**
 * A file name for the export that survives every mail system: ASCII, no spaces, and still says
 * which client and day it is about.
 */
export function exportFileName(doc: Pick<SummaryDocument, 'clientName' | 'sessionDate'>, extension: 'docx' | 'pdf'): string {
  const client = doc.clientName
    .replace(/[ŁłØøßÆæŒœĐđÞþ]/g, (c) => LATIN_LETTERS[c] ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return ['listening-summary', client || 'client', doc.sessionDate].filter(Boolean).join('-').concat(`.${extension}`);
}

const bullets = (items: string[]) => items.map((text) => new Paragraph({ text, bullet: { level: 0 } }));

/** The summary as a Word document (.docx), ready to send or to edit in Word. */
export async function renderSummaryDocx(doc: SummaryDocument): Promise<Buffer> {
  const { summary } = doc;
  const children: Paragraph[] = [
    new Paragraph({ text: SUMMARY_HEADINGS.title, heading: HeadingLevel.TITLE }),
    new Paragraph({ children: [new TextRun({ text: doc.clientName, bold: true, size: 28 })] }),
    new Paragraph({ children: [new TextRun({ text: byline(doc), italics: true, color: '555555' })], spacing: { after: 240 } }),
  ];
  if (summary.thanks.trim() !== '') {
    children.push(...summary.thanks.split(/\n+/).map((text) => new Paragraph({ text, spacing: { after: 160 } })));
  }
  if (summary.heard.length > 0) {
    children.push(new Paragraph({ text: SUMMARY_HEADINGS.heard, heading: HeadingLevel.HEADING_1 }));
    for (const theme of summary.heard) {
      children.push(new Paragraph({ text: theme.theme, heading: HeadingLevel.HEADING_2 }), ...bullets(theme.points));
    }
  }
  if (summary.willDo.length > 0) {
    children.push(new Paragraph({ text: SUMMARY_HEADINGS.willDo, heading: HeadingLevel.HEADING_1 }), ...bullets(summary.willDo));
  }
  if (summary.nextSteps.length > 0) {
    children.push(new Paragraph({ text: SUMMARY_HEADINGS.nextSteps, heading: HeadingLevel.HEADING_1 }), ...bullets(summary.nextSteps));
  }
  const document = new Document({
    title: `${SUMMARY_HEADINGS.title}: ${doc.clientName}`,
    creator: 'Hearken',
    description: byline(doc),
    styles: { default: { document: { run: { font: 'Calibri', size: 22 } } } },
    sections: [
      {
        children,
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ text: `${SUMMARY_HEADINGS.title}: ${doc.clientName}`, size: 16, color: '777777' })],
              }),
            ],
          }),
        },
      },
    ],
  });
  return Packer.toBuffer(document);
}
