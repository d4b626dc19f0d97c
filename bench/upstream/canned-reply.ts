/**
 * The fixed answer the benchmark upstream gives: a realistic chat completion (about 250 tokens of
 * text, as a mid-sized answer is), as one JSON body or as an OpenAI-style SSE stream of many small
 * chunks. Built once at start-up so the upstream spends no time composing replies.
 */

const sentence =
  'The gateway forwards each request to the model that fits it best, meters every token it serves, ' +
  'and keeps the added latency well below what a user could notice. ';

/** About 1,100 characters: roughly 250 tokens of English. */
export const answerText = sentence.repeat(8).trim();

/** Tokens the upstream reports for every answer (its `usage`). */
export const promptTokens = 180;
export const completionTokens = 250;

/** Content chunks in a streamed answer: a few characters each, as providers send them. */
export const streamedContentChunks = 100;

const created = 1_700_000_000;

/** The non-streaming `chat.completion` body for a model. */
export function completionBody(model: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      id: 'chatcmpl-bench',
      object: 'chat.completion',
      created,
      model,
      system_fingerprint: 'fp_bench',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: answerText, refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      },
    }),
  );
}

function chunkFrame(model: string, delta: Record<string, unknown>, finishReason: string | null): string {
  const chunk = {
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created,
    model,
    system_fingerprint: 'fp_bench',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/**
 * The SSE frames of a streamed answer, in order: role, content pieces, finish, usage (when asked
 * for, as `stream_options.include_usage` does) and `[DONE]`.
 */
export function streamFrames(
  model: string,
  includeUsage: boolean,
  contentChunks: number = streamedContentChunks,
): Buffer[] {
  const frames: string[] = [chunkFrame(model, { role: 'assistant', content: '' }, null)];
  const pieceLength = Math.ceil(answerText.length / contentChunks);
  for (let start = 0; start < answerText.length; start += pieceLength) {
    frames.push(chunkFrame(model, { content: answerText.slice(start, start + pieceLength) }, null));
  }
  frames.push(chunkFrame(model, {}, 'stop'));
  if (includeUsage) {
    const usage = {
      id: 'chatcmpl-bench',
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      },
    };
    frames.push(`data: ${JSON.stringify(usage)}\n\n`);
  }
  frames.push('data: [DONE]\n\n');
  return frames.map((frame) => Buffer.from(frame));
}
