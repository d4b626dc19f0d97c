/**
 * The cost of tracing on the hot path: the platform with export off (the default: trace context
 * is still accepted, made and returned, nothing is recorded) and with OTLP export on (every request
 * sampled, spans batched and POSTed to a loopback OTLP/HTTP sink in this process), in turns under the
 * same closed-loop load, as compare-cost.ts measures: throughput and CPU milliseconds per request.
 *
 *   node --import tsx bench/profile/compare-tracing.ts [rounds] [seconds] [clients]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stopAllProcesses, stopProcess } from '../support/child-processes.ts';
import { installCleanup } from '../support/cleanup.ts';
import { startPlatform } from '../targets/platform.ts';
import { verifyTarget } from '../targets/verify-target.ts';
import { startUpstream } from '../upstream/start-upstream.ts';
import { type CostSample, measureRounds, median } from './closed-loop-cost.ts';

const [roundsArgument = '3', secondsArgument = '5', clientsArgument = '16'] = process.argv.slice(2);
const rounds = Number(roundsArgument);
const seconds = Number(secondsArgument);
const concurrency = Number(clientsArgument);

/** A loopback OTLP/HTTP sink: accepts every export (an empty ExportTraceServiceResponse), counts bytes. */
async function startOtlpSink(): Promise<{
  url: string;
  exports: () => number;
  bytes: () => number;
  close(): void;
}> {
  let exports = 0;
  let bytes = 0;
  const server = createServer((request, response) => {
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    request.on('end', () => {
      exports++;
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    exports: () => exports,
    bytes: () => bytes,
    close: () => server.close(),
  };
}

installCleanup();
const upstream = await startUpstream();
const sink = await startOtlpSink();
const samples: CostSample[] = [];
try {
  const off = await startPlatform(upstream.origin, { name: 'tracing off (default)' });
  const on = await startPlatform(upstream.origin, {
    name: 'tracing on (OTLP export)',
    environment: {
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: sink.url,
      OTEL_TRACES_SAMPLER: 'always_on',
    },
  });
  const targets = [off, on];
  try {
    for (const target of targets) await verifyTarget(target.name, target.endpoint);
    samples.push(
      ...(await measureRounds(
        targets,
        { rounds, seconds, concurrency },
        (sample) =>
          `${sample.target.padEnd(26)} ${sample.rate.toFixed(0).padStart(6)} req/s ` +
          `${sample.cpuPerRequest.toFixed(3)} CPU ms/request${sample.failed > 0 ? `, ${sample.failed} failed` : ''}`,
      )),
    );
  } finally {
    for (const target of targets) await target.stop();
  }
  process.stdout.write(
    `\nOTLP sink received ${sink.exports()} exports, ${(sink.bytes() / 2 ** 20).toFixed(1)} MiB\nmedians:\n`,
  );
  for (const mode of ['json', 'stream'] as const) {
    const of = (name: string) => samples.filter((sample) => sample.target === name && sample.mode === mode);
    const offCpu = median(of(off.name).map((sample) => sample.cpuPerRequest));
    const onCpu = median(of(on.name).map((sample) => sample.cpuPerRequest));
    const offRate = median(of(off.name).map((sample) => sample.rate));
    const onRate = median(of(on.name).map((sample) => sample.rate));
    process.stdout.write(
      `${mode.padEnd(6)} off ${offRate.toFixed(0)} req/s ${offCpu.toFixed(3)} CPU ms/request; ` +
        `on ${onRate.toFixed(0)} req/s ${onCpu.toFixed(3)} CPU ms/request; ` +
        `CPU ratio on/off ${(onCpu / offCpu).toFixed(2)}, throughput ratio on/off ${(onRate / offRate).toFixed(2)}\n`,
    );
  }
} finally {
  sink.close();
  await stopProcess(upstream.process);
  await stopAllProcesses();
}
