// Chukei status page: polls /status.json every 2 s and draws it. Plain DOM and inline SVG, nothing
// loaded from elsewhere. Text from the node is only ever set as textContent (never parsed as HTML).
// To an operator (GET /whoami) it also offers isolate, drain, release and an evidence bundle: each asks
// first, then POSTs to the node's own admin endpoint, which checks the certificate's role again.
'use strict';

const POLL_MS = 2000;
const SVG = 'http://www.w3.org/2000/svg';

function $(id) { return document.getElementById(id); }

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) { e.setAttribute(k, v); }
  if (text !== undefined && text !== null) { e.textContent = String(text); }
  return e;
}

function svg(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) { e.setAttribute(k, v); }
  return e;
}

function ms(v) {
  if (v === null || v === undefined) { return '–'; }
  if (v === 0) { return '0 ms'; }
  if (v >= 1000) { return (v / 1000).toFixed(v >= 10000 ? 0 : 1) + ' s'; }
  if (v >= 10) { return v.toFixed(0) + ' ms'; }
  if (v >= 1) { return v.toFixed(1) + ' ms'; }
  return v.toFixed(2) + ' ms';
}

function rate(v) {
  if (v === null || v === undefined) { return '–'; }
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}

function clock(epochMs) { return new Date(epochMs).toLocaleTimeString([], { hour12: false }); }

function badge(text, cls) { return el('span', { class: 'badge ' + (cls || text) }, text); }

function fillRows(tableId, rows, emptyText, columns) {
  const body = $(tableId).tBodies[0];
  const fresh = document.createElement('tbody');
  if (rows.length === 0) {
    const tr = el('tr');
    tr.appendChild(el('td', { colspan: String(columns), class: 'empty' }, emptyText));
    fresh.appendChild(tr);
  }
  for (const row of rows) { fresh.appendChild(row); }
  body.replaceWith(fresh);
}

function td(text, cls) { return el('td', cls ? { class: cls } : {}, text); }

function renderHeader(s) {
  const self = s.nodes.find(n => n.self) || {};
  $('node-id').textContent = s.node;
  $('view-of').textContent = s.node;
  const state = $('node-state');
  state.textContent = self.state || '?';
  state.className = 'badge ' + (self.state || '');
  $('updated').textContent = 'updated ' + clock(s.generatedAtMs);
  document.body.dataset.generatedAt = String(s.generatedAtMs);
  $('connections').textContent = s.connections;
  $('in-flight').textContent = self.inFlight ?? '–';
  $('oldest').textContent = ms(self.oldestUnforwardedMs);
  $('lag').textContent = ms(self.eventLoopLagMs);
  $('rate-accepted').textContent = rate(s.rates.acceptedPerSec);
  $('rate-ok').textContent = rate(s.rates.okPerSec);
  $('rate-refused').textContent = rate(s.rates.refusedPerSec);
  $('rate-rejected').textContent = rate(s.rates.rejectedPerSec);
}

function renderCluster(s) {
  fillRows('cluster', s.nodes.map(n => {
    const tr = el('tr', { 'data-node': String(n.id), class: n.self ? 'self' : '' });
    tr.appendChild(td(n.id));
    const state = el('td', { class: 'state' });
    state.appendChild(badge(n.state));
    tr.appendChild(state);
    tr.appendChild(td(n.reason || '', 'reason'));
    tr.appendChild(td(n.inFlight ?? '–', 'num'));
    tr.appendChild(td(ms(n.oldestUnforwardedMs), 'num'));
    tr.appendChild(td(ms(n.eventLoopLagMs), 'num'));
    tr.appendChild(td(n.durability || '–'));
    tr.appendChild(td(ms(n.fsyncP99Ms), 'num'));
    tr.appendChild(td(n.self ? '–' : ms(n.reportAgeMs), 'num'));
    tr.appendChild(td(n.missedProbes, 'num'));
    tr.appendChild(adminLink(n));
    if (mayAct()) { tr.appendChild(nodeActions(n)); }
    return tr;
  }), 'no nodes', mayAct() ? 12 : 11);
}

