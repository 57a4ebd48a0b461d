'use strict';
/* exported Keying */
// The keying station's typing aids (issue 18): type-ahead from the code
// lists (/api/codelists), dates typed as digits, names in capitals, and the
// values a person confirmed recently, ranked first. No DOM here: app.js
// wires these to the form; a suggestion is always a whole value the person
// accepts with Tab or Enter, never something filled in behind their back.
const Keying = (() => {
  let lists = null;        // the code lists, prepared for matching
  const recent = {};       // field key -> values confirmed lately, newest first
  const recentWords = [];  // words of names confirmed lately, newest first
  const recentChains = new Map();  // tails of places confirmed lately -> how recent (higher: newer)
  let confirmed = 0;
  const kRecent = 30;
  const kRecentWords = 400;

  // Folded for matching: no diacritics, đ as d, lower case.
  function fold(s) {
    return (s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
  }
  function tokens(s) {
    return fold(s).split(/[\s,.;]+/).filter((w) => w.length > 0);
  }

  function entry(text) {
    return {text, tokens: tokens(text)};
  }

  function setLists(data) {
    const provinces = (data.provinces || []).map(entry);
    const districts = (data.districts || []).map(([name, p]) =>
      entry(name + ', ' + (provinces[p] ? provinces[p].text : '')));
    const communes = (data.communes || []).map(([name, d]) =>
      entry(name + ', ' + (districts[d] ? districts[d].text : '')));
    lists = {
      places: communes.concat(districts, provinces),
      institutions: (data.institutions || []).map(entry),
      ethnic_groups: (data.ethnic_groups || []).map((spellings) =>
        ({text: spellings[0], keys: spellings.map(fold)})),
      nationalities: (data.nationalities || []).map((spellings) =>
        ({text: spellings[0], keys: spellings.map(fold)})),
      surnames: (data.surnames || []).map((spellings) => upperName(spellings[0])),
      sexes: (data.sexes || []).map(([name, code]) => ({text: name, keys: [fold(name), code]})),
    };
  }

  // Do the query's tokens start candidate tokens in order, the first one
  // among the candidate's first three (a unit's type may be left out)?
  // Every query token but the last is a whole word; the last may be partial.
  function tokensMatch(query, candidate) {
    let j = 0;
    for (let i = 0; i < query.length; ++i) {
      const partial = i === query.length - 1;
      const fits = (c) => (partial ? c.startsWith(query[i]) : c === query[i]);
      const limit = i === 0 ? Math.min(3, candidate.length) : candidate.length;
      while (j < limit && !fits(candidate[j])) ++j;
      if (j >= limit) return false;
      ++j;
    }
    return true;
  }

  function remember(key, value, kind) {
    if (!value) return;
    const list = recent[key] || (recent[key] = []);
    const at = list.indexOf(value);
    if (at >= 0) list.splice(at, 1);
    list.unshift(value);
    if (list.length > kRecent) list.pop();
    ++confirmed;
    if (kind === 'place') {  // every tail from a word on, so its chain of units ranks first
      const re = /\S+/g;
      let m;
      while ((m = re.exec(value)) !== null) recentChains.set(value.slice(m.index), confirmed);
    }
    if (kind === 'name') {
      for (const word of value.split(/\s+/)) {
        const w = recentWords.indexOf(word);
        if (w >= 0) recentWords.splice(w, 1);
        if (word) recentWords.unshift(word);
      }
      if (recentWords.length > kRecentWords) recentWords.length = kRecentWords;
    }
  }

  // A recent value of this field that the text begins (folded), if any.
  function recentValue(key, text) {
    const typed = fold(text);
    if (!typed) return '';
    for (const value of recent[key] || []) {
      if (fold(value).startsWith(typed) && value.length > text.length) return value;
    }
    return '';
  }

  // Places: the text's tail (from a word on) completed by an institution or
  // a chain of units; the longest tail that matches wins, recent chains first.
  function suggestPlace(key, text) {
    const fromRecent = recentValue(key, text);
    if (fromRecent) return fromRecent;
    if (!lists) return '';
    const starts = [];
    const re = /\S+/g;
    let m;
    while ((m = re.exec(text)) !== null) starts.push(m.index);
    for (const start of starts) {
      const tail = text.slice(start);
      const query = tokens(tail);
      if (!query.length) continue;
      let best = null;
      for (const list of [lists.institutions, lists.places]) {
        for (const c of list) {
          if (!tokensMatch(query, c.tokens)) continue;
          const score = [-recentUnitRank(c.text), c.tokens.length];
          if (!best || score[0] < best.score[0] || (score[0] === best.score[0] && score[1] < best.score[1])) {
            best = {c, score};
          }
        }
      }
      if (best) {
        const value = text.slice(0, start) + best.c.text;
        if (value.length > text.length || fold(value) !== fold(text)) return value;
      }
    }
    return '';
  }

  // How recently a unit chain ended a confirmed place (0: never).
  function recentUnitRank(chain) {
    return recentChains.get(chain) || 0;
  }

  function suggestFromList(list, text, useRecent, key) {
    const typed = fold(text).trim();
    if (!typed || !list) return '';
    if (useRecent) {
      for (const value of recent[key] || []) if (fold(value).startsWith(typed)) return value;
    }
    for (const item of list) if (item.keys.some((k) => k.startsWith(typed))) return item.text;
    return '';
  }

  // Names: the word being typed completed from the words of names confirmed
  // lately, else (the first word) from the surnames list.
  function suggestName(text) {
    const m = text.match(/(\S+)$/);
    if (!m) return '';
    const partial = fold(m[1]);
    const first = m.index === 0 || !text.slice(0, m.index).trim();
    const words = first && lists ? recentWords.concat(lists.surnames) : recentWords;
    for (const word of words) {
      if (fold(word).startsWith(partial) && word.length > m[1].length) return text.slice(0, m.index) + word;
    }
    return '';
  }

  // "13112020" -> "13/11/2020" while typing: digits only, the slashes are ours.
  function formatDateDigits(text) {
    if (!/^[0-9/]*$/.test(text)) return text;
    const digits = text.replace(/\//g, '').slice(0, 8);
    if (digits.length <= 2) return digits + (text.endsWith('/') && digits.length === 2 ? '/' : '');
    if (digits.length <= 4) return digits.slice(0, 2) + '/' + digits.slice(2);
    return digits.slice(0, 2) + '/' + digits.slice(2, 4) + '/' + digits.slice(4);
  }

  // What is wrong with a date typed so far ('' when nothing yet).
  function dateProblem(text) {
    const m = text.match(/^(\d{1,2})(?:\/(\d{1,2}))?(?:\/(\d{0,4}))?$/);
    if (!m) return /^\d/.test(text) ? 'dd/mm/yyyy' : '';
    const day = Number(m[1]);
    const month = m[2] === undefined ? 0 : Number(m[2]);
    if (m[1].length === 2 && (day < 1 || day > 31)) return 'ngày ' + m[1] + '?';
    if (m[2] && m[2].length === 2 && (month < 1 || month > 12)) return 'tháng ' + m[2] + '?';
    if (m[3] && m[3].length === 4) {
      const year = Number(m[3]);
      const d = new Date(Date.UTC(year, month - 1, day));
      if (d.getUTCDate() !== day || d.getUTCMonth() !== month - 1) return 'ngày ' + text + '?';
    }
    return '';
  }

  // "dd/mm" completed with the year the book is at.
  function suggestDate(text, year) {
    return /^\d{2}\/\d{2}$/.test(text) && year ? text + '/' + year : '';
  }

  function upperName(text) {
    return text.normalize('NFC').toLocaleUpperCase('vi').normalize('NFC');
  }

  // The whole value to propose for what is typed in field `f` ({key, kind,
  // lexicon}); '' for none. `year`: the book's year for dates.
  function suggest(f, text, year) {
    if (!text) return '';
    if (f.kind === 'date') return suggestDate(text, year);
    if (f.kind === 'place') return suggestPlace(f.key, text);
    if (f.kind === 'sex') return suggestFromList(lists && lists.sexes, text, false, f.key);
    if (f.lexicon === 'ethnic_groups' || f.lexicon === 'nationalities') {
      return suggestFromList(lists && lists[f.lexicon], text, true, f.key);
    }
    if (f.kind === 'name') return suggestName(text);
    return '';
  }

  return {fold, setLists, remember, suggest, formatDateDigits, dateProblem, upperName,
          ready: () => lists !== null};
})();
