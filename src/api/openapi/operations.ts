// Every vendor operation in the API document: the vendor section it follows, who may call it,
// and what a success answers. Parameters and request bodies come from the routes' own schemas
// (@fastify/swagger reads them); this table adds what those do not say. A test fails when a
// route under /api/account has no entry here, or an entry no route.
import { doc, int, numOrStr, obj, oneOrMany, ref, str } from './shapes.ts';

type Schema = Record<string, unknown>;
/** Who may call: the app key (visitor), an agent bearer, or anyone (login, probes). */
export type Caller = 'visitor' | 'agent' | 'anyone';

export interface Operation {
  section: string;
  summary: string;
  caller: Caller;
  /** Success statuses: a JSON body's schema, or null for an empty body. */
  ok: Record<number, Schema | null>;
  /** JSON only, whatever is asked (the Login Service API, agent API §1.2). */
  jsonOnly?: boolean;
}

const A = '/api/account/:accountId';
const S = `${A}/agentSession/:sessionId`;
const SC = `${S}/chat/:chatId`;
const C = `${A}/chat/:chatId`;
const typing = { type: 'string', enum: ['typing', 'not-typing'] };
const survey = doc('survey', ref('Survey'));

export const operations: Record<string, Operation> = {
  // --- Domain API (spec §1.1) ---
  [`GET ${A}/service/:service/baseURI`]: { section: 'spec §1.1', summary: 'Domain API: the base URI of one service (this server)', caller: 'anyone', ok: { 200: obj({ service: str, account: str, baseURI: str }, ['service', 'account', 'baseURI']) } },
  [`GET ${A}/service/baseURI`]: { section: 'spec §1.1', summary: 'Domain API: the base URIs of every service (this server)', caller: 'anyone', ok: { 200: obj({ baseURIs: { type: 'array', items: obj({ service: str, account: str, baseURI: str }, ['service', 'account', 'baseURI']) } }, ['baseURIs']) } },

  // --- The JS SDK's rest2jsonp tunnel: answers JavaScript (a JSONP call), errors in JSON ---
  [`GET ${A}/js2rest`]: { section: 'spec §1.1 (JS SDK transport)', summary: 'rest2jsonp: a request tunnelled in a script tag (the account root)', caller: 'visitor', ok: { 200: null } },
  [`GET ${A}/js2rest/:kind`]: { section: 'spec §1.1 (JS SDK transport)', summary: 'rest2jsonp: a request tunnelled in a script tag (lpB; split with lpP, lpO, lpS)', caller: 'visitor', ok: { 200: null } },

  // --- Server Chat API (visitor side) ---
  [`GET ${A}`]: { section: 'spec §1.6', summary: 'The account root: links to its resources', caller: 'visitor', ok: { 200: doc('account', obj({ '@id': str, link: ref('Links') }, ['link'])) } },
  [`GET ${A}/chat/availability`]: { section: 'spec §4.1', summary: 'Retrieve Availability', caller: 'visitor', ok: { 200: doc('availability', { anyOf: [{ type: 'boolean' }, obj({ AvailabilityForSkills: obj({ skillAvailability: oneOrMany(obj({ skill: str, isAvailable: { type: 'boolean' } }, ['skill', 'isAvailable'])) }) }, ['AvailabilityForSkills'])] }) } },
  [`GET ${A}/chat/availableSlots`]: { section: 'spec §4.2', summary: 'Retrieve Available Slots', caller: 'visitor', ok: { 200: doc('availableSlots', int) } },
  [`GET ${A}/chat/estimatedWaitTime`]: { section: 'spec §4.3', summary: 'Retrieve Estimated Wait Time (seconds)', caller: 'visitor', ok: { 200: doc('estimatedWaitTime', int) } },
  [`GET ${A}/chat/preSurvey`]: { section: 'spec §4.4', summary: 'Retrieve Pre-Chat Survey', caller: 'visitor', ok: { 200: survey, 204: null } },
  [`GET ${A}/chat/offlineSurvey`]: { section: 'spec §4.5', summary: 'Retrieve Offline Survey', caller: 'visitor', ok: { 200: survey, 204: null } },
  [`PUT ${A}/chat/offlineSurvey`]: { section: 'spec §4.6', summary: 'Post Offline Survey', caller: 'visitor', ok: { 200: null } },
  [`POST ${A}/chat/request`]: { section: 'spec §4.7', summary: 'Start Chat: 201, the chat in Location', caller: 'visitor', ok: { 201: null } },
  [`POST ${A}/conversation`]: { section: 'spec §4.7b', summary: 'Visitor Authentication request', caller: 'visitor', ok: { 200: obj({ participantId: str, conversationId: str }, ['participantId', 'conversationId']) } },
  [`GET ${C}`]: { section: 'spec §4.8', summary: 'Retrieve Chat Resources, Events and Information', caller: 'visitor', ok: { 200: doc('chat', ref('Chat')) } },
  [`GET ${C}/events`]: { section: 'spec §4.9', summary: 'Retrieve Chat Events (from=N)', caller: 'visitor', ok: { 200: doc('events', ref('Events')) } },
  [`GET ${C}/events/:eventId`]: { section: 'spec §4.10', summary: 'One event (the Location of Add Line)', caller: 'visitor', ok: { 200: doc('event', ref('Event')) } },
  [`POST ${C}/events`]: { section: 'spec §4.10', summary: 'Add Lines / End Chat: 201, the event in Location', caller: 'visitor', ok: { 201: null } },
  [`GET ${C}/info`]: { section: 'spec §4.11', summary: 'Retrieve Chat Information (the keep-alive)', caller: 'visitor', ok: { 200: doc('info', ref('ChatInfo')) } },
  [`GET ${C}/info/visitorName`]: { section: 'spec §4.12', summary: "Retrieve the Visitor's Name", caller: 'visitor', ok: { 200: doc('visitorName', str) } },
  [`PUT ${C}/info/visitorName`]: { section: 'spec §4.13', summary: "Set the Visitor's Name", caller: 'visitor', ok: { 200: null } },
  [`GET ${C}/info/visitorTyping`]: { section: 'spec §4.14', summary: "Retrieve the Visitor's Typing Status", caller: 'visitor', ok: { 200: doc('visitorTyping', typing) } },
  [`PUT ${C}/info/visitorTyping`]: { section: 'spec §4.15', summary: "Set the Visitor's Typing Status", caller: 'visitor', ok: { 200: null } },
  [`GET ${C}/info/agentTyping`]: { section: 'spec §4.16', summary: "Retrieve the Agent's Typing Status", caller: 'visitor', ok: { 200: doc('agentTyping', typing) } },
  [`GET ${C}/exitSurvey`]: { section: 'spec §4.17', summary: 'Retrieve Exit Survey Structure', caller: 'visitor', ok: { 200: survey, 204: null } },
  [`PUT ${C}/exitSurvey`]: { section: 'spec §4.18', summary: 'Submit Exit Survey Data', caller: 'visitor', ok: { 200: null } },
  [`PUT ${C}/transcriptRequest`]: { section: 'spec §4.19', summary: 'Send a Transcript', caller: 'visitor', ok: { 200: null } },
  [`PUT ${C}/transcriptWithSubjectRequest`]: { section: 'spec §4.19', summary: 'Send a Transcript with a subject', caller: 'visitor', ok: { 200: null } },
  [`GET ${C}/customVariables`]: { section: 'spec §4.20', summary: 'Retrieve Custom Variables', caller: 'visitor', ok: { 200: doc('customVariables', obj({ customVariable: oneOrMany(obj({ name: str, value: str }, ['name'])) })) } },
  [`PUT ${C}/customVariables/:name`]: { section: 'spec §4.20', summary: 'Set one Custom Variable (the Android XML client: POST, one element holding the value)', caller: 'visitor', ok: { 200: null } },
  [`PUT ${C}/customVariables`]: { section: 'spec §4.20', summary: 'Set Custom Variables', caller: 'visitor', ok: { 200: null } },

  // --- Login Service API ---
  [`POST ${A}/login`]: {
    section: 'agent API §1.2',
    summary: 'Login: the bearer for the Chat Agent API',
    caller: 'anyone',
    jsonOnly: true,
    ok: { 200: obj({ bearer: str, csrf: str, wsuk: str, sessionTTl: str, config: obj({ loginName: str, userId: str }), csdsCollectionResponse: { type: 'object' }, accountData: { type: 'object' } }, ['bearer', 'csrf', 'config']) },
  },
  [`POST ${A}/refresh`]: { section: 'agent API §1.2', summary: 'Refresh the login', caller: 'agent', jsonOnly: true, ok: { 200: null } },
  [`POST ${A}/logout`]: { section: 'agent API §1.2', summary: 'Log out', caller: 'agent', jsonOnly: true, ok: { 200: null } },

  // --- Chat Agent API ---
  [`POST ${A}/agentSession`]: { section: 'agent API §4.1', summary: 'Start Agent Session: 201, the session in Location', caller: 'agent', ok: { 201: doc('agentSessionLocation', obj({ link: ref('Link'), agentSessionId: str }, ['link'])) } },
  [`GET ${S}`]: { section: 'agent API §4.1', summary: 'The agent session: links to its resources', caller: 'agent', ok: { 200: doc('agentSessionId', obj({ '@id': str, link: ref('Links') }, ['link'])) } },
  [`GET ${S}/availability`]: { section: 'agent API §4.2', summary: 'Retrieve Agent Availability', caller: 'agent', ok: { 200: ref('Availability') } },
  [`PUT ${S}/availability`]: { section: 'agent API §4.3', summary: 'Set Agent Availability', caller: 'agent', ok: { 200: ref('Availability') } },
  [`GET ${S}/availableAgents`]: { section: 'agent API §4.4', summary: 'Retrieve Available Agents', caller: 'agent', ok: { 200: doc('availableAgents', obj({ agents: obj({ agent: oneOrMany(obj({ '@id': str, '@chatState': str, nickname: str }, ['@id'])) }) })) } },
  [`GET ${S}/chat/availableSlots`]: { section: 'agent API §4.5', summary: 'Retrieve Available Slots', caller: 'agent', ok: { 200: doc('availableSlots', int) } },
  [`GET ${S}/info`]: { section: 'agent API §4.6', summary: 'Retrieve Agent Information', caller: 'agent', ok: { 200: doc('info', obj({ link: ref('Links'), id: str, loginName: str, agentName: str, maxChats: str, availability: { type: 'object' } }, ['id', 'loginName'])) } },
  [`GET ${S}/incomingRequests`]: { section: 'agent API §4.7', summary: 'Determine Incoming Chat Requests', caller: 'agent', ok: { 200: doc('incomingRequests', obj({ ringingCount: str, link: ref('Links') }, ['ringingCount'])) } },
  [`POST ${S}/incomingRequests`]: { section: 'agent API §4.8', summary: 'Accept a Chat: 201, the chat in Location', caller: 'agent', ok: { 201: doc('chatLocation', ref('Location')) } },
  [`GET ${S}/chatSessions`]: { section: 'agent API §4.9', summary: 'Retrieve Chat Sessions', caller: 'agent', ok: { 200: doc('chatSessions', { type: 'object' }) } },
  [`GET ${S}/chat`]: { section: 'agent API §4.11', summary: 'Retrieve Data for Multiple Chats', caller: 'agent', ok: { 200: doc('chats', obj({ chat: oneOrMany({ type: 'object' }) })) } },
  [`GET ${SC}`]: { section: 'agent API §4.10', summary: 'Retrieve Chat Resources, Events and Information', caller: 'agent', ok: { 200: doc('chat', ref('Chat')) } },
  [`GET ${SC}/events`]: { section: 'agent API §4.12', summary: 'Retrieve Chat Events', caller: 'agent', ok: { 200: doc('events', ref('Events')) } },
  [`GET ${SC}/events/:eventId`]: { section: 'agent API §4.13', summary: 'One event (the Location of Send Line)', caller: 'agent', ok: { 200: doc('event', ref('Event')) } },
  [`POST ${SC}/events`]: {
    section: 'agent API §4.13, §4.14',
    summary: 'Send Lines / End Chat: 201',
    caller: 'agent',
    ok: { 201: { anyOf: [doc('chatEventLocation', ref('Location')), doc('chatLocation', ref('Location'))] } },
  },
  [`GET ${SC}/info`]: { section: 'agent API §4.15', summary: 'Retrieve Chat Information', caller: 'agent', ok: { 200: doc('info', ref('ChatInfo')) } },
  [`GET ${SC}/info/visitorName`]: { section: 'agent API §4.16', summary: "Retrieve the Visitor's Name", caller: 'agent', ok: { 200: doc('visitorName', str) } },
  [`GET ${SC}/info/visitorTyping`]: { section: 'agent API §4.17', summary: "Retrieve the Visitor's Typing Status", caller: 'agent', ok: { 200: doc('visitorTyping', typing) } },
  [`GET ${SC}/info/agentTyping`]: { section: 'agent API §4.18', summary: "Retrieve the Agent's Typing Status", caller: 'agent', ok: { 200: doc('agentTyping', typing) } },
  [`PUT ${SC}/info/agentTyping`]: { section: 'agent API §4.19', summary: "Set the Agent's Typing Status", caller: 'agent', ok: { 200: null } },
  [`GET ${SC}/transfer`]: { section: 'agent API §4.20', summary: 'Retrieve Available Skills for a transfer', caller: 'agent', ok: { 200: doc('transfer', obj({ skill: oneOrMany(obj({ id: numOrStr, name: str, onlineAgents: numOrStr }, ['id', 'name'])) })) } },
  [`POST ${SC}/transfer`]: { section: 'agent API §4.21', summary: 'Transfer a Chat', caller: 'agent', ok: { 200: null } },
  [`POST ${SC}/transferAccount`]: { section: 'agent API (chat link transfer-account)', summary: 'Transfer a Chat to another account', caller: 'agent', ok: { 200: null } },
  [`GET ${SC}/survey`]: { section: 'agent API §4.22', summary: 'Retrieve Agent Survey Structure', caller: 'agent', ok: { 200: survey, 204: null } },
  [`PUT ${SC}/survey`]: { section: 'agent API §4.23', summary: 'Submit Agent Survey Data', caller: 'agent', ok: { 200: null } },
  [`GET ${SC}/collaborationChannels`]: { section: 'agent API §4.10 (link collaboration-channels)', summary: 'Collaboration channels (none)', caller: 'agent', ok: { 200: doc('collaborationChannels', obj({ link: ref('Links') })) } },
  [`GET ${S}/participantExtendedInfo/:participantId`]: { section: 'agent API §4.24', summary: 'Retrieve Participant Info', caller: 'agent', ok: { 200: obj({ authenticatedParticipantInfo: obj({ isUserAuthenticated: { type: 'boolean' }, participantId: str, customerId: numOrStr, registrationDate: obj({ year: int, month: int, day: int }), lastPaymentDate: obj({ year: int, month: int, day: int }) }, ['isUserAuthenticated']), authenticatedPersonalInfo: obj({ name: str, surname: str, contacts: { type: 'array', items: obj({ email: str, phone: str }) } }) }, ['authenticatedParticipantInfo']) } },
  [`GET ${S}/visits/visit/:visitId`]: { section: 'agent API §2 (Visit)', summary: "The visit: the visitor's pages and data", caller: 'agent', ok: { 200: doc('visit', obj({ link: ref('Links'), id: str, chatSessionKey: str }, ['id'])) } },
  // --- serverchat extensions (not vendor resources; docs/compatibility.md "Serverchat extensions") ---
  [`GET ${S}/serverchat/desk`]: {
    section: 'serverchat extension (issue 15)',
    summary: 'The console desk: previews of the chats ringing for this agent, and the account\'s canned responses',
    caller: 'agent',
    ok: {
      200: doc(
        'desk',
        obj(
          {
            time: str,
            ringTimeout: int,
            ringing: oneOrMany(obj({ chatId: str, visitorName: str, skillName: str, question: str, queuedAt: str, ringsUntil: str }, ['chatId', 'queuedAt'])),
            cannedResponses: oneOrMany(obj({ shortcut: str, text: str }, ['shortcut', 'text'])),
          },
          ['time', 'ringTimeout'],
        ),
      ),
    },
  },
  [`GET ${SC}/serverchat/previousChats`]: {
    section: 'serverchat extension (issue 15)',
    summary: "The visitor's earlier chats (same visitorId), newest first",
    caller: 'agent',
    ok: { 200: doc('previousChats', obj({ chat: oneOrMany(obj({ chatId: str, state: str, startTime: str, endTime: str, skillName: str, agentName: str, visitorName: str }, ['chatId', 'state', 'startTime'])) })) },
  },
  [`GET ${S}/visits/visit/:visitId/customVariables`]: { section: 'agent API §2 (Visit)', summary: "The visitor's custom variables", caller: 'agent', ok: { 200: doc('customVariables', obj({ customVariable: oneOrMany(obj({ name: str, value: str }, ['name'])) })) } },
};
