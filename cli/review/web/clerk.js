'use strict';
/* exported Clerk */
/* global $, el, api, say, show, lang, errorIn, WORDS */
// The clerk's search page (issue 22): a citizen's records by personal ID,
// or by name and birth date, for a stated purpose; each record's PDF opened
// or downloaded, or its extract (the archived PDF/A and a signed cover) as a
// zip. The server logs every search and every opening with the purpose;
// nothing typed here is kept in the browser. Values are inserted as text.
const Clerk = (() => {
  const T = WORDS.clerk;  // from the message catalogue (cli/review/web_words.h)

  // A word with plural forms is {one, other} (cli/review/web_words.cc): the
  // form for vars.n by the language's plural rules.
  function tr(key, vars) {
    let s = (T[lang] && T[lang][key]) || T.en[key] || key;
    if (typeof s === 'object') s = s[new Intl.PluralRules(lang).select(vars.n)] || s.other;
    if (vars) for (const k of Object.keys(vars)) s = s.replace('{' + k + '}', vars[k]);
    return s;
  }

  let last = null;  // the latest answer, redrawn when the language changes

  function field(id, labelKey, attrs) {
    return el('label', {for: id}, tr(labelKey), el('input', Object.assign({id, autocomplete: 'off'}, attrs || {})));
  }

  function renderForm() {
    const view = $('clerk-view');
    const byName = $('clerk-by-name') && $('clerk-by-name').checked;
    const mode = el('fieldset', {id: 'clerk-mode'}, el('legend', {text: tr('by')}),
      el('label', {}, el('input', {type: 'radio', name: 'clerk-by', id: 'clerk-by-holder', checked: !byName,
                                   onchange: renderForm}), tr('by_holder')),
      el('label', {}, el('input', {type: 'radio', name: 'clerk-by', id: 'clerk-by-name', checked: byName,
                                   onchange: renderForm}), tr('by_name')));
    const form = el('form', {id: 'clerk-form', novalidate: true, onsubmit: search}, mode,
      byName ? field('clerk-name', 'name') : field('clerk-holder', 'holder', {inputmode: 'numeric'}),
      byName ? field('clerk-birth', 'birth') : null,
      field('clerk-type', 'type'),
      field('clerk-purpose', 'purpose', {required: true}),
      el('button', {type: 'submit', id: 'clerk-search', class: 'primary', text: tr('search')}),
      el('p', {id: 'clerk-error', class: 'problem', role: 'alert'}));
    view.replaceChildren(form, el('p', {id: 'clerk-summary'}), el('table', {id: 'clerk-results'}),
                         el('p', {class: 'help', text: tr('help')}));
    if (last) renderResults(last);
    (byName ? $('clerk-name') : $('clerk-holder')).focus();
  }

  function recordLink(sha, what, key) {
    return el('a', {href: '/api/clerk/records/' + sha + '/' + what, class: 'clerk-' + key, target: '_blank',
                    rel: 'noopener', text: tr(key)});
  }

  function renderResults(data) {
    $('clerk-summary').textContent = data.count ? tr('found', {n: data.count}) + (data.truncated ? tr('more') : '')
                                                : tr('none');
    const table = $('clerk-results');
    table.replaceChildren();
    if (!data.count) return;
    table.append(el('thead', {}, el('tr', {}, ...['type', 'names', 'register', 'registered', 'status', 'version', '']
      .map((k) => el('th', {text: k ? tr(k === 'type' ? 'type' : k).split(' (')[0] : ''})))));
    const body = el('tbody');
    for (const r of data.records) {
      const actions = el('td', {}, recordLink(r.sha256, 'pdf', 'open'), ' · ',
                         recordLink(r.sha256, 'pdf?download=1', 'download'));
      if (r.status === 'archived') actions.append(' · ', recordLink(r.sha256, 'extract', 'extract'));
      body.append(el('tr', {'data-sha256': r.sha256},
        el('td', {text: (r.doc_type || '?') + (r.result_code ? ' · ' + r.result_code : '')}),
        el('td', {text: (r.names || []).join(', ') + (r.holder_id ? ' — ' + r.holder_id : '')}),
        el('td', {text: (r.number || '?') + (r.book ? ' / ' + r.book : '')}),
        el('td', {text: r.registered_on || ''}),
        el('td', {text: r.status}),
        el('td', {text: String(r.pdf_version)}),
        actions));
    }
    table.append(body);
  }

  async function search(event) {
    event.preventDefault();
    const error = $('clerk-error');
    error.textContent = '';
    const purpose = $('clerk-purpose').value.trim();
    if (!purpose) {
      error.textContent = tr('need_purpose');
      $('clerk-purpose').focus();
      return;
    }
    const body = {purpose, type: $('clerk-type').value.trim()};
    if ($('clerk-holder')) body.holder = $('clerk-holder').value.trim();
    else { body.name = $('clerk-name').value.trim(); body.birth_date = $('clerk-birth').value.trim(); }
    const r = await api('POST', '/api/clerk/search', body);
    if (r.status === 429) {
      error.textContent = tr('too_many', {s: r.data.retry_after});
      return;
    }
    if (!r.ok) {
      error.textContent = tr('error', {msg: errorIn(r)});
      return;
    }
    last = r.data;
    renderResults(last);
  }

  function open() {
    show('clerk');
    $('title').textContent = tr('title');
    say('');
    renderForm();
  }

  return {open};
})();