// The node's own page, where an action on that node is recorded on the node itself. A link the operator may
// follow, nothing the page loads; same scheme as this page (https), so no text from the node chooses one.
function adminLink(n) {
  const cell = el('td');
  if (!n.admin) { return cell; }
  const link = el('a', { href: location.protocol + '//' + n.admin + '/', rel: 'noopener noreferrer' }, n.admin);
  cell.appendChild(link);
  return cell;
}

// One line chart: series = [{cls, values}], x evenly spaced by time; y from 0 to the max seen.
function lineChart(times, series, width, height, unit) {
  const pad = { l: 44, r: 6, t: 6, b: 16 };
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img' });
  let max = 0;
  for (const s of series) { for (const v of s.values) { if (v > max) { max = v; } } }
  max = max > 0 ? max * 1.1 : 1;
  const x0 = times.length ? times[0] : 0;
  const span = times.length > 1 ? times[times.length - 1] - x0 : 1;
  const x = t => pad.l + (width - pad.l - pad.r) * ((t - x0) / span);
  const y = v => height - pad.b - (height - pad.t - pad.b) * (v / max);
  for (const f of [0, 0.5, 1]) {
    const yy = y(max * f);
    root.appendChild(svg('line', { class: 'grid', x1: pad.l, x2: width - pad.r, y1: yy, y2: yy }));
    const label = svg('text', { class: 'axis', x: pad.l - 4, y: yy + 3, 'text-anchor': 'end' });
    label.textContent = unit === 'ms' ? ms(max * f) : rate(max * f);
    root.appendChild(label);
  }
  if (times.length) {
    for (const [t, anchor] of [[times[0], 'start'], [times[times.length - 1], 'end']]) {
      const label = svg('text', { class: 'axis', x: x(t), y: height - 3, 'text-anchor': anchor });
      label.textContent = clock(t);
      root.appendChild(label);
    }
  }
  for (const s of series) {
    if (s.values.length === 0) { continue; }
    const d = s.values.map((v, i) => (i === 0 ? 'M' : 'L') + x(times[i]).toFixed(1) + ',' + y(v).toFixed(1)).join(' ');
    root.appendChild(svg('path', { class: s.cls, d: d, 'data-points': String(s.values.length) }));
  }
  return root;
}

function renderLatency(s) {
  $('curve-interval').textContent = (s.latency.intervalMs / 1000) + ' s';
  $('curve-window').textContent = (s.latency.windowMs / 60000) + ' min';
  const box = $('latency');
  const fresh = document.createDocumentFragment();
  for (const stage of s.latency.stages) {
    const points = stage.points.filter(p => p.count > 0);
    const card = el('div', { class: 'chart-box', 'data-stage': stage.stage });
    const title = el('div', { class: 'title' });
    title.appendChild(el('b', {}, stage.stage));
    const last = points[points.length - 1];
    title.appendChild(el('span', { class: 'latest' }, last ?
      `p50 ${ms(last.p50Ms)} · p99 ${ms(last.p99Ms)} · p99.9 ${ms(last.p999Ms)} · n=${last.count}` : 'no samples in this window'));
    card.appendChild(title);
    const times = points.map(p => p.epochMs);
    card.appendChild(lineChart(times, [
      { cls: 'p50', values: points.map(p => p.p50Ms) },
      { cls: 'p99', values: points.map(p => p.p99Ms) },
      { cls: 'p999', values: points.map(p => p.p999Ms) }], 300, 130, 'ms'));
    fresh.appendChild(card);
  }
  const legend = el('div', { class: 'legend' });
  for (const [cls, text] of [['p50', 'p50'], ['p99', 'p99'], ['p999', 'p99.9']]) { legend.appendChild(el('span', { class: cls }, text)); }
  box.replaceChildren(fresh);
  box.appendChild(legend);
}

