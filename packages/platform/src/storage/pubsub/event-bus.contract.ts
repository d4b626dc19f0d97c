import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventBus } from './event-bus.ts';
import type { HandlerErrorReporter } from './handler-errors.ts';

/** A fresh bus and a way to close it and remove what it left behind. */
export interface EventBusUnderTest {
  bus: EventBus;
  cleanup(): Promise<void>;
}

/** What the contract hands the factory: where the bus must report handler errors. */
export interface EventBusHooks {
  onHandlerError: HandlerErrorReporter;
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** Resolves once `condition` holds, polling every 5 ms; fails after `timeoutMs`. */
async function eventually(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(5);
  }
}

/**
 * The behaviour every event-bus backend must share. Negative checks ("not delivered") publish a
 * marker afterwards and wait for it, so they rely on per-channel order rather than on timing.
 */
export function runEventBusContract(
  name: string,
  factory: (hooks: EventBusHooks) => Promise<EventBusUnderTest>,
): void {
  describe(`EventBus contract: ${name}`, () => {
    let underTest: EventBusUnderTest;
    let bus: EventBus;
    let handlerErrors: Array<{ error: unknown; channel: string }>;

    beforeEach(async () => {
      handlerErrors = [];
      underTest = await factory({
        onHandlerError: (error, channel) => handlerErrors.push({ error, channel }),
      });
      bus = underTest.bus;
    });

    afterEach(async () => {
      await underTest.cleanup();
    });

    it('delivers a message published after subscribe resolved, never inside publish', async () => {
      const received: string[] = [];
      await bus.subscribe('news', (message) => received.push(message));
      const publishing = bus.publish('news', 'hello');
      expect(received).toEqual([]);
      await publishing;
      await eventually(() => received.length === 1);
      expect(received).toEqual(['hello']);
    });

    it('keeps the order of 100 messages on a channel', async () => {
      const received: string[] = [];
      await bus.subscribe('ordered', (message) => received.push(message));
      const sent = Array.from({ length: 100 }, (_, index) => `message-${index}`);
      await Promise.all(sent.map((message) => bus.publish('ordered', message)));
      await eventually(() => received.length === 100);
      expect(received).toEqual(sent);
    });

    it('delivers every message to every handler of a channel', async () => {
      const first: string[] = [];
      const second: string[] = [];
      const third: string[] = [];
      await bus.subscribe('shared', (message) => first.push(message));
      await bus.subscribe('shared', (message) => second.push(message));
      await bus.subscribe('shared', (message) => third.push(message));
      await bus.publish('shared', 'one');
      await bus.publish('shared', 'two');
      await eventually(() => first.length === 2 && second.length === 2 && third.length === 2);
      expect([first, second, third]).toEqual([
        ['one', 'two'],
        ['one', 'two'],
        ['one', 'two'],
      ]);
    });

    it('stops delivering to an unsubscribed handler only', async () => {
      const kept: string[] = [];
      const removed: string[] = [];
      await bus.subscribe('channel', (message) => kept.push(message));
      const unsubscribe = await bus.subscribe('channel', (message) => removed.push(message));
      await bus.publish('channel', 'before');
      await eventually(() => kept.length === 1 && removed.length === 1);
      await unsubscribe();
      await unsubscribe();
      await bus.publish('channel', 'after');
      await eventually(() => kept.length === 2);
      expect(kept).toEqual(['before', 'after']);
      expect(removed).toEqual(['before']);
    });

    it('counts the same handler subscribed twice as two subscriptions', async () => {
      const received: string[] = [];
      const handler = (message: string) => received.push(message);
      const unsubscribeFirst = await bus.subscribe('twice', handler);
      await bus.subscribe('twice', handler);
      await bus.publish('twice', 'a');
      await eventually(() => received.length === 2);
      await unsubscribeFirst();
      await bus.publish('twice', 'b');
      await eventually(() => received.length === 3);
      expect(received).toEqual(['a', 'a', 'b']);
    });

    it('subscribes again after the last handler of a channel left', async () => {
      const first: string[] = [];
      const unsubscribe = await bus.subscribe('again', (message) => first.push(message));
      await unsubscribe();
      const second: string[] = [];
      await bus.subscribe('again', (message) => second.push(message));
      await bus.publish('again', 'back');
      await eventually(() => second.length === 1);
      expect(first).toEqual([]);
      expect(second).toEqual(['back']);
    });

    it('keeps channels apart', async () => {
      const alpha: string[] = [];
      const alphaChild: string[] = [];
      const beta: string[] = [];
      await bus.subscribe('alpha', (message) => alpha.push(message));
      await bus.subscribe('alpha:child', (message) => alphaChild.push(message));
      await bus.subscribe('beta', (message) => beta.push(message));
      await bus.publish('beta', 'for beta');
      await bus.publish('alpha:child', 'for alpha child');
      await bus.publish('alpha', 'for alpha');
      await eventually(() => alpha.length === 1);
      await bus.publish('beta', 'marker');
      await bus.publish('alpha:child', 'marker');
      await eventually(() => beta.length === 2 && alphaChild.length === 2);
      expect(alpha).toEqual(['for alpha']);
      expect(alphaChild).toEqual(['for alpha child', 'marker']);
      expect(beta).toEqual(['for beta', 'marker']);
    });

    it('does not deliver messages published before subscribing', async () => {
      await bus.publish('late', 'too early');
      const received: string[] = [];
      await bus.subscribe('late', (message) => received.push(message));
      await bus.publish('late', 'on time');
      await eventually(() => received.length === 1);
      expect(received).toEqual(['on time']);
    });

    it('keeps delivering to other handlers when one throws, and reports the error', async () => {
      const before: string[] = [];
      const after: string[] = [];
      await bus.subscribe('faulty', (message) => before.push(message));
      await bus.subscribe('faulty', () => {
        throw new Error('handler broke');
      });
      await bus.subscribe('faulty', (message) => after.push(message));
      await bus.publish('faulty', 'one');
      await bus.publish('faulty', 'two');
      await eventually(() => after.length === 2);
      expect(before).toEqual(['one', 'two']);
      expect(after).toEqual(['one', 'two']);
      expect(handlerErrors).toHaveLength(2);
      expect(handlerErrors[0]?.channel).toBe('faulty');
      expect(handlerErrors[0]?.error).toBeInstanceOf(Error);
    });

    it('carries any string payload unchanged', async () => {
      const received: string[] = [];
      await bus.subscribe('payloads', (message) => received.push(message));
      const payloads = ['', JSON.stringify({ run: 'r-1', sequence: 7 }), 'Grüße 🌍', 'x'.repeat(64_000)];
      for (const payload of payloads) await bus.publish('payloads', payload);
      await eventually(() => received.length === payloads.length);
      expect(received).toEqual(payloads);
    });
  });
}
