// The chat resource (spec §4.8 visitor side; agent API §4.10): links in the documented
// order (clients read them by position), then events, then info.
import type { ChatEvent } from '../../chat/core/types.ts';
import type { Doc } from '../codecs/tree.ts';
import { eventsTree } from './events.ts';
import { infoTree, type InfoView } from './info.ts';
import { link } from './links.ts';

/** `next`: where the following page of events starts (chat-service.ts eventsPage). */
export function visitorChatDoc(chatUrl: string, view: InfoView, events: ChatEvent[], next: number): Doc {
  return {
    chat: {
      link: [
        link(chatUrl, 'self'),
        link(`${chatUrl}/events`, 'events'),
        link(`${chatUrl}/info`, 'info'),
        link(`${chatUrl}?from=${next}`, 'next'),
        link(`${chatUrl}/transcriptRequest`, 'transcript-request'),
        link(`${chatUrl}/transcriptWithSubjectRequest`, 'transcript-with-subject-request'),
        link(`${chatUrl}/exitSurvey`, 'exit-survey'),
        link(`${chatUrl}/customVariables`, 'custom-variables'),
      ],
      events: eventsTree(`${chatUrl}/events`, events, next, 'visitor'),
      info: infoTree(`${chatUrl}/info`, view, 'visitor'),
    },
  };
}

/** `visitUrl`: the chat's visit resource (Urls.agentVisit), the target of `visit-id`. */
export function agentChatDoc(chatUrl: string, visitUrl: string, view: InfoView, events: ChatEvent[], next: number): Doc {
  return {
    chat: {
      link: [
        link(chatUrl, 'self'),
        link(`${chatUrl}/events`, 'events'),
        link(`${chatUrl}/info`, 'info'),
        link(`${chatUrl}?from=${next}`, 'next'),
        link(`${chatUrl}/collaborationChannels`, 'collaboration-channels'),
        link(visitUrl, 'visit-id'),
        link(`${chatUrl}/transfer`, 'transfer'),
        link(`${chatUrl}/transferAccount`, 'transfer-account'),
        link(`${chatUrl}/survey`, 'agent-survey'),
      ],
      events: eventsTree(`${chatUrl}/events`, events, next, 'agent'),
      info: infoTree(`${chatUrl}/info`, view, 'agent'),
    },
  };
}
