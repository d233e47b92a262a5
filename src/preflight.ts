// Checks made before the store is opened, created or provisioned (issue 12 §6): a port in use
// or an unreadable TLS file is one clear line and exit 1, and the data stays untouched.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createSecureContext } from 'node:tls';
import type { Config } from './config.ts';

/** Start-up cannot go on; the message is the one line the operator sees. */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}

function readPem(setting: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new StartupError(`${setting}: cannot read ${file} (${code})`, { cause: err });
  }
}

/** The certificate and key, read and checked as a pair (a wrong PEM fails here, not at the first request). */
export function readTls(config: Pick<Config, 'tlsCert' | 'tlsKey'>): { cert: Buffer; key: Buffer } | null {
  if (!config.tlsCert || !config.tlsKey) return null;
  const cert = readPem('tls-cert', config.tlsCert);
  const key = readPem('tls-key', config.tlsKey);
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    throw new StartupError(`tls-cert and tls-key: not a usable PEM certificate and matching key (${(err as Error).message})`, { cause: err });
  }
  return { cert, key };
}

/**
 * Binds the port once and lets it go: a port in use fails here, before the store exists. The
 * real listen comes a moment later; a process that takes the port in between still fails
 * there, with the same message (cli.ts).
 */
export async function probePort(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(err)));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve()));
  });
}

export function listenError(err: NodeJS.ErrnoException): Error {
  const code = err.code;
  if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new StartupError(`cannot listen there (${code}: ${err.message}); choose another with --port / --host`, { cause: err });
  }
  return err;
}

export async function preflight(config: Config): Promise<void> {
  readTls(config);
  await probePort(config.host, config.port);
}
