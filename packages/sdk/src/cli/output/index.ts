export { formatCount, formatPrice, formatTime, formatUsd } from './format.ts';
export { createProgressReporter, type FileProgress, type ProgressReporter } from './progress.ts';
export { daysBetween, sparkline } from './sparkline.ts';
export { type Column, renderFields, renderTable } from './table.ts';
