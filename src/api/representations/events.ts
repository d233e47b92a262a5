// Events (spec §4.9): @id as a string, `line` and `state` fields in the documented order;
// `url` and `a2a-transfer` as recorded in docs/compatibility.md.
import type { A2aTransferEvent, ChatEvent, UrlEvent } from '../../chat/core/types.ts';
import { EmbeddedJson, type Tree } from '../codecs/tree.ts';
import { defaultVisitorName, type Side } from './info.ts';
import { link } from './links.ts';
import { formatTime } from './time.ts';

export function eventTree(e: ChatEvent, side: Side): Tree {
  if (e.type === 'state') return { '@id': String(e.id), '@type': 'state', time: formatTime(e.time), state: e.state };
  if (e.type === 'url') return urlEventTree(e, side);
  if (e.type === 'a2a-transfer') return a2aTransferTree(e);
  return {
    '@id': String(e.id),
    '@type': 'line',
    time: formatTime(e.time),
    textType: e.textType,
    text: e.text,
    by: e.by ?? defaultVisitorName[side],
    source: e.source,
    systemMessageId: e.systemMessageId,
    subType: e.subType,
    // The documented form (agent API §4.13): the template as JSON in JSON, its JSON text in XML.
    json: e.json === undefined ? undefined : new EmbeddedJson(e.json),
  };
}

/** A `url` event (spec §4.9 names the type only; fields ours, compatibility.md). */
function urlEventTree(e: UrlEvent, side: Side): Tree {
  return { '@id': String(e.id), '@type': 'url', time: formatTime(e.time), url: e.url, by: e.by ?? defaultVisitorName[side], source: e.source };
}

/** Account ids travel as JSON numbers in the vendor's example when they are numeric. */
const numeric = (id: string): string | number => (/^\d{1,15}$/.test(id) ? Number(id) : id);

/** An `a2a-transfer` event (spec §4.9, §4.21): what to post as Start Chat to which account. */
function a2aTransferTree(e: A2aTransferEvent): Tree {
  return {
    '@id': String(e.id),
    '@type': 'a2a-transfer',
    time: formatTime(e.time),
    link: link(`${e.scheme}://${e.domain}/api/account/${encodeURIComponent(e.remoteSiteId)}/chat/request`, 'a2a-transfer'),
    chatRequestParameters: {
      a2aEventId: e.a2aEventId,
      a2aSourceSessionId: e.a2aSourceSessionId,
      a2aSourceSiteId: numeric(e.a2aSourceSiteId),
      skill: e.skill,
    },
    domain: e.domain,
    remoteSiteId: numeric(e.remoteSiteId),
  };
}

/** The events object: links self and next (`from` = the id the next event will get). */
export function eventsTree(eventsUrl: string, events: ChatEvent[], nextFrom: number, side: Side): Tree {
  return {
    link: [link(eventsUrl, 'self'), link(`${eventsUrl}?from=${nextFrom}`, 'next')],
    // An empty poll carries no `event` key at all: the JS SDK reads that as "nothing new".
    event: events.map((e) => eventTree(e, side)),
  };
}
