// The domain's composition root: every service is built here, once, with its dependencies
// named (design.md). Routes get the services (Domain) and call one operation each; the
// store, clock, ids and timers stay inside. server.ts builds the infrastructure around it.
import type { Clock, ManualClock } from '../clock.ts';
import type { Ids } from '../ids.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { ChatStore } from '../store/store.ts';
import { AgentDesk } from './agents/agent-desk.ts';
import { BotAgents } from './agents/bots.ts';
import { Administration } from './control/administration.ts';
import { Inspection } from './control/inspection.ts';
import { VirtualTime } from './control/virtual-time.ts';
import { DeskViews } from './agents/desk-view.ts';
import { AgentDirectory } from './agents/agent-directory.ts';
import { AgentPresence } from './agents/presence.ts';
import { ChatService } from './conversation/chat-service.ts';
import { ChatViews } from './conversation/chat-views.ts';
import { CustomVariables } from './conversation/custom-variables.ts';
import { Transcripts, type TranscriptSettings } from './conversation/transcripts.ts';
import { UrlEvents } from './conversation/url-events.ts';
import { VisitorAccess } from './conversation/visitor-access.ts';
import { Visits } from './conversation/visits.ts';
import { ChatTimeouts } from './core/chat-timeouts.ts';
import { ChatWriter } from './core/chat-writer.ts';
import { KeyedLock } from './core/keyed-lock.ts';
import { SharedSweep } from './core/shared-sweep.ts';
import { DeadlineScheduler, DRAIN_SLICE_MS, type TimerHost } from './core/timers.ts';
import { AccountTransfers } from './routing/account-transfer.ts';
import { CapacityReader } from './routing/capacity-reader.ts';
import { Router } from './routing/router.ts';
import { Transfers } from './routing/transfer.ts';
import { SurveyService } from './surveys/survey-service.ts';
import { DEFAULT_LOGIN_THROTTLE, LoginThrottle, type LoginThrottleSettings } from './agents/login-throttle.ts';
import { ChatGuard, DEFAULT_CHAT_LIMITS, type ChatLimits } from './core/chat-limits.ts';

export interface DomainSettings {
  /** Seconds a typing flag lasts unless renewed. */
  typingTimeout: number;
  /** Seconds an offer rings before the agent is set Away (agent API §3). */
  ringTimeout: number;
  /** Seconds without a request after which an agent session expires. */
  agentSessionTimeout: number;
  /** The From of transcript mails. */
  mailFrom: string;
  /**
   * With a shared store: how long a deadline waits for keep-alives other instances still hold
   * in memory, how often the store is swept for deadlines nobody here knows, and how overdue
   * a chat timeout must be before it is adopted (docs/architecture.md). Unused otherwise.
   */
  shared?: { graceMs: number; sweepMs: number; adoptAfterMs: number };
  /** What a chat may hold and take, and transcript limits (issue 11; docs/security.md); defaults if absent. */
  chatLimits?: ChatLimits;
  transcriptLimits?: Omit<TranscriptSettings, 'from'>;
  loginThrottle?: LoginThrottleSettings;
  /** Waiting chats per account before chat requests are refused (429). */
  maxWaitingChats?: number;
  /** Events one answer holds at most; the `next` link continues (issue 11, finding 3). */
  eventsPageSize?: number;
}

export interface DomainDeps {
  store: ChatStore;
  clock: Clock;
  ids: Ids;
  timerHost: TimerHost;
  mailer: Mailer | null;
  settings: DomainSettings;
  /** Told about failures of background work (timers); the domain has no logger of its own. */
  onBackgroundError: (err: unknown) => void;
  /** `--clock manual`: the same object as `clock`, moved only by the control plane (VirtualTime). */
  virtualClock?: ManualClock;
}

/** What the fronts (visitor API, agent API, web pages) call. */
export interface Domain {
  access: VisitorAccess;
  chats: ChatService;
  views: ChatViews;
  desk: AgentDesk;
  presence: AgentPresence;
  router: Router;
  directory: AgentDirectory;
  /** The console's serverchat extension: ringing previews and canned responses (issue 15). */
  deskViews: DeskViews;
  capacity: CapacityReader;
  surveys: SurveyService;
  transcripts: Transcripts;
  customVariables: CustomVariables;
  urlEvents: UrlEvents;
  transfers: Transfers;
  accountTransfers: AccountTransfers;
  visits: Visits;
  /** Scripted agents run inside the server (issue 13 §4). */
  bots: BotAgents;
  /** The control plane (src/api/control/): what the server holds, reset and provisioning. */
  inspection: Inspection;
  administration: Administration;
  /** The virtual clock; null unless the server runs on one (`--clock manual`). */
  time: VirtualTime | null;
}

