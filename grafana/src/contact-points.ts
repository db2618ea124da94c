/**
 * Contact points (email, Slack, Discord, generic webhook) and the notification policy, as Grafana
 * alerting provisioning documents. Addresses and URLs are environment variables that Grafana
 * interpolates when it reads the provisioning file (`${VAR}`), so no secret is committed.
 */
import * as alerting from '@grafana/grafana-foundation-sdk/alerting';

/** Name of the contact point every audit alert goes to. */
export const CONTACT_POINT_NAME = 'orchestrator-audit';

/** Environment variables the contact points read (Grafana interpolates them at provisioning). */
export const CONTACT_POINT_ENV = {
  email: 'AUDIT_ALERT_EMAIL_ADDRESSES',
  slack: 'AUDIT_ALERT_SLACK_WEBHOOK_URL',
  discord: 'AUDIT_ALERT_DISCORD_WEBHOOK_URL',
  webhook: 'AUDIT_ALERT_WEBHOOK_URL',
} as const;

/** Repeat interval of notifications for a still-firing alert (the seed's 300 s cooldown). */
export const REPEAT_INTERVAL = '5m';

function env(name: string): string {
  return '${' + name + '}';
}

/** The four integrations of the contact point (foundation-SDK shape). */
export function contactPoints(): alerting.ContactPoint[] {
  return [
    new alerting.ContactPointBuilder()
      .uid('audit-email')
      .name(CONTACT_POINT_NAME)
      .type('email')
      .settings({ addresses: env(CONTACT_POINT_ENV.email), singleEmail: true })
      .disableResolveMessage(false)
      .build(),
    new alerting.ContactPointBuilder()
      .uid('audit-slack')
      .name(CONTACT_POINT_NAME)
      .type('slack')
      .settings({ url: env(CONTACT_POINT_ENV.slack) })
      .disableResolveMessage(false)
      .build(),
    new alerting.ContactPointBuilder()
      .uid('audit-discord')
      .name(CONTACT_POINT_NAME)
      .type('discord')
      .settings({ url: env(CONTACT_POINT_ENV.discord), use_discord_username: false })
      .disableResolveMessage(false)
      .build(),
    new alerting.ContactPointBuilder()
      .uid('audit-webhook')
      .name(CONTACT_POINT_NAME)
      .type('webhook')
      .settings({ url: env(CONTACT_POINT_ENV.webhook), httpMethod: 'POST' })
      .disableResolveMessage(false)
      .build(),
  ];
}

/** The root notification policy: everything to the audit contact point, repeated every 5 minutes. */
export function notificationPolicy(): alerting.NotificationPolicy {
  return new alerting.NotificationPolicyBuilder()
    .receiver(CONTACT_POINT_NAME)
    .groupBy(['grafana_folder', 'alertname'])
    .groupWait('30s')
    .groupInterval('5m')
    .repeatInterval(REPEAT_INTERVAL)
    .build();
}

/** `grafana/provisioning/alerting/contact-points.yaml`: contact point and policy documents. */
export function contactPointsProvisioning(): Record<string, unknown> {
  const receivers = contactPoints().map((c) => ({ uid: c.uid, type: c.type, settings: c.settings as Record<string, unknown>, disableResolveMessage: c.disableResolveMessage }));
  return {
    apiVersion: 1,
    contactPoints: [{ orgId: 1, name: CONTACT_POINT_NAME, receivers }],
    policies: [{ orgId: 1, ...notificationPolicy() }],
  };
}
