import ExcelJS from 'exceljs';
import { type CsvCell, defuseFormula } from './csv';

/**
 * The Excel export of a dashboard table. This module is loaded only when someone clicks
 * "Excel" (a dynamic import in ui.tsx), so exceljs stays out of the dashboards' bundle.
 */

/** A column of the exported sheet: its header and, for shares (0–1), a percentage format. */
export interface XlsxColumn {
  label: string;
  format?: 'percent';
}

/** Characters Excel refuses in a sheet name, and its length limit. */
const SHEET_NAME_FORBIDDEN = /[[\]:*?/\\]/g;
const SHEET_NAME_MAX = 31;

/** A sheet name Excel accepts: forbidden characters replaced, at most 31 characters, never empty. */
export function sheetName(title: string): string {
  const name = title
    .replace(SHEET_NAME_FORBIDDEN, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^'+|'+$/g, '');
  return name.slice(0, SHEET_NAME_MAX).trim() || 'Table';
}

const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

/** A cell as Excel should hold it: numbers (and numeric text) as numbers, text defused like the CSV. */
export function xlsxValue(value: CsvCell): string | number | boolean | null {
  if (value === null || value === undefined || value === '') {
    return null;
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : null;
  }
  if (typeof value === 'boolean') {
    return value;
  }
  return PLAIN_NUMBER.test(value) ? Number(value) : defuseFormula(value);
}

/**
 * Builds the workbook: one worksheet named after the table, the header row bold and frozen,
 * then one row per table row. Pure (no DOM), so it is unit-tested by reading the file back.
 */
export async function buildXlsx(title: string, columns: XlsxColumn[], rows: CsvCell[][]): Promise<ArrayBuffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Hearken';
  const sheet = workbook.addWorksheet(sheetName(title), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({
    header: c.label,
    width: Math.min(60, Math.max(10, c.label.length + 2)),
    ...(c.format === 'percent' ? { style: { numFmt: '0%' } } : {}),
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) {
    sheet.addRow(columns.map((_, i) => xlsxValue(row[i])));
  }
  return workbook.xlsx.writeBuffer() as Promise<ArrayBuffer>;
}

/** Saves the table as an .xlsx file in the browser. */
export async function downloadXlsx(fileName: string, title: string, columns: XlsxColumn[], rows: CsvCell[][]) {
  const buffer = await buildXlsx(title, columns, rows);
  const blob = new Blob([buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${fileName.replace(/\.csv$/, '')}.xlsx`;
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}
