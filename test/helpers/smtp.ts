// A real SMTP server on loopback (smtp-server, port 0, no TLS, any or no login) that keeps
// every message it receives, parsed with mailparser. For tests of Send a Transcript.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink {
  /** smtp://127.0.0.1:PORT, for --smtp-url / testApp({ smtpUrl }). */
  url: string;
  /** Every message received so far, in order. */
  messages: ParsedMail[];
  /** Envelope recipients of each message, same order as `messages`. */
  recipients: string[][];
  /** The next message not yet taken by waitForMessage (waits up to `timeoutMs`). */
  waitForMessage(timeoutMs?: number): Promise<ParsedMail>;
  close(): Promise<void>;
}

export interface SmtpSinkOptions {
  /** Answer every message with this SMTP error instead of accepting it (e.g. 550 for a refused recipient). */
  rejectWith?: { code: number; message: string };
}

export async function startSmtpSink(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  const recipients: string[][] = [];
  const waiters: Array<() => void> = [];
  let taken = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth: (_auth, _session, cb) => cb(null, { user: 'test' }),
    onData(stream, session, cb) {
      simpleParser(stream)
        .then((mail) => {
          if (opts.rejectWith) {
            const err = Object.assign(new Error(opts.rejectWith.message), { responseCode: opts.rejectWith.code });
            cb(err);
            return;
          }
          messages.push(mail);
          recipients.push(session.envelope.rcptTo.map((r) => r.address));
          cb();
          for (const w of waiters.splice(0)) w();
        })
        .catch((err: Error) => cb(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    recipients,
    async waitForMessage(timeoutMs = 5000): Promise<ParsedMail> {
      const deadline = Date.now() + timeoutMs;
      while (messages.length <= taken) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no SMTP message arrived within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      return messages[taken++] as ParsedMail;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
