/** One column of a table: its heading and how to read a cell from a row. */
export interface Column<Row> {
  header: string;
  value: (row: Row) => string | number | null | undefined;
  /** Numbers read best right-aligned. */
  align?: 'left' | 'right';
}

function cellText(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '-';
  return String(value).replace(/\s+/g, ' ');
}

/** Terminal width of a string: counts code points, which is right for the text this CLI prints. */
function width(text: string): number {
  return [...text].length;
}

/** A plain-text table with a heading row and columns padded to their widest cell. */
export function renderTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  const cells = rows.map((row) => columns.map((column) => cellText(column.value(row))));
  const widths = columns.map((column, index) =>
    Math.max(width(column.header), ...cells.map((line) => width(line[index] ?? ''))),
  );
  const pad = (text: string, index: number) => {
    const fill = ' '.repeat(Math.max(0, (widths[index] ?? 0) - width(text)));
    return columns[index]?.align === 'right' ? fill + text : text + fill;
  };
  const lines = [
    columns.map((column, index) => pad(column.header.toUpperCase(), index)).join('  '),
    ...cells.map((line) => line.map((text, index) => pad(text, index)).join('  ')),
  ];
  return `${lines.map((line) => line.trimEnd()).join('\n')}\n`;
}

/** `key: value` lines for one object, keys padded to one width. */
export function renderFields(
  fields: ReadonlyArray<readonly [string, string | number | null | undefined]>,
): string {
  const keyWidth = Math.max(0, ...fields.map(([key]) => width(key)));
  return `${fields.map(([key, value]) => `${key.padEnd(keyWidth)}  ${cellText(value)}`).join('\n')}\n`;
}
