import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { buildXlsx, sheetName, xlsxValue } from './xlsx.js';

async function readBack(buffer: ArrayBuffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer);
  return workbook;
}

describe('dashboard Excel export', () => {
  it('should write one sheet named after the table, with a bold frozen header', async () => {
    const workbook = await readBack(
      await buildXlsx(
        'NPS by practice',
        [{ label: 'Practice' }, { label: 'Answers (n)' }],
        [
          ['Corporate', 4],
          ['Disputes', 2],
        ],
      ),
    );
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['NPS by practice']);
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    expect(sheet.getRow(1).values).toEqual([undefined, 'Practice', 'Answers (n)']);
    expect(sheet.getCell('A1').font?.bold).toBe(true);
    expect(sheet.getCell('B1').font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.rowCount).toBe(3);
    expect(sheet.getCell('A3').value).toBe('Disputes');
    expect(sheet.getCell('A3').font?.bold).not.toBe(true);
  });

  it('should write numbers as numbers, numeric text too, shares with a percentage format, and missing values as empty cells', async () => {
    const workbook = await readBack(
      await buildXlsx(
        'Closure',
        [{ label: 'Owner' }, { label: 'Actions' }, { label: 'Gap' }, { label: 'Closure rate', format: 'percent' }, { label: 'Flag' }],
        [
          ['Ann Able', 3, '-12', 2 / 3, true],
          ['Bob Brown', 0, null, null, false],
        ],
      ),
    );
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    expect(sheet.getCell('B2').type).toBe(ExcelJS.ValueType.Number);
    expect(sheet.getCell('B2').value).toBe(3);
    expect(sheet.getCell('C2').type).toBe(ExcelJS.ValueType.Number);
    expect(sheet.getCell('C2').value).toBe(-12);
    expect(sheet.getCell('D2').type).toBe(ExcelJS.ValueType.Number);
    expect(sheet.getCell('D2').value).toBeCloseTo(0.666667, 5);
    expect(sheet.getCell('D2').numFmt).toBe('0%');
    expect(sheet.getCell('B2').numFmt).toBeUndefined();
    expect(sheet.getCell('E2').type).toBe(ExcelJS.ValueType.Boolean);
    expect(sheet.getCell('E3').value).toBe(false);
    expect(sheet.getCell('C3').type).toBe(ExcelJS.ValueType.Null);
    expect(sheet.getCell('D3').value).toBeNull();
  });

  it('should write text that looks like a formula as defused text, never as a formula', async () => {
    const workbook = await readBack(
      await buildXlsx(
        'Lost clients',
        [{ label: 'Client' }, { label: 'Heard' }],
        [
          ['=HYPERLINK("http://x","y")', '@SUM(A1)'],
          ['+44 20 7946 0000', '-rude'],
        ],
      ),
    );
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    expect(sheet.getCell('A2').type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell('A2').value).toBe('\'=HYPERLINK("http://x","y")');
    expect(sheet.getCell('B2').value).toBe("'@SUM(A1)");
    expect(sheet.getCell('A3').value).toBe("'+44 20 7946 0000");
    expect(sheet.getCell('B3').value).toBe("'-rude");
  });

  it('should make sheet names Excel accepts', () => {
    expect(sheetName('Retention / year [all]: 2026?')).toBe('Retention year all 2026');
    expect(sheetName('A very long table title that goes on and on')).toBe('A very long table title that go');
    expect(sheetName('***')).toBe('Table');
    expect(xlsxValue('')).toBeNull();
    expect(xlsxValue(Number.NaN)).toBeNull();
    expect(xlsxValue('4.5')).toBe(4.5);
    expect(xlsxValue('45%')).toBe('45%');
  });
});
