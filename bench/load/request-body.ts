/**
 * The chat request every client sends: a system prompt and a question of realistic size (about
 * 1 KB, some 180 tokens), the same for every target so only the gateway differs.
 */
export function chatRequestBody(model: string, stream: boolean): string {
  const system =
    'You are a careful assistant for an engineering team. Answer in plain English, cite the part of ' +
    'the question each point answers, prefer short paragraphs, and say so when you are not sure. ' +
    'Never invent figures; when a number is needed and not given, explain how to measure it instead.';
  const question =
    'We run a multi-tenant gateway in front of several language model providers. Each request is ' +
    'authenticated with an API key, routed to a deployment, retried on failure and metered to the ' +
    'token. Explain how to keep the added latency under a millisecond at a thousand requests per ' +
    'second on a small machine, which parts of the path are worth measuring first, and how to tell ' +
    'the gateway overhead apart from the provider latency in production dashboards.';
  return JSON.stringify({
    model,
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: question },
    ],
    max_tokens: 300,
    temperature: 0.2,
    stream,
    ...(stream ? { stream_options: { include_usage: true } } : {}),
  });
}
