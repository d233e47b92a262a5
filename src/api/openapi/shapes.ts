// Response schemas of the API document (JSON form), built from a few shapes. The JSON codec
// writes attributes as `@name`, and a list of one as the element itself (codecs/json.ts), so
// lists are "one or many". Objects stay open (vendor clients ignore what they do not know,
// and so may ours): what is pinned is what clients read.
type Schema = Record<string, unknown>;

export const str = { type: 'string' } as const;
export const int = { type: 'integer' } as const;
/** Ids and counts travel as strings in the vendor's JSON (spec §6 #7), numbers in places. */
export const numOrStr = { type: ['string', 'number'] } as const;

export function oneOrMany(item: Schema): Schema {
  return { anyOf: [item, { type: 'array', items: item }] };
}

export function obj(properties: Record<string, Schema>, required: string[] = []): Schema {
  return { type: 'object', properties, ...(required.length ? { required } : {}) };
}

/** `{ key: inner }`: every vendor document has one top-level element. */
export function doc(key: string, inner: Schema): Schema {
  return obj({ [key]: inner }, [key]);
}

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

/** The shared components: links, events, errors, surveys. */
export const components: Record<string, Schema> = {
  Link: {
    anyOf: [obj({ '@href': { type: 'string', format: 'uri' }, '@rel': str }, ['@href', '@rel']), obj({ href: { type: 'string', format: 'uri' }, rel: str }, ['href', 'rel'])],
    description: 'An absolute link, in the documented order (spec §1.4); `href`/`rel` in the compatibility mode linkKeys "plain"',
  },
  Links: { ...oneOrMany(ref('Link')), description: 'One link, or several in the documented order' },
  Event: {
    ...obj(
      {
        '@id': { type: 'string', description: 'Per chat, never reused (spec §4.9)' },
        '@type': { type: 'string', enum: ['state', 'line', 'url', 'a2a-transfer'] },
        time: str,
        state: str,
        text: str,
        textType: str,
        by: str,
        source: str,
        subType: str,
        systemMessageId: numOrStr,
      },
      ['@id', '@type', 'time'],
    ),
    description: 'One chat event (spec §4.9)',
  },
  Events: obj({ link: ref('Links'), event: oneOrMany(ref('Event')) }, ['link']),
  ChatInfo: obj({ link: ref('Links'), state: str, chatSessionKey: str, startTime: str, lastUpdate: str, agentName: str, agentTyping: str, visitorName: str, visitorTyping: str, chatTimeout: numOrStr, skillName: str, skillId: numOrStr }, ['link', 'state']),
  Chat: obj({ link: ref('Links'), events: ref('Events'), info: ref('ChatInfo') }, ['link']),
  Survey: obj({ id: numOrStr, title: str, header: str, questions: obj({ question: oneOrMany(obj({ id: numOrStr, type: str, label: str, mandatory: { type: 'boolean' } }, ['id', 'type'])) }) }, ['id']),
  Location: obj({ link: ref('Link') }, ['link']),
  Error: doc(
    'error',
    // No `reason` in the Login Service's CSRF error, as its page prints it (errors.ts `form`).
    obj({ time: str, reason: str, message: str, internalCode: int, responseStatus: str }, ['time', 'message', 'internalCode', 'responseStatus']),
  ),
  Availability: doc('availability', obj({ chat: { type: 'string', enum: ['Online', 'Away', 'Occupied', 'Offline'] }, voice: str, chatReasonId: numOrStr }, ['chat'])),
};
