// An app built with some of issue 11's settings (docs/security.md), listening on 127.0.0.1
// when asked: testApp's store, clock and provisioning, plus the limits under test.
import type { AddressInfo } from 'node:net';
import { ManualClock } from '../../src/clock.ts';
import { manualTimerHost } from '../../src/chat/core/timers.ts';
import type { Config } from '../../src/config.ts';
import { sequentialIds } from '../../src/ids.ts';
import { applyProvisioning, demoProvisioning } from '../../src/provisioning/provisioning.ts';
import { buildApp, type App } from '../../src/server.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

export interface LimitsApp extends App {
  clock: ManualClock;
  /** The port it listens on (0 until listen()). */
  port: number;
  listen(): Promise<number>;
  close(): Promise<void>;
}

export async function limitsApp(settings: Omit<Partial<Config>, 'logFormat'> = {}): Promise<LimitsApp> {
  const store = new SqliteStore(':memory:');
  await applyProvisioning(store, demoProvisioning);
  const clock = new ManualClock();
  const built = buildApp({ logLevel: 'silent', typingTimeout: 6, tlsCert: null, tlsKey: null, ...settings }, { store, clock, ids: sequentialIds(), timerHost: manualTimerHost });
  await built.domain.start();
  await built.app.ready();
  const la: LimitsApp = {
    ...built,
    clock,
    port: 0,
    async listen() {
      await built.app.listen({ port: 0, host: '127.0.0.1' });
      la.port = (built.app.server.address() as AddressInfo).port;
      return la.port;
    },
    close: () => built.app.close(),
  };
  return la;
}
