// Plain JSON of the control plane (docs/testing.md): times as ISO 8601 on the server's clock.
import type { AgentSummary, ChatRecord, ChatSummary } from '../../chat/control/inspection.ts';
import type { ChatEvent } from '../../chat/core/types.ts';
import type { FaultRule } from './faults.ts';
import type { JournalEntry } from './journal.ts';

export const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : iso(ms));

export function chatSummary(s: ChatSummary): Record<string, unknown> {
  const c = s.chat;
  const agentNames = s.agentNames;
  return {
    id: c.id,
    accountId: s.accountId,
    state: c.state,
    skill: c.skillId === null ? null : { id: c.skillId, name: s.skillName },
    agent: c.agentId === null ? null : { id: c.agentId, name: agentNames.get(c.agentId) ?? null },
    ringingAgent: c.ringingAgentId === null ? null : { id: c.ringingAgentId, name: agentNames.get(c.ringingAgentId) ?? null },
    start: iso(c.startTime),
    lastUpdate: iso(c.lastUpdate),
    deadline: isoOrNull(s.deadline),
    end: isoOrNull(c.endTime),
  };
}

function event(e: ChatEvent): Record<string, unknown> {
  return { ...e, time: iso(e.time) };
}

export function chatRecord(r: ChatRecord): Record<string, unknown> {
  const c = r.chat;
  return {
    ...chatSummary(r),
    chatTimeout: c.chatTimeout,
    maxWaitTime: c.maxWaitTime ?? null,
    visitorId: c.visitorId,
    visitorName: c.visitorName,
    rtSessionId: c.rtSessionId,
    origin: c.origin,
    typing: r.typing,
    customVariables: c.customVariables ?? [],
    surveys: {
      preChat: c.preChatSurvey ? { ...c.preChatSurvey, time: iso(c.preChatSurvey.time) } : null,
      exit: c.exitSurvey ? { ...c.exitSurvey, time: iso(c.exitSurvey.time) } : null,
      agent: c.agentSurvey ? { ...c.agentSurvey, time: iso(c.agentSurvey.time) } : null,
    },
    events: r.events.map(event),
    nextEventId: c.nextEventId,
    timers: r.timers.map((t) => ({ ...t, due: iso(t.due) })),
  };
}

export function agentSummary(a: AgentSummary): Record<string, unknown> {
  return { ...a, sessions: a.sessions.map((s) => ({ id: s.id, created: iso(s.createdAt), lastSeen: iso(s.lastSeen), expires: iso(s.expires) })) };
}

export function faultRule(r: FaultRule): Record<string, unknown> {
  return { ...r, created: iso(r.created) };
}

export function journalEntry(e: JournalEntry): Record<string, unknown> {
  return { ...e, time: iso(e.time) };
}
