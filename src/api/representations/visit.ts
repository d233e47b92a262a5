// The visit resource (agent spec §2 "Visit", §4.10 `visit-id`) and the chat's collaboration
// channels (§4.10 `collaboration-channels`, undocumented). Field names are ours where the
// spec names none; shapes recorded in docs/compatibility.md "Visit and collaboration channels".
import type { Visit, VisitSurvey } from '../../chat/conversation/visits.ts';
import type { Doc, Tree } from '../codecs/tree.ts';
import { link } from './links.ts';
import { formatTime } from './time.ts';

/** A kept submission in the shape the visitor sent it (`id`, `question[{id, answer}]`), plus time and labels. */
function surveyTree(s: VisitSurvey | null): Tree | undefined {
  if (!s) return undefined;
  return {
    id: s.surveyId,
    title: s.title,
    time: formatTime(s.time),
    question: s.answers.map((a) => ({ id: a.questionId, label: a.label, answer: a.values })),
  };
}

export function visitDoc(visitUrl: string, v: Visit): Doc {
  return {
    visit: {
      link: [link(visitUrl, 'self'), link(`${visitUrl}/customVariables`, 'custom-variables')],
      id: v.id,
      chatSessionKey: v.chat.id,
      visitorId: v.chat.visitorId,
      startTime: formatTime(v.chat.startTime),
      pages: { page: v.pages.map((p) => ({ url: p.url, time: formatTime(p.time) })) },
      preChatSurvey: surveyTree(v.preChatSurvey),
      exitSurvey: surveyTree(v.exitSurvey),
    },
  };
}

/** No co-browse or voice channels exist in serverchat: the element with its self link and no `collaborationChannel`. */
export function collaborationChannelsDoc(url: string): Doc {
  return { collaborationChannels: { link: [link(url, 'self')] } };
}
