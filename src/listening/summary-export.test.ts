import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { pdfText } from '../../test/support/pdf-text.js';
import { exportFileName, longDate, renderSummaryDocx, type SummaryDocument } from './summary-docx.js';
import { renderSummaryPdf } from './summary-pdf.js';

const doc: SummaryDocument = {
  clientName: 'Zoë & Łukasz Holdings plc',
  sessionDate: '2026-03-14',
  interviewerName: 'Iris Independent',
  summary: {
    thanks: 'Thank you, Megge and Tom, for your time.',
    heard: [
      { theme: 'Billing', points: ['Invoices arrive late and surprise the CFO. (Megge)', 'Fee estimates are never met.'] },
      { theme: 'Responsiveness', points: ['The associates turn things round overnight.'] },
    ],
    willDo: ['Send a monthly fee forecast to the CFO.'],
    nextSteps: ['Check in again before the year end.'],
  },
};

async function documentXml(docx: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(docx);
  const xml = await zip.file('word/document.xml')?.async('string');
  if (!xml) {
    throw new Error('no word/document.xml');
  }
  // Word splits text into runs; the words a reader sees are the text of the w:t elements.
  return [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(' ');
}

describe('summary exports', () => {
  it('should write a valid Word package with every part of the summary', async () => {
    const docx = await renderSummaryDocx(doc);
    const zip = await JSZip.loadAsync(docx);
    expect(Object.keys(zip.files)).toEqual(expect.arrayContaining(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']));
    const text = await documentXml(docx);
    for (const expected of [
      'Listening session summary',
      'Zoë &amp; Łukasz Holdings plc',
      'Session of 14 March 2026, interviewed by Iris Independent',
      'Thank you, Megge and Tom, for your time.',
      'What we heard',
      'Billing',
      'Invoices arrive late and surprise the CFO. (Megge)',
      'The associates turn things round overnight.',
      'What we will do',
      'Send a monthly fee forecast to the CFO.',
      'Next steps',
      'Check in again before the year end.',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('should write a PDF with every part of the summary, accented names included', async () => {
    const pdf = await renderSummaryPdf(doc, { compress: false });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
    const text = pdfText(pdf);
    for (const expected of [
      'Listening session summary',
      'Zoë & Łukasz Holdings plc',
      'Session of 14 March 2026, interviewed by Iris Independent',
      'Thank you, Megge and Tom, for your time.',
      'What we heard',
      'Invoices arrive late and surprise the CFO. (Megge)',
      'Fee estimates are never met.',
      'What we will do',
      'Send a monthly fee forecast to the CFO.',
      'Check in again before the year end.',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('zanzibar');
  });

  it('should compress the PDF by default, with the same text inside', async () => {
    const pdf = await renderSummaryPdf(doc);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain('/FlateDecode');
    expect(pdf.toString('latin1')).not.toContain('What we heard');
    expect(pdfText(pdf)).toContain('Invoices arrive late and surprise the CFO. (Megge)');
  });

  it('should leave out empty parts and undated sessions’ dates', async () => {
    const bare = { ...doc, sessionDate: null, summary: { thanks: '', heard: [], willDo: [], nextSteps: [] } };
    const text = await documentXml(await renderSummaryDocx(bare));
    expect(text).toContain('Interviewed by Iris Independent');
    expect(text).not.toContain('What we heard');
    expect(pdfText(await renderSummaryPdf(bare, { compress: false }))).not.toContain('Next steps');
  });

  it('should name the files after the client and the day, in plain ASCII', () => {
    expect(exportFileName(doc, 'docx')).toBe('listening-summary-Zoe-Lukasz-Holdings-plc-2026-03-14.docx');
    expect(exportFileName({ clientName: '***', sessionDate: null }, 'pdf')).toBe('listening-summary-client.pdf');
    expect(longDate('2026-01-02')).toBe('2 January 2026');
  });
});
