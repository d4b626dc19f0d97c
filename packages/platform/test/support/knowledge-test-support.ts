/**
 * Knowledge bases for suites that use them (chat grounding, agents): create one and add documents,
 * then wait until every document is `ready` by polling `GET …/documents/{id}` — which works whether
 * ingestion finishes within the upload request or later, on the queue.
 */

export interface KnowledgeDocumentInput {
  text: string;
  title?: string;
  external_id?: string;
  metadata?: Record<string, unknown>;
}

interface DocumentObject {
  id: string;
  status: string;
  error: { code: string; message: string } | null;
}

/** A fetch request as `secret`'s bearer, with `payload` as its JSON body when given. */
export function bearerRequest(method: string, secret: string, payload?: unknown): RequestInit {
  return {
    method,
    headers: {
      authorization: `Bearer ${secret}`,
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
  };
}

async function call<Body>(
  baseUrl: string,
  secret: string,
  method: 'GET' | 'POST',
  path: string,
  payload?: unknown,
): Promise<{ status: number; body: Body }> {
  const response = await fetch(`${baseUrl}${path}`, bearerRequest(method, secret, payload));
  return { status: response.status, body: (await response.json()) as Body };
}

/** Creates a knowledge base (default embedding model) and returns its id. */
export async function createKnowledgeBase(baseUrl: string, secret: string, name: string): Promise<string> {
  const created = await call<{ id: string }>(baseUrl, secret, 'POST', '/v1/knowledge-bases', { name });
  if (created.status !== 201 && created.status !== 200) {
    throw new Error(`create knowledge base: ${created.status} ${JSON.stringify(created.body)}`);
  }
  return created.body.id;
}

/** Adds documents and resolves with their ids once every one is `ready` (throws if one failed or time runs out). */
export async function addDocumentsAndWait(
  baseUrl: string,
  secret: string,
  knowledgeBaseId: string,
  documents: readonly KnowledgeDocumentInput[],
  timeoutMs = 30_000,
): Promise<string[]> {
  const added = await call<{ data?: DocumentObject[] }>(
    baseUrl,
    secret,
    'POST',
    `/v1/knowledge-bases/${knowledgeBaseId}/documents`,
    { documents },
  );
  if (added.status >= 300 || !added.body.data) {
    throw new Error(`add documents: ${added.status} ${JSON.stringify(added.body)}`);
  }
  const ids = added.body.data.map((document) => document.id);
  const deadline = Date.now() + timeoutMs;
  for (const id of ids) {
    for (;;) {
      const document = await call<DocumentObject>(
        baseUrl,
        secret,
        'GET',
        `/v1/knowledge-bases/${knowledgeBaseId}/documents/${id}`,
      );
      if (document.body.status === 'ready') break;
      if (document.body.status === 'failed') {
        throw new Error(`document ${id} failed: ${JSON.stringify(document.body.error)}`);
      }
      if (Date.now() > deadline) throw new Error(`document ${id} still ${document.body.status}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return ids;
}
