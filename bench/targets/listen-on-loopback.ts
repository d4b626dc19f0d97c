/**
 * Preloaded (`--import`) into peers that cannot be told which interface to bind (Portkey's gateway
 * calls `listen(port)`, which binds every interface): a listen without a host binds 127.0.0.1, so
 * nothing the benchmark starts is reachable from off the machine.
 */
import { Server } from 'node:net';

const listen = Server.prototype.listen;

Server.prototype.listen = function listenOnLoopback(this: Server, ...parameters: unknown[]) {
  const [first, second] = parameters;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (second === undefined || second === null) parameters.splice(1, 1, '127.0.0.1');
    else if (typeof second !== 'string') parameters.splice(1, 0, '127.0.0.1');
  } else if (typeof first === 'object' && first !== null && !('host' in first) && 'port' in first) {
    parameters[0] = { ...first, host: '127.0.0.1' };
  }
  return listen.apply(this, parameters as Parameters<typeof listen>);
} as typeof listen;
