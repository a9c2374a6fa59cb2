// The console of one node: reads the admin API every few seconds and draws it. Everything the node sends is put in the
// page as text (never as markup): dead-letter headers and failure messages come from outside.
'use strict';

const FAST_MS = 2000;
const SLOW_MS = 5000;
const KNOWN_USE_CASE_FIELDS = new Set(['key', 'name', 'variants', 'state', 'restarts', 'lastFailure', 'lag', 'reloadable']);
const OUTCOMES = ['both', 'a-only', 'b-only', 'neither'];
const SERIES = [
  { field: 'producedA', label: 'produced A', color: 'var(--a)', dash: '' },
  { field: 'producedB', label: 'produced B', color: 'var(--b)', dash: '' },
  { field: 'deliveredA', label: 'delivered A', color: 'var(--a)', dash: '4 3' },
  { field: 'deliveredB', label: 'delivered B', color: 'var(--b)', dash: '4 3' },
];

const $ = (selector) => document.querySelector(selector);

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (name === 'onclick' || name === 'onsubmit') node.addEventListener(name.slice(2), value);
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function svg(tag, attributes) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
  return node;
}

const number = (value, digits = 0) => (value === undefined || value === null) ? '' :
  Number(value).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function token() { return sessionStorage.getItem('pipeline-admin-token') || ''; }

class AuthError extends Error {}

async function admin(path, options = {}) {
  const headers = Object.assign({ 'Accept': 'application/json' }, options.body ? { 'Content-Type': 'application/json' } : {});
  if (token()) headers['Authorization'] = 'Bearer ' + token();
  const response = await fetch('/admin' + path, Object.assign({}, options, { headers }));
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = { error: text }; }
  if (response.status === 401 || response.status === 403) throw new AuthError((body && body.error) || response.statusText);
  if (!response.ok) throw new Error((body && body.error) || `${path} answered ${response.status}`);
  return body;
}

function fill(selector, rows) {
  const body = document.querySelector(`[data-testid="${selector}"] tbody`);
  body.replaceChildren(...rows);
}

// ---- use cases and streams ----

function renderUseCases(useCases, figures) {
  const byStream = new Map((figures.streams || []).map((s) => [s.stream, s]));
  const rows = [];
  for (const u of useCases) {
    const f = byStream.get('use-case-' + u.key) || {};
    const running = u.state === 'Running' || u.state === 'Restarting';
    const actions = el('td', {},
      el('button', { 'data-action': 'stop', disabled: !running, onclick: () => act(u.key, 'stop') }, 'Stop'),
      el('button', { 'data-action': 'start', disabled: running, onclick: () => act(u.key, 'start') }, 'Start'),
      u.reloadable === true ? el('button', { 'data-action': 'reload', onclick: () => act(u.key, 'reload') }, 'Reload') : null);
    rows.push(el('tr', { 'data-use-case': u.key },
      el('td', {}, el('strong', {}, u.key), el('div', { class: 'muted' }, u.name)),
      el('td', { class: 'state-' + u.state, 'data-field': 'state' }, u.state),
      el('td', {}, (u.variants || []).join(', ')),
      el('td', { class: 'num' }, number(f.recordsPerSecond)),
      el('td', { class: 'num' }, number(u.lag)),
      el('td', { class: 'num' }, number(f.latencyP50Ms, 1)),
      el('td', { class: 'num' }, number(f.latencyP99Ms, 1)),
      el('td', { class: 'num' }, number(u.restarts)),
      el('td', { class: u.lastFailure ? 'error' : 'muted' }, u.lastFailure || '—'),
      actions));
    // Whatever else the node says about the use case (findings, latest messages, resources, ...), as it says it.
    const extra = Object.entries(u).filter(([name, value]) => !KNOWN_USE_CASE_FIELDS.has(name) && value !== null && value !== undefined);
    if (extra.length > 0) {
      rows.push(el('tr', { class: 'extra', 'data-extra-of': u.key }, el('td', { colspan: 10 },
        extra.map(([name, value]) => el('div', {}, el('strong', {}, name + ': '),
          typeof value === 'object' ? el('pre', {}, JSON.stringify(value, null, 2)) : String(value))))));
    }
  }
  fill('use-cases', rows);
  fill('streams', (figures.streams || []).map((s) => el('tr', {},
    el('td', {}, s.stream), el('td', { class: 'num' }, number(s.recordsPerSecond)), el('td', { class: 'num' }, number(s.processed)),
    el('td', { class: 'num' }, number(s.lag)), el('td', { class: 'num' }, number(s.latencyP50Ms, 1)),
    el('td', { class: 'num' }, number(s.latencyP99Ms, 1)), el('td', { class: 'num' }, number(s.latencyP999Ms, 1)),
    el('td', { class: 'num' }, number(s.latencyMaxMs, 1)))));
  $('#node-summary').textContent = `generated ${number(figures.generatedPerSecond)}/s`;
}

