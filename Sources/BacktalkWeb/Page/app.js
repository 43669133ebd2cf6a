// backtalk's chat page: plain JavaScript, no framework, no build step.
//
// It speaks the JSON Lines protocol of `backtalk serve` over a WebSocket: one request per
// message ({"id", "session", "text"}), one reply per message. The session id and the
// conversation so far live in sessionStorage, so a reload finds the same conversation (the
// server keeps the dialogue state under the same id). Every text from the server is inserted
// with textContent, never as HTML.
'use strict';

(() => {
  const store = window.sessionStorage;
  const KEYS = { session: 'backtalk.session', history: 'backtalk.history', next: 'backtalk.nextId' };
  const MAX_HISTORY = 200;

  const $ = (id) => document.getElementById(id);
  const log = $('log');
  const form = $('composer');
  const input = $('message');
  const typing = $('typing');
  const statusLine = $('status');
  const alertBox = $('alert');

  // For tests and the curious: reply times in milliseconds, and the session id.
  const probe = { latencies: [], session: '', connected: false };
  window.backtalk = probe;

  function newSessionId() {
    // crypto.randomUUID needs a secure context; getRandomValues works on any page.
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return 'web-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function readJSON(key, fallback) {
    try {
      const value = JSON.parse(store.getItem(key) || 'null');
      return value === null ? fallback : value;
    } catch (e) {
      return fallback;
    }
  }

  let session = store.getItem(KEYS.session) || newSessionId();
  let nextId = Number(store.getItem(KEYS.next) || '1') || 1;
  let history = readJSON(KEYS.history, []);
  store.setItem(KEYS.session, session);
  probe.session = session;

  const pending = new Map(); // request id -> performance.now() when sent
  const outbox = []; // request lines waiting for the socket to open
  let socket = null;
  let attempts = 0;
  let retryTimer = null;
  let everConnected = false;

  function save() {
    history = history.slice(-MAX_HISTORY);
    try {
      store.setItem(KEYS.history, JSON.stringify(history));
      store.setItem(KEYS.next, String(nextId));
    } catch (e) {
      // Storage full or disabled: the conversation still works, it just won't survive a reload.
    }
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function scrollToEnd() {
    window.scrollTo({ top: document.body.scrollHeight, behavior: 'auto' });
  }

  function setStatus(text) {
    statusLine.textContent = text;
  }

  function showTyping(on) {
    typing.hidden = !on;
    if (on) scrollToEnd();
  }

  // Only the newest question's options can be answered: older ones are switched off.
  function retireOptions() {
    for (const button of log.querySelectorAll('button.option')) button.disabled = true;
  }

  function renderYou(text) {
    const article = el('article', 'msg you');
    article.append(el('p', 'visually-hidden', 'You said:'), el('p', 'text', text));
    log.append(article);
  }

  function renderError(error) {
    const article = el('article', 'msg bot error');
    article.append(el('p', 'text', 'Sorry, that message could not be read: ' + error.message));
    log.append(article);
  }

  // One numbered reference per article: a plan citing four sections of one article lists it once.
  function byDocument(sources) {
    const documents = [];
    for (const source of sources) {
      let entry = documents.find((d) => d.document === source.document);
      if (!entry) {
        entry = { document: source.document, title: source.title || source.document,
                  publisher: source.publisher, sections: [] };
        documents.push(entry);
      }
      if (!entry.sections.includes(source.section)) entry.sections.push(source.section);
    }
    return documents;
  }

  function referenceItem(document, number) {
    const item = el('li');
    const details = el('details', 'ref');
    const summary = el('summary');
    summary.append(el('span', 'num', String(number)), el('span', 'short', document.title));
    const detail = el('div', 'detail');
    if (document.publisher) detail.append(el('p', 'publisher', 'Published by ' + document.publisher));
    const label = document.sections.length === 1 ? 'Section: ' : 'Sections: ';
    detail.append(el('p', 'section', label + document.sections.map((s) => '“' + s + '”').join(', ')));
    details.append(summary, detail);
    item.append(details);
    return item;
  }

  function buttonGroup(label, values, className) {
    const group = el('div', 'choices');
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', label);
    for (const value of values) {
      const button = el('button', className, value);
      button.type = 'button';
      group.append(button);
    }
    return group;
  }

  function renderBot(reply) {
    retireOptions();
    const article = el('article', 'msg bot' + (reply.escalate ? ' escalation' : ''));
    article.dataset.kind = reply.kind || '';
    article.append(el('p', 'visually-hidden', 'backtalk said:'), el('p', 'text', reply.text));
    if (reply.sources && reply.sources.length) {
      article.append(el('p', 'sources-label', 'Sources'));
      const list = el('ol', 'sources');
      byDocument(reply.sources).forEach((doc, i) => list.append(referenceItem(doc, i + 1)));
      article.append(list);
    }
    if (reply.options && reply.options.length) {
      article.append(buttonGroup('Answer', reply.options, 'option'));
    }
    if (reply.suggestions && reply.suggestions.length) {
      article.append(el('p', 'choices-label', 'You could ask'));
      article.append(buttonGroup('You could ask', reply.suggestions, 'suggestion'));
    }
    log.append(article);
    if (reply.escalate && reply.escalation) showAlert(reply.escalation, reply.text);
  }

  // A phone number inside a sentence ("Samaritans on 116 123", "call or text 988").
  function numberIn(text) {
    const match = /\b\d[\d ]{1,12}\d\b/.exec(text || '');
    return match ? match[0] : null;
  }

  function telLink(number) {
    const link = el('a', '', number);
    link.href = 'tel:' + number.replace(/[^\d+]/g, '');
    return link;
  }

  function showAlert(escalation, text) {
    const call = $('alert-call');
    call.textContent = escalation.number;
    call.href = 'tel:' + escalation.number.replace(/[^\d+]/g, '');
    const first = (text || '').split(/(?<=[.!?])\s/)[0];
    $('alert-text').textContent = first;
    const crisis = $('alert-crisis');
    crisis.replaceChildren();
    if (escalation.crisis_line) {
      const number = escalation.crisis_number || numberIn(escalation.crisis_line);
      crisis.append('You can also reach ' + escalation.crisis_line + '.');
      if (number) crisis.append(' ', telLink(number));
      crisis.hidden = false;
    } else {
      crisis.hidden = true;
    }
    alertBox.hidden = false;
  }

  function slim(reply) {
    return {
      text: reply.text, kind: reply.kind, escalate: reply.escalate, escalation: reply.escalation,
      sources: reply.sources, options: reply.options, suggestions: reply.suggestions,
    };
  }

  function handle(data) {
    let reply;
    try {
      reply = JSON.parse(data);
    } catch (e) {
      return;
    }
    // A reply for a conversation already left ("New chat" ends the old session) is not shown.
    if (reply.session !== undefined && reply.session !== session) return;
    if (pending.has(reply.id)) {
      probe.latencies.push(performance.now() - pending.get(reply.id));
      pending.delete(reply.id);
    }
    if (pending.size === 0) showTyping(false);
    if (reply.error) {
      renderError(reply.error);
      history.push({ error: reply.error });
    } else {
      renderBot(reply);
      history.push({ bot: slim(reply) });
    }
    save();
    scrollToEnd();
  }

  function transmit(line) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(line);
    } else {
      outbox.push(line);
      connect();
    }
  }

  function send(text) {
    text = (text || '').trim();
    if (!text) return;
    const id = nextId++;
    renderYou(text);
    history.push({ you: text });
    save();
    pending.set(id, performance.now());
    showTyping(true);
    transmit(JSON.stringify({ id: id, session: session, text: text }));
  }

  function connect() {
    if (socket && (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING)) return;
    clearTimeout(retryTimer);
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
    let ws;
    try {
      ws = new WebSocket(url);
    } catch (e) {
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.onopen = () => {
      attempts = 0;
      probe.connected = true;
      setStatus(everConnected ? 'Reconnected.' : '');
      everConnected = true;
      while (outbox.length) ws.send(outbox.shift());
    };
    ws.onmessage = (event) => handle(event.data);
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = null;
      probe.connected = false;
      // The server closes a connection left idle (1001); the next message reconnects.
      if (event.code === 1001 && pending.size === 0) return;
      connectionLost();
    };
  }

  function connectionLost() {
    // A request sent but not answered is not sent again: the server may already have acted on
    // it (an intake answer counted twice would skip a question). Say so instead.
    if (pending.size) {
      pending.clear();
      showTyping(false);
      const article = el('article', 'msg bot error');
      article.append(el('p', 'text', 'The connection dropped before the reply came. Please send your last message again.'));
      log.append(article);
    }
    setStatus('Connection lost. Reconnecting…');
    scheduleReconnect();
  }

  function scheduleReconnect() {
    clearTimeout(retryTimer);
    const delay = Math.min(8000, 500 * 2 ** attempts++);
    retryTimer = setTimeout(connect, delay);
  }

  function restart() {
    transmit(JSON.stringify({ id: nextId++, session: session, type: 'end' }));
    session = newSessionId();
    probe.session = session;
    store.setItem(KEYS.session, session);
    history = [];
    save();
    for (const node of Array.from(log.children)) if (!node.classList.contains('intro')) node.remove();
    alertBox.hidden = true;
    setStatus('New conversation started.');
    input.focus();
  }

  // One listener for every suggestion and option button, present and future.
  log.addEventListener('click', (event) => {
    const button = event.target.closest('button.suggestion, button.option');
    if (!button || button.disabled) return;
    send(button.textContent);
    input.focus();
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    send(input.value);
    input.value = '';
    input.focus();
  });

  $('restart').addEventListener('click', restart);

  // A reload shows the conversation so far; the server still holds its dialogue state.
  for (const entry of history) {
    if (entry.you !== undefined) renderYou(entry.you);
    else if (entry.bot) renderBot(entry.bot);
    else if (entry.error) renderError(entry.error);
  }
  if (history.length) {
    setStatus('Your conversation continues where you left it.');
    scrollToEnd();
  }
  connect();
})();
