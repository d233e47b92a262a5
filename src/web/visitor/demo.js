// The demo page: a stand-in for any website. It embeds the widget exactly as a site would
// (docs/widget.md), with the demo account from /web-config.json — or, without one, with
// the account and app key typed in.
import { byId, webConfig } from '../shared/api.js';

/** @param {{ accountId: string, appKey: string, skill: string }} c */
function embed(c) {
  const script = document.createElement('script');
  script.src = `${location.origin}/widget.js`;
  script.async = true;
  script.dataset.account = c.accountId;
  script.dataset.appKey = c.appKey;
  if (c.skill) script.dataset.skill = c.skill;
  document.body.append(script);
  byId('snippet', HTMLElement).textContent = `<script src="${script.src}" data-account="${c.accountId}" data-app-key="${c.appKey}"${c.skill ? ` data-skill="${c.skill}"` : ''} async></script>`;
}

async function init() {
  const demo = (await webConfig()).demo;
  if (demo) {
    if (demo.agent) byId('login-hint', HTMLElement).textContent = ` as ${demo.agent.loginName} / ${demo.agent.password}`;
    return embed({ accountId: demo.accountId, appKey: demo.appKey, skill: demo.skills?.[0]?.name ?? '' });
  }
  const form = byId('connection', HTMLFormElement);
  form.hidden = false;
  byId('snippet', HTMLElement).textContent = '<script src="…/widget.js" data-account="…" data-app-key="…" async></script>';
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const accountId = byId('account-id', HTMLInputElement).value.trim();
    const appKey = byId('app-key', HTMLInputElement).value.trim();
    if (!accountId || !appKey) return void (byId('connection-error', HTMLElement).textContent = 'Enter the account id and an app key.');
    sessionStorage.setItem('serverchat.demo', JSON.stringify({ accountId, appKey, skill: byId('skill', HTMLInputElement).value.trim() }));
    // A fresh page so the widget starts once, with these settings.
    location.reload();
  });
  const saved = JSON.parse(sessionStorage.getItem('serverchat.demo') ?? 'null');
  if (saved && saved.accountId && saved.appKey) {
    form.hidden = true;
    embed(saved);
  }
}

void init();
