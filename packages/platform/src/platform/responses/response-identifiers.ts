import { randomBase62 } from '../../tenancy/index.ts';
import type { StoredInputItem } from './response-object.ts';
import type { ResponseInputItem } from './response-request.ts';

export type ItemPrefix = 'msg' | 'fc' | 'fco' | 'rs';

/** `resp_…`, unguessable: ids of stored responses are the only handle on them. */
export function newResponseId(): string {
  return `resp_${randomBase62(40)}`;
}

export function newItemId(prefix: ItemPrefix): string {
  return `${prefix}_${randomBase62(40)}`;
}

const prefixOf: Record<ResponseInputItem['type'], ItemPrefix> = {
  message: 'msg',
  function_call: 'fc',
  function_call_output: 'fco',
  reasoning: 'rs',
};

/** The input items as stored: each keeps the id the client gave it, or gets one, and a status. */
export function identifyInputItems(items: readonly ResponseInputItem[]): StoredInputItem[] {
  return items.map((item) => ({
    ...item,
    id: item.id ?? newItemId(prefixOf[item.type]),
    status: item.status ?? 'completed',
  }));
}
