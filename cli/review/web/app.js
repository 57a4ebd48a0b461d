'use strict';
/* global Keying, Clerk, WORDS */
// sohoa review station. Every archive value is inserted with textContent.
// The words, in each language, from the message catalogue: the server
// serves them as /words.js (cli/review/web_words.h).
const T = WORDS.app;

const $ = (id) => document.getElementById(id);
let lang = localStorage.getItem('sohoa.lang') || document.documentElement.dataset.lang || 'vi';
let session = null;
let view = 'login';
let queue = [];
let counts = {reason: {}, type: {}, batch: {}};
let total = 0;
let typeNames = {};
const filters = {reason: '', type: '', batch: ''};
let selected = 0;
let doc = null;
let words = null;
let zoom = 1;
let checkTimer = null;
let problems = {};
let draftTimer = null;
let draftDirty = false;
let keying = null;  // this entry's figures while it is keyed: {start, keys, fields: {key: seconds}, focus}
let arbitration = null;  // both keyings, when this person settles the entry
let leaseTimer = null;  // renews this person's hold on the open entry
const carry = {};  // book sha256 -> {fields: {key: value}, year}: book-level values of the entry before

// The review reasons in the interface's language (the server says each in
// both: pipeline/core/reason.h); as stored when it did not.
function reasonsIn(item) {
  return (item.reasons_in && item.reasons_in[lang]) || item.reasons;
}

// An API error in the interface's language: the server says the errors it
// knows in both (pipeline/core/error_text.h), others as written.
function errorIn(r) {
  return (r.data && r.data.error_in && r.data.error_in[lang]) || (r.data && r.data.error) || r.status;
}