async function act(key, action) {
  try {
    await admin(`/use-cases/${encodeURIComponent(key)}/${action}`, { method: 'POST' });
  } catch (e) {
    showError(e);
  }
  await refreshFast();
}

// ---- experiments ----

function renderExperiments(experiments, history) {
  const container = document.querySelector('[data-testid="experiments"]');
  if (experiments.length === 0) {
    container.replaceChildren(el('p', { class: 'muted' }, 'No use case runs two variants.'));
    return;
  }
  const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.shareOf : null;
  const blocks = experiments.map((x) => {
    const existing = container.querySelector(`[data-experiment="${CSS.escape(x.key)}"] input`);
    const input = el('input', { type: 'number', min: 0, max: 100, step: 'any', 'data-share-of': x.key, value: x.bShare });
    if (existing && focused === x.key) input.value = existing.value;
    const form = el('form', { class: 'share', onsubmit: (event) => { event.preventDefault(); setShare(x.key, input.value); } },
      el('label', {}, 'B share ', input, ' % '), el('button', { type: 'submit' }, 'Set'));
    const total = OUTCOMES.reduce((sum, o) => sum + (x.agreement[o] || 0), 0);
    const bar = el('div', { class: 'agreement', title: 'both / A only / B only / neither' },
      OUTCOMES.map((o) => {
        const span = el('span', { class: 'o-' + o, title: `${o}: ${number(x.agreement[o])}` });
        span.style.width = total > 0 ? `${(100 * (x.agreement[o] || 0) / total).toFixed(2)}%` : '0';
        return span;
      }));
    const legend = el('div', { class: 'legend' }, OUTCOMES.map((o) =>
      el('span', {}, el('i', { class: 'o-' + o }), `${o} ${number(x.agreement[o])}`)));
    const counts = el('table', {},
      el('tr', {}, el('th', {}, ''), el('th', { class: 'num' }, 'produced'), el('th', { class: 'num' }, 'delivered')),
      el('tr', {}, el('td', {}, 'A'), el('td', { class: 'num' }, number(x.a.produced)), el('td', { class: 'num' }, number(x.a.delivered))),
      el('tr', {}, el('td', {}, 'B'), el('td', { class: 'num' }, number(x.b.produced)), el('td', { class: 'num' }, number(x.b.delivered))));
    const chartLegend = el('div', { class: 'legend' }, SERIES.map((s) => {
      const swatch = el('i');
      swatch.style.background = s.color;
      return el('span', {}, swatch, s.label);
    }));
    return el('div', { class: 'experiment', 'data-experiment': x.key },
      el('div', {}, el('h3', {}, x.key), form, el('h3', {}, 'Agreement'), bar, legend, counts),
      el('div', {}, el('h3', {}, 'Feedback over time (cumulative)'), chart(history[x.key] || []), chartLegend));
  });
  container.replaceChildren(...blocks);
  if (focused) {
    const again = container.querySelector(`input[data-share-of="${CSS.escape(focused)}"]`);
    if (again) again.focus();
  }
}

function chart(points) {
  const width = 600, height = 180, left = 48, right = 8, top = 8, bottom = 20;
  const root = svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none', role: 'img' });
  if (points.length < 2) {
    const text = svg('text', { x: left, y: height / 2 });
    text.textContent = 'collecting…';
    root.append(text);
    return root;
  }
  const times = points.map((p) => Date.parse(p.at));
  const t0 = times[0], t1 = times[times.length - 1] || t0 + 1;
  const max = Math.max(1, ...points.flatMap((p) => SERIES.map((s) => p[s.field])));
  const x = (t) => left + (width - left - right) * (t - t0) / Math.max(1, t1 - t0);
  const y = (v) => height - bottom - (height - top - bottom) * v / max;
  root.append(svg('line', { x1: left, y1: y(0), x2: width - right, y2: y(0), stroke: '#d9dee5' }));
  for (const s of SERIES) {
    const line = svg('polyline', {
      fill: 'none', stroke: s.color, 'stroke-width': 1.5, 'stroke-dasharray': s.dash, 'vector-effect': 'non-scaling-stroke',
      points: points.map((p, i) => `${x(times[i]).toFixed(1)},${y(p[s.field]).toFixed(1)}`).join(' '),
    });
    line.dataset.series = s.field;
    root.append(line);
  }
  const labels = [[left - 4, y(max) + 4, number(max), 'end'], [left - 4, y(0), '0', 'end'],
    [left, height - 4, new Date(t0).toLocaleTimeString(), 'start'], [width - right, height - 4, new Date(t1).toLocaleTimeString(), 'end']];
  for (const [lx, ly, text, anchor] of labels) {
    const label = svg('text', { x: lx, y: ly, 'text-anchor': anchor });
    label.textContent = text;
    root.append(label);
  }
  return root;
}

