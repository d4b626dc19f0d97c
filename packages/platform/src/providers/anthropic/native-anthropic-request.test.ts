import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../model/index.ts';
import type { AnthropicModelSettings } from './anthropic-models.ts';
import {
  anthropicCountTokensBody,
  anthropicHeaders,
  anthropicMessagesBody,
} from './native-anthropic-request.ts';

const model: AnthropicModelSettings = {
  id: 'claude-test',
  contextWindow: 200_000,
  maxOutputTokens: 64_000,
  capabilities: { vision: true, tools: true, jsonMode: true, reasoning: true },
  prices: {
    input_per_million: '1',
    output_per_million: '5',
    cached_input_per_million: '0.10',
    cache_write_input_per_million: '1.25',
  },
};

const signature = 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds+Gr/2ahLN2f0hWc2==';

/** What the Anthropic ingress received, as the client sent it. */
const received = {
  model: 'anthropic/claude-test',
  max_tokens: 1024,
  stream: false,
  top_k: 5,
  temperature: 0.5,
  metadata: { user_id: 'user-1' },
  system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral', ttl: '1h' } }],
  thinking: { type: 'enabled', budget_tokens: 2048 },
  tools: [{ name: 'f', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' } }],
  messages: [
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: [{ type: 'thinking', thinking: 'hm', signature }] },
    { role: 'user', content: [{ type: 'text', text: 'Go on', a_future_field: 1 }] },
  ],
  context_management: { edits: [] },
};

const internal: ChatRequest = {
  model: 'claude-test',
  messages: [{ role: 'user', content: 'Hi' }],
  maxTokens: 1024,
  passthrough: {
    anthropic: { headers: { 'anthropic-version': '2023-06-01', 'anthropic-beta': 'b1,b2' }, body: received },
  },
};

describe('native Anthropic requests', () => {
  it('forward the body as received, with the deployment model id and the stream flag', () => {
    const { model: _model, stream: _stream, ...rest } = received;
    expect(anthropicMessagesBody(internal, { model, stream: true, version: '2023-06-01' })).toEqual({
      ...rest,
      model: 'claude-test',
      stream: true,
    });
    expect(
      anthropicMessagesBody(internal, { model, stream: false, version: '2023-06-01' }),
    ).not.toHaveProperty('stream');
  });

  it('build the body from the internal request when nothing was received natively', () => {
    const { passthrough: _passthrough, ...plain } = internal;
    expect(anthropicMessagesBody(plain, { model, stream: false, version: '2023-06-01' })).toEqual({
      model: 'claude-test',
      max_tokens: 1024,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    });
  });

  it('count tokens over the prompt only, without the fields that shape the answer', () => {
    expect(anthropicCountTokensBody(internal, { model, version: '2023-06-01' })).toEqual({
      model: 'claude-test',
      system: received.system,
      thinking: received.thinking,
      tools: received.tools,
      messages: received.messages,
      context_management: received.context_management,
    });
  });

  it("send the client's version and betas, else the connection's version", () => {
    expect(anthropicHeaders(internal, '2099-01-01')).toEqual({
      'anthropic-version': '2023-06-01',
      'anthropic-beta': 'b1,b2',
    });
    expect(anthropicHeaders({ model: 'x', messages: [] }, '2099-01-01')).toEqual({
      'anthropic-version': '2099-01-01',
    });
  });
});
