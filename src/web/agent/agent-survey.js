// The agent survey (disposition, agent API §4.22–4.23), offered when the agent ends a chat
// and the account or skill provisions one (no survey: 204, nothing shown). Skipping is allowed.
import { byId, call } from '../shared/api.js';
import { messageOf } from '../shared/dom.js';
import { renderSurvey } from '../shared/survey-form.js';

/**
 * @param {{ chatUrl: string, auth: string, visitorName: string }} opts
 * @returns {Promise<'sent' | 'skipped' | 'none'>}
 */
export async function offerAgentSurvey(opts) {
  const res = await call('GET', `${opts.chatUrl}/survey.json`, { auth: opts.auth }).catch(() => null);
  const survey = res && res.status === 200 ? res.body?.survey : null;
  if (!survey) return 'none';
  const dialog = byId('survey-dialog', HTMLDialogElement);
  const form = byId('survey-form', HTMLFormElement);
  const error = byId('survey-error', HTMLElement);
  byId('survey-visitor', HTMLElement).textContent = opts.visitorName;
  error.textContent = '';
  const read = renderSurvey(survey, byId('survey-questions', HTMLElement));
  return new Promise((resolve) => {
    const finish = (/** @type {'sent' | 'skipped'} */ result) => {
      form.removeEventListener('submit', onSubmit);
      byId('survey-skip', HTMLButtonElement).removeEventListener('click', onSkip);
      dialog.removeEventListener('cancel', onSkip);
      if (dialog.open) dialog.close();
      resolve(result);
    };
    const onSkip = (/** @type {Event} */ ev) => {
      ev.preventDefault();
      finish('skipped');
    };
    const onSubmit = async (/** @type {SubmitEvent} */ ev) => {
      ev.preventDefault();
      const answers = read();
      if (!answers.ok) return void (error.textContent = `Please answer: ${answers.missing.join(', ')}`);
      try {
        await call('PUT', `${opts.chatUrl}/survey.json`, { auth: opts.auth, body: answers.body });
        finish('sent');
      } catch (err) {
        error.textContent = `Not saved: ${messageOf(err)}`;
      }
    };
    form.addEventListener('submit', onSubmit);
    byId('survey-skip', HTMLButtonElement).addEventListener('click', onSkip);
    dialog.addEventListener('cancel', onSkip);
    dialog.showModal();
  });
}
