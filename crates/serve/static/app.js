// patronfall serve: the page's one script, written by hand, no library.
// It follows a running job (progress, then reloads the page when the job
// changes state), searches the figures, keeps the list of changes and
// sends the what-if. Every request goes to this server with the per-start
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

  // Following a job.
  const followed = meta('patronfall-job');
  if (followed) follow(followed);

  function follow(id) {
    const tick = async () => {
      let job;
      try {
        const r = await api('/api/jobs/' + id);
        if (!r.ok) return;
        job = await r.json();
      } catch (e) {
        setTimeout(tick, 1000);
        return;
      }
      const bar = document.querySelector('#progress progress');
      if (bar && job.total > 0) {
        bar.max = job.total;
        bar.value = job.done;
      }
      const text = document.getElementById('progress-text');
      if (text) text.textContent = job.phase + ': ' + job.done + ' of ' + job.total + ' runs';
      const shown = document.getElementById('job-status');
      const moved = shown ? shown.textContent !== job.status : job.status !== 'queued' && job.status !== 'running';
      const finished = job.status !== 'queued' && job.status !== 'running';
      if (moved || (finished && job.report !== 'pending')) {
        location.reload();
        return;
      }
      setTimeout(tick, 250);
    };
    tick();
  }

  document.addEventListener('click', async (event) => {
    const t = event.target;
    if (t.id === 'cancel') {
      t.disabled = true;
      await post('/api/jobs/' + t.dataset.job + '/cancel', {});
    }
  });

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
