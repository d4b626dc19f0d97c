import OpenAI, { toFile } from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { ResponseCreateParamsNonStreaming } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/storage/db/index.ts';
import { addDocumentsAndWait, createKnowledgeBase } from './support/knowledge-test-support.ts';
import { createTemporaryDatabase, postgresAvailable } from './support/services.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * Chat grounded in knowledge bases through the official `openai` client: `kimi.knowledge_bases`
 * on chat completions and responses (JSON and streamed) retrieves passages, injects them and
 * returns `kimi.citations`; another organisation's knowledge base is a 404 naming the entry; the
 * exact cache keys on the injected passages.
 */
interface Citation {
  index: number;
  knowledge_base_id: string;
  document_id: string;
  external_id: string | null;
  chunk_id: string;
  title: string;
  text: string;
  start: number;
  end: number;
  score: number;
}
type WithKimi = { kimi?: { citations: Citation[]; knowledge_bases?: string[] } };

const postgres = await postgresAvailable();
const config = { cache: { enabled: true } };

/** Both search paths: PGlite with pgvector (HNSW) and PostgreSQL without the extension (exact scan). */
const backends = [
  {
    name: 'PGlite with pgvector',
    available: true,
    async start() {
      const database = await openDatabase({ dataDirectory: 'memory://', extensions: 'vector' });
      const testApp = await startTestApp({ database, listen: true, config });
      return { testApp, cleanup: () => database.close() };
    },
  },
  {
    name: 'PostgreSQL without pgvector',
    available: postgres,
    async start() {
      const temporary = await createTemporaryDatabase();
      const testApp = await startTestApp({ databaseUrl: temporary.url, listen: true, config });
      return { testApp, cleanup: () => temporary.drop() };
    },
  },
];

