#!/usr/bin/env python3
"""Usage: tools/run-heldout-conversations.py BINARY CONVERSATIONS.jsonl OUT.jsonl

Runs every held-out conversation through `backtalk serve` (one session each) and writes the
replies beside the criteria, for a reader to grade turn by turn."""
import json, subprocess, sys
binary, src, out = sys.argv[1], sys.argv[2], sys.argv[3]
convos = [json.loads(l) for l in open(src)]
lines = []
for c in convos:
    for k, t in enumerate(c["turns"]):
        request = {"id": f"{c['id']}#{k}", "session": c["id"], "text": t["user"]}
        # A conversation may name the region its front end would set ("uk", "au").
        if k == 0 and c.get("region"):
            request["region"] = c["region"]
        lines.append(json.dumps(request))
p = subprocess.run([binary, "serve", "--threads", "1"], input="\n".join(lines) + "\n",
                   capture_output=True, text=True, check=True)
replies = {}
for l in p.stdout.splitlines():
    r = json.loads(l)
    replies[r["id"]] = r
with open(out, "w") as f:
    for c in convos:
        turns = []
        for k, t in enumerate(c["turns"]):
            r = replies[f"{c['id']}#{k}"]
            turns.append({**t, "reply": {key: r.get(key) for key in
                ["text", "intent", "facet", "kind", "awaiting", "options", "sources", "escalation", "confidence"]}})
        f.write(json.dumps({"id": c["id"], "title": c.get("title"), "turns": turns}) + "\n")
print("wrote", out, sum(len(c["turns"]) for c in convos), "turns")
