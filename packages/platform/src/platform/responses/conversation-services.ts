import { errors, type PlatformError } from '../../errors/index.ts';
import type { Database } from '../../storage/db/index.ts';
import type { Clock } from '../../support/index.ts';
import type { AuthContext } from '../../tenancy/index.ts';
import { randomBase62 } from '../../tenancy/index.ts';
import {
  appendConversationItems,
  type ConversationItem,
  type ConversationRecord,
  deleteConversation,
  deleteConversationItem,
  findConversationItem,
  findConversationRecord,
  insertConversation,
  pageConversationItems,
  updateConversationMetadata,
} from './conversation-repository.ts';
import type { ConversationCreateRequest, ConversationItemsQuery } from './conversation-request.ts';
import { identifyInputItems } from './response-identifiers.ts';
import type { ResponseInputItem } from './response-request.ts';

/** OpenAI's conversation object. */
export interface ConversationObject {
  id: string;
  object: 'conversation';
  created_at: number;
  metadata: Record<string, string>;
}

/** A cursor page of conversation items. */
export interface ConversationItemPage {
  object: 'list';
  data: ConversationItem[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

/** The Conversations API: conversations of the caller's organisation and their items. */
export interface ConversationServices {
  create(caller: AuthContext, body: ConversationCreateRequest): Promise<ConversationObject>;
  retrieve(caller: AuthContext, id: string): Promise<ConversationObject>;
  update(caller: AuthContext, id: string, metadata: Record<string, string>): Promise<ConversationObject>;
  remove(
    caller: AuthContext,
    id: string,
  ): Promise<{ id: string; object: 'conversation.deleted'; deleted: true }>;
  listItems(caller: AuthContext, id: string, query: ConversationItemsQuery): Promise<ConversationItemPage>;
  addItems(
    caller: AuthContext,
    id: string,
    items: readonly ResponseInputItem[],
  ): Promise<ConversationItemPage>;
  retrieveItem(caller: AuthContext, id: string, itemId: string): Promise<ConversationItem>;
  /** Deletes one item; answers with the conversation, as OpenAI does. */
  removeItem(caller: AuthContext, id: string, itemId: string): Promise<ConversationObject>;
}

export interface ConversationServiceDependencies {
  database: Database;
  clock: Clock;
}

export function newConversationId(): string {
  return `conv_${randomBase62(40)}`;
}

export function conversationNotFound(id: string, param: string | null): PlatformError {
  return errors.notFound(`The conversation '${id}'`, param);
}

export function toConversationObject(record: ConversationRecord): ConversationObject {
  return {
    id: record.id,
    object: 'conversation',
    created_at: Math.floor(record.createdAt / 1000),
    metadata: record.metadata,
  };
}

function toPage(items: ConversationItem[], hasMore: boolean): ConversationItemPage {
  return {
    object: 'list',
    data: items,
    first_id: items[0]?.id ?? null,
    last_id: items.at(-1)?.id ?? null,
    has_more: hasMore,
  };
}

export function createConversationServices(
  dependencies: ConversationServiceDependencies,
): ConversationServices {
  const { database, clock } = dependencies;
  const databaseOf = (caller: AuthContext) => database.forOrganization(caller.organizationId);

  async function existing(caller: AuthContext, id: string): Promise<ConversationRecord> {
    const record = await findConversationRecord(databaseOf(caller), caller.organizationId, id);
    if (!record) throw conversationNotFound(id, null);
    return record;
  }

  return {
    async create(caller, body) {
      const record: ConversationRecord = {
        id: newConversationId(),
        metadata: body.metadata ?? {},
        createdAt: clock.now(),
      };
      const items = identifyInputItems(body.items ?? []);
      await databaseOf(caller).transaction(async (transaction) => {
        await insertConversation(transaction, caller.organizationId, record);
        await appendConversationItems(transaction, caller.organizationId, record.id, items, record.createdAt);
      });
      return toConversationObject(record);
    },

    async retrieve(caller, id) {
      return toConversationObject(await existing(caller, id));
    },

    async update(caller, id, metadata) {
      const record = await updateConversationMetadata(
        databaseOf(caller),
        caller.organizationId,
        id,
        metadata,
      );
      if (!record) throw conversationNotFound(id, null);
      return toConversationObject(record);
    },

    async remove(caller, id) {
      if (!(await deleteConversation(databaseOf(caller), caller.organizationId, id))) {
        throw conversationNotFound(id, null);
      }
      return { id, object: 'conversation.deleted', deleted: true };
    },

    async listItems(caller, id, query) {
      await existing(caller, id);
      const page = await pageConversationItems(databaseOf(caller), caller.organizationId, id, {
        limit: query.limit,
        order: query.order,
        ...(query.after === undefined ? {} : { after: query.after }),
      });
      if (!page) {
        throw errors.invalidRequest(
          'after',
          `No item '${query.after}' in this conversation.`,
          'Pass the id of an item of the page you came from.',
        );
      }
      return toPage(page.items, page.hasMore);
    },

    async addItems(caller, id, items) {
      const stored = identifyInputItems(items);
      await databaseOf(caller).transaction(async (transaction) => {
        const record = await findConversationRecord(transaction, caller.organizationId, id);
        if (!record) throw conversationNotFound(id, null);
        await appendConversationItems(transaction, caller.organizationId, id, stored, clock.now());
      });
      return toPage(stored, false);
    },

    async retrieveItem(caller, id, itemId) {
      await existing(caller, id);
      const item = await findConversationItem(databaseOf(caller), caller.organizationId, id, itemId);
      if (!item) throw errors.notFound(`The item '${itemId}' of the conversation '${id}'`, null);
      return item;
    },

    async removeItem(caller, id, itemId) {
      const record = await existing(caller, id);
      if (!(await deleteConversationItem(databaseOf(caller), caller.organizationId, id, itemId))) {
        throw errors.notFound(`The item '${itemId}' of the conversation '${id}'`, null);
      }
      return toConversationObject(record);
    },
  };
}
