/** Limits every tool execution gets, whatever the executor does. */
export interface ToolLimits {
  /** Wall time per execution; the executor's signal aborts at this point. */
  timeoutMs: number;
  /** Output longer than this many characters is cut, with a note saying so. */
  maxOutputCharacters: number;
}

export const defaultToolLimits: ToolLimits = { timeoutMs: 30_000, maxOutputCharacters: 32_000 };
