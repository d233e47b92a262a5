// The transfer dialog (agent API §4.20, §4.21): skills from GET …/transfer (those with an
// online agent), agents from Retrieve Available Agents (§4.4) when the server has it, else
// an agent id typed in; an optional note the visitor never sees.
import { ApiError, asArray, byId, call } from '../shared/api.js';


/** @param {unknown} err */
const messageOf = (err) => (err instanceof Error ? err.message : String(err));

/**
 * @param {{ chatUrl: string, auth: string, agentId: string, visitorName: string }} opts
 * @returns {Promise<string | null>} what the chat went to ("skill Billing"), or null if cancelled
 */
export function openTransfer(opts) {
  const dialog = /** @type {HTMLDialogElement} */ (byId('transfer-dialog', HTMLDialogElement));
  const form = byId('transfer-form', HTMLFormElement);
  const skillSelect = byId('transfer-skill', HTMLSelectElement);
  const agentSelect = byId('transfer-agent', HTMLSelectElement);
  const agentId = byId('transfer-agent-id', HTMLInputElement);
  const error = byId('transfer-error', HTMLElement);
  const status = byId('transfer-status', HTMLElement);
  const submit = byId('transfer-submit', HTMLButtonElement);
  const toSkill = byId('transfer-to-skill', HTMLInputElement);
  const toAgent = byId('transfer-to-agent', HTMLInputElement);
  const text = byId('transfer-text', HTMLTextAreaElement);
  byId('transfer-visitor', HTMLElement).textContent = opts.visitorName;
  error.textContent = '';
  text.value = '';
  skillSelect.replaceChildren();
  agentSelect.replaceChildren();
  agentSelect.hidden = false;
  agentId.hidden = true;
  agentId.value = '';
  toSkill.checked = true;
  submit.disabled = true;
  status.textContent = 'Loading skills and agents…';

  const syncTarget = () => {
    skillSelect.disabled = !toSkill.checked;
    agentSelect.disabled = toSkill.checked;
    agentId.disabled = toSkill.checked;
  };
  syncTarget();

  const sessionUrl = opts.chatUrl.replace(/\/chat\/[^/]+$/, '');
  const load = Promise.all([
    call('GET', `${opts.chatUrl}/transfer.json`, { auth: opts.auth }).then(
      ({ body }) => {
        const skills = asArray(body?.transfer?.skill);
        for (const s of skills) skillSelect.append(new Option(`${s.name} (${s.onlineAgents ?? '?'} online)`, String(s.id)));
        if (skills.length === 0) {
          skillSelect.append(Object.assign(new Option('No skill has an agent online', ''), { disabled: true }));
        }
        submit.disabled = false;
      },
      (err) => {
        error.textContent =
          err instanceof ApiError && err.status === 404 ? `This server cannot transfer chats yet (${err.message}).` : `Could not read the skills: ${messageOf(err)}`;
      },
    ),
    call('GET', `${sessionUrl}/availableAgents.json`, { auth: opts.auth }).then(
      ({ body }) => {
        const agents = asArray(body?.availableAgents?.agents?.agent).filter((a) => String(a['@id']) !== String(opts.agentId));
        for (const a of agents) {
          const online = String(a['@chatState']) === '2' || a['@chatState'] === 'Online';
          agentSelect.append(new Option(`${a.nickname || a.userName || a['@id']}${online ? '' : ' (not online)'}`, String(a['@id'])));
        }
        if (agents.length === 0) agentSelect.append(Object.assign(new Option('No other agent', ''), { disabled: true }));
      },
      () => {
        // Without Retrieve Available Agents, the agent id is typed in.
        agentSelect.hidden = true;
        agentId.hidden = false;
      },
    ),
  ]).finally(() => {
    status.textContent = '';
  });

  return new Promise((resolve) => {
    const finish = (/** @type {string | null} */ result) => {
      form.removeEventListener('submit', onSubmit);
      byId('transfer-cancel', HTMLButtonElement).removeEventListener('click', onCancel);
      dialog.removeEventListener('cancel', onCancel);
      toSkill.removeEventListener('change', syncTarget);
      toAgent.removeEventListener('change', syncTarget);
      if (dialog.open) dialog.close();
      resolve(result);
    };
    const onCancel = (/** @type {Event} */ ev) => {
      ev.preventDefault();
      finish(null);
    };
    const onSubmit = async (/** @type {SubmitEvent} */ ev) => {
      ev.preventDefault();
      await load;
      error.textContent = '';
      const note = text.value.trim();
      /** @type {Record<string, unknown>} */
      const transfer = {};
      let label;
      if (toSkill.checked) {
        const id = skillSelect.value;
        if (!id) return void (error.textContent = 'Choose a skill.');
        transfer.skill = { id: Number(id) };
        label = `skill ${skillSelect.selectedOptions[0]?.text.replace(/ \(.*\)$/, '') ?? id}`;
      } else {
        const id = agentSelect.hidden ? agentId.value.trim() : agentSelect.value;
        if (!/^\d+$/.test(id)) return void (error.textContent = 'Choose an agent (a numeric agent id).');
        transfer.agent = { id: Number(id) };
        label = agentSelect.hidden ? `agent ${id}` : (agentSelect.selectedOptions[0]?.text ?? `agent ${id}`);
      }
      if (note) transfer.text = note;
      submit.disabled = true;
      try {
        await call('POST', `${opts.chatUrl}/transfer.json`, { auth: opts.auth, body: { transfer } });
        finish(label);
      } catch (err) {
        error.textContent = `Transfer failed: ${messageOf(err)}`;
      } finally {
        submit.disabled = false;
      }
    };
    form.addEventListener('submit', onSubmit);
    byId('transfer-cancel', HTMLButtonElement).addEventListener('click', onCancel);
    dialog.addEventListener('cancel', onCancel);
    toSkill.addEventListener('change', syncTarget);
    toAgent.addEventListener('change', syncTarget);
    dialog.showModal();
  });
}
