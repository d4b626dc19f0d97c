import { describe, expect, it } from 'vitest';
import { currentPeriod, periodStartOfKey } from './budget-period.ts';

const at = (iso: string) => Date.parse(iso);

describe('budget periods (UTC)', () => {
  it('starts a day at UTC midnight and resets at the next one', () => {
    const window = currentPeriod('day', at('2026-11-24T23:59:59.999Z'));
    expect(window.periodKey).toBe('2026-11-24');
    expect(window.start.toISOString()).toBe('2026-11-24T00:00:00.000Z');
    expect(window.resetsAt?.toISOString()).toBe('2026-11-25T00:00:00.000Z');
    expect(currentPeriod('day', at('2026-11-25T00:00:00.000Z')).periodKey).toBe('2026-11-25');
  });

  it('ignores the local time zone of a Date (an instant is what counts)', () => {
    expect(currentPeriod('day', new Date('2026-11-24T23:30:00-05:00')).periodKey).toBe('2026-11-25');
  });

  it('rolls days over month and year ends', () => {
    expect(currentPeriod('day', at('2026-01-31T12:00:00Z')).resetsAt?.toISOString()).toBe(
      '2026-02-01T00:00:00.000Z',
    );
    expect(currentPeriod('day', at('2026-12-31T12:00:00Z')).resetsAt?.toISOString()).toBe(
      '2027-01-01T00:00:00.000Z',
    );
  });

  it('handles February in leap and common years', () => {
    expect(currentPeriod('day', at('2028-02-28T10:00:00Z')).resetsAt?.toISOString()).toBe(
      '2028-02-29T00:00:00.000Z',
    );
    expect(currentPeriod('day', at('2028-02-29T10:00:00Z')).periodKey).toBe('2028-02-29');
    expect(currentPeriod('day', at('2027-02-28T10:00:00Z')).resetsAt?.toISOString()).toBe(
      '2027-03-01T00:00:00.000Z',
    );
    expect(currentPeriod('month', at('2028-02-29T23:59:59Z')).resetsAt?.toISOString()).toBe(
      '2028-03-01T00:00:00.000Z',
    );
    expect(currentPeriod('day', at('2100-02-28T10:00:00Z')).resetsAt?.toISOString()).toBe(
      '2100-03-01T00:00:00.000Z',
    );
  });

  it('starts months on the 1st and rolls December into January', () => {
    const window = currentPeriod('month', at('2026-12-31T23:59:59.999Z'));
    expect(window.periodKey).toBe('2026-12');
    expect(window.start.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(window.resetsAt?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(currentPeriod('month', at('2027-01-01T00:00:00Z')).periodKey).toBe('2027-01');
    expect(currentPeriod('month', at('2026-01-31T10:00:00Z')).resetsAt?.toISOString()).toBe(
      '2026-02-01T00:00:00.000Z',
    );
  });

  it('never resets a total budget', () => {
    const window = currentPeriod('total', at('2026-11-24T10:00:00Z'));
    expect(window).toEqual({ periodKey: 'total', start: new Date(0), resetsAt: null });
  });

  it('maps keys back to their start', () => {
    for (const [period, instant] of [
      ['day', '2028-02-29T10:00:00Z'],
      ['month', '2026-12-31T23:00:00Z'],
      ['total', '2026-01-01T00:00:00Z'],
    ] as const) {
      const window = currentPeriod(period, at(instant));
      expect(periodStartOfKey(window.periodKey)).toEqual(window.start);
    }
    expect(() => periodStartOfKey('yesterday')).toThrow(/period key/);
  });
});
