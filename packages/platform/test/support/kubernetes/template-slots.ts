/**
 * The one place the Helm chart and the kustomize base differ: how a value is written. Object builders
 * ask a `Slots` for each configurable value; the kustomize renderer answers with the chart's default,
 * the Helm renderer with a marker that becomes a Go template expression after YAML serialisation.
 */
export interface Slots {
  /** A scalar value at a dotted path of values.yaml. */
  value(path: string): string | number | boolean;
  /** A value at a dotted path written as a string (environment values, quantities). */
  text(path: string): string;
  /** A whole mapping at a dotted path, written with `toYaml`. */
  block(path: string): Record<string, unknown>;
  /** A name prefixed with the release name (`kimi-platform` in the kustomize base). */
  name(suffix?: string): string;
  /** The contents of a file shipped in the chart's files/ folder. */
  file(path: string): string;
  /**
   * A value Helm computes with a template: `value` in the kustomize base; in the chart, the text
   * `template(indent)` follows the key's colon, `indent` being the key's own indentation.
   */
  computed<Value>(value: Value, template: (indent: number) => string): Value;
  /** List items present only where the boolean at `path` is true. */
  when<Item extends Record<string, unknown>>(path: string, items: Item[]): Item[];
}

export type Values = Record<string, unknown>;

/** The value at a dotted path, or an error naming the path (a typo in a builder fails the generator). */
export function valueAt(values: Values, path: string): unknown {
  let current: unknown = values;
  for (const segment of path.split('.')) {
    if (typeof current !== 'object' || current === null || !(segment in current)) {
      throw new Error(`values.yaml has no ${path}`);
    }
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** The name kustomize uses where Helm writes the release name. */
export const baseReleaseName = 'kimi-platform';

/** Slots answering with the defaults: the kustomize base. */
export function defaultSlots(values: Values, files: (path: string) => string): Slots {
  return {
    value: (path) => valueAt(values, path) as string | number | boolean,
    block: (path) => valueAt(values, path) as Record<string, unknown>,
    text: (path) => String(valueAt(values, path)),
    name: (suffix) => (suffix ? `${baseReleaseName}-${suffix}` : baseReleaseName),
    file: files,
    when: (path, items) => (valueAt(values, path) === true ? items : []),
    computed: (value) => value,
  };
}

const scalarMarker = (path: string) => `__VALUE__${path}__`;
const blockMarker = (path: string) => `__BLOCK__${path}__`;
const fileMarker = (path: string) => `__FILE__${path}__`;
const releaseMarker = '__RELEASE__';
const whenKey = '__WHEN__';

/** Wraps each list item that starts with the `when` key in `{{- if }}`/`{{- end }}`. */
function conditionalItems(yamlText: string): string {
  const lines = yamlText.split('\n');
  const output: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const marker = /^( *)- __WHEN__: ([\w.]+)$/.exec(lines[index] ?? '');
    if (!marker) {
      output.push(lines[index] ?? '');
      continue;
    }
    const indent = marker[1] ?? '';
    output.push(`{{- if .Values.${marker[2]} }}`);
    let first = true;
    while (index + 1 < lines.length && (lines[index + 1] ?? '').startsWith(`${indent}  `)) {
      index++;
      const line = lines[index] ?? '';
      output.push(first ? `${indent}- ${line.slice(indent.length + 2)}` : line);
      first = false;
    }
    output.push('{{- end }}');
  }
  return output.join('\n');
}

/** Slots whose answers are markers, and the rewrite of serialised markers into template expressions. */
export interface HelmSlots extends Slots {
  expressions(yamlText: string): string;
}

/** Slots answering with markers for the Helm chart. */
export function helmSlots(values: Values): HelmSlots {
  const templates: Array<(indent: number) => string> = [];
  return {
    computed: <Value>(_value: Value, template: (indent: number) => string) => {
      templates.push(template);
      return `__COMPUTED__${templates.length - 1}__` as Value;
    },
    expressions: (yamlText) =>
      helmExpressions(yamlText, values).replace(
        /^( *)([\w.-]+): __COMPUTED__(\d+)__$/gm,
        (_match, indent: string, key: string, index: string) =>
          `${indent}${key}:${templates[Number(index)]?.(indent.length) ?? ''}`,
      ),
    value: (path) => {
      valueAt(values, path);
      return scalarMarker(path);
    },
    text: (path) => {
      valueAt(values, path);
      return `__TEXT__${path}__`;
    },
    block: (path) => {
      valueAt(values, path);
      return blockMarker(path) as unknown as Record<string, unknown>;
    },
    name: (suffix) => (suffix ? `${releaseMarker}-${suffix}` : releaseMarker),
    file: fileMarker,
    when: (path, items) => {
      valueAt(values, path);
      return items.map((item) => ({ [whenKey]: path, ...item }));
    },
  };
}

/** Rewrites the markers in serialised YAML into Helm template expressions. */
function helmExpressions(yamlText: string, values: Values): string {
  return conditionalItems(yamlText)
    .replace(
      /^( *)([\w.-]+): __BLOCK__([\w.]+)__$/gm,
      (_match, indent: string, key: string, path: string) => {
        return `${indent}${key}:\n${indent}  {{- toYaml .Values.${path} | nindent ${indent.length + 2} }}`;
      },
    )
    .replace(
      /^( *)([\w.-]+): __FILE__([\w./-]+)__$/gm,
      (_match, indent: string, key: string, path: string) => {
        return `${indent}${key}: |-\n{{ .Values.config | default (.Files.Get "${path}") | indent ${indent.length + 2} }}`;
      },
    )
    .replace(/(: |- )__VALUE__([\w.]+)__$/gm, (_match, lead: string, path: string) => {
      const quoted = typeof valueAt(values, path) === 'string' ? ' | quote' : '';
      return `${lead}{{ .Values.${path}${quoted} }}`;
    })
    .replace(/__TEXT__([\w.]+)__/g, (_match, path: string) => `{{ .Values.${path} | quote }}`)
    .replace(/__VALUE__([\w.]+)__/g, (_match, path: string) => `{{ .Values.${path} }}`)
    .replaceAll(releaseMarker, '{{ .Release.Name }}');
}
