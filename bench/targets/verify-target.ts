import type { LoadEndpoint } from '../load/load-types.ts';
import { requestBody } from '../load/request-body.ts';
import { answerText } from '../upstream/canned-reply.ts';

interface CompletionShape {
  choices?: Array<{ message?: { content?: string } }>;
}

interface ChunkShape {
  choices?: Array<{ delta?: { content?: string | null } }>;
}

async function post(endpoint: LoadEndpoint, stream: boolean): Promise<string> {
  const response = await fetch(endpoint.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...endpoint.headers },
    body: requestBody(endpoint.api ?? 'chat-completions', endpoint.model, stream),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`status ${response.status}: ${text.slice(0, 500)}`);
  return text;
}

/**
 * Sends one JSON and one streamed request before any measurement and checks that both carry the
 * upstream's answer, so a misconfigured target fails loudly instead of measuring its error path.
 */
/** The Responses API's answer: `output_text` in JSON, the text deltas of a stream that completes. */
async function verifyResponses(endpoint: LoadEndpoint): Promise<void> {
  const json = JSON.parse(await post(endpoint, false)) as { output_text?: string };
  if (json.output_text !== answerText)
    throw new Error(`JSON answer differs: ${String(json.output_text).slice(0, 120)}`);
  const events = (await post(endpoint, true)).split('\n\n').filter((event) => event.trim() !== '');
  let streamed = '';
  let completed = false;
  for (const event of events) {
    const data = event.split('\n').find((line) => line.startsWith('data: '));
    if (!data) continue;
    const parsed = JSON.parse(data.slice('data: '.length)) as { type?: string; delta?: string };
    if (parsed.type === 'response.output_text.delta') streamed += parsed.delta ?? '';
    if (parsed.type === 'response.completed') completed = true;
  }
  if (!completed) throw new Error('the stream has no response.completed');
  if (streamed !== answerText) throw new Error(`streamed answer differs: ${streamed.slice(0, 120)}`);
}

export async function verifyTarget(name: string, endpoint: LoadEndpoint): Promise<void> {
  try {
    if (endpoint.api === 'responses') {
      await verifyResponses(endpoint);
      return;
    }
    const json = JSON.parse(await post(endpoint, false)) as CompletionShape;
    const content = json.choices?.[0]?.message?.content;
    if (content !== answerText) throw new Error(`JSON answer differs: ${String(content).slice(0, 120)}`);
    const events = (await post(endpoint, true)).split('\n\n');
    if (!events.some((event) => event.trim() === 'data: [DONE]')) throw new Error('the stream has no [DONE]');
    let streamed = '';
    for (const event of events) {
      const data = event.trim().replace(/^data: /, '');
      if (data === '' || data === '[DONE]') continue;
      streamed += (JSON.parse(data) as ChunkShape).choices?.[0]?.delta?.content ?? '';
    }
    if (streamed !== answerText) throw new Error(`streamed answer differs: ${streamed.slice(0, 120)}`);
  } catch (error) {
    throw new Error(`${name} failed its check request: ${(error as Error).message}`);
  }
}
