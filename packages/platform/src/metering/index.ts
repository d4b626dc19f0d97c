export { builtInPrices, builtInPriceVersion, type PriceEntry } from './built-in-prices.ts';
export { type CacheUsage, queryCacheUsage } from './cache-usage-query.ts';
export {
  type BillableTokens,
  batchPrice,
  costInPicoUsd,
  decimalToPicoUsd,
  picoUsdToDecimal,
} from './cost.ts';
export { createPriceTable, type PriceTable, parsePricePerMillion, type TokenPrice } from './price-table.ts';
export {
  announceCommittedUsage,
  type UsageCommittedNotice,
  usageCommittedChannel,
} from './usage-events.ts';
export { createUsageLedger, type UsageLedger, type UsageLedgerOptions } from './usage-ledger.ts';
export {
  ensureUsagePartitions,
  startUsagePartitionUpkeep,
  type UsagePartitionUpkeep,
} from './usage-partitions.ts';
export {
  queryUsage,
  queryUsageFromRecords,
  totalUsage,
  type UsageAggregate,
  type UsageGrouping,
  type UsageQuery,
} from './usage-query.ts';
export { type UsageEndpoint, type UsageRecord, type UsageSource, usageColumns } from './usage-record.ts';
