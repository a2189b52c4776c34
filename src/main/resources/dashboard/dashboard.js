// Affinity Gateway operator dashboard. Reads /actuator/affinity every few seconds and keeps the
// last five minutes of counter deltas in memory to draw request rates; the server keeps no history.
// Hand-written, no dependencies, nothing loaded from elsewhere. Credentials live in the two inputs
// only: never in storage, cookies or the URL.
'use strict';
(() => {
  const WINDOW_MS = 5 * 60 * 1000;
  const HOT_MS = 60 * 1000;
  const SVG = 'http://www.w3.org/2000/svg';
  const CHART = { width: 130, height: 34 };
  const DECISIONS = [
    ['sticky', 'stickyHits', 'sticky'],
    ['assigned', 'newAssignments', 'new'],
    ['failover', 'failoversIn', 'failover in'],
  ];
  const STATES = [
    ['DRAINING', 'Drain'],
    ['DISABLED', 'Disable'],
    ['ACTIVE', 'Activate'],
  ];

  const endpoint = document.querySelector('meta[name="affinity-endpoint"]').content;
  const refreshSeconds = Math.min(60, Math.max(1, Number(new URLSearchParams(location.search).get('refresh')) || 3));
  const $ = (id) => document.getElementById(id);
  const views = new Map(); // service id -> its DOM
  const histories = new Map(); // "service/instance" -> { last, samples, hotUntil }
  let lastGood = null;
  let downSince = null;
  let timer = null;

  function el(tag, attributes = {}, ...children) {
    const node = tag.startsWith('svg:') ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    for (const child of children) node.append(child);
    return node;
  }

  const time = (date) => date.toLocaleTimeString('en-GB');
  const count = (n) => Number(n).toLocaleString('en-US');
  const rate = (n) => (n >= 10 ? n.toFixed(0) : n.toFixed(1)) + '/s';

  function badge(node, kind, text) {
    node.className = 'badge ' + kind;
    node.textContent = text;
  }

  function setStatus(kind, text) {
    const status = $('status');
    status.className = 'status ' + kind;
    status.textContent = text;
  }

  function message(kind, text) {
    const node = $('message');
    node.className = 'message ' + kind;
    node.textContent = text;
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(poll, delay);
  }

  async function poll() {
    const abort = new AbortController();
    const deadline = setTimeout(() => abort.abort(), Math.max(5, refreshSeconds) * 1000);
    try {
      const response = await fetch(endpoint, { cache: 'no-store', headers: { Accept: 'application/json' }, signal: abort.signal });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      render(await response.json(), Date.now());
      lastGood = new Date();
      downSince = null;
      document.body.classList.remove('stale');
      setStatus('ok', `Live: reads every ${refreshSeconds}s, last at ${time(lastGood)}`);
    } catch (error) {
      downSince = downSince || new Date();
      document.body.classList.add('stale');
      const reason = error.name === 'AbortError' ? 'timed out' : error.message;
      setStatus('down', `Gateway not answering since ${time(downSince)} (${reason})`
          + (lastGood ? `: showing values read at ${time(lastGood)}` : ''));
    } finally {
      clearTimeout(deadline);
      schedule(refreshSeconds * 1000);
    }
  }

  function render(data, now) {
    const services = data.services || {};
    for (const [id, service] of Object.entries(services)) {
      if (!views.has(id)) views.set(id, serviceView(id));
      updateService(views.get(id), id, service, now);
    }
    for (const [id, view] of views) {
      if (!(id in services)) {
        view.section.remove();
        views.delete(id);
      }
    }
  }

  function serviceView(id) {
    const summary = el('dl', { class: 'summary' });
    const share = el('div', { class: 'share', role: 'img' });
    const head = el('tr');
    for (const name of ['Instance', 'URI', 'Admin state', 'Health', 'Ejected', 'In flight', 'Requests', 'Sticky',
        'New', 'Failovers in / out', 'Errors', 'Clients taken', 'Requests/s (up to 5 min)', 'Actions']) {
      head.append(el('th', { scope: 'col' }, name));
    }
    const body = el('tbody');
    const section = el('section', { class: 'service', 'data-service': id, 'aria-label': 'Service ' + id },
        el('h2', {}, 'Service ' + id), summary, share, el('table', {}, el('thead', {}, head), body));
    $('services').append(section);
    return { section, summary, share, body, rows: new Map(), unavailable: null };
  }

  function updateService(view, id, service, now) {
    const alarm = view.unavailable !== null && service.unavailable > view.unavailable;
    view.unavailable = service.unavailable;
    view.summary.replaceChildren();
    for (const [name, value, hot] of [['Mode', service.mode], ['Balancer', service.balancer],
        ['Cookie', service.cookieName ?? 'none'], ['Requests', count(service.requests)],
        ['Cookie rejects', count(service.cookieRejects)],
        ['Unavailable', count(service.unavailable) + (alarm ? ' ▲ rising' : ''), alarm]]) {
      view.summary.append(el('dt', {}, name), el('dd', hot ? { class: 'alarm' } : {}, String(value)));
    }
    const taken = service.instances.map((i) => i.counters.newAssignments + i.counters.failoversIn);
    const total = taken.reduce((a, b) => a + b, 0);
    updateShare(view.share, service.instances, taken, total);

    const seen = new Set();
    service.instances.forEach((instance, index) => {
      seen.add(instance.id);
      if (!view.rows.has(instance.id)) view.rows.set(instance.id, instanceRow(id, instance.id, view.body));
      const share = total > 0 ? Math.round((100 * taken[index]) / total) + '%' : '–';
      updateRow(view.rows.get(instance.id), id, instance, share, now);
    });
    for (const [instanceId, row] of view.rows) {
      if (!seen.has(instanceId)) {
        row.tr.remove();
        view.rows.delete(instanceId);
        histories.delete(id + '/' + instanceId);
      }
    }
  }

  function updateShare(node, instances, taken, total) {
    node.replaceChildren();
    node.classList.toggle('empty', total === 0);
    if (total === 0) {
      node.textContent = 'No clients assigned yet';
      node.setAttribute('aria-label', 'Share of clients: none assigned yet');
      return;
    }
    const parts = [];
    instances.forEach((instance, index) => {
      const pct = (100 * taken[index]) / total;
      parts.push(`${instance.id} ${Math.round(pct)}%`);
      if (pct > 0) {
        const part = el('span', { title: `${instance.id}: ${count(taken[index])} clients` },
            `${instance.id} ${Math.round(pct)}%`);
        part.style.width = pct + '%'; // CSSOM, not a style attribute: the CSP allows no inline style
        node.append(part);
      }
    });
    node.setAttribute('aria-label', 'Share of clients: ' + parts.join(', '));
  }

  function instanceRow(service, id, body) {
    const cells = {};
    const tr = el('tr', { 'data-instance': id });
    for (const name of ['id', 'uri', 'state', 'health', 'ejected', 'active', 'requests', 'sticky', 'assigned',
        'failovers', 'errors', 'taken', 'chart', 'actions']) {
      cells[name] = el('td', { class: name });
      tr.append(cells[name]);
    }
    for (const name of ['active', 'requests', 'sticky', 'assigned', 'errors', 'taken']) cells[name].classList.add('num');
    cells.id.textContent = id;
    cells.uri.classList.add('uri');
    cells.stateBadge = el('span');
    cells.healthBadge = el('span');
    cells.ejectedBadge = el('span');
    cells.state.append(cells.stateBadge);
    cells.health.append(cells.healthBadge);
    cells.ejected.append(cells.ejectedBadge);
    const title = el('svg:title');
    const svg = el('svg:svg', { class: 'rate', width: CHART.width, height: CHART.height,
      viewBox: `0 0 ${CHART.width} ${CHART.height}`, role: 'img' }, title);
    const lines = {};
    for (const [key] of DECISIONS) {
      lines[key] = el('svg:polyline', { class: key, points: '' });
      svg.append(lines[key]);
    }
    const rates = el('div', { class: 'rates' });
    cells.chart.append(svg, rates);
    const buttons = STATES.map(([state, verb]) => {
      const button = el('button', { type: 'button', 'aria-label': `${verb} ${id}`, 'data-state': state }, verb);
      button.addEventListener('click', () => write(service, id, state));
      cells.actions.append(button);
      return button;
    });
    body.append(tr);
    return { tr, cells, svg, title, lines, rates, buttons };
  }

  function updateRow(row, service, instance, share, now) {
    const c = instance.counters;
    const { cells } = row;
    cells.uri.textContent = instance.uri;
    const stateKind = { ACTIVE: 'ok', DRAINING: 'warn', DISABLED: 'off' }[instance.state] || 'off';
    badge(cells.stateBadge, stateKind, instance.state);
    badge(cells.healthBadge, instance.healthy ? 'ok' : 'bad', instance.healthy ? 'healthy' : 'UNHEALTHY');
    badge(cells.ejectedBadge, instance.ejected ? 'bad' : 'off', instance.ejected ? 'EJECTED' : 'no');
    row.tr.dataset.state = instance.state;
    row.tr.dataset.healthy = String(instance.healthy);
    cells.active.textContent = count(instance.activeRequests);
    cells.requests.textContent = count(c.requests);
    cells.sticky.textContent = count(c.stickyHits);
    cells.assigned.textContent = count(c.newAssignments);
    cells.errors.textContent = count(c.errors);
    cells.taken.textContent = share;
    const history = sample(service + '/' + instance.id, c, now);
    cells.failovers.textContent = `↓ ${count(c.failoversIn)} in / ↑ ${count(c.failoversOut)} out`;
    cells.failovers.classList.toggle('hot', history.hotUntil > now);
    if (history.hotUntil > now) cells.failovers.textContent += ' (recent)';
    for (const button of row.buttons) button.disabled = button.dataset.state === instance.state;
    drawChart(row, instance.id, history.samples, now);
  }

  /** Adds the rates since the last read; a counter that went down (gateway restart) starts over. */
  function sample(key, counters, now) {
    let history = histories.get(key);
    if (!history) {
      history = { last: null, samples: [], hotUntil: 0 };
      histories.set(key, history);
    }
    const last = history.last;
    if (last && now > last.t) {
      const seconds = (now - last.t) / 1000;
      const point = { t: now };
      let reset = false;
      for (const [name, field] of DECISIONS) {
        const delta = counters[field] - last.counters[field];
        reset = reset || delta < 0;
        point[name] = Math.max(0, delta) / seconds;
      }
      if (reset) history.samples = [];
      else history.samples.push(point);
      if (counters.failoversIn > last.counters.failoversIn || counters.failoversOut > last.counters.failoversOut) {
        history.hotUntil = now + HOT_MS;
      }
    }
    history.last = { t: now, counters };
    history.samples = history.samples.filter((p) => p.t >= now - WINDOW_MS);
    return history;
  }

  function drawChart(row, id, samples, now) {
    let peak = 0;
    for (const point of samples) for (const [name] of DECISIONS) peak = Math.max(peak, point[name]);
    const scale = Math.max(peak, 1);
    // the x axis spans what this page has seen, up to five minutes, so a fresh page draws a chart too
    const span = samples.length ? Math.min(WINDOW_MS, Math.max(10000, now - samples[0].t)) : WINDOW_MS;
    const x = (t) => (((t - (now - span)) / span) * CHART.width).toFixed(1);
    const y = (v) => (CHART.height - 2 - (v / scale) * (CHART.height - 4)).toFixed(1);
    const latest = samples[samples.length - 1];
    const now_ = DECISIONS.map(([name, , label]) => `${label} ${rate(latest ? latest[name] : 0)}`).join(', ');
    const busy = samples.filter((p) => DECISIONS.some(([name]) => p[name] > 0)).length;
    for (const [name] of DECISIONS) {
      row.lines[name].setAttribute('points', samples.map((p) => `${x(p.t)},${y(p[name])}`).join(' '));
    }
    const text = `${id}, requests per second now: ${now_}; peak ${rate(peak)} over the last ${Math.round(span / 1000)} s`;
    row.title.textContent = text;
    row.svg.setAttribute('aria-label', text);
    row.svg.dataset.peak = peak.toFixed(3);
    row.svg.dataset.busy = String(busy);
    row.rates.textContent = DECISIONS.map(([name, , label]) => `${label.split(' ')[0]} ${rate(latest ? latest[name] : 0)}`).join(' · ');
  }

  function basic(user, password) {
    const bytes = new TextEncoder().encode(`${user}:${password}`);
    return 'Basic ' + btoa(String.fromCharCode(...bytes));
  }

  async function write(service, id, state) {
    const user = $('user').value;
    const password = $('password').value;
    if (!user || !password) {
      message('error', `Type the admin user and password first: ${id} was not changed.`);
      return;
    }
    let response;
    try {
      response = await fetch(`${endpoint}/${encodeURIComponent(service)}/${encodeURIComponent(id)}`, {
        method: 'POST',
        cache: 'no-store',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json',
          Authorization: basic(user, password),
          // answers 401 without WWW-Authenticate, so the browser shows no login dialog of its own
          'X-Requested-With': 'XMLHttpRequest',
        },
        body: JSON.stringify({ state }),
      });
    } catch (error) {
      message('error', `Gateway not answering: ${id} was not changed.`);
      return;
    }
    if (response.ok) {
      const body = await response.json().catch(() => ({}));
      message('done', `${id} (${service}) is now ${body.state || state}.`);
      schedule(0);
    } else if (response.status === 401) {
      message('error', `Wrong user or password (401): ${id} was not changed.`);
    } else if (response.status === 403) {
      message('error', `Refused (403): this gateway takes no writes from this user or page. ${id} was not changed.`);
    } else if (response.status === 404) {
      message('error', `${service} has no instance ${id} any more (404).`);
    } else {
      message('error', `Refused (HTTP ${response.status}): ${id} was not changed.`);
    }
  }

  $('credentials').addEventListener('submit', (event) => event.preventDefault());
  $('forget').addEventListener('click', () => {
    $('user').value = '';
    $('password').value = '';
    message('done', 'Credentials forgotten.');
  });
  poll();
})();
