import { followRunEvents } from '../../agents/index.ts';
import type { Platform } from '../../platform/index.ts';
import { feedIterator } from './feed-iterator.ts';
import { type GraphQLContext, guard } from './graphql-context.ts';
import { swarmEventPayload as eventPayload, usageReport } from './operation-resolvers.ts';

type UsageArguments = { groupBy?: string | null; from?: string | null };

/**
 * `swarmEvents`: a run's events from the store after `after`, in order and without gaps, until
 * its last (the same feed as GET /v1/swarms/{id}/events). `usage`: the report now, then again
 * each time the organisation's usage is committed (notices arriving meanwhile make one report).
 */
export function subscriptionResolvers(platform: Platform) {
  const runtime = platform.swarms;
  return {
    Subscription: {
      swarmEvents: {
        subscribe: async (
          _source: unknown,
          args: { swarmId: string; after: number },
          context: GraphQLContext,
        ) => {
          guard(context, 'swarms:read', 'read swarm runs', context.caller.organizationId);
          // The run must be the caller's: another organisation's is NOT_FOUND, as over REST.
          await runtime.readRun(context.caller, args.swarmId);
          const after = Math.max(0, args.after);
          return feedIterator<{ swarmEvents: ReturnType<typeof eventPayload> }>((deliver, end) =>
            followRunEvents(
              { database: runtime.database, eventBus: runtime.eventBus },
              args.swarmId,
              after,
              (event) => deliver({ swarmEvents: eventPayload(args.swarmId, event) }),
              end,
            ),
          );
        },
      },
      usage: {
        subscribe: async (_source: unknown, args: UsageArguments, context: GraphQLContext) => {
          // The first report validates the arguments and the permission before anything is followed.
          const first = await usageReport(platform, context, args);
          return feedIterator<{ usage: Awaited<ReturnType<typeof usageReport>> }>(async (deliver, end) => {
            let reporting = false;
            let again = false;
            let stopped = false;
            const report = async () => {
              if (reporting) {
                again = true;
                return;
              }
              reporting = true;
              try {
                do {
                  again = false;
                  if (stopped) return;
                  await deliver({ usage: await usageReport(platform, context, args) });
                } while (again);
              } catch (error) {
                stopped = true;
                end(error);
              } finally {
                reporting = false;
              }
            };
            const unsubscribe = await platform.usage.follow(context.caller, () => void report());
            await deliver({ usage: first });
            return {
              async close() {
                stopped = true;
                await unsubscribe();
              },
            };
          });
        },
      },
    },
  };
}
