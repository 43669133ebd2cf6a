#!/usr/bin/env node
// A short scripted conversation through the reference client; exits non-zero if the service
// does not behave as docs/PROTOCOL.md says.
//
// Usage: node examples/node/conversation.js [PATH/TO/backtalk]
// (default: `backtalk` on PATH; .ci/run passes the debug build)
'use strict';

const { BacktalkClient, ServiceError } = require('./backtalk_client.js');

const failures = [];
function check(condition, what) {
  console.log((condition ? 'ok    ' : 'FAIL  ') + what);
  if (!condition) failures.push(what);
}
const firstLine = (reply) => reply.text.split('\n')[0].slice(0, 90);

async function main() {
  const binary = process.argv[2] ?? 'backtalk';
  const lost = [];
  const client = await new BacktalkClient([binary, 'serve'], {
    timeoutMs: 20000,
    onSessionLost: (session) => lost.push(session),
  }).start();
  check(client.hello.protocol.startsWith('1.'), `hello: protocol ${client.hello.protocol}`);

  const session = 'node-demo';
  let reply = await client.message(session, 'make me a plan', 'uk');
  console.log('  bot:', firstLine(reply));
  check(reply.session_status === 'new', 'a first message starts a new session');
  check(reply.awaiting === 'location', 'the intake asks where it hurts');
  reply = await client.message(session, reply.options[0]);
  check(reply.session_status === 'continued', 'the next message continues it');
  check(reply.awaiting === 'duration_days', 'then asks how long');

  // Pipelined: three requests in flight at once, the middle one malformed. Its error has
  // "id": null and still answers the right request, by order.
  const [before, error, after] = await Promise.all([
    client.message('node-other', 'hi'),
    client.sendRaw('this is not json'),
    client.message('node-other', 'is heat or ice better?'),
  ]);
  check(before.intent === 'greet' && after.intent === 'treatment.heat_cold',
    'pipelined replies resolve their own requests');
  check(error.id === null && error.error.code === 'invalid_json',
    'a null-id error answers the oldest pending request');

  try {
    await client.message(session, 'x'.repeat(9000));
    check(false, 'an over-long text is refused');
  } catch (e) {
    check(e instanceof ServiceError && e.code === 'text_too_long',
      'an over-long text is refused: text_too_long');
  }

  // The process dies; the client restarts it and reports the lost session.
  await client.kill();
  reply = await client.message(session, '2 weeks');
  check(client.restarts === 1, 'the client restarted the service');
  check(reply.lost_session && lost.length === 1 && lost[0] === session,
    'the lost session is reported');
  console.log('  bot:', firstLine(reply));

  reply = await client.message('node-crisis', 'I want to kill myself', 'uk');
  const escalation = reply.escalation ?? {};
  check(reply.escalate, 'an emergency sign escalates');
  check(escalation.number === '999' && escalation.crisis_number === '116123',
    'uk numbers, digits for tel: links');
  console.log('  bot:', firstLine(reply));

  check((await client.ping()) >= 1, 'ping counts live sessions');
  check((await client.end(session)).closed === true, 'end closes the session');
  const code = await client.close();
  check(code === 0, 'the service exits 0 when stdin closes');

  if (failures.length > 0) {
    console.error(`${failures.length} check(s) failed`);
    process.exit(1);
  }
  console.log('node client: all checks passed');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
