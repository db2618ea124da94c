/** Email alerts over SMTP with nodemailer. */
import nodemailer from 'nodemailer';
import type { Alert } from '../alert.js';
import type { EmailAlertConfig } from '../alert-config.js';
import type { AlertChannel } from './channel.js';

/** An SMTP channel; one pooled-less transport reused for every alert. */
export function emailChannel(config: EmailAlertConfig, timeoutMs: number): AlertChannel {
  if (config.to.length === 0) throw new TypeError('emailConfig.to must name at least one recipient');
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure ?? false,
    ...(config.auth ? { auth: { user: config.auth.user, pass: config.auth.pass } } : {}),
    ...(config.ignoreTLS !== undefined ? { ignoreTLS: config.ignoreTLS } : {}),
    ...(config.tls ? { tls: { ...config.tls } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  const prefix = config.subjectPrefix ?? '[audit]';
  return {
    name: 'email',
    async send(alert: Alert, signal: AbortSignal): Promise<void> {
      const sending = transport.sendMail({
        from: config.from,
        to: [...config.to],
        subject: `${prefix} ${alert.title}`,
        text: alert.text,
      });
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        sending.then(
          () => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          },
          (err: unknown) => {
            signal.removeEventListener('abort', onAbort);
            reject(err instanceof Error ? err : new Error(String(err)));
          },
        );
      });
    },
    close(): void {
      transport.close();
    },
  };
}
