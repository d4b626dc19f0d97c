/**
 * @kimi/sdk — a dependency-free, fetch-based client for the Kimi Platform.
 * Runs on Node 20+ and in browsers; nothing under src/cli is imported from here.
 */
export {};
