import { errors, requireUniqueNames } from '../../../errors/index.ts';
import type {
  ChatMessage,
  ChatRequest,
  ContentPart,
  JsonSchema,
  ProviderRequirement,
  ReasoningBlock,
  ReasoningRequest,
  ToolCall,
  ToolChoice,
  ToolDefinition,
} from '../../../model/index.ts';
import type {
  AnthropicDocumentBlock,
  AnthropicImageBlock,
  AnthropicMessage,
  AnthropicTextBlock,
  AnthropicToolResultBlock,
  CountTokensRequestBody,
  MessagesRequestBody,
} from './messages-request.ts';

/** Prefixed to a failed tool's output: the internal tool message has no error flag to carry it. */
const toolErrorPrefix = 'Tool execution failed: ';
const emptyToolError = 'Tool execution failed.';

function imagePart(block: AnthropicImageBlock): ContentPart {
  const source = block.source;
  return {
    type: 'image',
    url: source.type === 'base64' ? `data:${source.media_type};base64,${source.data}` : source.url,
  };
}

function toolResultText(block: AnthropicToolResultBlock): string {
  const text = (block.content ?? [])
    .filter((part): part is AnthropicTextBlock => part.type === 'text')
    .map((part) => part.text)
    .join('\n');
  if (!block.is_error) return text;
  return text === '' ? emptyToolError : `${toolErrorPrefix}${text}`;
}

function toolResultImages(block: AnthropicToolResultBlock): ContentPart[] {
  const images = (block.content ?? []).filter((part): part is AnthropicImageBlock => part.type === 'image');
  if (images.length === 0) return [];
  return [
    { type: 'text', text: `Images returned by the tool call ${block.tool_use_id}:` },
    ...images.map(imagePart),
  ];
}

/**
 * A plain-text document as the text other providers read, titled when it has a title. A PDF or a
 * file is read natively by Anthropic only (see `documentRequirement`), so it has no text here.
 */
function documentText(block: AnthropicDocumentBlock): string | undefined {
  const source = block.source;
  let text: string | undefined;
  if (source.type === 'text') text = source.data;
  if (source.type === 'content') {
    text =
      typeof source.content === 'string'
        ? source.content
        : source.content
            .filter((part): part is AnthropicTextBlock => isTextBlock(part))
            .map((part) => part.text)
            .join('\n');
  }
  if (text === undefined) return undefined;
  const heading = [block.title, block.context].filter((line) => line).join('\n');
  return heading === '' ? text : `${heading}\n\n${text}`;
}

function isTextBlock(value: unknown): boolean {
  const block = value as { type?: unknown; text?: unknown } | null;
  return block?.type === 'text' && typeof block.text === 'string';
}

/** The first document only Anthropic models read (a PDF, a URL, a file), which routing must respect. */
function documentRequirement(body: CountTokensRequestBody): ProviderRequirement | undefined {
  for (const [messageIndex, message] of body.messages.entries()) {
    if (message.role !== 'user') continue;
    for (const [blockIndex, block] of message.content.entries()) {
      if (block.type === 'document' && documentText(block) === undefined) {
        const param = `messages[${messageIndex}].content[${blockIndex}].source`;
        return {
          providers: ['anthropic'],
          param,
          reason: `The '${block.source.type}' document at '${param}' is read by Anthropic models only;`,
        };
      }
    }
  }
  return undefined;
}

/**
 * A user turn becomes tool messages (one per tool_result, in order) followed by one user message
 * with the rest. Anthropic requires tool results to open the turn, and OpenAI-style providers
 * require tool messages to follow the assistant's calls directly, so this order suits both.
 * Tool messages carry text only, so images a tool returned move into that user message.
 */
function convertUserMessage(content: Extract<AnthropicMessage, { role: 'user' }>['content']): ChatMessage[] {
  const toolMessages: ChatMessage[] = [];
  const parts: ContentPart[] = [];
  for (const block of content) {
    if (block.type === 'tool_result') {
      toolMessages.push({ role: 'tool', toolCallId: block.tool_use_id, content: toolResultText(block) });
      parts.push(...toolResultImages(block));
    } else if (block.type === 'text') {
      parts.push({ type: 'text', text: block.text });
    } else if (block.type === 'document') {
      const text = documentText(block);
      if (text !== undefined) parts.push({ type: 'text', text });
    } else {
      parts.push(imagePart(block));
    }
  }
  if (parts.length === 0) return toolMessages;
  // String content arrives as one text block; giving it back as a string keeps the prompt as sent.
  const [first] = parts;
  const userContent = parts.length === 1 && first?.type === 'text' ? first.text : parts;
  return [...toolMessages, { role: 'user', content: userContent }];
}

