/** A cell of an exported table: text, a number, or nothing. */
export type CsvCell = string | number | boolean | null | undefined;

/**
 * Text a spreadsheet would run as a formula (=, +, -, @, tab, CR), prefixed with an apostrophe,
 * unless it is a plain number such as -12. Shared by the CSV and Excel exports.
 */
export function defuseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) && !/^[+-]?\d+(\.\d+)?$/.test(text) ? `'${text}` : text;
}

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, a quote, a line break or edge spaces,
 * quotes doubled. Text a spreadsheet would run as a formula (=, +, -, @, tab, CR) is prefixed
 * with an apostrophe, unless it is a plain number such as -12.
 */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) {
    return '';
  }
  const text = typeof value === 'string' ? defuseFormula(value) : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole CSV document: one line per row, CRLF line ends (RFC 4180). */
export function toCsv(rows: CsvCell[][]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n');
}

/** Saves a CSV in the browser (with a BOM so spreadsheets read it as UTF-8). */
export function downloadCsv(fileName: string, rows: CsvCell[][]) {
  const blob = new Blob([`\uFEFF${toCsv(rows)}\r\n`], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName.endsWith('.csv') ? fileName : `${fileName}.csv`;
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}
