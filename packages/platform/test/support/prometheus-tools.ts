import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { prometheusPrograms } from './services.ts';

const run = promisify(execFile);

/** The repository's deploy/ folder, where the rules and configurations live. */
export const deployDirectory = fileURLToPath(new URL('../../../../deploy/', import.meta.url));

export interface ToolOutcome {
  code: number;
  stdout: string;
  /** Standard output and error together, for failure messages. */
  output: string;
}

/** Runs promtool or amtool with `args`, bounded in time; resolves with its exit code and output. */
export async function runTool(tool: 'promtool' | 'amtool', args: readonly string[]): Promise<ToolOutcome> {
  try {
    const { stdout, stderr } = await run(prometheusPrograms[tool], [...args], {
      cwd: deployDirectory,
      timeout: 60_000,
    });
    return { code: 0, stdout, output: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string; message: string };
    return {
      code: typeof failed.code === 'number' ? failed.code : 1,
      stdout: failed.stdout ?? '',
      output: `${failed.stdout ?? ''}${failed.stderr ?? ''}${failed.message}`,
    };
  }
}