function convertAssistantMessage(
  content: Extract<AnthropicMessage, { role: 'assistant' }>['content'],
): ChatMessage {
  const text = content
    .filter((block): block is AnthropicTextBlock => block.type === 'text')
    .map((block) => block.text)
    .join('');
  const toolCalls: ToolCall[] = [];
  for (const block of content) {
    if (block.type === 'tool_use') {
      toolCalls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input) });
    }
  }
  const reasoning: ReasoningBlock[] = [];
  for (const block of content) {
    if (block.type === 'thinking') {
      reasoning.push({ type: 'thinking', text: block.thinking, signature: block.signature });
    } else if (block.type === 'redacted_thinking') reasoning.push({ type: 'redacted', data: block.data });
  }
  return {
    role: 'assistant',
    content: text === '' && toolCalls.length > 0 ? null : text,
    ...(toolCalls.length > 0 ? { toolCalls } : {}),
    ...(reasoning.length > 0 ? { reasoning } : {}),
  };
}

function convertSystem(system: CountTokensRequestBody['system']): ChatMessage[] {
  if (system === undefined) return [];
  const text = system.map((block) => block.text).join('\n\n');
  return text === '' ? [] : [{ role: 'system', content: text }];
}

function convertTools(body: CountTokensRequestBody): ToolDefinition[] | undefined {
  if (!body.tools || body.tools.length === 0) return undefined;
  requireUniqueNames(
    body.tools.map((tool) => tool.name),
    (index) => `tools[${index}].name`,
  );
  return body.tools.map((tool) => ({
    name: tool.name,
    ...(tool.description === undefined ? {} : { description: tool.description }),
    parameters: tool.input_schema as JsonSchema,
    ...(tool.strict ? { strict: true } : {}),
  }));
}

function convertToolChoice(
  body: CountTokensRequestBody,
  tools: ToolDefinition[] | undefined,
): ToolChoice | undefined {
  const choice = body.tool_choice;
  if (choice === undefined) return undefined;
  if (!tools) {
    if (choice.type === 'auto' || choice.type === 'none') return undefined;
    throw errors.invalidRequest(
      'tool_choice',
      `'tool_choice' of type '${choice.type}' needs 'tools'; the request offers none.`,
    );
  }
  switch (choice.type) {
    case 'auto':
    case 'none':
      return choice.type;
    case 'any':
      return 'required';
    case 'tool':
      if (!tools.some((tool) => tool.name === choice.name)) {
        throw errors.invalidRequest(
          'tool_choice.name',
          `The tool '${choice.name}' named in 'tool_choice' is not among the 'tools'.`,
        );
      }
      return { name: choice.name };
  }
}

/**
 * `thinking` as the internal reasoning request: a budget keeps its size (OpenAI-style models get
 * the effort it corresponds to), `adaptive` leaves the size to the default.
 */
function convertThinking(thinking: CountTokensRequestBody['thinking']): ReasoningRequest | undefined {
  if (thinking === undefined || thinking.type === 'disabled') return undefined;
  return thinking.type === 'enabled' ? { budgetTokens: thinking.budget_tokens } : {};
}

/**
 * The prompt of an Anthropic body → the internal request's messages and tools. Thinking blocks
 * sent back are kept on their assistant message with their signatures, as received.
 */
export function convertPrompt(body: CountTokensRequestBody): Omit<ChatRequest, 'model'> {
  const tools = convertTools(body);
  const toolChoice = convertToolChoice(body, tools);
  const messages: ChatMessage[] = [
    ...convertSystem(body.system),
    ...body.messages.flatMap((message) =>
      message.role === 'user'
        ? convertUserMessage(message.content)
        : [convertAssistantMessage(message.content)],
    ),
  ];
  const request: Omit<ChatRequest, 'model'> = { messages };
  const reasoning = convertThinking(body.thinking);
  if (reasoning) request.reasoning = reasoning;
  const requirement = documentRequirement(body);
  if (requirement) request.servableBy = requirement;
  if (tools) request.tools = tools;
  if (toolChoice !== undefined) request.toolChoice = toolChoice;
  return request;
}

/** Anthropic Messages body → the internal request (without `model`, which routing fills in). */
export function convertMessagesRequest(body: MessagesRequestBody): Omit<ChatRequest, 'model'> {
  const request: Omit<ChatRequest, 'model'> = { ...convertPrompt(body), maxTokens: body.max_tokens };
  const choice = body.tool_choice;
  if (choice && choice.type !== 'none' && choice.disable_parallel_tool_use) request.parallelToolCalls = false;
  if (body.temperature !== undefined) request.temperature = body.temperature;
  if (body.top_p !== undefined) request.topP = body.top_p;
  if (body.stop_sequences && body.stop_sequences.length > 0) request.stop = body.stop_sequences;
  if (body.metadata?.user_id) request.user = body.metadata.user_id;
  return request;
}
