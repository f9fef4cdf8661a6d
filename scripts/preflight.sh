#!/usr/bin/env bash
# Checks, before `sam deploy`, what would otherwise fail late or leave the alarms unheard (docs/deployment.md):
#  1. the sam config's parameter_overrides name an AlarmEmail (template.yaml gives it no default);
#  2. API Gateway has a CloudWatch Logs role in this account and region (the stage's access log needs one),
#     unless this deploy creates it (CreateApiGatewayLoggingRole=true);
#  3. that role still exists.
# Usage: scripts/preflight.sh [SAMCONFIG]   (default samconfig.toml; the aws CLI's usual region and credentials)
# Exit 0: ready; 1: a problem, printed with its fix; 2: could not check the account (no aws CLI, no access).
set -uo pipefail
cd "$(dirname "$0")/.."
config=${1:-samconfig.toml}
problems=0

overrides=$(sed -n 's/^parameter_overrides *= *"\(.*\)"/\1/p' "$config" | head -n 1)
# The value a Key=Value pair of parameter_overrides gives, or nothing.
param() { printf '%s\n' $overrides | sed -n "s/^$1=//p" | tail -n 1; }

if [ -z "$(param AlarmEmail)" ]; then
  echo "preflight: $config sets no AlarmEmail, which the template requires (it has no default): add AlarmEmail=you@example.com to its parameter_overrides (or run sam deploy --guided, which saves it)" >&2
  problems=1
fi

if ! command -v aws >/dev/null 2>&1; then
  echo "preflight: no aws CLI, so the account was NOT checked" >&2
  exit 2
fi
if ! role=$(aws apigateway get-account --query cloudwatchRoleArn --output text 2>&1); then
  echo "preflight: could not read API Gateway's account settings, so the account was NOT checked: $role" >&2
  exit 2
fi
if [ -z "$role" ] || [ "$role" = None ]; then
  if [ "$(param CreateApiGatewayLoggingRole)" = true ]; then
    echo "preflight: API Gateway has no CloudWatch Logs role here yet; this deploy creates it (CreateApiGatewayLoggingRole=true)" >&2
  else
    echo "preflight: API Gateway has no CloudWatch Logs role in this account and region, so the stage's access log would fail the deploy: set CreateApiGatewayLoggingRole=true in $config's parameter_overrides for this deploy" >&2
    problems=1
  fi
elif ! missing=$(aws iam get-role --role-name "${role##*/}" --query Role.Arn --output text 2>&1); then
  if printf '%s' "$missing" | grep -q NoSuchEntity; then
    echo "preflight: API Gateway's CloudWatch Logs role $role no longer exists, so the deploy would fail: set CreateApiGatewayLoggingRole=true in $config's parameter_overrides, which sets a new one" >&2
    problems=1
  else
    echo "preflight: could not read the role $role, so it was NOT checked: $missing" >&2
    exit 2
  fi
fi

[ "$problems" -eq 0 ] && echo "preflight: ready to deploy" >&2
exit "$problems"
