// patronfall serve: the page's one script, written by hand, no library.
// It follows a running job (progress by server-sent events, then reloads
// the page when the job changes state), searches the figures, keeps the
// list of changes, sends the what-if and asks for a job's drivers. Every request goes to this server with the per-start
// token; text from the server is set as text, never as HTML.
(function () {
  'use strict';

  const meta = (name) => {
    const m = document.querySelector('meta[name="' + name + '"]');
    return m ? m.content : null;
  };
  const token = meta('patronfall-token');
  const withToken = (path) =>
    path + (path.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(token);
  const api = (path, options) => {
    const o = options || {};
    o.headers = Object.assign({ 'x-patronfall-token': token }, o.headers || {});
    return fetch(path, o);
  };
  const post = (path, body) =>
    api(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const el = (tag, text, attrs) => {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    return e;
  };

  // Following a job: its state arrives as server-sent events, at once and
  // after every change; the page reloads when the job's state moves on.
  // EventSource sends no header, so the token is in the URL's query.
  const followed = meta('patronfall-job');
  if (followed) follow(followed);

  function follow(id) {
    const events = new EventSource(withToken('/api/jobs/' + id + '/events'));
    events.addEventListener('status', (event) => {
      const job = JSON.parse(event.data);
      const bar = document.querySelector('#progress progress');
      if (bar && job.total > 0) {
        bar.max = job.total;
        bar.value = job.done;
      }
      const text = document.getElementById('progress-text');
      if (text) text.textContent = job.phase + ': ' + job.done + ' of ' + job.total + ' runs';
      const shown = document.getElementById('job-status');
      const finished = job.status !== 'queued' && job.status !== 'running';
      const moved = shown ? shown.textContent !== job.status : finished;
      if (moved || (finished && job.report !== 'pending')) {
        events.close();
        location.reload();
      }
    });
    // The server ends the stream once the job is settled; the browser
    // reconnects after an error of the connection, which is what we want
    // until then.
  }

  document.addEventListener('click', async (event) => {
    const t = event.target;
    if (t.id === 'cancel') {
      t.disabled = true;
      await post('/api/jobs/' + t.dataset.job + '/cancel', {});
    }
  });

  // The drivers form: a Morris design for one course of action.
  const drivers = document.getElementById('drivers-form');
  if (drivers) {
    drivers.addEventListener('submit', async (event) => {
      event.preventDefault();
      const problem = document.getElementById('drivers-error');
      problem.hidden = true;
      const field = (name) => drivers.querySelector('[name="' + name + '"]').value;
      const r = await post('/api/jobs/' + drivers.dataset.job + '/drivers', {
        coa: field('coa'),
        grouping: field('grouping'),
        trajectories: Number(field('trajectories')),
      });
      const answer = await r.json();
      if (r.ok) {
        location.assign(withToken(answer.url));
        return;
      }
      problem.textContent = answer.error;
      problem.hidden = false;
    });
  }

  // The what-if form.
  const form = document.getElementById('what-if-form');
  if (!form) return;
  const search = document.getElementById('figure-search');
  const results = document.querySelector('#figure-results tbody');
  const edits = document.querySelector('#edits tbody');
  const error = document.getElementById('what-if-error');

  let pending = null;
  let asked = 0;
  const find = async () => {
    // Only the answer to the latest search is shown.
    const mine = ++asked;
    const r = await api('/api/figures?q=' + encodeURIComponent(search.value));
    if (!r.ok || mine !== asked) return;
    const figures = await r.json();
    if (mine !== asked) return;
    results.replaceChildren();
    for (const f of figures) {
      const tr = el('tr', null, { 'data-path': f.path });
      const name = el('td');
      name.append(el('code', f.path));
      if (f.label) name.append(el('div', f.label, { class: 'label' }));
      tr.append(name, el('td', f.value), el('td', f.uncertain ? 'yes' : 'no'));
      tr.append(el('td', f.sources.join(' ')), el('td', f.basis, { class: 'basis-' + f.basis }));
      const pick = el('button', 'Change', { type: 'button', class: 'pick' });
      pick.addEventListener('click', () => add(f));
      const cell = el('td');
      cell.append(pick);
      tr.append(cell);
      results.append(tr);
    }
  };
  search.addEventListener('input', () => {
    clearTimeout(pending);
    pending = setTimeout(find, 150);
  });
  find();

  // Doubles every number in a value's text: `[20000, 40000]` → `[40000, 80000]`.
  const twice = (text) =>
    text.replace(/-?\d+(\.\d+)?([eE][-+]?\d+)?/g, (m) => String(Number(m) * 2));

  function add(f) {
    if (edits.querySelector('tr[data-path="' + CSS.escape(f.path) + '"]')) return;
    const tr = el('tr', null, { 'data-path': f.path });
    const name = el('td');
    name.append(el('code', f.path));
    const input = el('input', null, { type: 'text', class: 'value', value: f.value });
    input.value = f.value;
    const value = el('td');
    value.append(input);
    const double = el('button', '×2', { type: 'button', class: 'double' });
    double.addEventListener('click', () => {
      input.value = twice(input.value);
    });
    const remove = el('button', 'Remove', { type: 'button' });
    remove.addEventListener('click', () => tr.remove());
    const actions = el('td');
    actions.append(double, ' ', remove);
    tr.append(name, el('td', f.value), value, actions);
    edits.append(tr);
    input.focus();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const request = {
      coas: [...form.querySelectorAll('input[name="coa"]:checked')].map((i) => i.value),
      shock: document.getElementById('shock').value,
      edits: [...edits.querySelectorAll('tr')].map((tr) => ({
        path: tr.dataset.path,
        value: tr.querySelector('input.value').value,
      })),
      note: document.getElementById('note').value,
    };
    const run = document.getElementById('run');
    run.disabled = true;
    try {
      const r = await post('/api/what-ifs', request);
      const answer = await r.json();
      if (r.ok) {
        location.assign(withToken(answer.url));
        return;
      }
      error.textContent = answer.error;
      error.hidden = false;
    } finally {
      run.disabled = false;
    }
  });
})();