function t(key, vars) {
  let s = (T[lang] && T[lang][key]) || T.en[key] || key;
  if (vars) for (const k of Object.keys(vars)) s = s.replace('{' + k + '}', vars[k]);
  return s;
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = v;
    else if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function say(message, kind) {
  const box = $('status-msg');
  box.textContent = message || '';
  box.className = kind || '';
}

async function api(method, path, body) {
  const options = {method, headers: {}, credentials: 'same-origin'};
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  if (method === 'POST' && session) options.headers['X-CSRF-Token'] = session.csrf;
  const response = await fetch(path, options);
  let data = null;
  try { data = await response.json(); } catch (e) { data = null; }
  if (response.status === 401 && path !== '/api/login' && path !== '/api/session') {
    session = null;
    say(t('session_expired'), 'error');
    showLogin();
  }
  return {status: response.status, ok: response.ok, data: data || {}};
}

function show(name) {
  view = name;
  for (const v of ['login', 'queue', 'doc', 'audit', 'clerk']) $(v + '-view').hidden = v !== name;
  $('nav-queue').hidden = !session || name === 'queue' || session.role === 'clerk';
  $('nav-audit').hidden = !session || session.role !== 'admin';
  $('logout').hidden = !session;
  $('who').textContent = session ? session.user + ' (' + session.role + ')' : '';
}

function staticTexts() {
  document.documentElement.lang = lang;
  $('lang-toggle').textContent = t('other_lang');
  $('nav-queue').textContent = t('queue');
  $('nav-audit').textContent = t('audit');
  $('logout').textContent = t('logout');
  $('login-title').textContent = t('login');
  $('login-user-label').textContent = t('user');
  $('login-password-label').textContent = t('password');
  $('login-submit').textContent = t('login');
  $('queue-help').textContent = t('queue_help');
  $('doc-help').textContent = t('doc_help');
}

function showLogin() {
  show('login');
  $('title').textContent = '';
  $('login-user').focus();
}

async function login(event) {
  event.preventDefault();
  $('login-error').textContent = '';
  const r = await api('POST', '/api/login', {user: $('login-user').value, password: $('login-password').value});
  $('login-password').value = '';
  if (!r.ok) {
    $('login-error').textContent = t('wrong_password');
    return;
  }
  session = r.data;
  say('');
  if (session.role === 'clerk') return Clerk.open();  // the search page only (issue 22)
  loadCodeLists();
  await openQueue();
}

// ---- queue ----
async function loadQueue() {
  const q = new URLSearchParams();
  for (const k of Object.keys(filters)) if (filters[k]) q.set(k, filters[k]);
  const r = await api('GET', '/api/queue?' + q.toString());
  if (!r.ok) return false;
  queue = r.data.items;
  counts = r.data.counts;
  typeNames = r.data.type_names || {};
  total = r.data.total;
  return true;
}

function label(group, key) {
  if (group === 'reason') return t('cat_' + key);
  if (group === 'type') return typeNames[key] || key || t('unknown_type');
  return key;
}

function renderQueue() {
  $('title').textContent = t('title_queue');
  const bar = $('filters');
  bar.replaceChildren();
  for (const group of ['reason', 'type', 'batch']) {
    const select = el('select', {id: 'f-' + group, onchange: async (e) => {
      filters[group] = e.target.value;
      selected = 0;
      if (await loadQueue()) renderQueue();
    }});
    select.append(el('option', {value: '', text: t('all')}));
    for (const [key, n] of Object.entries(counts[group] || {})) {
      select.append(el('option', {value: key, text: label(group, key) + ' (' + n + ')', selected: filters[group] === key}));
    }
    bar.append(el('label', {}, t(group), select));
  }
  $('queue-summary').textContent = queue.length ? t('queue_summary', {n: queue.length, total}) : t('empty');
  const head = $('queue-table').tHead;
  head.replaceChildren(el('tr', {}, el('th', {text: t('source')}), el('th', {text: t('type')}),
                          el('th', {text: t('reasons')}), el('th', {text: t('batch')}), el('th', {text: t('pages')})));
  const body = $('queue-table').tBodies[0];
  body.replaceChildren();
  if (selected >= queue.length) selected = Math.max(0, queue.length - 1);
  queue.forEach((item, i) => {
    const reasons = el('td');
    for (const c of item.categories) reasons.append(el('span', {class: 'tag', text: t('cat_' + c)}));
    reasons.append(el('div', {class: 'meta', text: reasonsIn(item).join('; ')}));
    const row = el('tr', {'data-sha': item.sha256, tabindex: '0', class: i === selected ? 'selected' : '',
                          onclick: () => openDoc(i), onfocus: () => select(i)},
                   el('td', {text: item.source}), el('td', {text: label('type', item.doc_type)}), reasons,
                   el('td', {text: item.batch}), el('td', {text: String(item.pages)}));
    body.append(row);
  });
}

function select(i) {
  selected = i;
  const rows = $('queue-table').tBodies[0].rows;
  for (let k = 0; k < rows.length; ++k) rows[k].classList.toggle('selected', k === i);
  if (rows[i] && document.activeElement !== rows[i]) rows[i].focus();
}

async function openQueue() {
  show('queue');
  if (await loadQueue()) renderQueue();
  const rows = $('queue-table').tBodies[0].rows;
  if (rows[selected]) rows[selected].focus();
}

// ---- document ----
function fieldSpecs() {
  const type = (doc.doc_types || []).find((d) => d.key === $('doc-type').value);
  return type ? type.fields : [];
}

function values() {
  const out = {};
  for (const f of fieldSpecs()) {
    const input = $('f-' + f.key);
    if (input) out[f.key] = doc && doc.entry ? input.value.trim() : input.value;
  }
  return out;
}

async function openDoc(i) {
  if (i < 0 || i >= queue.length) return;
  selected = i;
  const r = await api('GET', '/api/documents/' + queue[i].sha256);
  if (!r.ok) { say(t('error', {msg: errorIn(r)}), 'error'); return; }
  doc = r.data;
  words = null;
  keying = {start: performance.now(), keys: 0, fields: {}, focus: null};
  arbitration = null;
  const step = doc.keying && doc.keying.step;
  if (step === 'arbitrate') {
    const both = await api('GET', '/api/documents/' + doc.sha256 + '/keyings');
    if (both.ok) arbitration = both.data;
  }
  show('doc');
  $('title').textContent = doc.source;
  renderPages();
  renderForm(doc.doc_type || (doc.entry ? doc.entry.register_kind : ''));
  if (step === 'wait' || step === 'awaits_arbiter') say(t(step === 'wait' ? 'keying_wait' : 'keying_awaits'));
  else holdEntry();
  if (arbitration) applyArbitration();
  const draft = arbitration ? null : await api('GET', '/api/documents/' + doc.sha256 + '/draft');
  if (draft && draft.ok && draft.data.draft) restoreDraft(draft.data.draft);
  api('GET', '/api/documents/' + doc.sha256 + '/words').then((w) => { if (w.ok) words = w.data.pages; });
}

// Many operators (issue 18): the open entry is this person's — taken, then
// renewed at a third of the lease until another entry or the queue opens. A
// station that assigns nothing answers 404, and nothing more is asked.
async function holdEntry() {
  clearInterval(leaseTimer);
  const sha = doc.sha256;
  const r = await api('POST', '/api/documents/' + sha + '/take', {});
  if (r.status === 409) { say(t('held_by_other'), 'error'); return; }
  if (!r.ok) return;
  leaseTimer = setInterval(() => {
    if (view === 'doc' && doc && doc.sha256 === sha) api('POST', '/api/documents/' + sha + '/take', {});
    else clearInterval(leaseTimer);
  }, Math.max(5, r.data.lease_seconds / 3) * 1000);
}

// After a keying: the entry the station assigns next (true when one was
// opened, or none is left and the queue shown); false where the station
// assigns nothing, and the queue order decides.
async function openAssigned() {
  const r = await api('POST', '/api/next', {});
  if (!r.ok) return false;
  const i = r.data.sha256 ? queue.findIndex((item) => item.sha256 === r.data.sha256) : -1;
  if (i < 0) await openQueue(); else await openDoc(i);
  return true;
}

function renderPages() {
  const pages = $('pages');
  pages.replaceChildren();
  for (let p = 1; p <= doc.pages; ++p) {
    pages.append(el('div', {class: 'page', 'data-page': String(p)},
                    el('img', {src: '/api/documents/' + doc.sha256 + '/pages/' + p + '.png', alt: doc.source + ' — ' + p})));
  }
  applyZoom();
}

function applyZoom() {
  for (const page of document.querySelectorAll('.page')) page.style.width = (zoom * 100) + '%';
  $('zoom-level').textContent = Math.round(zoom * 100) + '%';
}

function renderForm(type) {
  const form = $('doc-form');
  form.replaceChildren();
  const head = $('doc-head');
  head.replaceChildren(el('div', {}, el('strong', {text: doc.source})),
                       el('div', {class: 'meta', text: t('batch') + ': ' + doc.batch + ' · ' + doc.sha256.slice(0, 12)}));
  if (doc.entry) {
    head.append(el('div', {class: 'meta', text: t('entry_of', {no: doc.entry.entry_no || '?', book: doc.entry.book_no,
                                                              page: doc.entry.page_no || '?'})}));
  }
  head.append(el('div', {class: 'meta', id: 'draft-state'}));
  for (const reason of reasonsIn(doc)) head.append(el('div', {class: 'why', text: '• ' + reason}));

  const typeSelect = el('select', {id: 'doc-type', onchange: (e) => { renderForm(e.target.value); scheduleCheck(); }});
  if (!type) typeSelect.append(el('option', {value: '', text: t('unknown_type')}));
  for (const d of doc.doc_types) typeSelect.append(el('option', {value: d.key, text: d.name, selected: d.key === type}));
  form.append(el('div', {class: 'field'}, el('label', {for: 'doc-type', text: t('doc_type')}), typeSelect));

  for (const f of fieldSpecs()) {
    const read = doc.fields[f.key] || {value: '', confidence: 0, problem: '', flagged: []};
    const input = el('input', {id: 'f-' + f.key, name: f.key, value: read.value, autocomplete: 'off',
                               spellcheck: 'false',
                               oninput: (e) => typed(e, f),
                               onfocus: () => { focusField(f.key); highlight(f.key); showCrop(f.key); }});
    input.addEventListener('keydown', () => { if (keying) ++keying.keys; });
    if (doc.entry) {
      input.addEventListener('keydown', (e) => entryKey(e, f));
      if (enterTakesSuggestion(f)) input.dataset.enterTakes = '1';
    }
    const meta = el('div', {class: 'meta', text: t('confidence') + ' ' + Math.round((read.confidence || 0) * 100) + '%' +
                                                (f.required ? ' · ' + t('required') : '')});
    const box = el('div', {class: 'field' + (read.flagged.length || read.problem ? ' flagged' : ''), 'data-key': f.key},
                   el('label', {for: 'f-' + f.key, text: f.label}), input, meta);
    for (const why of read.flagged) box.append(el('div', {class: 'why', text: t('flagged') + ': ' + why}));
    box.append(el('div', {class: 'suggestion', id: 's-' + f.key}));
    box.append(el('div', {class: 'problem', id: 'p-' + f.key}));
    form.append(box);
  }
  if (doc.entry) prefillEntry();

  const record = el('select', {id: 'record'});
  record.append(el('option', {value: '', text: t('none')}));
  for (const c of doc.inventory) {
    record.append(el('option', {value: c.record_id, selected: c.record_id === doc.record_id,
                                text: c.record_id + ' · số ' + c.number + (c.book ? ' / ' + c.book : '') + ' · ' + c.issue_date}));
  }
  form.append(el('div', {class: 'field'}, el('label', {for: 'record', text: t('inventory')}), record));

  form.append(el('div', {id: 'actions'},
                 el('button', {type: 'submit', id: 'confirm', class: 'primary', text: t('confirm')}),
                 el('button', {type: 'button', id: 'back', text: t('back'), onclick: openQueue}),
                 el('button', {type: 'button', id: 'prev', text: t('prev'), onclick: () => openDoc(selected - 1)}),
                 el('button', {type: 'button', id: 'next', text: t('next'), onclick: () => openDoc(selected + 1)})));
  form.onsubmit = (e) => { e.preventDefault(); confirmDoc(); };
  form.dataset.sha = doc.sha256;
  $('doc-help').textContent = t(doc.entry ? 'entry_help' : 'doc_help');
  const first = doc.entry ? form.querySelector('input:not(.carried)')
                          : form.querySelector('.field.flagged input') || form.querySelector('input');
  if (first) { first.focus(); first.select(); }
  scheduleCheck();
}

function scheduleCheck() {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(check, 200);
}

async function check() {
  const type = $('doc-type') && $('doc-type').value;
  if (!type || view !== 'doc') return;
  const r = await api('POST', '/api/check', {doc_type: type, fields: values()});
  if (!r.ok) return;
  problems = {};
  for (const f of fieldSpecs()) {
    const verdict = r.data[f.key] || {};
    const input = $('f-' + f.key);
    let problem = (verdict.problem_in && verdict.problem_in[lang]) || verdict.problem || '';
    if (!problem && f.required && input && !input.value.trim()) problem = t('required');
    if (problem) problems[f.key] = problem;
    if (input) input.setAttribute('aria-invalid', problem ? 'true' : 'false');
    const p = $('p-' + f.key);
    if (p) p.textContent = problem;
  }
}

function fold(s) {
  return (s || '').normalize('NFC').toLowerCase().replace(/[.,:;()]/g, '');
}

// The longest run of consecutive words on the pages matching `tokens`
// (folded): {p, i, n}, or null.
function findRun(tokens) {
  let best = null;
  (words || []).forEach((page, p) => {
    const list = page.words;
    for (let i = 0; i < list.length; ++i) {
      let n = 0;
      while (i + n < list.length && n < tokens.length && fold(list[i + n][0]) === tokens[n]) ++n;
      if (n > 0 && (!best || n > best.n)) best = {p, i, n};
    }
  });
  if (!best || best.n < Math.min(tokens.length, 2) && tokens.length > 1) return null;
  return best;
}

// The words where the field's value was read (from the text layer).
function valueRun(key) {
  if (!words || !doc.fields[key]) return null;
  let value = doc.fields[key].value || '';
  const iso = value.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (iso) value = iso[3] + '/' + iso[2] + '/' + iso[1];
  const tokens = value.split(/\s+/).map(fold).filter((w) => w.length > 0);
  return tokens.length ? findRun(tokens) : null;
}

// Where the value was read: the longest run of consecutive words matching it.
function highlight(key) {
  for (const b of document.querySelectorAll('.box')) b.remove();
  const best = valueRun(key);
  if (!best) return;
  const page = document.querySelector('.page[data-page="' + (best.p + 1) + '"]');
  if (!page) return;
  let first = null;
  for (let k = best.i; k < best.i + best.n; ++k) {
    const [, x, y, w, h] = words[best.p].words[k];
    first = first || drawBox(page, {x, y, w, h});
  }
  if (first) first.scrollIntoView({block: 'center', behavior: 'auto'});
}

function drawBox(page, r) {
  const box = el('div', {class: 'box'});
  box.style.left = (r.x * 100) + '%';
  box.style.top = (r.y * 100) + '%';
  box.style.width = (r.w * 100) + '%';
  box.style.height = (r.h * 100) + '%';
  page.append(box);
  return box;
}

async function confirmDoc() {
  say(t('saving'));
  clearTimeout(draftTimer);
  draftDirty = false;  // the confirmation carries the values; the server drops the draft
  const body = {version: doc.version, doc_type: $('doc-type').value, fields: values(), record_id: $('record').value,
                stats: keyingStats()};
  const r = await api('POST', '/api/documents/' + doc.sha256 + (arbitration ? '/arbitrate' : '/confirm'), body);
  if (r.status === 202) {  // a blind keying kept: on to the next entry this person can key
    say(t(r.data.keyed === 'first' ? 'keyed_first' : 'keyed_arbitration', {n: r.data.disagreements}), 'ok');
    rememberConfirmed(body.fields);
    const done = selected;
    if (await loadQueue()) {
      if (await openAssigned()) return;
      const next = queue.findIndex((item, i) => i >= done && (!item.keying_step || item.keying_step === 'key' || item.keying_step === 'arbitrate'));
      if (next < 0) { await openQueue(); return; }
      await openDoc(next);
    }
    return;
  }
  if (r.status === 409) {
    say(t('conflict'), 'error');
    return;
  }
  if (!r.ok) {
    say(t('invalid', {msg: errorIn(r)}), 'error');
    return;
  }
  say(t('confirmed', {src: doc.source}), 'ok');
  rememberConfirmed(body.fields);
  const done = selected;
  if (await loadQueue()) {
    if (queue.length === 0) { await openQueue(); return; }
    if (await openAssigned()) return;
    await openDoc(Math.min(done, queue.length - 1));
  }
}

// ---- entry mode: keying a register entry (issue 18) ----
async function loadCodeLists() {
  if (Keying.ready()) return;
  const r = await api('GET', '/api/codelists');
  if (r.ok) Keying.setLists(r.data);
}

// The year the book is at: the last entry's registration year, else its quyển số's.
function bookYear() {
  const c = doc.entry && carry[doc.entry.book_sha256];
  if (c && c.year) return c.year;
  const m = ((doc.entry && doc.entry.book_no) || '').match(/\/(\d{4})$/);
  return m ? m[1] : '';
}

const kCarriedFields = ['quyen_so', 'noi_dang_ky'];

// Empty fields get the entry's number (a proposal: it is focused first) and
// the book-level values of the entry this person confirmed before in the
// same book (carried: Enter passes them by; they stay editable).
function prefillEntry() {
  const c = carry[doc.entry.book_sha256];
  const set = (key, value, carried) => {
    const input = $('f-' + key);
    if (!input || input.value || !value) return;
    input.value = value;
    if (carried) {
      input.classList.add('carried');
      input.title = t('carried');
    }
  };
  set('so', doc.entry.entry_no, false);
  for (const key of kCarriedFields) set(key, c && c.fields[key], true);
  set('quyen_so', doc.entry.book_no, false);
}

function rememberConfirmed(fields) {
  for (const f of fieldSpecs()) Keying.remember(f.key, fields[f.key], f.kind);
  if (!doc.entry) return;
  const kept = {};
  for (const key of kCarriedFields) if (fields[key]) kept[key] = fields[key];
  const date = (fields.ngay_dang_ky || '').match(/(\d{4})$/);
  carry[doc.entry.book_sha256] = {fields: kept, year: date ? date[1] : bookYear()};
}

function showSuggestion(f, input) {
  const s = input.value ? Keying.suggest(f, input.value, bookYear()) : '';
  const useful = s && s !== input.value;
  input.dataset.suggestion = useful ? s : '';
  const box = $('s-' + f.key);
  if (box) box.textContent = useful ? '↹ ' + s : '';
}

// What a keystroke in a field does: dates get their slashes, names their
// capitals, the suggestion follows, the draft is saved soon after.
function typed(e, f) {
  const input = e.target;
  if (doc && doc.entry) {
    input.classList.remove('carried');
    if (f.kind === 'date') {
      const formatted = Keying.formatDateDigits(input.value);
      if (formatted !== input.value) input.value = formatted;
      const p = $('p-' + f.key);
      if (p) p.textContent = Keying.dateProblem(input.value);
    } else if (f.kind === 'name') {
      const at = input.selectionStart;
      const upper = Keying.upperName(input.value);
      if (upper !== input.value) {
        input.value = upper;
        input.setSelectionRange(at, at);
      }
    }
    showSuggestion(f, input);
  }
  draftDirty = true;
  scheduleDraft();
  scheduleCheck();
}

function acceptSuggestion(f, input, more) {
  const s = input.dataset.suggestion;
  if (!s) return false;
  input.value = s + (more && (f.kind === 'name' || f.kind === 'place') ? ' ' : '');
  draftDirty = true;
  showSuggestion(f, input);
  return true;
}

// Closed lists and the date shorthand: what is typed is never the value
// itself ("n", "13/11"), so Enter takes the suggestion. A name or a place
// typed in full may have a longer one proposed ("AN" -> "ANH"): there Enter
// keeps what is typed and Tab takes the suggestion.
function enterTakesSuggestion(f) {
  return f.kind === 'date' || f.kind === 'sex' || f.lexicon === 'ethnic_groups' || f.lexicon === 'nationalities';
}

// Tab takes the suggestion and stays; Enter moves on to the next field that
// is not carried (taking the suggestion where enterTakesSuggestion), the
// last one confirming.
function entryKey(e, f) {
  const input = e.target;
  if (e.key === 'Tab' && !e.shiftKey && !e.altKey && input.dataset.suggestion) {
    e.preventDefault();
    acceptSuggestion(f, input, true);
    scheduleCheck();
  } else if (e.key === 'Enter' && !e.altKey) {
    e.preventDefault();
    if (enterTakesSuggestion(f)) acceptSuggestion(f, input, false);
    input.value = input.value.trim();
    const specs = fieldSpecs();
    const at = specs.findIndex((s) => s.key === f.key);
    for (let k = at + 1; k < specs.length; ++k) {
      const next = $('f-' + specs[k].key);
      if (next && !next.classList.contains('carried')) {
        saveDraftNow(false);
        next.focus();
        next.select();
        return;
      }
    }
    confirmDoc();
  }
}

// Where field `key` is written: the place the book splitter found, else the
// words its value was read from, else its printed label and the line after it.
function placeOf(key) {
  const places = doc.entry && doc.entry.field_places;
  if (places && places[key]) return places[key];
  const union = (run) => {
    const list = words[run.p].words.slice(run.i, run.i + run.n);
    const x = Math.min(...list.map((w) => w[1]));
    const y = Math.min(...list.map((w) => w[2]));
    const right = Math.max(...list.map((w) => w[1] + w[3]));
    const bottom = Math.max(...list.map((w) => w[2] + w[4]));
    return {page: run.p + 1, x, y, w: right - x, h: bottom - y};
  };
  const read = valueRun(key);
  if (read) return union(read);
  const spec = fieldSpecs().find((s) => s.key === key);
  const label = spec && findRun(spec.label.split(/\s+/).map(fold).filter((w) => w.length > 0));
  if (!label) return null;
  const r = union(label);
  return {page: r.page, x: r.x, y: r.y, w: Math.min(0.97, r.x + 0.85) - r.x, h: r.h * 2.2};
}

// The zoomed crop of where the focused field is written, above its input.
function showCrop(key) {
  const old = $('crop');
  if (old) old.remove();
  if (!doc.entry) return;
  const box = document.querySelector('.field[data-key="' + key + '"]');
  const place = placeOf(key);
  if (!box) return;
  if (!place) {
    box.insertBefore(el('div', {id: 'crop', class: 'crop meta', text: t('no_place')}), box.querySelector('input'));
    return;
  }
  const pad = Math.min(0.03, place.h);
  const region = {x: place.x - 0.02, y: place.y - pad, w: place.w + 0.04, h: place.h + 2 * pad};
  const q = new URLSearchParams();
  for (const k of ['x', 'y', 'w', 'h']) q.set(k, String(Math.max(0, Math.min(1000, Math.round(region[k] * 1000)))));
  const img = el('img', {id: 'crop', class: 'crop', alt: key,
                         src: '/api/documents/' + doc.sha256 + '/pages/' + place.page + '/region.png?' + q.toString()});
  box.insertBefore(img, box.querySelector('input'));
  for (const b of document.querySelectorAll('.box')) b.remove();
  const page = document.querySelector('.page[data-page="' + place.page + '"]');
  if (page) drawBox(page, place).scrollIntoView({block: 'center', behavior: 'auto'});
}

// ---- keying figures and arbitration (issue 18) ----
// Time with each field focused, and keys pressed: the station's productivity
// figures (sohoa report), never a check on the values.
function focusField(key) {
  if (!keying) return;
  const now = performance.now();
  if (keying.focus) keying.fields[keying.focus.key] = (keying.fields[keying.focus.key] || 0) + (now - keying.focus.at) / 1000;
  keying.focus = {key, at: now};
}

function keyingStats() {
  if (!keying) return {};
  focusField(null);
  const field_seconds = {};
  for (const [k, v] of Object.entries(keying.fields)) if (k !== 'null') field_seconds[k] = Math.round(v * 10) / 10;
  return {keystrokes: keying.keys, seconds: Math.round((performance.now() - keying.start) / 100) / 10, field_seconds};
}

// A keying's value as entry mode shows it: the keyings hold canonical
// values (dates YYYY-MM-DD), the typists typed and saw dates as dd/mm/yyyy.
function keyedValue(f, value) {
  const iso = doc.entry && f.kind === 'date' && /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || '');
  return iso ? iso[3] + '/' + iso[2] + '/' + iso[1] : value || '';
}

