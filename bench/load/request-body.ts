import type { LoadApi } from './load-types.ts';

/** Digits of the number each request's question ends with (fixed, so every body has one size). */
const ticketDigits = 9;

/**
 * The chat request every client sends: a system prompt and a question of realistic size (about
 * 1 KB, some 180 tokens), the same for every target so only the gateway differs. The question ends
 * with a ticket number: the request generator gives every request its own, so nothing keyed on the
 * whole prompt (a response cache, a memo of the question's token count) skips work that real
 * traffic would pay for, while the system prompt repeats as it does in real traffic.
 */
const system =
  'You are a careful assistant for an engineering team. Answer in plain English, cite the part of ' +
  'the question each point answers, prefer short paragraphs, and say so when you are not sure. ' +
  'Never invent figures; when a number is needed and not given, explain how to measure it instead.';

function question(ticket: number): string {
  return (
    'We run a multi-tenant gateway in front of several language model providers. Each request is ' +
    'authenticated with an API key, routed to a deployment, retried on failure and metered to the ' +
    'token. Explain how to keep the added latency under a millisecond at a thousand requests per ' +
    'second on a small machine, which parts of the path are worth measuring first, and how to tell ' +
    'the gateway overhead apart from the provider latency in production dashboards. Ticket ' +
    String(ticket).padStart(ticketDigits, '0')
  );
}

export function chatRequestBody(model: string, stream: boolean, ticket = 0): string {
  return JSON.stringify({
    model,
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: question(ticket) },
    ],
    max_tokens: 300,
    temperature: 0.2,
    stream,
    ...(stream ? { stream_options: { include_usage: true } } : {}),
  });
}

/**
 * The same question as a Responses API request (`POST /v1/responses`): the system prompt as
 * `instructions`, the question as `input`, stored as by default (`store` is true unless sent false).
 */
export function responsesRequestBody(model: string, stream: boolean, ticket = 0): string {
  return JSON.stringify({
    model,
    instructions: system,
    input: question(ticket),
    max_output_tokens: 300,
    temperature: 0.2,
    stream,
  });
}

/** The body of one request in the shape `api` speaks. */
export function requestBody(api: LoadApi, model: string, stream: boolean, ticket = 0): string {
  return api === 'responses'
    ? responsesRequestBody(model, stream, ticket)
    : chatRequestBody(model, stream, ticket);
}

/**
 * Bodies with a fresh ticket each, cheap enough for thousands per second: the encoded body is cut
 * around its ticket once, and each call joins the two halves with the next number.
 */
export function requestBodies(api: LoadApi, model: string, stream: boolean): () => Buffer {
  const marker = '9'.repeat(ticketDigits);
  const template = requestBody(api, model, stream, Number(marker));
  const at = template.indexOf(marker);
  const before = Buffer.from(template.slice(0, at));
  const after = Buffer.from(template.slice(at + ticketDigits));
  let ticket = Math.floor(Math.random() * 1_000_000);
  return () => {
    ticket = (ticket + 1) % 10 ** ticketDigits;
    return Buffer.concat([before, Buffer.from(String(ticket).padStart(ticketDigits, '0')), after]);
  };
}
