import { createBullmqJobQueue } from './bullmq-job-queue.ts';

/*
 * A worker in its own process, for the test of a worker that dies mid-job: it takes jobs, reports
 * each on stdout and never finishes one, until the test kills it with SIGKILL.
 */
const url = process.env.FIXTURE_REDIS_URL;
const prefix = process.env.FIXTURE_PREFIX;
const queueName = process.env.FIXTURE_QUEUE;
const leaseMs = Number(process.env.FIXTURE_LEASE_MS);
if (!url || !prefix || !queueName || !Number.isFinite(leaseMs)) {
  throw new Error('FIXTURE_REDIS_URL, FIXTURE_PREFIX, FIXTURE_QUEUE and FIXTURE_LEASE_MS are required');
}

const queue = createBullmqJobQueue({ url, prefix });
await queue.work(
  queueName,
  async (job) => {
    process.stdout.write(`started ${job.id} ${job.attempt}\n`);
    await new Promise(() => {});
  },
  { concurrency: 1, leaseMs },
);
process.stdout.write('ready\n');
