/** A USD amount from the platform's exact decimal text, rounded for reading (the JSON keeps it exact). */
export function formatUsd(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '-';
  const amount = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(amount)) return String(value);
  if (amount === 0) return '$0';
  if (Math.abs(amount) < 0.000001) return '<$0.000001';
  if (Math.abs(amount) < 0.01) return `$${Number(amount.toPrecision(2)).toFixed(6).replace(/0+$/, '')}`;
  return `$${amount.toFixed(2)}`;
}

/** An integer with thousands separators. */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined) return '-';
  return value.toLocaleString('en-US');
}

/** An ISO time shortened to the minute, in UTC. */
export function formatTime(value: string | null | undefined): string {
  if (!value) return '-';
  return `${value.slice(0, 16).replace('T', ' ')}Z`;
}

/** A price per million tokens from exact decimal text, without trailing zeros (`0.100000` → `0.1`). */
export function formatPrice(value: string | null | undefined): string {
  if (value === null || value === undefined) return '-';
  return value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value;
}
