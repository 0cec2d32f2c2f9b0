#!/usr/bin/env python3
"""Benchmark input for `evoform validate`: a manifest of N instances (default 10,000), a third
basic, a third with a webhook, a third with Chatwoot, plus an env file setting every variable.

    python3 Benchmarks/validate-manifest.py /tmp/big.json 10000
    swift build -c release --scratch-path .build-release --product evoform
    hyperfine --warmup 3 -N '.build-release/release/evoform validate -f /tmp/big.json'
    bash -c 'source /tmp/big.json.env; hyperfine --warmup 3 -N ".build-release/release/evoform validate -f /tmp/big.json"'

Without the env file every token is an unset variable: validate succeeds with one warning per
instance. With it, there are no warnings (what plan sees).
"""
import sys

path = sys.argv[1] if len(sys.argv) > 1 else "/tmp/big.json"
count = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000

lines = [
    "{",
    "  // a generated fleet for benchmarks",
    '  "server": {"url": "${EVOLUTION_API_URL}", "apiKey": "${EVOLUTION_API_KEY}", "apiVersion": "auto"},',
    '  "defaults": {"qrcode": false, "reject_call": true, "msg_call": "No calls, please.",',
    '               "events": ["QRCODE_UPDATED", "MESSAGES_UPSERT", "CONNECTION_UPDATE"],',
    '               "chatwoot_url": "https://app.chatwoot.com", "chatwoot_token": "${CHATWOOT_TOKEN}", "chatwoot_sign_msg": true},',
    '  "instances": [',
]
entries = []
for i in range(count):
    name = f"inst{i:05d}"
    if i % 3 == 0:
        entries.append(f'    {{"instanceName": "{name}", "token": "${{TOKEN_{i}}}", "qrcode": true}}')
    elif i % 3 == 1:
        entries.append(
            f'    {{"instanceName": "{name}", "token": "${{TOKEN_{i}}}", "webhook": "https://hooks.example.com/{name}",'
            ' "webhookByEvents": false, "events": ["MESSAGES_UPSERT", "MESSAGES_UPDATE", "SEND_MESSAGE", "CONNECTION_UPDATE"]}'
        )
    else:
        entries.append(
            f'    {{"instanceName": "{name}", "token": "${{TOKEN_{i}}}", "chatwoot_account_id": {i + 1},'
            ' "chatwoot_reopen_conversation": true, "lifecycle": {"preventDestroy": true}}'
        )
lines.append(",\n".join(entries))
lines += ["  ]", "}"]
with open(path, "w") as manifest:
    manifest.write("\n".join(lines) + "\n")
with open(path + ".env", "w") as env:
    env.write("export EVOLUTION_API_URL=http://127.0.0.1:8080 EVOLUTION_API_KEY=benchmark-key CHATWOOT_TOKEN=cw\n")
    for i in range(count):
        env.write(f"export TOKEN_{i}=token-{i}\n")
print(f"wrote {path} ({count} instances) and {path}.env")
