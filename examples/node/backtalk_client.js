// A reference client for `backtalk serve` (docs/PROTOCOL.md), Node.js standard library only.
//
// What it shows a front end how to do:
// - spawn `backtalk serve` and check the `hello` handshake;
// - match replies to requests by order (replies always come in request order), checking ids,
//   so an error with "id": null resolves the oldest pending request instead of hanging;
// - time out a request, and treat a timeout like a dead process;
// - restart the process when it dies, fail (or retry once) what was pending, and report the
//   sessions the restart lost: a reply with "session_status": "new" for a session this client
//   had already talked in.
'use strict';

const { spawn } = require('node:child_process');
const readline = require('node:readline');

const SUPPORTED_PROTOCOL_MAJOR = '1';

class ServiceDied extends Error {}

class ServiceError extends Error {
  constructor(reply) {
    super(`${reply.error.code}: ${reply.error.message}`);
    this.reply = reply;
    this.code = reply.error.code;
  }
}

class BacktalkClient {
  /**
   * @param {string[]} command e.g. ['backtalk', 'serve']
   * @param {{timeoutMs?: number, onSessionLost?: (session: string) => void,
   *          onRestart?: () => void}} options
   */
  constructor(command, options = {}) {
    this.command = command;
    this.timeoutMs = options.timeoutMs ?? 10000;
    this.onSessionLost = options.onSessionLost ?? (() => {});
    this.onRestart = options.onRestart ?? (() => {});
    this.restarts = 0;
    this.hello = null;
    this.nextId = 1;
    this.knownSessions = new Set();
    this.child = null;
    this.pending = []; // oldest first: the order of the lines written to the pipe
  }

  /** Starts the process and waits for its hello. */
  async start() {
    const child = spawn(this.command[0], this.command.slice(1), {
      stdio: ['pipe', 'pipe', 'inherit'], // diagnostics on our stderr, never protocol lines
    });
    this.child = child;
    child.stdin.on('error', () => {}); // a dead child shows up as 'exit'; no crash on EPIPE
    child.on('error', (error) => this.failPending(child, `cannot run the service: ${error.message}`));
    child.on('exit', () => this.failPending(child, 'the service process ended'));
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (child !== this.child || this.pending.length === 0) return; // given up on
      let reply;
      try {
        reply = JSON.parse(line);
      } catch {
        return; // cannot happen with backtalk; a client must not die of it
      }
      // Replies come in request order: this one answers the oldest pending request.
      const pending = this.pending.shift();
      clearTimeout(pending.timer);
      if (reply.id !== null && reply.id !== undefined && reply.id !== pending.id) {
        pending.reject(new Error(`reply id ${reply.id} for request ${pending.id}: out of step`));
      } else {
        pending.resolve(reply);
      }
    });
    this.hello = await this.request({ type: 'hello' }, 0);
    const major = this.hello.protocol.split('.')[0];
    if (major !== SUPPORTED_PROTOCOL_MAJOR) {
      throw new Error(`backtalk speaks protocol ${this.hello.protocol}, not 1.x`);
    }
    return this;
  }

  failPending(child, why) {
    if (child !== this.child) return;
    for (const pending of this.pending.splice(0)) {
      clearTimeout(pending.timer);
      pending.reject(new ServiceDied(why));
    }
  }

  get alive() {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  async restart() {
    const old = this.child;
    if (old && old.exitCode === null && old.signalCode === null) old.kill('SIGKILL');
    this.failPending(old, 'the service process was replaced');
    this.restarts += 1;
    this.onRestart();
    await this.start();
  }

  /** Writes one line and waits for its reply (by order). */
  send(line, id) {
    return new Promise((resolve, reject) => {
      if (!this.alive) {
        reject(new ServiceDied('the service process is not running'));
        return;
      }
      const pending = { id, resolve, reject, timer: null };
      // A service that does not answer is treated as dead: the caller restarts it.
      pending.timer = setTimeout(() => {
        reject(new ServiceDied(`no reply within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.push(pending);
      this.child.stdin.write(line);
    });
  }

  async request(fields, retries = 1) {
    for (let attempt = 0; ; attempt += 1) {
      const id = this.nextId++;
      const line = JSON.stringify({ ...fields, id }) + '\n';
      let reply;
      try {
        reply = await this.send(line, id);
      } catch (error) {
        if (!(error instanceof ServiceDied) || attempt >= retries) throw error;
        await this.restart();
        continue;
      }
      if (reply.error) throw new ServiceError(reply);
      return reply;
    }
  }

  /** Sends a line as it is (say, a malformed one); an error with "id": null still answers it. */
  sendRaw(line) {
    return this.send(line.replace(/\n$/, '') + '\n', null);
  }

  track(session, reply) {
    const lost = reply.session_status === 'new' && this.knownSessions.has(session);
    this.knownSessions.add(session);
    if (lost) this.onSessionLost(session);
    return lost;
  }

  /** Sends a message; the reply gets lost_session: true when the service no longer had it. */
  async message(session, text, region) {
    const fields = { session, text };
    if (region !== undefined) fields.region = region;
    const reply = await this.request(fields);
    reply.lost_session = this.track(session, reply);
    return reply;
  }

  /** Starts the session's conversation over; the session stays. */
  async reset(session) {
    const reply = await this.request({ type: 'reset', session });
    this.track(session, reply);
    return reply;
  }

  /** Forgets the session on the service side. */
  async end(session) {
    const reply = await this.request({ type: 'end', session });
    this.knownSessions.delete(session);
    return reply;
  }

  /** A health check: the number of live sessions. */
  async ping() {
    return (await this.request({ type: 'ping' })).sessions;
  }

  /** Kills the process, as a crash would (for demonstrations and tests). */
  kill() {
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGKILL');
    });
  }

  /** Closes stdin: the service answers what it has read, then exits 0. */
  close() {
    return new Promise((resolve) => {
      const child = this.child;
      if (!child || !this.alive) {
        resolve(child ? child.exitCode : null);
        return;
      }
      child.once('exit', (code) => resolve(code));
      child.stdin.end();
    });
  }
}

module.exports = { BacktalkClient, ServiceDied, ServiceError };
