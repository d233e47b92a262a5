// `npm start`: parse settings, start the server, print where it is and how to use it.
import { ConfigError, loadConfig } from './config.ts';
import { helpText, version } from './help.ts';
import { ProvisioningError, start } from './server.ts';
import { installShutdown } from './shutdown.ts';
import { StartupError } from './preflight.ts';
import { describeStore, StoreOpenError } from './store/index.ts';
import { controlBanner } from './api/control/banner.ts';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  // Answered before anything else is read or checked (no store, no port).
  if (argv.includes('--help') || argv.includes('-h')) return void process.stdout.write(helpText());
  if (argv.includes('--version') || argv.includes('-v')) return void process.stdout.write(`${version()}\n`);
  const config = loadConfig(argv, process.env);
  const { app, store, url, provisioning, closed } = await start(config);
  const accounts = provisioning?.accounts ?? [];
  const first = accounts[0];
  const lines = [`serverchat listening on ${url}`, `store: ${describeStore(config)}`];
  // The two pages a new user opens in two tabs to see a chat work (README "Agent console and demo page").
  lines.push(`agent console:    ${url}/agent`, `visitor demo:     ${url}/  (open it in a second tab and start a chat)`);
  if (first) {
    const agent = first.agents[0];
    lines.push(
      `visitor base URL: ${url}/api/account/${first.id}`,
      `account id:       ${first.id}`,
      `app key:          ${first.appKeys[0]}`,
      agent ? `agent login:      ${agent.loginName} / ${agent.password}  (POST ${url}/api/account/${first.id}/login)` : 'agent login:      (no agents provisioned)',
    );
  } else {
    const stored = (await store.listAccounts())[0];
    if (stored) {
      const agent = (await store.listAgents(stored.id))[0];
      lines.push(
        `visitor base URL: ${url}/api/account/${stored.id}`,
        `account id:       ${stored.id}`,
        `app key:          ${stored.appKeys[0]}`,
        `agent login:      ${agent ? `${agent.loginName} (password as provisioned)` : '(no agents provisioned)'}`,
      );
    }
  }
  lines.push(...controlBanner(config, url));
  process.stdout.write(`${lines.join('\n')}\n`);
  installShutdown(app, { graceMs: config.shutdownGrace * 1000, closed });
}

main().catch((err: unknown) => {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (err instanceof ConfigError || err instanceof ProvisioningError || err instanceof StartupError) process.stderr.write(`serverchat: ${err.message}\n`);
  else if (err instanceof StoreOpenError) process.stderr.write(`serverchat: store: ${err.message}\n`);
  else if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    process.stderr.write(`serverchat: cannot listen there (${code}: ${(err as Error).message}); choose another with --port / --host\n`);
  }
  else process.stderr.write(`serverchat: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
