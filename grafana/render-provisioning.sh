#!/bin/sh
# Renders Grafana's provisioning directory when the Grafana container starts (docker-compose.yml
# runs it as the entrypoint, then the image's own /run.sh):
#   1. copies the committed provisioning files (datasources, dashboards provider, alert rules) from
#      $AUDIT_PROVISIONING_SOURCE to $GF_PATHS_PROVISIONING;
#   2. writes alerting/contact-points.yaml with one receiver per integration whose settings are all
#      non-empty in the environment (each template in $AUDIT_CONTACT_POINT_TEMPLATES/receivers names
#      them on its "# requires:" line), and the notification policy that routes to it. With no
#      integration configured no contact point and no policy are written: Grafana keeps its own
#      default policy, and never receives an integration with an empty required setting.
# The templates keep ${VAR} references: Grafana itself substitutes the values when it reads the file,
# so no value is ever parsed or quoted by this script. POSIX sh (the Grafana image has no bash).
set -eu
src="${AUDIT_PROVISIONING_SOURCE:?AUDIT_PROVISIONING_SOURCE is not set}"
templates="${AUDIT_CONTACT_POINT_TEMPLATES:?AUDIT_CONTACT_POINT_TEMPLATES is not set}"
out="${GF_PATHS_PROVISIONING:?GF_PATHS_PROVISIONING is not set}"

say() { printf '[audit provisioning] %s\n' "$*" >&2; }

case "$out" in /|/etc|/etc/grafana|/usr|/var|/var/lib/grafana) say "refusing to replace $out"; exit 1 ;; esac
rm -rf "$out"
mkdir -p "$out"
cp -R "$src"/. "$out"/
rm -f "$out/alerting/contact-points.yaml"
mkdir -p "$out/alerting"

# is_set NAME: true when the variable NAME holds something besides blanks.
is_set() {
  case "$1" in *[!A-Z0-9_]* | '') say "bad variable name in a template: $1"; exit 1 ;; esac
  eval "value=\${$1:-}"
  # shellcheck disable=SC2154 # value is set by eval
  [ -n "$(printf '%s' "$value" | tr -d ' \t\r\n')" ]
}

receivers=""
names=""
for template in "$templates"/receivers/*.yaml; do
  [ -f "$template" ] || continue
  required="$(sed -n 's/^# requires: *//p' "$template")"
  [ -n "$required" ] || { say "$template has no '# requires:' line"; exit 1; }
  complete=1
  for name in $required; do is_set "$name" || complete=0; done
  integration="$(basename "$template" .yaml)"
  if [ "$complete" = 1 ]; then
    receivers="$receivers$(grep -v '^#' "$template")
"
    names="$names $integration"
  else
    say "contact point integration '$integration' not configured (needs: $required)"
  fi
done

if [ -n "$names" ]; then
  {
    grep -v '^#' "$templates/contact-point-head.yaml"
    printf '%s' "$receivers"
    grep -v '^#' "$templates/policy.yaml"
  } >"$out/alerting/contact-points.yaml"
  say "contact point integrations:$names"
else
  say "no contact point integration configured: alerts are visible in Grafana only"
fi

[ "$#" -eq 0 ] || exec "$@"
