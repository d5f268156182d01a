#!/usr/bin/env bash
# Grants Resolve's managed identity the one Microsoft Graph application permission that Entra
# holds for it: User.ReadBasic.All (names and mail addresses of the authority's people, for the
# admin pages). Mail.ReadWrite, Mail.Send, Calendars.ReadWrite and MailboxSettings.Read are NOT granted here:
# Exchange RBAC for Applications grants them, limited to the sender mailbox and to the authority's
# people (docs/deploy.md, step 6). A tenant-wide Entra grant of those would undo that limit.
#
# Run by a Privileged Role Administrator (or Global Administrator), signed in with `az login`:
#   infra/entra/grant-graph-permissions.sh env/.env.dev
# Safe to repeat: a permission already granted is left as it is.
set -euo pipefail

env_file="${1:?usage: $0 env/.env.<environment>}"
principal="$(grep -E '^MANAGED_IDENTITY_PRINCIPAL_ID=' "$env_file" | cut -d= -f2-)"
[ -n "$principal" ] || { echo "MANAGED_IDENTITY_PRINCIPAL_ID is empty in $env_file: run atk provision first." >&2; exit 1; }

GRAPH_APP_ID="00000003-0000-0000-c000-000000000000"
graph_sp="$(az ad sp show --id "$GRAPH_APP_ID" --query id -o tsv)"
granted="$(az rest --method GET --uri "https://graph.microsoft.com/v1.0/servicePrincipals/$principal/appRoleAssignments" --query "value[].appRoleId" -o tsv)"

for permission in User.ReadBasic.All; do
  role="$(az ad sp show --id "$GRAPH_APP_ID" --query "appRoles[?value=='$permission'].id | [0]" -o tsv)"
  if grep -qx "$role" <<<"$granted"; then
    echo "$permission: already granted"
    continue
  fi
  az rest --method POST --uri "https://graph.microsoft.com/v1.0/servicePrincipals/$principal/appRoleAssignments" \
    --headers "Content-Type=application/json" \
    --body "{\"principalId\":\"$principal\",\"resourceId\":\"$graph_sp\",\"appRoleId\":\"$role\"}" >/dev/null
  echo "$permission: granted"
done