function renderRates(s) {
  const h = s.rateHistory;
  const chart = lineChart(h.map(p => p.epochMs), [
    { cls: 'accepted', values: h.map(p => p.accepted) },
    { cls: 'rejected', values: h.map(p => p.rejected) }], 520, 150, 'rate');
  const legend = el('div', { class: 'legend' });
  legend.appendChild(el('span', { class: 'accepted' }, 'accepted'));
  legend.appendChild(el('span', { class: 'rejected' }, 'rejected'));
  $('rate-chart').replaceChildren(chart, legend);
  const reasons = Object.entries(s.rates.rejectedByReason || {}).sort((a, b) => b[1] - a[1]);
  fillRows('reasons', reasons.map(([reason, perSec]) => {
    const tr = el('tr');
    tr.appendChild(td(reason));
    tr.appendChild(td(rate(perSec), 'num'));
    return tr;
  }), 'no rejections', 2);
}

function renderUpstream(s) {
  const now = s.generatedAtMs;
  fillRows('upstream', s.upstream.map(e => {
    const tr = el('tr');
    tr.appendChild(td(e.endpoint));
    const health = el('td');
    health.appendChild(badge(e.healthy ? 'healthy' : 'down'));
    tr.appendChild(health);
    const ejected = el('td');
    if (e.ejectedForMs > 0) {
      ejected.appendChild(badge('ejected'));
      ejected.appendChild(document.createTextNode(' until ' + clock(now + e.ejectedForMs)));
    } else {
      ejected.textContent = 'no';
    }
    tr.appendChild(ejected);
    tr.appendChild(td(ms(e.recentLatencyMs), 'num'));
    return tr;
  }), 'no endpoints configured', 4);
}

function renderTop(s) {
  fillRows('top-traffic', s.topByTraffic.map(t => {
    const tr = el('tr');
    tr.appendChild(td(t.municipality));
    tr.appendChild(td(rate(t.perSec), 'num'));
    tr.appendChild(td(t.total, 'num'));
    return tr;
  }), 'no traffic yet', 3);
  const rows = s.topByRejections.map(r => {
    const tr = el('tr');
    tr.appendChild(td(r.municipality));
    tr.appendChild(td(r.count, 'num'));
    return tr;
  });
  if (s.otherRejections > 0) {
    const tr = el('tr');
    tr.appendChild(td('all others'));
    tr.appendChild(td(s.otherRejections, 'num'));
    rows.push(tr);
  }
  fillRows('top-rejections', rows, 'no refusals', 2);
}

function renderOutcomes(s) {
  fillRows('top-outcomes', (s.topByOutcome || []).map(o => {
    const tr = el('tr');
    tr.appendChild(td(o.municipality === 'other' ? 'all others' : o.municipality));
    tr.appendChild(td(rate(o.acceptedPerSec), 'num'));
    tr.appendChild(td(rate(o.okPerSec), 'num'));
    tr.appendChild(td(rate(o.refusedPerSec), 'num'));
    tr.appendChild(td(rate(o.rejectedPerSec), 'num'));
    tr.appendChild(td(o.p99UpToMs === -1 ? '> 30 s' : ms(o.p99UpToMs), 'num'));
    return tr;
  }), 'no requests yet', 6);
}

function renderEvents(s) {
  const list = $('events');
  const fresh = document.createDocumentFragment();
  if (s.events.length === 0) { fresh.appendChild(el('li', { class: 'empty' }, 'none recorded')); }
  for (const e of s.events) {
    const li = el('li', { 'data-kind': e.kind });
    li.appendChild(el('time', {}, clock(e.epochMs)));
    const kind = el('span', { class: 'kind' });
    kind.appendChild(badge(e.kind, e.kind === 'operator' ? 'DRAINING' : e.kind === 'self-isolation' ? 'ISOLATED' : ''));
    li.appendChild(kind);
    li.appendChild(el('span', {}, e.text));
    if (e.fromJournal) { li.appendChild(el('span', { class: 'hint' }, ' (before the last restart, from the journal)')); }
    fresh.appendChild(li);
  }
  list.replaceChildren(fresh);
}

