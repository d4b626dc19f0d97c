import { describe, expect, it } from 'vitest';
import { renderFields, renderTable } from './table.ts';

describe('renderTable', () => {
  it('pads columns to their widest cell and right-aligns numbers', () => {
    const text = renderTable(
      [
        { name: 'sim/fast', requests: 12 },
        { name: 'openai/gpt-4o', requests: 3 },
      ],
      [
        { header: 'model', value: (row) => row.name },
        { header: 'requests', value: (row) => row.requests, align: 'right' },
      ],
    );
    expect(text).toBe(
      ['MODEL          REQUESTS', 'sim/fast             12', 'openai/gpt-4o         3', ''].join('\n'),
    );
  });

  it('shows missing values as a dash and keeps each row on one line', () => {
    const text = renderTable(
      [{ a: null, b: 'two\nlines' }],
      [
        { header: 'a', value: (row) => row.a },
        { header: 'b', value: (row) => row.b },
      ],
    );
    expect(text.split('\n')[1]).toBe('-  two lines');
  });
});

describe('renderFields', () => {
  it('aligns values after the longest key', () => {
    expect(
      renderFields([
        ['id', 'x'],
        ['status', 'ok'],
      ]),
    ).toBe('id      x\nstatus  ok\n');
  });
});
