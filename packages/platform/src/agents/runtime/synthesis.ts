import type { RunContext } from './run-context.ts';

/** Deltas are stored in chunks of this many characters at most… */
const chunkCharacters = 512;
/** …or whatever arrived within this many milliseconds, so the stream stays live without an event per token. */
const chunkMilliseconds = 50;

/** One streamed call that merges the agents' results into the final answer. */
export async function synthesize(
  context: RunContext,
  results: ReadonlyArray<{ id: string; role: string; output: string }>,
  partial: boolean,
): Promise<string> {
  const { task, specification } = context.run;
  const sections = results.map((result) => `## ${result.id} (${result.role})\n${result.output}`).join('\n\n');
  const answer = await context.modelStep(
    'synthesis',
    'synthesis',
    null,
    specification.model,
    {
      messages: [
        {
          role: 'system',
          content:
            `Merge the results of a team of agents into one answer to the task. ${specification.synthesisInstructions ?? ''}`.trim(),
        },
        {
          role: 'user',
          content: `Task: ${task}\n\n${partial ? 'Some subtasks did not finish; say what is missing.\n\n' : ''}${sections}`,
        },
      ],
      maxTokens: specification.maxOutputTokens,
    },
    (attempt) => {
      let buffer = '';
      let chunk = 0;
      let startedAt = context.clock.now();
      const flush = () => {
        if (buffer.length === 0) return;
        context.emit({
          key: `synthesis-delta:${attempt}:${chunk}`,
          type: 'synthesis-delta',
          data: { attempt, delta: buffer },
        });
        chunk += 1;
        buffer = '';
        startedAt = context.clock.now();
      };
      return {
        onPart(part) {
          if (part.type !== 'text-delta') return;
          buffer += part.delta;
          if (buffer.length >= chunkCharacters || context.clock.now() - startedAt >= chunkMilliseconds)
            flush();
        },
        onEnd: flush,
      };
    },
  );
  return answer.content ?? '';
}
