/**
 * Module boundaries of packages/platform/src (see ../shared/DESIGN.md, "Source layout").
 * Run: npm run boundaries. CI fails on any violation.
 *
 * - A room is a folder under src/. Another room is imported only through its `index.ts`, its
 *   light `schema.ts` entry (config composes those), or a sub-room's `index.ts`.
 * - Dependencies point inward: a room never imports a room of a higher layer.
 * - Only http/ imports Fastify; nothing but cli/ and the package entry imports http/.
 */
const source = '^packages/platform/src/';

/** Lower layers first; a room may import its own layer (no cycles) and any layer below. */
const layers = [
  ['model', 'errors'],
  ['support'],
  ['storage', 'telemetry'],
  ['providers', 'resilience', 'tenancy'],
  ['routing', 'cache', 'metering'],
  ['gateway'],
  ['agents', 'rag', 'identity', 'billing', 'marketplace'],
  ['platform'],
  ['http', 'cli'],
];

const rooms = (names) => `${source}(${names.join('|')})/`;

const layerRules = layers.slice(0, -1).map((names, index) => ({
  name: `layer-${names.join('-')}`,
  comment: `${names.join(', ')} must not import a room of a higher layer (dependencies point inward)`,
  severity: 'error',
  from: { path: rooms(names) },
  to: { path: rooms(layers.slice(index + 1).flat()) },
}));

module.exports = {
  forbidden: [
    {
      name: 'through-index',
      comment: 'import another room through its index.ts (or schema.ts), never its internals',
      severity: 'error',
      from: { path: `${source}([^/]+)/` },
      to: {
        path: source,
        pathNot: [`${source}$1/`, `${source}[^/]+/(index|schema)\\.ts$`, `${source}[^/]+/[^/]+/index\\.ts$`],
      },
    },
    {
      name: 'config-composes-schemas',
      comment: 'config/ composes only the light schema entries of other rooms',
      severity: 'error',
      from: { path: `${source}config/` },
      to: {
        path: source,
        pathNot: [
          `${source}config/`,
          `${source}[^/]+/schema\\.ts$`,
          `${source}(errors|support|model)/index\\.ts$`,
        ],
      },
    },
    {
      name: 'fastify-only-in-http',
      comment: 'no file outside http/ imports Fastify',
      severity: 'error',
      from: { path: source, pathNot: `${source}http/` },
      to: { path: 'node_modules/(fastify|@fastify/)' },
    },
    {
      name: 'nothing-imports-http',
      comment: 'http/ is an outer surface: only cli/ and the package entry compose it',
      severity: 'error',
      from: { path: source, pathNot: [`${source}(http|cli)/`, `${source}index\\.ts$`] },
      to: { path: `${source}http/` },
    },
    ...layerRules,
    {
      name: 'no-circular-rooms',
      comment: 'rooms must not import each other in a circle',
      severity: 'error',
      from: { path: source },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      extensions: ['.ts', '.js'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'node', 'default'],
    },
  },
};
