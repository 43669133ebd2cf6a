"""A reference client for `backtalk serve` (docs/PROTOCOL.md), standard library only.

What it shows a front end how to do:

- spawn `backtalk serve` and check the `hello` handshake;
- match replies to requests by order (replies always come in request order), checking ids,
  so an error with "id": null resolves the oldest pending request instead of hanging;
- time out a request, and treat a timeout like a dead process;
- restart the process when it dies, fail (or retry once) what was pending, and report the
  sessions the restart lost: a reply with "session_status": "new" for a session this client
  had already talked in.

Use it from one thread or several: a request joins the queue of pending requests and is written
under one lock, so the queue's order is the order of the lines on the pipe. The reader takes
replies off the queue under a second lock, never the writers' one: a writer blocked on a full
pipe must not stop the replies that would unblock it.
"""

import collections
import json
import subprocess
import threading

SUPPORTED_PROTOCOL_MAJOR = "1"


class ServiceDied(Exception):
    """The process ended (or stopped answering) before this request got its reply."""


class ServiceError(Exception):
    """The service answered with an error reply; `code` is the stable error code."""

    def __init__(self, reply):
        self.reply = reply
        self.code = reply["error"]["code"]
        super().__init__(f"{self.code}: {reply['error']['message']}")


class _Pending:
    def __init__(self, request_id):
        self.id = request_id
        self.done = threading.Event()
        self.reply = None
        self.failure = None


class BacktalkClient:
    """One `backtalk serve` process, restarted when it dies.

    `on_session_lost(session)` is called when a reply shows that a session this client used is
    gone (expired, dropped for space, or lost in a restart).
    """

    def __init__(self, command, timeout=10.0, on_session_lost=None, on_restart=None):
        self.command = list(command)
        self.timeout = timeout
        self.on_session_lost = on_session_lost or (lambda session: None)
        self.on_restart = on_restart or (lambda: None)
        self.hello = None
        self.restarts = 0
        self._lock = threading.Lock()  # the queue
        self._write_lock = threading.Lock()  # queue order == pipe order
        self._pending = collections.deque()
        self._next_id = 1
        self._known_sessions = set()
        self._process = None
        self._start()

    # -- process ---------------------------------------------------------------------------

    def _start(self):
        self._process = subprocess.Popen(
            self.command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=None,  # diagnostics go to our stderr; never protocol lines
            bufsize=0,
        )
        process = self._process
        threading.Thread(target=self._read_replies, args=(process,), daemon=True).start()
        self.hello = self._request({"type": "hello"}, retries=0)
        major = self.hello["protocol"].split(".")[0]
        if major != SUPPORTED_PROTOCOL_MAJOR:
            raise RuntimeError(f"backtalk speaks protocol {self.hello['protocol']}, not 1.x")

    def _restart(self):
        self._stop_process()
        self.restarts += 1
        self.on_restart()
        self._start()

    def _stop_process(self):
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            process.kill()
        process.wait()
        self._fail_pending(process, "the service process ended")

    def _fail_pending(self, process, why):
        with self._lock:
            if process is not self._process:
                return
            while self._pending:
                pending = self._pending.popleft()
                pending.failure = ServiceDied(why)
                pending.done.set()

    def _read_replies(self, process):
        for raw in process.stdout:
            try:
                reply = json.loads(raw)
            except ValueError:
                continue  # cannot happen with backtalk; a client must not die of it
            with self._lock:
                if process is not self._process or not self._pending:
                    continue  # a reply to a request we gave up on when we restarted
                # Replies come in request order: this one answers the oldest pending request.
                pending = self._pending.popleft()
            if reply.get("id") is not None and reply.get("id") != pending.id:
                # The id is the check on the order; a mismatch means a bug, not a slow reply.
                pending.failure = RuntimeError(
                    f"reply id {reply.get('id')!r} for request {pending.id!r}: out of step"
                )
            else:
                pending.reply = reply
            pending.done.set()
        self._fail_pending(process, "the service closed its output")

    def close(self):
        """Closes stdin (the service answers what it has, then exits 0) and waits."""
        process, self._process = self._process, None
        if process is None:
            return
        process.stdin.close()
        process.wait(timeout=self.timeout)

    def kill(self):
        """Kills the process, as a crash would (for demonstrations and tests)."""
        self._process.kill()
        self._process.wait()

    # -- requests --------------------------------------------------------------------------

    def _send(self, line, request_id):
        pending = _Pending(request_id)
        with self._write_lock:
            with self._lock:
                process = self._process
                self._pending.append(pending)
            try:
                process.stdin.write(line)
            except (BrokenPipeError, OSError, ValueError):
                raise ServiceDied("cannot write to the service")
        if not pending.done.wait(self.timeout):
            # A service that does not answer is treated as dead: the order of the pipe can no
            # longer be trusted for this request, so the process is replaced.
            raise ServiceDied(f"no reply within {self.timeout} s")
        if pending.failure is not None:
            raise pending.failure
        return pending.reply

    def _request(self, fields, retries=1):
        attempt = 0
        while True:
            with self._lock:
                request_id = self._next_id
                self._next_id += 1
            body = dict(fields, id=request_id)
            line = (json.dumps(body, ensure_ascii=False) + "\n").encode("utf-8")
            try:
                if self._process is None or self._process.poll() is not None:
                    raise ServiceDied("the service process is not running")
                reply = self._send(line, request_id)
            except ServiceDied:
                if attempt >= retries:
                    raise
                attempt += 1
                self._restart()
                continue
            if "error" in reply:
                raise ServiceError(reply)
            return reply

    def send_raw(self, line):
        """Sends a line as it is (for example a malformed one) and returns its reply.

        Shows the ordering rule: an error whose id is null still answers this request.
        """
        return self._send((line.rstrip("\n") + "\n").encode("utf-8"), None)

    def _track(self, session, reply):
        lost = reply.get("session_status") == "new" and session in self._known_sessions
        self._known_sessions.add(session)
        if lost:
            self.on_session_lost(session)
        return lost

    def message(self, session, text, region=None):
        """Sends a message; returns the reply, with "lost_session": True added when the
        service no longer had this session (the person's earlier turns are forgotten)."""
        fields = {"session": session, "text": text}
        if region is not None:
            fields["region"] = region
        reply = self._request(fields)
        reply["lost_session"] = self._track(session, reply)
        return reply

    def reset(self, session):
        """Starts the session's conversation over; the session stays."""
        reply = self._request({"type": "reset", "session": session})
        self._track(session, reply)
        return reply

    def end(self, session):
        """Forgets the session on the service side."""
        reply = self._request({"type": "end", "session": session})
        self._known_sessions.discard(session)
        return reply

    def ping(self):
        """A health check: the number of live sessions."""
        return self._request({"type": "ping"})["sessions"]
