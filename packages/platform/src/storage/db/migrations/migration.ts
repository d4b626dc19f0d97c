export interface Migration {
  /** Strictly increasing; never reuse or reorder a shipped version. */
  version: number;
  name: string;
  sql: string;
}
