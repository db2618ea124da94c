/**
 * Checks of a URL that audit data is POSTed to (webhooks, alert channels), done when it is
 * configured so that a bad one fails at set-up instead of at every delivery.
 */

/**
 * The parsed `url`; throws `TypeError` when it is not a URL, is not http(s), or carries
 * credentials (`user:pass@`, which fetch refuses: send them as headers). `what` names it in the
 * message, e.g. `webhook` or `slack`.
 */
export function httpTargetUrl(url: string, what: string): URL {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new TypeError(`${what} URL must be http or https, got ${parsed.protocol}`);
  if (parsed.username !== '' || parsed.password !== '') {
    throw new TypeError(
      `${what} URL must not include credentials (${parsed.origin}): fetch refuses them; send them as headers`,
    );
  }
  return parsed;
}
