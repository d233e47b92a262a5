// Events (spec §4.9): @id as a string, `line` and `state` fields in the documented order.
import type { ChatEvent } from '../../chat/types.ts';
import type { Tree } from '../codecs/tree.ts';
import { defaultVisitorName, type Side } from './info.ts';
import { link } from './links.ts';
import { formatTime } from './time.ts';

export function eventTree(e: ChatEvent, side: Side): Tree {
  if (e.type === 'state') return { '@id': String(e.id), '@type': 'state', time: formatTime(e.time), state: e.state };
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
    json: e.json === undefined ? undefined : JSON.stringify(e.json),
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