for (const backend of backends) {
  describe.runIf(backend.available)(`grounding on ${backend.name}`, () => {
    let testApp: TestApp;
    let closeDatabase: () => Promise<void>;
    let client: OpenAI;
    let tenant: { organizationId: string; secret: string };
    let solarBase: string;
    let petsBase: string;
    let strangerBase: string;

    const question = [{ role: 'user' as const, content: 'How do solar panels make electricity?' }];

    beforeAll(async () => {
      const started = await backend.start();
      testApp = started.testApp;
      closeDatabase = started.cleanup;
      tenant = await createTenant(testApp, { name: 'grounded' });
      const stranger = await createTenant(testApp, { name: 'stranger' });
      client = new OpenAI({ apiKey: tenant.secret, baseURL: `${testApp.baseUrl}/v1`, maxRetries: 0 });
      solarBase = await createKnowledgeBase(testApp.baseUrl, tenant.secret, 'Energy');
      await addDocumentsAndWait(testApp.baseUrl, tenant.secret, solarBase, [
        {
          title: 'Solar power',
          external_id: 'solar-guide',
          text: 'Solar panels convert sunlight into electricity with photovoltaic cells. Batteries store the electricity for the night.',
        },
        { title: 'Wind power', text: 'Wind turbines turn moving air into electricity with a generator.' },
      ]);
      petsBase = await createKnowledgeBase(testApp.baseUrl, tenant.secret, 'Pets');
      await addDocumentsAndWait(testApp.baseUrl, tenant.secret, petsBase, [
        {
          title: 'Cats',
          external_id: 'cats',
          text: 'Cats purr when they are content and sleep most of the day.',
        },
      ]);
      strangerBase = await createKnowledgeBase(testApp.baseUrl, stranger.secret, 'Secret');
      await addDocumentsAndWait(testApp.baseUrl, stranger.secret, strangerBase, [
        { title: 'Secret solar plans', text: 'Solar panels of the stranger organisation.' },
      ]);
    });

    afterAll(async () => {
      await testApp?.close();
      await closeDatabase?.();
    });

    function grounded(knowledgeBases: string[], topK?: number) {
      return { kimi: { knowledge_bases: knowledgeBases, ...(topK ? { knowledge_top_k: topK } : {}) } };
    }

    function expectCitations(citations: Citation[] | undefined, knowledgeBase: string) {
      expect(citations?.length).toBeGreaterThan(0);
      citations!.forEach((citation, position) => {
        expect(citation.index).toBe(position + 1);
        expect(citation.knowledge_base_id).toBe(knowledgeBase);
        expect(citation.text.length).toBeGreaterThan(0);
        expect(citation.end).toBeGreaterThan(citation.start);
      });
      const solar = citations!.find((citation) => citation.external_id === 'solar-guide');
      expect(solar).toMatchObject({ title: 'Solar power', start: 0 });
      expect(solar?.text).toContain('photovoltaic');
    }

    describe('chat completions with kimi.knowledge_bases', () => {
      it('retrieves, injects the passages and returns kimi.citations beside the answer', async () => {
        const plain = await client.chat.completions.create({ model: 'sim/fast', messages: question });
        const body: ChatCompletionCreateParamsNonStreaming = {
          model: 'sim/fast',
          messages: question,
          ...grounded([solarBase]),
        };
        const completion = (await client.chat.completions.create(body)) as typeof plain & WithKimi;
        expect(completion.choices[0]?.message.content).toBeTruthy();
        expectCitations(completion.kimi?.citations, solarBase);
        expect(plain as WithKimi).not.toHaveProperty('kimi');
        // The passages went to the model as part of the prompt.
        expect(completion.usage!.prompt_tokens).toBeGreaterThan(plain.usage!.prompt_tokens + 20);
      });

      it('keeps knowledge_top_k passages merged across the bases, best first', async () => {
        const body: ChatCompletionCreateParamsNonStreaming = {
          model: 'sim/fast',
          messages: question,
          ...grounded([petsBase, solarBase], 2),
        };
        const completion = (await client.chat.completions.create(body)) as WithKimi;
        const citations = completion.kimi!.citations;
        expect(citations).toHaveLength(2);
        expect(citations[0]!.score).toBeGreaterThanOrEqual(citations[1]!.score);
        for (const citation of citations) expect([petsBase, solarBase]).toContain(citation.knowledge_base_id);
      });

      it('sends the request unchanged with empty citations when nothing is found', async () => {
        const empty = await createKnowledgeBase(testApp.baseUrl, tenant.secret, 'Empty');
        const plain = await client.chat.completions.create({ model: 'sim/fast', messages: question });
        const body: ChatCompletionCreateParamsNonStreaming = {
          model: 'sim/fast',
          messages: question,
          ...grounded([empty]),
        };
        const completion = (await client.chat.completions.create(body)) as typeof plain & WithKimi;
        expect(completion.kimi).toEqual({ citations: [] });
        expect(completion.usage?.prompt_tokens).toBe(plain.usage?.prompt_tokens);
      });

      it('streams the citations on the first chunk, which the official client passes through', async () => {
        const stream = await client.chat.completions.create({
          model: 'sim/fast',
          messages: question,
          stream: true,
          ...grounded([solarBase]),
        });
        const chunks: WithKimi[] = [];
        let text = '';
        for await (const chunk of stream) {
          chunks.push(chunk as WithKimi);
          text += chunk.choices[0]?.delta.content ?? '';
        }
        expect(text.length).toBeGreaterThan(0);
        expectCitations(chunks[0]?.kimi?.citations, solarBase);
        expect(chunks.slice(1).every((chunk) => chunk.kimi === undefined)).toBe(true);
      });

      it("refuses another organisation's or an unknown knowledge base alike, naming the entry", async () => {
        for (const id of [strangerBase, 'kb_doesnotexist']) {
          const body: ChatCompletionCreateParamsNonStreaming = {
            model: 'sim/fast',
            messages: question,
            ...grounded([solarBase, id]),
          };
          const error = await client.chat.completions.create(body).catch((caught: unknown) => caught);
          expect(error).toBeInstanceOf(OpenAI.NotFoundError);
          expect((error as InstanceType<typeof OpenAI.NotFoundError>).param).toBe('kimi.knowledge_bases[1]');
          expect((error as Error).message).not.toContain('Secret');
        }
        const streamed = await client.chat.completions
          .create({ model: 'sim/fast', messages: question, stream: true, ...grounded([strangerBase]) })
          .catch((caught: unknown) => caught);
        expect(streamed).toBeInstanceOf(OpenAI.NotFoundError);
      });

      it('validates the extension field and names the offending part', async () => {
        const cases: [unknown, string][] = [
          [{ knowledge_bases: [] }, 'kimi.knowledge_bases'],
          [{ knowledge_bases: [solarBase], knowledge_top_k: 0 }, 'kimi.knowledge_top_k'],
          [{ knowledge_bases: [solarBase], unknown: true }, 'kimi'],
          [{ knowledge_bases: [solarBase, solarBase] }, 'kimi.knowledge_bases[1]'],
        ];
        for (const [kimi, param] of cases) {
          const response = await fetch(`${testApp.baseUrl}/v1/chat/completions`, {
            method: 'POST',
            headers: { authorization: `Bearer ${tenant.secret}`, 'content-type': 'application/json' },
            body: JSON.stringify({ model: 'sim/fast', messages: question, kimi }),
          });
          const body = (await response.json()) as { error: { param: string } };
          expect(response.status, JSON.stringify(kimi)).toBe(400);
          expect(body.error.param, JSON.stringify(kimi)).toContain(param);
        }
      });

      it('grounds each request of the batch fan-out', async () => {
        const response = await fetch(`${testApp.baseUrl}/v1/batch/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tenant.secret}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            requests: [
              { model: 'sim/fast', messages: question, ...grounded([solarBase]) },
              { model: 'sim/fast', messages: question, ...grounded([strangerBase]) },
            ],
          }),
        });
        expect(response.status).toBe(200);
        const body = (await response.json()) as {
          data: Array<{ status: number; response?: WithKimi; error?: { param: string } }>;
        };
        expect(body.data[0]?.status).toBe(200);
        expectCitations(body.data[0]?.response?.kimi?.citations, solarBase);
        expect(body.data[1]?.status).toBe(404);
        expect(body.data[1]?.error?.param).toMatch(/kimi\.knowledge_bases\[0\]$/);
      });

      it('grounds /v1/responses lines of a batch and refuses kimi on chat lines, naming it', async () => {
        const runBatch = async (endpoint: '/v1/chat/completions' | '/v1/responses', body: object) => {
          const line = JSON.stringify({ custom_id: 'grounded', method: 'POST', url: endpoint, body });
          const file = await client.files.create({
            file: await toFile(Buffer.from(`${line}\n`), 'input.jsonl'),
            purpose: 'batch',
          });
          const created = await client.batches.create({
            input_file_id: file.id,
            endpoint,
            completion_window: '24h',
          });
          const deadline = Date.now() + 30_000;
          let batch = created;
          while (!['completed', 'failed', 'expired', 'cancelled'].includes(batch.status)) {
            if (Date.now() > deadline) throw new Error(`batch still ${batch.status}`);
            await new Promise((resolve) => setTimeout(resolve, 50));
            batch = await client.batches.retrieve(created.id);
          }
          const fileId = batch.output_file_id ?? batch.error_file_id;
          const text = await (await client.files.content(fileId!)).text();
          return JSON.parse(text.trim()) as { response: { status_code: number; body: WithKimi & object } };
        };
        const responseLine = await runBatch('/v1/responses', {
          model: 'sim/fast',
          input: 'How do solar panels make electricity?',
          ...grounded([solarBase]),
        });
        expect(responseLine.response.status_code).toBe(200);
        expectCitations(responseLine.response.body.kimi?.citations, solarBase);
        const chatLine = await runBatch('/v1/chat/completions', {
          model: 'sim/fast',
          messages: question,
          ...grounded([solarBase]),
        });
        expect(chatLine.response.status_code).toBe(400);
        expect(chatLine.response.body).toMatchObject({ error: { param: 'kimi' } });
      });

      it('keys the exact cache on the injected passages', async () => {
        const send = async (extension: object) => {
          const response = await fetch(`${testApp.baseUrl}/v1/chat/completions`, {
            method: 'POST',
            headers: { authorization: `Bearer ${tenant.secret}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              model: 'sim/fast',
              temperature: 0,
              messages: [{ role: 'user', content: 'Tell me about photovoltaic cells and turbines.' }],
              ...extension,
            }),
          });
          expect(response.status).toBe(200);
          return response.headers.get('x-kimi-cache');
        };
        expect(await send(grounded([solarBase]))).toBe('miss');
        expect(await send(grounded([solarBase]))).toMatch(/^hit/);
        expect(await send(grounded([petsBase]))).toBe('miss');
        expect(await send({})).toBe('miss');
      });
    });

    describe('responses with kimi.knowledge_bases', () => {
      it('returns kimi.citations on the response, and again when it is retrieved', async () => {
        const body: ResponseCreateParamsNonStreaming = {
          model: 'sim/fast',
          input: 'How do solar panels make electricity?',
          ...grounded([solarBase]),
        };
        const response = (await client.responses.create(body)) as OpenAI.Responses.Response & WithKimi;
        expect(response.status).toBe('completed');
        expect(response.output_text.length).toBeGreaterThan(0);
        expectCitations(response.kimi?.citations, solarBase);
        expect(response.kimi?.knowledge_bases).toEqual([solarBase]);
        const again = (await client.responses.retrieve(response.id)) as WithKimi;
        expect(again.kimi?.citations).toEqual(response.kimi?.citations);
      });

      it('streams them on every response object, response.completed included', async () => {
        const stream = await client.responses.create({
          model: 'sim/fast',
          input: 'How do solar panels make electricity?',
          stream: true,
          ...grounded([solarBase]),
        });
        const events: { type: string; response?: WithKimi }[] = [];
        for await (const event of stream) events.push(event as { type: string; response?: WithKimi });
        const completed = events.find((event) => event.type === 'response.completed');
        expectCitations(completed?.response?.kimi?.citations, solarBase);
        expect(events.find((event) => event.type === 'response.created')?.response?.kimi?.citations).toEqual(
          completed?.response?.kimi?.citations,
        );
      });

      it('retrieves when a background response runs and stores the citations with it', async () => {
        const body: ResponseCreateParamsNonStreaming = {
          model: 'sim/fast',
          input: 'How do solar panels make electricity?',
          background: true,
          ...grounded([solarBase]),
        };
        const queued = (await client.responses.create(body)) as OpenAI.Responses.Response & WithKimi;
        expect(queued.status).toBe('queued');
        expect(queued.kimi).toEqual({ knowledge_bases: [solarBase], knowledge_top_k: 5, citations: [] });
        const deadline = Date.now() + 20_000;
        let finished = queued;
        while (finished.status === 'queued' || finished.status === 'in_progress') {
          if (Date.now() > deadline) throw new Error(`response still ${finished.status}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
          finished = (await client.responses.retrieve(queued.id)) as typeof queued;
        }
        expect(finished.status).toBe('completed');
        expectCitations(finished.kimi?.citations, solarBase);
        const refused = await client.responses
          .create({ ...body, ...grounded(['kb_doesnotexist']) })
          .catch((caught: unknown) => caught);
        expect(refused).toMatchObject({ status: 404, param: 'kimi.knowledge_bases[0]' });
      });

      it("refuses another organisation's knowledge base with a 404 naming the entry", async () => {
        const error = await client.responses
          .create({ model: 'sim/fast', input: 'solar', ...grounded([strangerBase]) })
          .catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(OpenAI.NotFoundError);
        expect((error as InstanceType<typeof OpenAI.NotFoundError>).param).toBe('kimi.knowledge_bases[0]');
      });
    });
  });
}