function render(s) {
  renderHeader(s);
  renderCluster(s);
  renderLatency(s);
  renderRates(s);
  renderUpstream(s);
  renderTop(s);
  renderOutcomes(s);
  renderEvents(s);
}

// ---- Operator actions ----

let caller = null;        // GET /whoami: { actor, role, name, mayAct }
let lastStatus = null;    // the latest /status.json, for the dialog's wording

function mayAct() { return caller !== null && caller.mayAct === true; }

const ACTIONS = {
  isolate: { label: 'Isolate', operator: 'isolated', danger: true,
    effect: 'takes no new Submit (connectors are redirected to the other nodes) and sends GoAway to its connectors' },
  drain: { label: 'Drain', operator: 'draining', danger: true,
    effect: 'takes no new Submit but finishes the requests it holds, for planned work' },
  release: { label: 'Release', operator: 'none', danger: false,
    effect: 'takes work again: the operator isolation or drain recorded here is lifted (a self-isolation ends by itself)' },
};

function nodeActions(n) {
  const cell = el('td', { class: 'actions' });
  for (const [verb, a] of Object.entries(ACTIONS)) {
    const button = el('button', { type: 'button', class: a.danger ? 'act danger' : 'act',
      'data-action': verb, 'data-node': String(n.id) }, a.label);
    // What is recorded here already is not offered again; release only undoes what an operator did.
    if ((n.operator || 'none') === a.operator) { button.disabled = true; }
    cell.appendChild(button);
  }
  return cell;
}

function scopeText(verb, nodeId) {
  const selfId = lastStatus ? lastStatus.node : nodeId;
  const a = ACTIONS[verb];
  if (nodeId === selfId) {
    return `Node ${nodeId} (this node) ${a.effect}. Recorded on node ${nodeId}, kept across restarts and ` +
      `journaled under ${caller.actor}.`;
  }
  return `Recorded on node ${selfId} only: node ${selfId} treats node ${nodeId} as ${verb === 'release' ? 'no longer ' +
    'overridden' : ACTIONS[verb].operator} (it ${verb === 'release' ? 'routes to it again' : 'sends no connector there'}), ` +
    `journaled under ${caller.actor}. Node ${nodeId} itself and the other nodes are not told: use node ${nodeId}'s ` +
    `own page or chukei admin ${verb} ${nodeId} to act everywhere.`;
}

function confirmThen(title, scope, okLabel, withReason, run) {
  const dialog = $('confirm');
  $('confirm-title').textContent = title;
  $('confirm-scope').textContent = scope;
  $('confirm-ok').textContent = okLabel;
  $('confirm-reason').value = '';
  $('confirm-ok').onclick = () => {
    const reason = $('confirm-reason').value.trim();
    dialog.close();
    run(withReason ? reason : '');
  };
  $('confirm-cancel').onclick = () => dialog.close();
  dialog.showModal();
  $('confirm-reason').focus();
}

// warning: done, but not as it should have been (an action carried out whose audit entry the journal lacks).
function showResult(ok, text, warning) {
  const box = $('action-result');
  box.textContent = text;
  box.className = 'notice ' + (!ok ? 'error' : warning ? 'warning' : 'success');
  box.dataset.ok = ok ? 'yes' : 'no';
}

// The answer's body is the node's text (a refusal's reason, a 400's message) or its JSON; shown as text only.
async function post(path, describe) {
  let response;
  try {
    response = await fetch(path, { method: 'POST', cache: 'no-store' });
  } catch (e) {
    showResult(false, 'no answer from the node: ' + e.message);
    return;
  }
  const body = await response.text();
  const head = response.status + ' ' + (response.statusText || '');
  if (!response.ok) {
    showResult(false, head.trim() + ': ' + body.trim());
  } else {
    let json = null;
    try { json = JSON.parse(body); } catch (e) { json = null; }
    showResult(true, head.trim() + ': ' + (json ? describe(json) : body.trim()), Boolean(json && json.auditWarning));
  }
  refreshNow();
}

