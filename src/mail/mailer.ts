// The one outbound-mail port (spec §4.19 Send a Transcript): the domain hands a finished
// message to a Mailer; smtp.ts is the real one, tests may inject another.

export interface MailMessage {
  /** A bare address or `Name <address>`. */
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  /** Resolves once the mail server accepted the message; rejects with MailDeliveryError otherwise. */
  send(message: MailMessage): Promise<void>;
  close(): Promise<void>;
}

/** The mail server could not be reached, or refused the message. */
export class MailDeliveryError extends Error {}

// A deliberately plain address rule: dot-atom local part, a domain of DNS labels with at
// least one dot. No quoted local parts, comments, IP literals, spaces or line breaks, so a
// value can never smuggle extra headers or recipients into a message.
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function isEmailAddress(s: string): boolean {
  if (s.length > 254) return false;
  const at = s.lastIndexOf('@');
  if (at <= 0 || at > 64) return false;
  const local = s.slice(0, at);
  const labels = s.slice(at + 1).split('.');
  return LOCAL.test(local) && labels.length >= 2 && labels.every((l) => LABEL.test(l)) && /[A-Za-z]/.test(labels[labels.length - 1] ?? '');
}

/** `address` or `Display Name <address>` (the From setting). */
export function isMailbox(s: string): boolean {
  const m = /^([^<>\r\n"]*)<([^<>]+)>$/.exec(s.trim());
  if (!m) return isEmailAddress(s.trim());
  return isEmailAddress(m[2] ?? '');
}
