#!/usr/bin/env python3
"""Load and abuse checks for `backtalk web`, over loopback only, bounded in count and time.

    python3 tools/web-load.py [--binary .build/release/backtalk] [--connections 200]
                              [--messages 20] [--abuse-only | --load-only]

Starts `backtalk web --port 0` (or uses --url ws://127.0.0.1:PORT/ws), then:

  load   N connections at once, each sending M messages in one burst (its own session) and
         reading M replies: every reply must come back in order, with no error. Reports the
         time taken, reply latency percentiles and the server's peak memory (VmHWM).
  abuse  while one well-behaved connection chats every 50 ms, other connections send a
         malformed frame, bytes that are not UTF-8, a 100 KB message, a broken frame sequence
         and a flood of 500 messages; a page from another origin and a foreign Host header try
         the handshake. Each must get serve's error reply, a close, or a refusal, and the
         well-behaved connection must get every reply, in order, with no error.

Standard library only. The last line reads "web-load: N passed, M failed".
"""

import argparse
import asyncio
import base64
import ipaddress
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

TIME_LIMIT = 120  # seconds for the whole run, whatever happens


class WebSocket:
    """A minimal RFC 6455 client: masked frames out, unmasked frames in."""

    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer

    @staticmethod
    async def handshake(host, port, path="/ws", origin=None, host_header=None):
        reader, writer = await asyncio.open_connection(host, port)
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [f"GET {path} HTTP/1.1", f"Host: {host_header or f'{host}:{port}'}",
                 "Upgrade: websocket", "Connection: Upgrade", f"Sec-WebSocket-Key: {key}",
                 "Sec-WebSocket-Version: 13"]
        if origin:
            lines.append(f"Origin: {origin}")
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        await writer.drain()
        status = await reader.readline()
        while (await reader.readline()) not in (b"\r\n", b""):
            pass
        code = int(status.split()[1]) if len(status.split()) > 1 else 0
        return code, WebSocket(reader, writer)

    def send_frame(self, opcode, payload, fin=True):
        mask = os.urandom(4)
        head = bytes([(0x80 if fin else 0) | opcode])
        n = len(payload)
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 65536:
            head += bytes([0x80 | 126]) + n.to_bytes(2, "big")
        else:
            head += bytes([0x80 | 127]) + n.to_bytes(8, "big")
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.writer.write(head + mask + masked)

    def send_text(self, text):
        self.send_frame(0x1, text.encode())

    async def receive(self):
        """The next (opcode, payload) from the server."""
        b0, b1 = await self.reader.readexactly(2)
        n = b1 & 0x7F
        if n == 126:
            n = int.from_bytes(await self.reader.readexactly(2), "big")
        elif n == 127:
            n = int.from_bytes(await self.reader.readexactly(8), "big")
        return b0 & 0x0F, await self.reader.readexactly(n)

    async def receive_json(self):
        while True:
            opcode, payload = await self.receive()
            if opcode == 0x1:
                return json.loads(payload)
            if opcode == 0x8:
                return {"closed": int.from_bytes(payload[:2], "big") if len(payload) >= 2 else None}

    def close(self):
        try:
            self.writer.close()
        except Exception:
            pass


class Report:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, name, condition, detail=""):
        if condition:
            self.passed += 1
            print(f"ok - {name}")
        else:
            self.failed += 1
            print(f"not ok - {name} {detail}")