async function setShare(key, value) {
  try {
    await admin(`/experiments/${encodeURIComponent(key)}`, { method: 'PUT', body: JSON.stringify({ bShare: Number(value) }) });
    if (document.activeElement) document.activeElement.blur();
  } catch (e) {
    showError(e);
  }
  await refreshFast();
}

// ---- dead letters and cluster ----

function renderDeadLetters(view) {
  fill('dead-letter-counts', view.counts.length === 0
    ? [el('tr', {}, el('td', { colspan: 3, class: 'muted' }, 'none'))]
    : view.counts.map((c) => el('tr', {}, el('td', {}, c.stage), el('td', {}, c.reason), el('td', { class: 'num' }, number(c.count)))));
  const latest = document.querySelector('[data-testid="dead-letters-latest"]');
  latest.replaceChildren(...(view.latest.length === 0 ? [el('p', { class: 'muted' }, 'none')] : view.latest.map((letter) =>
    el('div', { class: 'letter' },
      el('div', {}, el('strong', {}, `${letter.stage || '?'} · ${letter.reason || '?'}`), ' ',
        el('span', { class: 'muted' }, `${letter.topic}[${letter.partition}]@${letter.offset} · ${new Date(letter.timestamp).toLocaleString()}`)),
      el('table', {}, letter.headers.map((h) => el('tr', {}, el('td', {}, h.name), el('td', {}, h.value))))))));
}

function renderCluster(view) {
  fill('members', view.members.map((m) => el('tr', {},
    el('td', {}, m.address, m.self ? el('span', { class: 'muted' }, ' (this node)') : null, view.leader === m.address ? el('span', { class: 'muted' }, ' (leader)') : null),
    el('td', { class: m.unreachable ? 'error' : '' }, m.status + (m.unreachable ? ', unreachable' : '')),
    el('td', {}, m.roles.join(', ')))));
  const shardRows = [];
  for (const s of view.shards) {
    if (s.error) shardRows.push(el('tr', {}, el('td', {}, s.useCase), el('td', { colspan: 2, class: 'error' }, s.error)));
    for (const n of s.nodes) {
      shardRows.push(el('tr', {}, el('td', {}, s.useCase), el('td', {}, n.node),
        el('td', {}, Object.entries(n.shards).map(([shard, entities]) => `${shard} (${entities})`).join(', ') || '—')));
    }
  }
  fill('shards', shardRows);
  fill('partitions', view.partitions.map((p) => el('tr', {}, el('td', {}, p.stream), el('td', {}, p.partitions.join(', ') || '—'))));
}

// ---- refresh ----

function showError(e) {
  if (e instanceof AuthError) {
    $('#token-form').hidden = false;
    $('#token-error').textContent = e.message;
    $('#error').hidden = true;
    return;
  }
  $('#error').hidden = false;
  $('#error').textContent = e.message;
}

async function refreshFast() {
  try {
    const [useCases, figures, experiments, history] = await Promise.all(
      ['/use-cases', '/figures', '/experiments', '/experiments/history'].map((p) => admin(p)));
    renderUseCases(useCases, figures);
    renderExperiments(experiments, history);
    $('#updated').textContent = 'updated ' + new Date().toLocaleTimeString();
    $('#error').hidden = true;
    $('#token-form').hidden = true;
  } catch (e) {
    showError(e);
  }
}

async function refreshSlow() {
  try {
    const [deadLetters, cluster] = await Promise.all([admin('/dead-letters'), admin('/cluster')]);
    renderDeadLetters(deadLetters);
    renderCluster(cluster);
  } catch (e) {
    showError(e);
  }
}

function refreshAll() { refreshFast(); refreshSlow(); }

$('#token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem('pipeline-admin-token', $('#token').value);
  $('#token').value = '';
  refreshAll();
});

refreshAll();
setInterval(refreshFast, FAST_MS);
setInterval(refreshSlow, SLOW_MS);
