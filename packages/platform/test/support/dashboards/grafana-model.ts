/**
 * The small subset of Grafana's dashboard JSON (schemaVersion 39) the platform's dashboards use,
 * and builders that lay panels out on Grafana's 24-column grid. The committed files under
 * deploy/grafana/dashboards are generated from these (`npm run dashboards`).
 */

/** The uid of the Prometheus data source deploy/grafana/provisioning/datasources provisions. */
export const datasourceUid = 'kimi-prometheus';
export const datasource = { type: 'prometheus', uid: datasourceUid } as const;
export const schemaVersion = 39;

/** The selector every query carries: the platform's scrape job and the instances picked. */
export const scope = 'job="kimi-platform", instance=~"$instance"';
/** The rate window Grafana derives from the scrape interval. */
export const window = '$__rate_interval';

export interface Target {
  refId: string;
  expr: string;
  legendFormat: string;
  datasource: typeof datasource;
}

export type PanelKind = 'timeseries' | 'stat' | 'gauge' | 'bargauge';

/** Units Grafana knows: seconds, bytes, percent of 1, requests per second, dollars. */
export type Unit = 's' | 'bytes' | 'percentunit' | 'reqps' | 'ops' | 'currencyUSD' | 'short' | 'none';

export interface Panel {
  id: number;
  type: PanelKind;
  title: string;
  description: string;
  datasource: typeof datasource;
  gridPos: { x: number; y: number; w: number; h: number };
  fieldConfig: { defaults: { unit: Unit; min?: number; max?: number }; overrides: [] };
  options: Record<string, unknown>;
  targets: Target[];
}

export interface Dashboard {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  schemaVersion: number;
  version: number;
  editable: boolean;
  timezone: 'utc';
  refresh: string;
  time: { from: string; to: string };
  templating: { list: unknown[] };
  annotations: { list: unknown[] };
  panels: Panel[];
}

/** One query of a panel: its PromQL and the legend Grafana shows for each series. */
export interface QuerySpec {
  expr: string;
  legend?: string;
}

/** What a panel shows, before layout. */
export interface PanelSpec {
  title: string;
  description: string;
  kind?: PanelKind;
  unit?: Unit;
  /** Columns of 24; default 8 (three panels a row), 12 for time series when `wide`. */
  width?: number;
  queries: QuerySpec[];
  range?: { min?: number; max?: number };
}

const panelHeight = 8;

const optionsOf = (kind: PanelKind): Record<string, unknown> =>
  kind === 'timeseries'
    ? { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } }
    : { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false } };

/** Lays the panels out left to right, wrapping at 24 columns, and numbers them. */
function layout(specs: readonly PanelSpec[]): Panel[] {
  let x = 0;
  let y = 0;
  return specs.map((spec, index) => {
    const kind = spec.kind ?? 'timeseries';
    const width = spec.width ?? 8;
    if (x + width > 24) {
      x = 0;
      y += panelHeight;
    }
    const panel: Panel = {
      id: index + 1,
      type: kind,
      title: spec.title,
      description: spec.description,
      datasource,
      gridPos: { x, y, w: width, h: panelHeight },
      fieldConfig: { defaults: { unit: spec.unit ?? 'short', ...spec.range }, overrides: [] },
      options: optionsOf(kind),
      targets: spec.queries.map((query, queryIndex) => ({
        refId: String.fromCharCode(65 + queryIndex),
        expr: query.expr,
        legendFormat: query.legend ?? '__auto',
        datasource,
      })),
    };
    x += width;
    return panel;
  });
}

/** The `instance` variable every dashboard has: the replicas Prometheus scrapes, all by default. */
const instanceVariable = {
  name: 'instance',
  label: 'Instance',
  type: 'query',
  datasource,
  query: { query: 'label_values(up{job="kimi-platform"}, instance)', refId: 'instance' },
  definition: 'label_values(up{job="kimi-platform"}, instance)',
  refresh: 2,
  includeAll: true,
  multi: true,
  allValue: '.*',
  current: { selected: true, text: ['All'], value: ['$__all'] },
  sort: 1,
};

/** A whole dashboard from its panels. */
export function dashboard(options: {
  uid: string;
  title: string;
  description: string;
  panels: readonly PanelSpec[];
}): Dashboard {
  return {
    uid: options.uid,
    title: options.title,
    description: options.description,
    tags: ['kimi-platform'],
    schemaVersion,
    version: 1,
    editable: false,
    timezone: 'utc',
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    templating: { list: [instanceVariable] },
    annotations: { list: [] },
    panels: layout(options.panels),
  };
}

/** `metric{job=…, instance=~…, extra}`: the selector with the dashboard's scope. */
export function select(metric: string, extra?: string): string {
  return `${metric}{${scope}${extra ? `, ${extra}` : ''}}`;
}

/** `sum by (labels) (rate(selector[window]))`; without labels, a plain sum. */
export function rateBy(labels: string, metric: string, extra?: string): string {
  const by = labels === '' ? '' : ` by (${labels})`;
  return `sum${by} (rate(${select(metric, extra)}[${window}]))`;
}

/** The `quantile` of a histogram's rate, grouped by `labels`. */
export function quantileBy(quantile: number, labels: string, histogram: string, extra?: string): string {
  const by = labels === '' ? 'le' : `${labels}, le`;
  return `histogram_quantile(${quantile}, sum by (${by}) (rate(${select(`${histogram}_bucket`, extra)}[${window}])))`;
}

/**
 * The share of a counter's rate that matches `part`: zero, not "No data", when the counter moves
 * but nothing matched (labelled series only appear once they are first counted).
 */
export function ratio(metric: string, part: string, labels = '', whole?: string): string {
  const by = labels === '' ? '' : ` by (${labels})`;
  const total = `sum${by} (rate(${select(metric, whole)}[${window}]))`;
  const matching = whole ? `${whole}, ${part}` : part;
  return `(sum${by} (rate(${select(metric, matching)}[${window}])) or 0 * ${total}) / ${total}`;
}