// The arbiter's form: agreed fields as both keyed them (passed over by
// Enter), the others empty with both values shown; Alt+1 / Alt+2 take one.
function applyArbitration() {
  const [first, second] = arbitration.keyings;
  for (const f of fieldSpecs()) {
    const input = $('f-' + f.key);
    if (!input) continue;
    if (!arbitration.disagreed.includes(f.key)) {
      input.value = keyedValue(f, first.fields[f.key]);
      input.classList.add('carried');
      input.readOnly = true;
      continue;
    }
    input.value = '';
    input.classList.remove('carried');
    const box = input.closest('.field');
    box.classList.add('flagged');
    const pick = (k) => { input.value = keyedValue(f, k.fields[f.key]); scheduleCheck(); };
    const offer = (n, k) => el('button', {type: 'button', text: n + ': ' + (keyedValue(f, k.fields[f.key]) || '—') + ' (' + k.by + ')',
                                          onclick: () => pick(k)});
    box.append(el('div', {class: 'why'}, offer(1, first), offer(2, second)));
    input.addEventListener('keydown', (e) => {
      if (e.altKey && (e.key === '1' || e.key === '2')) { e.preventDefault(); pick(e.key === '1' ? first : second); }
    });
  }
  $('doc-help').textContent = t('arbitrate_help');
  const open = document.querySelector('#doc-form input:not(.carried)');
  if (open) open.focus();
}

