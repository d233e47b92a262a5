// The real Mailer: nodemailer's SMTP transport, built from the --smtp-url setting
// (smtp://host:port, smtps://user:pass@host:465). One pooled-free transport per app.
import nodemailer from 'nodemailer';
import { MailDeliveryError, type Mailer, type MailMessage } from './mailer.ts';

/** Bounded waits, so a dead mail server turns into an error rather than a hung request. */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as const;

export function smtpMailer(url: string): Mailer {
  const transport = nodemailer.createTransport({ url, ...TIMEOUTS });
  return {
    async send(m: MailMessage): Promise<void> {
      try {
        await transport.sendMail({ from: m.from, to: m.to, subject: m.subject, text: m.text, html: m.html });
      } catch (err) {
        // The URL may carry a password: say what failed, never echo the URL.
        const code = (err as { code?: unknown }).code;
        throw new MailDeliveryError(`${typeof code === 'string' ? `${code}: ` : ''}${(err as Error).message}`);
      }
    },
    async close(): Promise<void> {
      transport.close();
    },
  };
}
