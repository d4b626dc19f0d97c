import type { Clock } from '../../../support/index.ts';
import type { Tool } from '../../tool-contract.ts';
import { defineTool } from '../define-tool.ts';
import type { ToolLimits } from '../tool-limits.ts';

function partsIn(timeZone: string, instant: Date): Record<string, string> {
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    weekday: 'long',
    hourCycle: 'h23',
    timeZoneName: 'longOffset',
  });
  return Object.fromEntries(formatter.formatToParts(instant).map((part) => [part.type, part.value]));
}

/** `+02:00` from Intl's `GMT+02:00` (and `GMT` alone for UTC). */
function offsetOf(timeZoneName: string | undefined): string {
  const match = /^GMT([+-]\d{2}:\d{2})$/.exec(timeZoneName ?? '');
  return match?.[1] ?? '+00:00';
}

/** `current_time`: the time now (from the injected clock) in an IANA time zone. */
export function createCurrentTimeTool(clock: Clock, limits?: ToolLimits): Tool {
  return defineTool(
    {
      name: 'current_time',
      description:
        'Returns the current date and time in an IANA time zone (default UTC), with its UTC offset and weekday.',
      parameters: {
        type: 'object',
        properties: {
          time_zone: {
            type: 'string',
            maxLength: 64,
            description: 'An IANA time zone such as "Europe/Paris" or "America/New_York"; default "UTC".',
          },
        },
        additionalProperties: false,
      },
    },
    async ({ time_zone }) => {
      const timeZone = typeof time_zone === 'string' && time_zone.trim() !== '' ? time_zone.trim() : 'UTC';
      const instant = new Date(clock.now());
      let parts: Record<string, string>;
      try {
        parts = partsIn(timeZone, instant);
      } catch {
        return {
          ok: false,
          error: `Invalid value for 'time_zone': '${timeZone}' is not an IANA time zone (e.g. "Europe/Berlin", "Asia/Tokyo", "UTC").`,
        };
      }
      const offset = offsetOf(parts.timeZoneName);
      const local = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
      return JSON.stringify({
        time_zone: timeZone,
        local_time: `${local}${offset}`,
        utc_offset: offset,
        weekday: parts.weekday,
        utc_time: instant.toISOString(),
        unix_seconds: Math.floor(instant.getTime() / 1000),
      });
    },
    limits,
  );
}
