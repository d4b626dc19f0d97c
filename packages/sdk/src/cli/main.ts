import { runCli } from './run.ts';
import { createSdkClient } from './sdk-client.ts';

// why: `kimi models | head` closes the pipe early; that is not a failure of the command.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// The `kimi` binary: real streams and environment, the SDK's client.
const exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  environment: process.env,
  createClient: createSdkClient,
});
// why exit explicitly: idle keep-alive sockets and a paused stdin would keep the process waiting.
process.stdout.write('', () => process.stderr.write('', () => process.exit(exitCode)));
