/** Email alerts over SMTP with nodemailer (loaded at the first alert, not when the SDK is imported). */
import type { Transporter } from 'nodemailer';
import type { Alert } from '../alert.js';
import type { EmailAlertConfig } from '../alert-config.js';
import type { AlertChannel } from './channel.js';
import { asError } from '../../events/error-text.js';

/** An SMTP channel; one pooled-less transport reused for every alert. */
export function emailChannel(config: EmailAlertConfig, timeoutMs: number): AlertChannel {
  if (config.to.length === 0) throw new TypeError('emailConfig.to must name at least one recipient');
  const transportOptions = {
    host: config.host,
    port: config.port,
    secure: config.secure ?? false,
    ...(config.auth ? { auth: { user: config.auth.user, pass: config.auth.pass } } : {}),
    ...(config.ignoreTLS !== undefined ? { ignoreTLS: config.ignoreTLS } : {}),
    ...(config.tls ? { tls: { ...config.tls } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  };
  let transport: Promise<Transporter> | undefined;
  const prefix = config.subjectPrefix ?? '[audit]';
  return {
    name: 'email',
    async send(alert: Alert, signal: AbortSignal): Promise<void> {
      transport ??= import('nodemailer').then((m) => m.default.createTransport(transportOptions));
      const sending = (await transport).sendMail({
        from: config.from,
        to: [...config.to],
        subject: `${prefix} ${alert.title}`,
        text: alert.text,
      });
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => reject(asError(signal.reason ?? 'aborted'));
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        sending.then(
          (info: { accepted?: unknown[]; rejected?: unknown[] }) => {
            signal.removeEventListener('abort', onAbort);
            // nodemailer resolves when at least one recipient was accepted: the others did not get it
            const refused = info.rejected?.length ?? 0;
            if (refused > 0)
              return reject(
                new Error(`SMTP: ${refused} of ${refused + (info.accepted?.length ?? 0)} recipient(s) refused`),
              );
            resolve();
          },
          (err: unknown) => {
            signal.removeEventListener('abort', onAbort);
            reject(asError(err));
          },
        );
      });
    },
    close(): void {
      void transport?.then((t) => t.close()).catch(() => undefined);
    },
  };
}
