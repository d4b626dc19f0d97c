import { createOpenAI } from '@ai-sdk/openai';
import { Agent, tool as agentTool, OpenAIProvider, Runner } from '@openai/agents';
import { generateText, tool as sdkTool, stepCountIs, streamText } from 'ai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * The agent frameworks that call the Responses API by default, against the running platform
 * (real HTTP on loopback) over the simulated models: the OpenAI Agents SDK runs an agent with a
 * function tool to its final answer, and the Vercel AI SDK's OpenAI provider (whose default
 * model is the Responses API) runs a tool loop, JSON and streamed. Each tool really executes,
 * and the final answer is built from what it returned.
 */
describe('agent frameworks on the Responses API', () => {
  let testApp: TestApp;
  let secret: string;
  let baseURL: string;
  const weatherCalls: string[] = [];

  beforeAll(async () => {
    testApp = await startTestApp({ listen: true, config: { aliases: { 'gpt-4o-mini': 'sim/fast' } } });
    secret = (await createTenant(testApp, { name: 'agent frameworks' })).secret;
    baseURL = `${testApp.baseUrl}/v1`;
  });

  afterAll(async () => {
    await testApp?.close();
  });

  const weatherAnswer = (city: string) => {
    weatherCalls.push(city);
    return `It is 21 degrees and sunny in ${city}.`;
  };

  /** A runner on the platform (tracing off: it would export to api.openai.com) and an agent with a tool. */
  function forecaster() {
    const client = new OpenAI({ apiKey: secret, baseURL, maxRetries: 0 });
    const runner = new Runner({
      modelProvider: new OpenAIProvider({ openAIClient: client, useResponses: true }),
      tracingDisabled: true,
    });
    const agent = new Agent({
      name: 'Forecaster',
      instructions: 'Use the weather tool, then answer in one sentence.',
      model: 'gpt-4o-mini',
      tools: [
        agentTool({
          name: 'get_weather',
          description: 'Get the current weather for a city',
          parameters: z.object({ city: z.string() }),
          execute: async ({ city }) => weatherAnswer(city),
        }),
      ],
    });
    return { client, runner, agent };
  }

  it('runs an OpenAI Agents SDK agent with a tool to a final answer', async () => {
    weatherCalls.length = 0;
    const { client, runner, agent } = forecaster();
    const result = await runner.run(agent, 'What is the weather in Paris?');
    expect(weatherCalls.length).toBeGreaterThanOrEqual(1);
    const toolCalls = result.newItems.filter((item) => item.type === 'tool_call_item');
    const toolOutputs = result.newItems.filter((item) => item.type === 'tool_call_output_item');
    expect(toolCalls.length).toBe(weatherCalls.length);
    expect(toolOutputs.length).toBe(weatherCalls.length);
    expect(typeof result.finalOutput).toBe('string');
    expect(result.finalOutput).toContain('sunny');
    // The run's responses are stored: the last one is retrievable by the id the SDK saw.
    const lastResponseId = result.lastResponseId;
    expect(lastResponseId).toMatch(/^resp_/);
    const stored = await client.responses.retrieve(lastResponseId as string);
    expect(stored.status).toBe('completed');
    expect(stored.output_text).toBe(result.finalOutput);
  });

  it('streams an Agents SDK run with a tool, event by event', async () => {
    weatherCalls.length = 0;
    const { runner, agent } = forecaster();
    const stream = await runner.run(agent, 'What is the weather in Oslo?', { stream: true });
    const rawTypes: string[] = [];
    for await (const event of stream) {
      if (event.type === 'raw_model_stream_event') rawTypes.push(event.data.type);
    }
    await stream.completed;
    expect(weatherCalls.length).toBeGreaterThanOrEqual(1);
    expect(rawTypes).toContain('output_text_delta');
    expect(rawTypes.filter((type) => type === 'response_done').length).toBe(2);
    expect(stream.finalOutput).toContain('sunny');
  });

  it("runs a Vercel AI SDK tool loop on @ai-sdk/openai's default (Responses) model", async () => {
    weatherCalls.length = 0;
    const requestedPaths: string[] = [];
    const openai = createOpenAI({
      apiKey: secret,
      baseURL,
      fetch: async (input, init) => {
        requestedPaths.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
        return fetch(input, init);
      },
    });
    const result = await generateText({
      model: openai('gpt-4o-mini'),
      system: 'Use the weather tool, then answer in one sentence.',
      prompt: 'What is the weather in Lisbon?',
      tools: {
        get_weather: sdkTool({
          description: 'Get the current weather for a city',
          inputSchema: z.object({ city: z.string() }),
          execute: async ({ city }) => weatherAnswer(city),
        }),
      },
      stopWhen: stepCountIs(4),
      maxRetries: 0,
    });
    expect(requestedPaths.length).toBeGreaterThanOrEqual(2);
    expect(new Set(requestedPaths)).toEqual(new Set(['/v1/responses']));
    expect(result.steps.length).toBe(2);
    expect(result.steps[0]?.finishReason).toBe('tool-calls');
    expect(result.steps[0]?.toolResults.length).toBe(weatherCalls.length);
    expect(result.finishReason).toBe('stop');
    expect(result.text).toContain('sunny');
    expect(result.totalUsage.inputTokens).toBeGreaterThan(0);
    expect(result.totalUsage.outputTokens).toBeGreaterThan(0);
    expect(result.response.id).toMatch(/^resp_/);
  });

  it('streams a Vercel AI SDK tool loop on the Responses API', async () => {
    weatherCalls.length = 0;
    const openai = createOpenAI({ apiKey: secret, baseURL });
    const result = streamText({
      model: openai('gpt-4o-mini'),
      prompt: 'What is the weather in Rome?',
      tools: {
        get_weather: sdkTool({
          description: 'Get the current weather for a city',
          inputSchema: z.object({ city: z.string() }),
          execute: async ({ city }) => weatherAnswer(city),
        }),
      },
      stopWhen: stepCountIs(4),
      maxRetries: 0,
    });
    const partTypes = new Set<string>();
    for await (const part of result.fullStream) {
      if (part.type === 'error') throw part.error;
      partTypes.add(part.type);
    }
    expect(weatherCalls.length).toBeGreaterThanOrEqual(1);
    expect(partTypes).toContain('tool-call');
    expect(partTypes).toContain('tool-result');
    expect(partTypes).toContain('text-delta');
    expect(await result.text).toContain('sunny');
    expect((await result.steps).length).toBe(2);
  });
});
