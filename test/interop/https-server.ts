// The real server on 127.0.0.1:0 over HTTPS with a throwaway certificate that this test
// process trusts, reached as https://localhost:PORT (the SDK hard-codes https://).
import tls from 'node:tls';
import { applyProvisioning, type Provisioning } from '../../src/provisioning/provisioning.ts';
import { loadConfig } from '../../src/config.ts';
import { start, type Started } from '../../src/server.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { makeTestCert } from '../helpers/tls.ts';

export interface HttpsServer {
  server: Started;
  /** https://localhost:PORT — the page's origin and the SDK's `domain` with the scheme. */
  origin: string;
  /** localhost:PORT, the SDK's `domain` option (it skips the vendor's domain lookup). */
  domain: string;
  close(): Promise<void>;
}

/**
 * Starts the server with `flags` added to the defaults, provisioned with `provisioning`
 * (the demo account when not given). The certificate is trusted by adding it to this
 * process's default CA list (tls.setDefaultCACertificates, Node >= 24.5): the runtime form
 * of NODE_EXTRA_CA_CERTS, which covers jsdom's XHR and fetch alike. node --test runs each
 * file in its own process, and the old list is put back on close.
 */
export async function startHttpsServer(flags: string[] = [], provisioning?: Provisioning): Promise<HttpsServer> {
  const cert = await makeTestCert();
  const before = tls.getCACertificates('default');
  tls.setDefaultCACertificates([...before, cert.cert]);
  let server: Started;
  const store = new SqliteStore(':memory:');
  try {
    const config = loadConfig(['--memory', '--port', '0', '--host', '127.0.0.1', '--log-level', 'silent', '--tls-cert', cert.certFile, '--tls-key', cert.keyFile, ...flags], {});
    if (provisioning) await applyProvisioning(store, provisioning);
    server = await start(config, { store });
  } catch (err) {
    await store.close();
    tls.setDefaultCACertificates(before);
    cert.cleanup();
    throw err;
  }
  const domain = `localhost:${new URL(server.url).port}`;
  return {
    server,
    origin: `https://${domain}`,
    domain,
    async close() {
      try {
        await server.app.close();
      } finally {
        tls.setDefaultCACertificates(before);
        cert.cleanup();
      }
    },
  };
}
