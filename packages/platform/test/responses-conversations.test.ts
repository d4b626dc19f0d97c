import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemporaryDatabase, postgresAvailable, type TemporaryDatabase } from './support/services.ts';
import { createTenant, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * The Conversations API through the official `openai` client: CRUD of conversations and their
 * items, paging, `conversation` on `responses.create` (each turn sees the ones before and is
 * appended), and another organisation's conversation reading as missing. Both backends.
 */
const usePostgres = await postgresAvailable();
const backends = usePostgres ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

describe.each(backends)('conversations (%s)', (backend) => {
  let temporary: TemporaryDatabase | undefined;
  let testApp: TestApp;
  let client: OpenAI;
  let other: OpenAI;

  beforeAll(async () => {
    temporary = backend === 'postgres' ? await createTemporaryDatabase() : undefined;
    testApp = await startTestApp({ listen: true, ...(temporary ? { databaseUrl: temporary.url } : {}) });
    const tenant = await createTenant(testApp, { name: 'conversation tenant' });
    const stranger = await createTenant(testApp, { name: 'another tenant' });
    const options = { baseURL: `${testApp.baseUrl}/v1`, maxRetries: 0 };
    client = new OpenAI({ apiKey: tenant.secret, ...options });
    other = new OpenAI({ apiKey: stranger.secret, ...options });
  });

  afterAll(async () => {
    await testApp?.close();
    await temporary?.drop();
  });

  it('creates, retrieves, updates and deletes a conversation in the documented shapes', async () => {
    const created = await client.conversations.create({
      items: [{ type: 'message', role: 'user', content: 'Hello there.' }],
      metadata: { topic: 'greetings' },
    });
    expect(created.id).toMatch(/^conv_/);
    expect(created).toMatchObject({ object: 'conversation', metadata: { topic: 'greetings' } });
    expect(created.created_at).toBeGreaterThan(1_700_000_000);
    expect(await client.conversations.retrieve(created.id)).toEqual(created);
    const updated = await client.conversations.update(created.id, { metadata: { topic: 'farewells' } });
    expect(updated.metadata).toEqual({ topic: 'farewells' });
    const deleted = await client.conversations.delete(created.id);
    expect(deleted).toEqual({ id: created.id, object: 'conversation.deleted', deleted: true });
    await expect(client.conversations.retrieve(created.id)).rejects.toMatchObject({ status: 404 });
  });

  it('adds, pages, retrieves and deletes items', async () => {
    const conversation = await client.conversations.create({});
    const added = await client.conversations.items.create(conversation.id, {
      items: [1, 2, 3, 4, 5].map((n) => ({
        type: 'message' as const,
        role: 'user' as const,
        content: `Item ${n}`,
      })),
    });
    expect(added.object).toBe('list');
    expect(added.data).toHaveLength(5);
    const ids = added.data.map((item) => item.id);
    expect(added.first_id).toBe(ids[0]);
    expect(added.last_id).toBe(ids[4]);

    const firstPage = await client.conversations.items.list(conversation.id, { limit: 2, order: 'asc' });
    expect(firstPage.data.map((item) => item.id)).toEqual(ids.slice(0, 2));
    expect(firstPage.has_more).toBe(true);
    const secondPage = await client.conversations.items.list(conversation.id, {
      limit: 2,
      order: 'asc',
      after: ids[1]!,
    });
    expect(secondPage.data.map((item) => item.id)).toEqual(ids.slice(2, 4));
    const newestFirst = await client.conversations.items.list(conversation.id, { limit: 10 });
    expect(newestFirst.data.map((item) => item.id)).toEqual([...ids].reverse());
    expect(newestFirst.has_more).toBe(false);

    const item = await client.conversations.items.retrieve(ids[2]!, { conversation_id: conversation.id });
    expect(item).toMatchObject({ id: ids[2], type: 'message', role: 'user' });
    const after = await client.conversations.items.delete(ids[2]!, { conversation_id: conversation.id });
    expect(after).toMatchObject({ id: conversation.id, object: 'conversation' });
    await expect(
      client.conversations.items.retrieve(ids[2]!, { conversation_id: conversation.id }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      client.conversations.items.list(conversation.id, { after: 'msg_unknown' }),
    ).rejects.toMatchObject({ status: 400, param: 'after' });
  });

  it('continues a conversation over two responses: the second sees the first, and both are appended', async () => {
    const conversation = await client.conversations.create({
      items: [{ type: 'message', role: 'developer', content: 'You are terse.' }],
    });
    const first = await client.responses.create({
      model: 'sim/fast',
      input: 'My name is Ada and I like graphs.',
      conversation: conversation.id,
    });
    expect(first.conversation).toEqual({ id: conversation.id });
    const second = await client.responses.create({
      model: 'sim/fast',
      input: 'What is my name?',
      conversation: { id: conversation.id },
    });
    const alone = await client.responses.create({ model: 'sim/fast', input: 'What is my name?' });
    // The second turn was prompted with the conversation: the instructions, the first turn and its answer.
    expect(second.usage!.input_tokens).toBeGreaterThan(
      alone.usage!.input_tokens + first.usage!.output_tokens,
    );
    const items = await client.conversations.items.list(conversation.id, { order: 'asc', limit: 20 });
    const summary = items.data.map((item) => (item.type === 'message' ? item.role : item.type));
    expect(summary).toEqual(['developer', 'user', 'assistant', 'user', 'assistant']);
    expect(items.data[2]?.id).toBe(first.output[0]?.id);
    expect(items.data[4]?.id).toBe(second.output[0]?.id);
  });

  it('refuses conversation with previous_response_id, and an unknown conversation, naming conversation', async () => {
    const conversation = await client.conversations.create({});
    const earlier = await client.responses.create({ model: 'sim/fast', input: 'Hi.' });
    await expect(
      client.responses.create({
        model: 'sim/fast',
        input: 'Go on.',
        conversation: conversation.id,
        previous_response_id: earlier.id,
      }),
    ).rejects.toMatchObject({ status: 400, param: 'conversation' });
    await expect(
      client.responses.create({ model: 'sim/fast', input: 'Go on.', conversation: 'conv_missing' }),
    ).rejects.toMatchObject({ status: 404, param: 'conversation' });
  });

  it("reads another organisation's conversation as missing everywhere", async () => {
    const mine = await client.conversations.create({
      items: [{ type: 'message', role: 'user', content: 'Private.' }],
    });
    const items = await client.conversations.items.list(mine.id);
    const itemId = items.data[0]!.id!;
    await expect(other.conversations.retrieve(mine.id)).rejects.toMatchObject({ status: 404 });
    await expect(other.conversations.update(mine.id, { metadata: { x: 'y' } })).rejects.toMatchObject({
      status: 404,
    });
    await expect(other.conversations.items.list(mine.id)).rejects.toMatchObject({ status: 404 });
    await expect(
      other.conversations.items.create(mine.id, { items: [{ type: 'message', role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      other.conversations.items.retrieve(itemId, { conversation_id: mine.id }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      other.conversations.items.delete(itemId, { conversation_id: mine.id }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(other.conversations.delete(mine.id)).rejects.toMatchObject({ status: 404 });
    await expect(
      other.responses.create({ model: 'sim/fast', input: 'Read it.', conversation: mine.id }),
    ).rejects.toMatchObject({ status: 404, param: 'conversation' });
    // Untouched.
    expect((await client.conversations.items.list(mine.id)).data).toHaveLength(1);
  });

  it('appends a background response to its conversation when it finishes', async () => {
    const conversation = await client.conversations.create({});
    const queued = await client.responses.create({
      model: 'sim/fast',
      input: 'Remember this in the background.',
      conversation: conversation.id,
      background: true,
    });
    const deadline = Date.now() + 10_000;
    let status = queued.status;
    while (status !== 'completed' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      status = (await client.responses.retrieve(queued.id)).status;
    }
    expect(status).toBe('completed');
    const items = await client.conversations.items.list(conversation.id, { order: 'asc' });
    expect(items.data.map((item) => (item.type === 'message' ? item.role : item.type))).toEqual([
      'user',
      'assistant',
    ]);
  });
});
