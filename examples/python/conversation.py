#!/usr/bin/env python3
"""A short scripted conversation through the reference client; exits non-zero if the service
does not behave as docs/PROTOCOL.md says.

Usage: python3 examples/python/conversation.py [PATH/TO/backtalk]
(default: `backtalk` on PATH; .ci/run passes the debug build)
"""

import concurrent.futures
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from backtalk_client import BacktalkClient, ServiceError  # noqa: E402

failures = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        failures.append(what)


def first_line(reply):
    return reply["text"].split("\n")[0][:90]


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "backtalk"
    lost = []
    client = BacktalkClient([binary, "serve"], timeout=20.0, on_session_lost=lost.append)
    check(client.hello["protocol"].startswith("1."), f"hello: protocol {client.hello['protocol']}")

    session = "python-demo"
    reply = client.message(session, "make me a plan", region="uk")
    print("  bot:", first_line(reply))
    check(reply["session_status"] == "new", "a first message starts a new session")
    check(reply["awaiting"] == "location", "the intake asks where it hurts")
    reply = client.message(session, reply["options"][0])
    check(reply["session_status"] == "continued", "the next message continues it")
    check(reply["awaiting"] == "duration_days", "then asks how long")

    # A malformed line: the error has "id": null and still answers this request, by order.
    error = client.send_raw("this is not json")
    check(error["id"] is None and error["error"]["code"] == "invalid_json",
          "a null-id error answers the oldest pending request")

    # Four threads share the client: each reply still reaches the request it answers.
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        replies = list(pool.map(
            lambda i: client.message(f"python-load-{i % 10}", "is heat or ice better?"), range(200)))
    check(all(r["intent"] == "treatment.heat_cold" for r in replies),
          "200 requests from 4 threads, each answered")

    try:
        client.message(session, "x" * 9000)
        check(False, "an over-long text is refused")
    except ServiceError as e:
        check(e.code == "text_too_long", "an over-long text is refused: text_too_long")

    # The process dies; the client restarts it and reports the lost session.
    client.kill()
    reply = client.message(session, "2 weeks")
    check(client.restarts == 1, "the client restarted the service")
    check(reply["lost_session"] and lost == [session], "the lost session is reported")
    print("  bot:", first_line(reply))

    reply = client.message("python-crisis", "I want to kill myself", region="uk")
    escalation = reply["escalation"] or {}
    check(reply["escalate"], "an emergency sign escalates")
    check(escalation.get("number") == "999" and escalation.get("crisis_number") == "116123",
          "uk numbers, digits for tel: links")
    print("  bot:", first_line(reply))

    check(client.ping() >= 1, "ping counts live sessions")
    check(client.end(session)["closed"] is True, "end closes the session")
    client.close()

    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        sys.exit(1)
    print("python client: all checks passed")


if __name__ == "__main__":
    main()
