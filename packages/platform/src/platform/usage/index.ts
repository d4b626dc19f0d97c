export {
  createUsageServices,
  maximumUsageRangeDays,
  type UsageReport,
  type UsageServices,
} from './usage-services.ts';