function act(verb, nodeId) {
  const a = ACTIONS[verb];
  confirmThen(`${a.label} node ${nodeId}?`, scopeText(verb, nodeId), `${a.label} node ${nodeId}`, true, reason => {
    const query = 'node=' + encodeURIComponent(nodeId) + (reason ? '&reason=' + encodeURIComponent(reason) : '');
    post('/cluster/' + verb + '?' + query, r =>
      `${r.action} node ${r.target} recorded on node ${r.node} by ${caller.actor} (${r.previous} -> ${r.operator}); ` +
      `node ${r.target} is now ${r.state} as node ${r.node} sees it` +
      (r.auditWarning ? `. Carried out, but its audit entry is ${r.auditWarning}` : ''));
  });
}

function writeEvidence() {
  confirmThen('Write an evidence bundle?', 'Node ' + (lastStatus ? lastStatus.node : '') + ' writes ' +
    'DATA/evidence/<time>-operator/ now, off its event loops: thread stacks, the flight recording so far, metrics, ' +
    'per-stage latency, its cluster view, recent log lines. The bundle and its journal entry name ' + caller.actor + '.',
    'Write bundle', true, reason => {
    post('/evidence' + (reason ? '?reason=' + encodeURIComponent(reason) : ''), r =>
      r.written ? `bundle ${r.bundle} is being written to ${r.directory}` : `not written: ${r.why}`);
  });
}

function renderCaller() {
  $('caller').textContent = caller ? caller.actor : '?';
  $('read-only').classList.toggle('hidden', mayAct());
  $('operator-notice').classList.toggle('hidden', !mayAct());
  $('operator-panel').classList.toggle('hidden', !mayAct());
  $('actions-head').classList.toggle('hidden', !mayAct());
  const tools = $('operator-tools');
  if (mayAct() && tools.childElementCount === 0) {
    tools.appendChild(el('button', { type: 'button', class: 'act', 'data-action': 'evidence' }, 'Write an evidence bundle'));
  }
}

// One listener for the whole page: rows are redrawn every poll, their buttons with them.
document.addEventListener('click', event => {
  const button = event.target.closest('button[data-action]');
  if (!button || button.disabled || !mayAct()) { return; }
  if (button.dataset.action === 'evidence') { writeEvidence(); } else { act(button.dataset.action, Number(button.dataset.node)); }
});

async function whoami() {
  try {
    const response = await fetch('/whoami', { cache: 'no-store' });
    if (response.ok) { caller = await response.json(); }
  } catch (e) {
    caller = null;   // asked again at the next poll; until then the page stays read-only
  }
  renderCaller();
}

// ---- Polling ----

let timer = null;
let polling = false;
let again = false;

async function poll() {
  if (polling) { again = true; return; }
  polling = true;
  clearTimeout(timer);
  try {
    if (caller === null) { await whoami(); }
    const response = await fetch('/status.json', { cache: 'no-store' });
    if (!response.ok) { throw new Error('HTTP ' + response.status); }
    lastStatus = await response.json();
    $('acting-node').textContent = lastStatus.node;
    render(lastStatus);
    $('stale').classList.add('hidden');
    $('live-dot').className = 'dot live';
  } catch (e) {
    $('stale').classList.remove('hidden');
    $('live-dot').className = 'dot stale';
  } finally {
    polling = false;
    timer = setTimeout(poll, again ? 0 : POLL_MS);
    again = false;
  }
}

// After an action: draw the node's new state now, not at the next tick.
function refreshNow() { clearTimeout(timer); poll(); }

poll();
