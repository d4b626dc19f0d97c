import { parse } from 'csv-parse/sync';
import { errors } from '../../errors/index.ts';

/** A record as `key: value` lines; nested values as JSON. */
function recordText(record: Record<string, unknown>): string {
  return Object.entries(record)
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join('\n');
}

/** CSV with a header row: each row a paragraph of `column: value` lines. */
export function loadCsv(text: string): string {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, {
      columns: true,
      skip_empty_lines: true,
      bom: true,
      relax_column_count: true,
      trim: true,
    });
  } catch (error) {
    throw errors.invalidRequest(
      'file',
      `The CSV could not be read: ${(error as Error).message.slice(0, 200)}`,
    );
  }
  return rows
    .map(recordText)
    .filter((row) => row !== '')
    .join('\n\n');
}

/** JSON: an array's items (or an object) as paragraphs of `key: value` lines; a string as itself. */
export function loadJson(text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw errors.invalidRequest(
      'file',
      `The JSON could not be read: ${(error as Error).message.slice(0, 200)}`,
    );
  }
  const items = Array.isArray(value) ? value : [value];
  return items
    .map((item) =>
      typeof item === 'object' && item !== null && !Array.isArray(item)
        ? recordText(item as Record<string, unknown>)
        : typeof item === 'string'
          ? item
          : JSON.stringify(item),
    )
    .filter((item) => item !== '')
    .join('\n\n');
}
