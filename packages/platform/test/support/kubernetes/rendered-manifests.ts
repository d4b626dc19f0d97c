import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { kubectlPath } from '../services.ts';
import { kustomizeDirectory } from './kubernetes-files.ts';

/** One object as `kubectl kustomize` renders it. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: Record<string, unknown>;
}

/** `kubectl kustomize` of an overlay (dev or prod), parsed into its objects. */
export function renderOverlay(overlay: string): Manifest[] {
  const text = execFileSync(kubectlPath, ['kustomize', join(kustomizeDirectory, 'overlays', overlay)], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return parseAllDocuments(text).map((document) => document.toJSON() as Manifest);
}
