#!/usr/bin/env bash
# The script most Evolution API users write today instead of evoform: list the instances, then
# POST /instance/create for each one of the manifest that is missing, one at a time.
# It creates what is missing and nothing else (no updates, no deletes, no state).
#
#   EVOLUTION_API_URL=http://127.0.0.1:8080 EVOLUTION_API_KEY=... converge.sh MANIFEST.json
#
# MANIFEST.json is an evoform manifest in plain JSON (no comments): each entry of "instances"
# is sent as the create payload (v2 servers also get "integration": "WHATSAPP-BAILEYS").
set -euo pipefail
manifest="${1:?usage: converge.sh MANIFEST.json}"
url="${EVOLUTION_API_URL:?set EVOLUTION_API_URL}"
url="${url%/}"
key="${EVOLUTION_API_KEY:?set EVOLUTION_API_KEY}"

version=$(curl -sS --fail "$url/" | jq -r '.version // ""')
case "$version" in
    2.*) extra='{"integration":"WHATSAPP-BAILEYS"}' ;;
    *) extra='{}' ;;
esac

# v1 lists {"instance":{"instanceName":...}}, v2 lists {"name":...}.
existing=$(curl -sS --fail -H "apikey: $key" "$url/instance/fetchInstances" \
    | jq -c '[.[] | (.instance.instanceName? // .name? // empty)]')

created=0
while IFS= read -r payload; do
    [ -n "$payload" ] || continue
    curl -sS --fail -o /dev/null -X POST "$url/instance/create" \
        -H "apikey: $key" -H 'Content-Type: application/json' -d "$payload"
    created=$((created + 1))
done < <(jq -c --argjson existing "$existing" --argjson extra "$extra" '
    ($existing | map({(.): true}) | add // {}) as $have
    | .instances[] | select($have[.instanceName] | not) | . + $extra' "$manifest")
echo "created $created"
