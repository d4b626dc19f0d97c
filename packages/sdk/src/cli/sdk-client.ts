import { Kimi, type SwarmListQuery } from '../index.ts';
import type {
  ApiKeyAnswer,
  AuditVerifyAnswer,
  ChatChunkAnswer,
  ChatCompletionAnswer,
  ClientFactory,
  DocumentAnswer,
  KimiClient,
  KnowledgeBaseAnswer,
  MeAnswer,
  ModelAnswer,
  SearchHitAnswer,
  SwarmAnswer,
  SwarmEventAnswer,
  SwarmTemplateAnswer,
  UsageAnswer,
} from './kimi-client.ts';

type KeyCreateBody = Parameters<Kimi['admin']['keys']['create']>[1];

/**
 * The SDK's `Kimi` behind the CLI's view of it. Every call goes straight to the SDK (so its
 * retries, timeouts and typed errors apply); the SDK's bodies are open objects, and here they are
 * read as the REST shapes the CLI prints (documented in the README's API tables).
 */
export const createSdkClient: ClientFactory = (options) => {
  const kimi = new Kimi(options);
  const client: KimiClient = {
    me: async () => (await kimi.me()) as MeAnswer,
    models: { list: async () => (await kimi.models.list()) as ModelAnswer[] },
    chat: {
      create: async (request) => (await kimi.chat.create({ ...request })) as unknown as ChatCompletionAnswer,
      stream: (request) => kimi.chat.stream({ ...request }) as AsyncIterable<ChatChunkAnswer>,
    },
    swarms: {
      create: async (request) => (await kimi.swarms.create(request)) as unknown as SwarmAnswer,
      get: async (id) => (await kimi.swarms.get(id)) as unknown as SwarmAnswer,
      list: async (query) => {
        // why the cast: the platform checks the status and answers 400 naming it for an unknown one.
        const page = await kimi.swarms.list({ ...query } as SwarmListQuery);
        return page as unknown as { data: SwarmAnswer[] };
      },
      cancel: async (id) => (await kimi.swarms.cancel(id)) as unknown as SwarmAnswer,
      approve: (id, body) => kimi.swarms.approve(id, body),
      watch: (id, watchOptions) => kimi.swarms.watch(id, watchOptions) as AsyncIterable<SwarmEventAnswer>,
      templates: { list: async () => (await kimi.swarms.templates.list()) as SwarmTemplateAnswer[] },
    },
    knowledgeBases: {
      create: async (body) => (await kimi.knowledgeBases.create(body)) as unknown as KnowledgeBaseAnswer,
      list: async () => (await kimi.knowledgeBases.list()) as unknown as KnowledgeBaseAnswer[],
      upload: async (id, file, uploadOptions) =>
        (await kimi.knowledgeBases.upload(id, file, uploadOptions)) as unknown as DocumentAnswer,
      search: async (id, body) =>
        (await kimi.knowledgeBases.search(id, body)) as unknown as { data: SearchHitAnswer[] },
    },
    usage: { get: async (query) => (await kimi.usage.get(query)) as unknown as UsageAnswer },
    audit: { verify: async () => (await kimi.audit.verify()) as unknown as AuditVerifyAnswer },
    admin: {
      keys: {
        create: async (organizationId, body) =>
          // why the cast: role and scopes are typed as the platform's enums; the CLI passes what the
          // user typed and the platform answers 400 naming the field (exit 4) for a wrong one.
          (await kimi.admin.keys.create(organizationId, body as KeyCreateBody)) as unknown as ApiKeyAnswer,
        list: async (organizationId, query) =>
          (await kimi.admin.keys.list(organizationId, query)) as unknown as { data: ApiKeyAnswer[] },
        revoke: (organizationId, keyId) => kimi.admin.keys.revoke(organizationId, keyId),
        rotate: async (organizationId, keyId, body) =>
          (await kimi.admin.keys.rotate(organizationId, keyId, body)) as unknown as ApiKeyAnswer,
      },
    },
  };
  return client;
};
