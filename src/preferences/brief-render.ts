import { AlignmentType, Document, Footer, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { renderPdf } from '../documents/pdf.js';
import { exportFileName, longDate } from '../listening/summary-docx.js';
import type { ClientBrief } from './schemas.js';

/** The client brief as Word and PDF: the same sections and lines in both, one page in practice. */

export const BRIEF_HEADINGS = {
  title: 'Client brief',
  contacts: 'Key contacts',
  guidance: 'Do and don’t',
  feedback: 'Recent feedback',
  actions: 'Open actions',
  reports: 'Reports coming due',
  lastCheckIn: 'Last contact',
} as const;

export const briefTitle = (brief: ClientBrief) => `${BRIEF_HEADINGS.title} — ${brief.client.name}`;

export function briefFileName(brief: ClientBrief, extension: 'docx' | 'pdf'): string {
  return exportFileName({ clientName: brief.client.name, sessionDate: brief.generatedAt.slice(0, 10) }, extension).replace(
    /^listening-summary-/,
    'client-brief-',
  );
}

/** The brief as sections of plain lines, shared by both formats (and by the tests). */
export function briefSections(brief: ClientBrief): Array<{ heading: string; lines: string[] }> {
  const contactLine = (c: ClientBrief['contacts'][number]) => {
    const name = c.preferredName && c.preferredName !== c.name ? `${c.name} (goes by ${c.preferredName})` : c.name;
    const role = [c.jobTitle, c.role, c.isDecisionMaker ? 'decision maker' : null].filter(Boolean).join(', ');
    return role ? `${name} — ${role}` : name;
  };
  const guidanceLines = brief.guidance.flatMap((group) =>
    group.items.map((item) => {
      const who = item.contact ? `${item.contact.name}: ` : '';
      const rules = [...item.do.map((d) => `Do: ${d}.`), ...item.dont.map((d) => `Don’t: ${d}.`)].join(' ');
      return `${group.label} — ${who}“${item.statement}”${rules ? ` ${rules}` : ''}${item.stale ? ' (ask again: not confirmed for a long time)' : ''}`;
    }),
  );
  const last = brief.lastCheckIn;
  return [
    { heading: BRIEF_HEADINGS.contacts, lines: brief.contacts.length ? brief.contacts.map(contactLine) : ['No contacts recorded.'] },
    { heading: BRIEF_HEADINGS.guidance, lines: guidanceLines.length ? guidanceLines : ['No preferences recorded yet: ask.'] },
    {
      heading: BRIEF_HEADINGS.feedback,
      lines: brief.feedback.length
        ? brief.feedback.map((f) => `${longDate(f.heardOn)} (${f.type}): ${f.summary}${f.speaker ? ` — ${f.speaker}` : ''}`)
        : ['No feedback in the last year.'],
    },
    {
      heading: BRIEF_HEADINGS.actions,
      lines: brief.openActions.length
        ? brief.openActions.map((a) => `${a.title} — ${a.owner}${a.dueOn ? `, due ${longDate(a.dueOn)}` : ''}${a.overdue ? ' (overdue)' : ''}`)
        : ['No open actions.'],
    },
    {
      heading: BRIEF_HEADINGS.reports,
      lines: brief.reportsDue.length
        ? brief.reportsDue.map((r) => `${r.report}: due ${longDate(r.dueOn)} (meeting ${longDate(r.meetingOn)})`)
        : ['No reports due in the next 60 days.'],
    },
    {
      heading: BRIEF_HEADINGS.lastCheckIn,
      lines: [last ? `${longDate(last.on)} (${last.kind.replace('_', '-')}${last.by ? `, ${last.by}` : ''})` : 'No contact recorded.'],
    },
  ];
}

const byline = (brief: ClientBrief) => `Prepared ${longDate(brief.generatedAt.slice(0, 10))}. Internal: not for the client.`;

export async function renderBriefDocx(brief: ClientBrief): Promise<Buffer> {
  const title = briefTitle(brief);
  const children: Paragraph[] = [
    new Paragraph({ text: title, heading: HeadingLevel.TITLE }),
    new Paragraph({ children: [new TextRun({ text: byline(brief), italics: true, color: '555555' })], spacing: { after: 160 } }),
  ];
  for (const section of briefSections(brief)) {
    children.push(new Paragraph({ text: section.heading, heading: HeadingLevel.HEADING_2 }));
    children.push(...section.lines.map((text) => new Paragraph({ text, bullet: { level: 0 } })));
  }
  const document = new Document({
    title,
    creator: 'Hearken',
    styles: { default: { document: { run: { font: 'Calibri', size: 20 } } } },
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

export function briefPdfDefinition(brief: ClientBrief, options: { compress?: boolean } = {}): TDocumentDefinitions {
  const title = briefTitle(brief);
  const content: Content[] = [
    { text: title, style: 'title' },
    { text: byline(brief), style: 'byline' },
  ];
  for (const section of briefSections(brief)) {
    content.push({ text: section.heading, style: 'h2' }, { ul: section.lines, margin: [0, 0, 0, 4] });
  }
  return {
    info: { title, creator: 'Hearken' },
    pageSize: 'A4',
    pageMargins: [48, 48, 48, 56],
    compress: options.compress ?? true,
    defaultStyle: { font: 'Roboto', fontSize: 10, lineHeight: 1.2 },
    styles: {
      title: { fontSize: 18, bold: true, margin: [0, 0, 0, 4] },
      byline: { italics: true, color: '#555555', margin: [0, 0, 0, 10] },
      h2: { fontSize: 12, bold: true, margin: [0, 8, 0, 3] },
    },
    content,
    footer: (page: number, pages: number) => ({ text: `${title} · page ${page} of ${pages}`, alignment: 'center', fontSize: 8, color: '#777777' }),
  };
}

export function renderBriefPdf(brief: ClientBrief, options: { compress?: boolean } = {}): Promise<Buffer> {
  return renderPdf(briefPdfDefinition(brief, options));
}