def cpu_seconds(pid):
    """User plus system CPU time of a process so far (from /proc), or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def peak_memory_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


async def one_conversation(host, port, index, messages):
    """Sends `messages` requests in one burst on a fresh connection; returns latencies (s)."""
    code, ws = await WebSocket.handshake(host, port)
    if code != 101:
        raise RuntimeError(f"connection {index}: handshake answered {code}")
    texts = ["hello", "is heat or ice better for my upper back?", "what stretches can I do?",
             "help me make a plan", "upper back", "3 weeks", "6", "posture", "no", "none",
             "how long does upper back pain last?", "thanks"]
    sent = {}
    for i in range(messages):
        sent[i] = time.perf_counter()
        ws.send_text(json.dumps({"id": i, "session": f"load-{index}", "text": texts[i % len(texts)]}))
    await ws.writer.drain()
    latencies = []
    for i in range(messages):
        reply = await ws.receive_json()
        if reply.get("id") != i or "error" in reply or "closed" in reply:
            ws.close()
            raise RuntimeError(f"connection {index}: reply {i} was {json.dumps(reply)[:200]}")
        latencies.append(time.perf_counter() - sent[i])
    ws.send_frame(0x8, (1000).to_bytes(2, "big"))
    ws.close()
    return latencies


async def load(host, port, connections, messages, report, pid):
    cpu_before = cpu_seconds(pid) if pid else None
    start = time.perf_counter()
    results = await asyncio.gather(
        *(one_conversation(host, port, c, messages) for c in range(connections)),
        return_exceptions=True)
    elapsed = time.perf_counter() - start
    errors = [r for r in results if isinstance(r, Exception)]
    latencies = sorted(l for r in results if not isinstance(r, Exception) for l in r)
    report.check(f"{connections} connections x {messages} messages: every reply, in order, no error",
                 not errors, "; ".join(str(e) for e in errors[:3]))
    if latencies:
        p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
        print(f"# {len(latencies)} replies in {elapsed:.2f} s ({len(latencies) / elapsed:.0f}/s); "
              f"latency under load median {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms, max {p(1) :.1f} ms")
    cpu_after = cpu_seconds(pid) if pid else None
    if cpu_before is not None and cpu_after is not None and latencies:
        print(f"# server CPU {cpu_after - cpu_before:.2f} s for {len(latencies)} replies "
              f"({(cpu_after - cpu_before) / len(latencies) * 1e6:.0f} us a message, handshakes included)")
    memory = peak_memory_mb(pid) if pid else None
    if memory is not None:
        print(f"# server peak memory (VmHWM) {memory:.1f} MB")
        report.check("server memory stays under 200 MB", memory < 200, f"({memory:.1f} MB)")


async def abuse(host, port, report):
    # A well-behaved conversation runs throughout.
    code, good = await WebSocket.handshake(host, port)
    report.check("a normal handshake is accepted", code == 101, code)
    stop = asyncio.Event()

    async def chat():
        problems, count = [], 0
        while not stop.is_set():
            good.send_text(json.dumps({"id": count, "session": "good", "text": "what stretches can I do?"}))
            reply = await asyncio.wait_for(good.receive_json(), 10)
            if reply.get("id") != count or "error" in reply or "closed" in reply:
                problems.append(reply)
            count += 1
            await asyncio.sleep(0.05)
        return count, problems

    chatter = asyncio.create_task(chat())

    async def expect_reply(name, send, check):
        code, ws = await WebSocket.handshake(host, port)
        send(ws)
        await ws.writer.drain()
        try:
            reply = await asyncio.wait_for(ws.receive_json(), 10)
        except (asyncio.IncompleteReadError, ConnectionError):
            reply = {"closed": "without a close frame"}
        report.check(name, check(reply), json.dumps(reply)[:200])
        return ws, reply

    ws, _ = await expect_reply(
        "a frame that is not JSON gets serve's invalid_json error",
        lambda ws: ws.send_text("{this is not json"),
        lambda r: r.get("error", {}).get("code") == "invalid_json")
    ws.send_text(json.dumps({"id": "after", "session": "x", "text": "hello"}))
    reply = await asyncio.wait_for(ws.receive_json(), 10)
    report.check("the same connection reads on after an error", reply.get("id") == "after", reply)
    ws.close()
    ws, _ = await expect_reply(
        "bytes that are not UTF-8 get serve's invalid_utf8 error",
        lambda ws: ws.send_frame(0x2, b'{"id":1,"text":"\xff\xfe"}'),
        lambda r: r.get("error", {}).get("code") == "invalid_utf8")
    ws.close()
    ws, _ = await expect_reply(
        "a 100 KB message gets serve's line_too_long error",
        lambda ws: ws.send_text(json.dumps({"id": 2, "text": "x" * 100_000})),
        lambda r: r.get("error", {}).get("code") == "line_too_long")
    ws.close()
    ws, _ = await expect_reply(
        "a message split over frames is read whole",
        lambda ws: (ws.send_frame(0x1, b'{"id":3,"session":"f",', fin=False),
                    ws.send_frame(0x0, b'"text":"hello"}')),
        lambda r: r.get("id") == 3 and "error" not in r)
    ws.close()
    ws, _ = await expect_reply(
        "a continuation frame with nothing to continue closes with 1002",
        lambda ws: ws.send_frame(0x0, b"stray"),
        lambda r: r.get("closed") == 1002)
    ws.close()

    # A flood: 500 messages at once from one connection, read while they are being sent (the
    # server closes the connection mid-flood, and a reset would discard unread replies).
    code, flood = await WebSocket.handshake(host, port)

    async def pour():
        try:
            for i in range(500):
                flood.send_text(json.dumps({"id": i, "session": "flood", "text": "hello"}))
                if i % 20 == 19:
                    await flood.writer.drain()
        except (ConnectionError, RuntimeError):
            pass

    pouring = asyncio.create_task(pour())
    answered = limited = 0
    closed = None
    try:
        while True:
            reply = await asyncio.wait_for(flood.receive_json(), 10)
            if "closed" in reply:
                closed = reply["closed"]
                pouring.cancel()
                flood.send_frame(0x8, (1000).to_bytes(2, "big"))
                break
            if reply.get("error", {}).get("code") == "rate_limited":
                limited += 1
            elif "error" not in reply:
                answered += 1
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.TimeoutError):
        pass
    try:
        await pouring
    except asyncio.CancelledError:
        pass
    print(f"# flood of 500: {answered} answered, {limited} refused with rate_limited, closed {closed}")
    report.check("a flood is answered with rate_limited, then closed with 1008",
                 limited > 0 and closed == 1008 and answered <= 40)
    flood.close()

    for origin, expected in (("http://evil.example", 403), (None, 101)):
        code, ws = await WebSocket.handshake(host, port, origin=origin)
        report.check(f"a handshake from origin {origin or '(none: not a browser)'} is answered {expected}",
                     code == expected, code)
        ws.close()
    code, ws = await WebSocket.handshake(host, port, host_header="evil.example:80")
    report.check("a request naming another Host (DNS rebinding) is refused with 421", code == 421, code)
    ws.close()

    await asyncio.sleep(0.5)
    stop.set()
    count, problems = await chatter
    report.check(f"the well-behaved connection got all {count} replies in order, no error",
                 count > 5 and not problems, json.dumps(problems)[:300])
    good.close()


async def run(args):
    report = Report()
    server = None
    cache = tempfile.mkdtemp(prefix="backtalk-load-cache-")
    if args.url:
        parsed = urllib.parse.urlparse(args.url)
        host, port, pid = parsed.hostname, parsed.port, None
    else:
        server = subprocess.Popen(
            [args.binary, "web", "--port", "0", "--max-connections", str(args.connections + 16)],
            stdout=subprocess.PIPE, text=True, env={**os.environ, "XDG_CACHE_HOME": cache})
        line = server.stdout.readline()
        parsed = urllib.parse.urlparse(line[line.index("http://"):].strip())
        host, port, pid = parsed.hostname, parsed.port, server.pid
    if not ipaddress.ip_address(host).is_loopback:
        print(f"web-load: refusing {host}: this tool only talks to loopback addresses")
        return 2
    try:
        if not args.abuse_only:
            await load(host, port, args.connections, args.messages, report, pid)
        if not args.load_only:
            await abuse(host, port, report)
        if server:
            report.check("the server is still running", server.poll() is None)
    finally:
        if server:
            server.terminate()
            server.wait(timeout=5)
    print(f"web-load: {report.passed} passed, {report.failed} failed")
    return 0 if report.failed == 0 else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=".build/debug/backtalk")
    parser.add_argument("--url", help="ws://127.0.0.1:PORT/ws of a running server (loopback only)")
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--abuse-only", action="store_true")
    parser.add_argument("--load-only", action="store_true")
    args = parser.parse_args()
    args.connections = max(1, min(args.connections, 1000))
    args.messages = max(1, min(args.messages, 25))
    try:
        return asyncio.run(asyncio.wait_for(run(args), TIME_LIMIT))
    except asyncio.TimeoutError:
        print(f"web-load: stopped after {TIME_LIMIT} s\nweb-load: 0 passed, 1 failed")
        return 1


if __name__ == "__main__":
    sys.exit(main())
