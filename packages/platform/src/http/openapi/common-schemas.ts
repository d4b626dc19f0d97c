import { z } from 'zod';

/** An ISO 8601 timestamp as the API writes it (`2026-12-07T16:00:00.000Z`). */
export const timestampSchema = z.iso.datetime({ offset: true });

/** A list page's envelope: keyset pagination with `after` the `last_id` of the previous page. */
export function listEnvelopeSchema<Item extends z.ZodType>(item: Item, id: string) {
  return z
    .object({
      object: z.literal('list'),
      data: z.array(item),
      has_more: z.boolean().describe('Whether another page follows; ask for it with `after=<last_id>`.'),
      last_id: z.string().nullable().describe('The id of the last item on this page.'),
    })
    .meta({ id });
}

/** Free-form JSON an organisation attaches to a resource. */
export const metadataSchema = z.record(z.string(), z.unknown());