export interface DomainRuntime {
  services: Domain;
  /** Arms every deadline from the store, fires those that passed while down, routes; starts the sweep. */
  start(): Promise<void>;
  stop(): void;
  /** Fires every deadline due now (tests move a ManualClock, then call this). */
  runDue(): Promise<void>;
  /** One shared-store sweep now (tests); a no-op for a store no other process shares. */
  sweep(): Promise<void>;
  /** Deadlines armed in this process (tests). */
  scheduler: DeadlineScheduler;
  /** Between a completed start() and stop(): the timers fire (the readiness probe reads it). */
  readonly running: boolean;
}

export function buildDomain(deps: DomainDeps): DomainRuntime {
  const { store, clock, ids, settings, onBackgroundError } = deps;
  const shared = store.shared ? settings.shared : undefined;
  // An in-process store (SQLite) writes inside the turn: chunks are sized so a turn stays short.
  const timeouts = new DeadlineScheduler(clock, deps.timerHost, { graceMs: shared?.graceMs ?? 0, ...(store.shared ? {} : { sliceMs: DRAIN_SLICE_MS }) });
  // One process's writers of a chat queue here; across processes the store's version check decides.
  const writer = new ChatWriter(store, clock, new KeyedLock(), timeouts, new ChatGuard(settings.chatLimits ?? DEFAULT_CHAT_LIMITS), onBackgroundError);
  const router = new Router({ store, writer, clock, timeouts, ringTimeout: settings.ringTimeout, onBackgroundError });
  const chatTimeouts = new ChatTimeouts({ store, clock, writer, timeouts, router, onBackgroundError });
  const presence = new AgentPresence({ store, clock, timeouts, router, writer, sessionTimeout: settings.agentSessionTimeout, onBackgroundError });
  const chats = new ChatService({ store, clock, ids, writer, router, timeouts, settings: { typingTimeout: settings.typingTimeout, maxWaitingChats: settings.maxWaitingChats ?? 1000, eventsPageSize: settings.eventsPageSize } });
  const views = new ChatViews({ store, clock, chats });
  const transfers = new Transfers({ store, clock, writer, router, chats });
  const bots = new BotAgents({ store, clock, timeouts, writer, router, chats, transfers, onBackgroundError });
  const services: Domain = {
    access: new VisitorAccess({ store, ids, clock }),
    chats,
    views,
    desk: new AgentDesk({ store, clock, ids, presence, throttle: new LoginThrottle(settings.loginThrottle ?? DEFAULT_LOGIN_THROTTLE) }),
    presence,
    router,
    directory: new AgentDirectory({ store, clock }),
    deskViews: new DeskViews({ store, clock, ringTimeout: settings.ringTimeout, ringing: (a, g) => router.ringing(a, g), agentChat: (a, c) => views.agentChat(a, c) }),
    capacity: new CapacityReader(store, clock),
    surveys: new SurveyService({ store, clock, ids, writer, chats, views }),
    transcripts: new Transcripts(chats, deps.mailer, { from: settings.mailFrom, ...settings.transcriptLimits }, clock),
    customVariables: new CustomVariables({ chats, writer }),
    urlEvents: new UrlEvents({ writer, clock }),
    transfers,
    accountTransfers: new AccountTransfers({ store, clock, writer, router }),
    visits: new Visits({ store, chats, views }),
    bots,
    inspection: new Inspection({ store, clock, bots, ringTimeout: settings.ringTimeout, agentSessionTimeout: settings.agentSessionTimeout }),
    administration: new Administration({ store, timeouts, writer, router, bots }),
    time: deps.virtualClock ? new VirtualTime({ clock: deps.virtualClock, timeouts, bots }) : null,
  };
  const sweep = shared
    ? new SharedSweep(
        clock,
        deps.timerHost,
        {
          armDueChats: (dueBy, limit) => chatTimeouts.armDue(dueBy, limit),
          armOthers: async () => {
            await router.armAll(true);
            await presence.armAll(true);
          },
          runDue: () => timeouts.runDue(),
        },
        shared,
        onBackgroundError,
      )
    : null;
  let running = false;
  return {
    services,
    scheduler: timeouts,
    get running() {
      return running;
    },
    async start() {
      // A shared store's open chats are armed where they are served, and adopted by the sweep
      // when overdue: no instance loads every deadline (docs/architecture.md).
      if (!shared) await chatTimeouts.armAll();
      await router.armAll();
      await presence.armAll();
      await timeouts.runDue();
      // Bots are Online from the start and take up what rings for them (agents/bots.ts).
      await bots.wake();
      await router.routeAll();
      sweep?.start();
      running = true;
    },
    stop() {
      running = false;
      sweep?.stop();
      timeouts.stop();
    },
    runDue: () => timeouts.runDue(),
    sweep: () => sweep?.sweep() ?? Promise.resolve(),
  };
}
