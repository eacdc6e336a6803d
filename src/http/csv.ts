import { stringify } from 'csv-stringify/sync';

/**
 * Spreadsheets run a cell that starts with =, +, -, @, tab or carriage return as a formula, so
 * an exported value such as `=HYPERLINK(…)` typed into Hearken could run on an auditor's machine
 * (CSV injection). Such cells get a leading apostrophe, which spreadsheets show as plain text.
 */
export function spreadsheetSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Writes rows as CSV with a header, every cell made safe to open in a spreadsheet. */
export function toCsv(columns: string[], rows: (string | number | null)[][]): string {
  return stringify(
    rows.map((row) => row.map((cell) => (cell === null ? '' : spreadsheetSafe(String(cell))))),
    { header: true, columns },
  );
}