// ---- drafts: what is typed is kept on the server, per person and input ----
function scheduleDraft() {
  clearTimeout(draftTimer);
  draftTimer = setTimeout(() => saveDraftNow(false), 400);
}

function saveDraftNow(keepalive) {
  clearTimeout(draftTimer);
  if (!draftDirty || !doc || !session || view !== 'doc' || !$('doc-type')) return;
  draftDirty = false;
  const sha = doc.sha256;
  fetch('/api/documents/' + sha + '/draft', {
    method: 'POST', credentials: 'same-origin', keepalive,
    headers: {'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf},
    body: JSON.stringify({doc_type: $('doc-type').value, fields: values()}),
  }).then((r) => {
    const state = $('draft-state');
    if (r.ok && state && doc && doc.sha256 === sha) state.textContent = t('draft_saved');
  }).catch(() => { draftDirty = true; });
}

function restoreDraft(draft) {
  if (draft.doc_type && draft.doc_type !== $('doc-type').value && doc.doc_types.some((d) => d.key === draft.doc_type)) {
    $('doc-type').value = draft.doc_type;
    renderForm(draft.doc_type);
  }
  for (const f of fieldSpecs()) {
    const input = $('f-' + f.key);
    if (input && draft.fields[f.key] !== undefined) {
      input.value = draft.fields[f.key];
      input.classList.remove('carried');
    }
  }
  $('draft-state').textContent = t('draft_restored', {at: draft.saved_at});
  const first = [...document.querySelectorAll('#doc-form input')].find((i) => !i.value);
  if (first) first.focus();
  scheduleCheck();
}

window.addEventListener('pagehide', () => saveDraftNow(true));

// ---- audit ----
async function openAudit() {
  const r = await api('GET', '/api/audit');
  if (!r.ok) { say(t('error', {msg: errorIn(r)}), 'error'); return; }
  show('audit');
  $('title').textContent = t('title_audit');
  $('audit-table').tHead.replaceChildren(el('tr', {}, ...['at', 'who', 'action', 'target', 'detail'].map((k) => el('th', {text: t(k)}))));
  const body = $('audit-table').tBodies[0];
  body.replaceChildren();
  for (const e of r.data.entries) {
    body.append(el('tr', {}, el('td', {text: e.at}), el('td', {text: e.user}), el('td', {text: e.action}),
                   el('td', {text: e.target}), el('td', {text: e.detail})));
  }
}

// ---- keys ----
document.addEventListener('keydown', (e) => {
  if (view === 'queue') {
    if (e.key === 'ArrowDown' || e.key === 'j') { e.preventDefault(); if (selected + 1 < queue.length) select(selected + 1); }
    else if (e.key === 'ArrowUp' || e.key === 'k') { e.preventDefault(); if (selected > 0) select(selected - 1); }
    else if (e.key === 'Enter' && e.target.tagName !== 'SELECT' && queue.length) { e.preventDefault(); openDoc(selected); }
  } else if (view === 'doc') {
    if (e.key === 'Escape') { e.preventDefault(); openQueue(); }
    else if (e.altKey && (e.key === 'ArrowRight' || e.key === 'PageDown')) { e.preventDefault(); openDoc(selected + 1); }
    else if (e.altKey && (e.key === 'ArrowLeft' || e.key === 'PageUp')) { e.preventDefault(); openDoc(selected - 1); }
    else if (e.altKey && (e.key === '=' || e.key === '+')) { e.preventDefault(); zoom = Math.min(4, zoom * 1.25); applyZoom(); }
    else if (e.altKey && e.key === '-') { e.preventDefault(); zoom = Math.max(0.5, zoom / 1.25); applyZoom(); }
  }
});

async function start() {
  $('login-form').addEventListener('submit', login);
  $('lang-toggle').addEventListener('click', () => {
    lang = lang === 'vi' ? 'en' : 'vi';
    localStorage.setItem('sohoa.lang', lang);
    staticTexts();
    if (view === 'queue') renderQueue();
    else if (view === 'doc') renderForm($('doc-type').value);
    else if (view === 'audit') openAudit();
    else if (view === 'clerk') Clerk.open();
  });
  $('logout').addEventListener('click', async () => { await api('POST', '/api/logout', {}); session = null; showLogin(); });
  $('nav-queue').addEventListener('click', openQueue);
  $('nav-audit').addEventListener('click', openAudit);
  $('zoom-in').addEventListener('click', () => { zoom = Math.min(4, zoom * 1.25); applyZoom(); });
  $('zoom-out').addEventListener('click', () => { zoom = Math.max(0.5, zoom / 1.25); applyZoom(); });
  staticTexts();
  const r = await api('GET', '/api/session');
  if (r.ok && r.data.role === 'clerk') { session = r.data; Clerk.open(); }
  else if (r.ok) { session = r.data; loadCodeLists(); await openQueue(); } else { showLogin(); }
}
start();
