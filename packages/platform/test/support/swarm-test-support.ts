import type { Tool, ToolResolver } from '../../src/agents/index.ts';
import { errors } from '../../src/errors/index.ts';

/** Tools for swarm tests: a lookup that always answers, one that needs approval, one with a broken schema. */
export function testTools(): ToolResolver & { executions: string[] } {
  const executions: string[] = [];
  const tools: Record<string, Tool> = {
    lookup: {
      definition: {
        name: 'lookup',
        description: 'lookup facts about a topic',
        parameters: { type: 'object', properties: { topic: { type: 'string' } }, required: ['topic'] },
      },
      async execute(argumentsJson, context) {
        executions.push(context.stepKey);
        return {
          ok: true,
          output: `facts about ${(argumentsJson as { topic?: string }).topic ?? 'nothing'}`,
        };
      },
    },
    deploy: {
      definition: {
        name: 'deploy',
        description: 'deploy the release',
        parameters: { type: 'object', properties: { target: { type: 'string' } } },
        needsApproval: true,
      },
      async execute(_argumentsJson, context) {
        executions.push(context.stepKey);
        return { ok: true, output: 'deployed' };
      },
    },
    broken: {
      definition: {
        name: 'broken',
        description: 'a tool whose schema is not an object schema',
        parameters: { type: 'string' },
      },
      async execute() {
        return { ok: true, output: '' };
      },
    },
  };
  return {
    executions,
    async resolve(_organizationId, names) {
      return names.map((name) => {
        const tool = tools[name];
        if (!tool) throw errors.invalidRequest('tools', `There is no tool named '${name}'.`);
        return tool;
      });
    },
  };
}

export interface ParsedServerSentEvent {
  id: number;
  event: string;
  data: { sequence: number; type: string; data: Record<string, unknown> };
}

/** Reads an SSE response until it ends (or `stopAfter` events arrived, then aborts). */
export async function readServerSentEvents(
  url: string,
  headers: Record<string, string>,
  options: { stopAfter?: number; timeoutMs?: number } = {},
): Promise<ParsedServerSentEvent[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 20_000);
  const events: ParsedServerSentEvent[] = [];
  try {
    const response = await fetch(url, { headers, signal: controller.signal });
    if (response.status !== 200) throw new Error(`SSE ${response.status}: ${await response.text()}`);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let boundary = buffer.indexOf('\n\n');
      while (boundary >= 0) {
        const frame = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        boundary = buffer.indexOf('\n\n');
        const fields = new Map<string, string>();
        for (const line of frame.split('\n')) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
        }
        if (!fields.has('data')) continue;
        events.push({
          id: Number(fields.get('id')),
          event: fields.get('event') ?? '',
          data: JSON.parse(fields.get('data') ?? '{}'),
        });
        if (options.stopAfter !== undefined && events.length >= options.stopAfter) {
          controller.abort();
          return events;
        }
      }
    }
    return events;
  } catch (error) {
    if (controller.signal.aborted && options.stopAfter !== undefined) return events;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Polls GET /v1/swarms/{id} until the run leaves the live statuses. */
export async function waitForRun(
  baseUrl: string,
  key: string,
  runId: string,
  timeoutMs = 30_000,
): Promise<Record<string, unknown> & { status: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${baseUrl}/v1/swarms/${runId}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const body = (await response.json()) as Record<string, unknown> & { status: string };
    if (!['queued', 'running'].includes(body.status)) return body;
    if (Date.now() > deadline)
      throw new Error(`run ${runId} still ${body.status}: ${JSON.stringify(body).slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
