// The agent console (/agent), the visitor demo page (/), the embeddable widget
// (/widget.js, /widget/*, docs/widget.md) and the JS SDK's postmessage relay page
// (/hcp/html/postmessage.min.html and its aliases): the static files of src/web/,
// read once when the app is built and served from memory with an ETag (a reload costs a
// 304), plus /web-config.json, which hands the demo page the demo account's id and app key
// only while that account is provisioned. Plain files, no build step: what is in the
// folder is what the browser gets.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { demoProvisioning } from '../provisioning/provisioning.ts';
import { verifyPassword } from '../chat/agents/passwords.ts';
import type { Agent } from '../chat/core/types.ts';
import type { Tree } from './codecs/tree.ts';
import type { AppContext } from './context.ts';
import { send } from './reply.ts';

export const WEB_ROOT = fileURLToPath(new URL('../web/', import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

// Same-origin only: the pages call the API on the host that served them, and nothing
// inline runs, so a line that slipped markup past the sanitiser still cannot execute.
const PAGE_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'referrer-policy': 'no-referrer',
};

// The postmessage relay page: framed by customers' sites, so any ancestor may frame it
// (which origins may use it is decided per account and per request on the server:
// cors.ts); no UI, nothing but its own script and same-origin requests.
const RELAY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; connect-src 'self'; frame-ancestors *; base-uri 'none'; form-action 'none'",
  'referrer-policy': 'no-referrer',
};
const RELAY_PAGE = '/hcp/html/postmessage.min.html';
/** The SDK's other environments frame the same page under these names. */
const ALIASES: Readonly<Record<string, string>> = {
  '/hcp/html/postmessage.html': RELAY_PAGE,
  '/hcp/html/lpsunco/postmessage.html': RELAY_PAGE,
};

// Scripts and styles may be loaded by any site: the widget (docs/widget.md) imports its
// modules cross-origin, which needs CORS; nothing here is secret or credentialed.
const SUBRESOURCE_HEADERS = {
  'access-control-allow-origin': '*',
  'cross-origin-resource-policy': 'cross-origin',
};

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
  /** Extra headers: an HTML page's CSP, a script's or style's CORS. */
  headers: Readonly<Record<string, string>>;
}

/** URL path of a file under src/web/: the two index pages sit at / and /agent. */
function urlOf(rel: string): string {
  const path = rel.split(sep).join('/');
  if (path === 'visitor/index.html') return '/';
  if (path === 'agent/index.html') return '/agent';
  return `/${path}`;
}

function walk(dir: string, out: string[]): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (TYPES[extname(entry.name)]) out.push(full);
  }
  return out;
}

export function loadAssets(root: string = WEB_ROOT): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const file of walk(root, [])) {
    const body = readFileSync(file);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    const url = urlOf(relative(root, file));
    const type = TYPES[extname(file)] as string;
    const headers = type.startsWith('text/html')
      ? (url.startsWith('/hcp/') ? RELAY_HEADERS : PAGE_HEADERS)
      : type.startsWith('text/javascript') || type.startsWith('text/css') ? SUBRESOURCE_HEADERS : {};
    assets.set(url, { body, type, etag, headers });
  }
  for (const [alias, url] of Object.entries(ALIASES)) {
    const asset = assets.get(url);
    if (asset) assets.set(alias, asset);
  }
  return assets;
}

function serve(asset: Asset) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    // no-cache = revalidate every time: edits show on reload, unchanged files cost a 304.
    reply.header('etag', asset.etag).header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff');
    reply.headers(asset.headers);
    const match = req.headers['if-none-match'];
    if (typeof match === 'string' && match.split(',').some((t) => t.trim() === asset.etag)) return reply.code(304).send();
    return reply.code(200).header('content-type', asset.type).send(asset.body);
  };
}

/** The demo agent's login, offered to the console only while its password is still the demo one. */
async function demoAgentLogin(agent: Agent | null, verified: Map<string, boolean>): Promise<Tree | undefined> {
  const demo = demoProvisioning.accounts[0]?.agents[0];
  if (!agent || !demo || agent.loginName !== demo.loginName) return undefined;
  // scrypt is slow on purpose: check each stored hash once.
  let ok = verified.get(agent.passwordHash);
  if (ok === undefined) {
    ok = await verifyPassword(demo.password, agent.passwordHash);
    verified.set(agent.passwordHash, ok);
  }
  return ok ? { loginName: demo.loginName, password: demo.password } : undefined;
}

/**
 * True while the server listens on a loopback address only (or not at all: in-process use).
 * Only then is the demo password handed out: on 0.0.0.0 it would be anyone's (issue 12 §6).
 */
export function listensOnLoopbackOnly(app: FastifyInstance): boolean {
  const addresses = app.server.listening ? app.addresses().map((a) => (typeof a === 'string' ? a : a.address)) : [];
  return addresses.every((a) => isIP(a) !== 0 && (a === '::1' || a.startsWith('127.') || a === '::ffff:127.0.0.1'));
}

export function webRoutes(app: FastifyInstance, ctx: AppContext): void {
  for (const [url, asset] of loadAssets()) app.get(url, serve(asset));

  // /web-config.json (the suffix is stripped before routing like every other path).
  // Nothing about any other account is ever revealed.
  const demo = demoProvisioning.accounts[0];
  const verified = new Map<string, boolean>();
  app.get('/web-config', async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const appKey = demo?.appKeys[0];
    const found = demo && appKey !== undefined ? await ctx.access.demo(demo.id, appKey, demo.agents[0]?.id ?? null) : null;
    if (!found || appKey === undefined) return send(req, reply, 200, { webConfig: {} }, { collapse: false });
    const { account, agent } = found;
    return send(
      req,
      reply,
      200,
      {
        webConfig: {
          demo: {
            accountId: account.id,
            appKey,
            skills: account.skills.map((s) => ({ id: s.id, name: s.name })),
            agent: listensOnLoopbackOnly(app) ? await demoAgentLogin(agent, verified) : undefined,
          },
        },
      },
      { collapse: false },
    );
  });
}
