import { errors } from '../../errors/index.ts';
import type { AnthropicImageSource } from './anthropic-api.ts';

const supportedMediaTypes = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;
type SupportedMediaType = (typeof supportedMediaTypes)[number];

function isSupportedMediaType(value: string): value is SupportedMediaType {
  return (supportedMediaTypes as readonly string[]).includes(value);
}

/**
 * An image URL as an Anthropic image source: a base64 `data:` URL becomes a `base64` source with
 * its media type, an http(s) URL a `url` source. `param` names the field in errors.
 */
export function convertImageUrl(url: string, param: string): AnthropicImageSource {
  if (/^https?:\/\//i.test(url)) return { type: 'url', url };
  const match = /^data:([^;,]+)((?:;[^;,]*)*),(.*)$/s.exec(url);
  if (!match) {
    throw errors.invalidRequest(param, `The image URL at '${param}' must be an http(s) URL or a data: URL.`);
  }
  const mediaType = match[1]!.toLowerCase();
  const parameters = match[2]!.split(';').map((parameter) => parameter.trim().toLowerCase());
  const data = match[3]!.trim();
  if (!isSupportedMediaType(mediaType)) {
    throw errors.invalidRequest(
      param,
      `The image at '${param}' has media type '${mediaType}'; Anthropic accepts ${supportedMediaTypes.join(', ')}.`,
    );
  }
  if (!parameters.includes('base64') || data === '') {
    throw errors.invalidRequest(param, `The data: URL at '${param}' must carry base64-encoded image data.`);
  }
  return { type: 'base64', media_type: mediaType, data };
}
