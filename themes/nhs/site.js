/* oversight – default theme ("nhs"). Progressive enhancement only: every page works without it. */
(function () {
  'use strict';

  // 1. Sortable tables: a button in each column heading sorts the body rows by that column.
  function sortKey(row, index) {
    var cell = row.cells[index];
    if (!cell) return '';
    var key = cell.getAttribute('data-sort');
    if (key !== null) return key.trim();
    // The column's name for narrow screens (responsive tables) is not part of the value.
    var text = cell.textContent;
    var heading = cell.querySelector('.nhsuk-table-responsive__heading');
    if (heading && text.indexOf(heading.textContent) === 0) text = text.slice(heading.textContent.length);
    return text.trim();
  }

  function asNumber(text) {
    var m = text.replace(/,/g, '').match(/-?\d+(\.\d+)?/);
    return m ? parseFloat(m[0]) : null;
  }

  function sortTable(table, th, heads) {
    var index = th.cellIndex;
    var numeric = th.classList.contains('numeric');
    var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows).map(function (row, i) {
      var text = sortKey(row, index);
      var key = numeric ? asNumber(text) : text;
      return { row: row, i: i, key: key, blank: key === null || key === '' };
    });
    rows.sort(function (a, b) {
      if (a.blank !== b.blank) return a.blank ? 1 : -1; // blanks last, either way
      var c = 0;
      if (!a.blank) c = numeric ? a.key - b.key : a.key.localeCompare(b.key, undefined, { numeric: true, sensitivity: 'base' });
      return c * dir || a.i - b.i;
    });
    rows.forEach(function (r) { tbody.appendChild(r.row); });
    heads.forEach(function (h) { if (h !== th) h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
  }

  document.querySelectorAll('table.sortable').forEach(function (table) {
    if (!table.tHead || !table.tBodies.length) return;
    var heads = Array.prototype.slice.call(table.tHead.querySelectorAll('th[scope="col"]'));
    heads.forEach(function (th) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener('click', function () { sortTable(table, th, heads); });
    });
  });

  // Things that only make sense with this script running (hints about sorting, the search
  // form) are marked `hidden` in the page and shown here.
  document.querySelectorAll('.js-only').forEach(function (el) { el.hidden = false; });

  // 2. Search: fetch the site's own index, match every term, show up to 50 results.
  var form = document.querySelector('form.search-form');
  if (!form || !window.fetch) return;
  var input = form.querySelector('input[name="q"]');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var nojs = document.getElementById('search-nojs');
  if (!input || !status || !list) return;
  if (nojs) nojs.hidden = true;

  var index = null;
  var timer = null;
  var LIMIT = 50;

  function find(query) {
    var terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    var hits = [];
    index.forEach(function (item, i) {
      var title = String(item.t || '').toLowerCase();
      var text = title + ' ' + String(item.x || '').toLowerCase();
      if (!terms.every(function (term) { return text.indexOf(term) !== -1; })) return;
      var inTitle = terms.filter(function (term) { return title.indexOf(term) !== -1; }).length;
      hits.push({ item: item, score: inTitle, i: i });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.i - b.i; });
    return hits.map(function (h) { return h.item; });
  }

  function render(query) {
    list.textContent = '';
    var q = query.trim().replace(/\s+/g, ' ');
    if (!q) { status.textContent = ''; return; }
    var hits = find(q);
    hits.slice(0, LIMIT).forEach(function (item) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = item.u;
      a.textContent = item.t;
      var kind = document.createElement('span');
      kind.className = 'meta';
      kind.textContent = item.k || '';
      li.appendChild(a);
      li.appendChild(document.createTextNode(' '));
      li.appendChild(kind);
      if (item.x) {
        var p = document.createElement('p');
        p.textContent = item.x;
        li.appendChild(p);
      }
      list.appendChild(li);
    });
    var quoted = '\u2018' + q + '\u2019';
    if (!hits.length) status.textContent = 'No results for ' + quoted;
    else status.textContent = hits.length + (hits.length === 1 ? ' result' : ' results') + ' for ' + quoted +
      (hits.length > LIMIT ? ' (showing the first ' + LIMIT + ')' : '');
  }

  function search() {
    clearTimeout(timer);
    var q = input.value;
    if (window.history && history.replaceState) {
      var url = new URL(window.location.href);
      if (q.trim()) url.searchParams.set('q', q); else url.searchParams.delete('q');
      history.replaceState(null, '', url.toString());
    }
    if (index) render(q);
    else if (q.trim()) status.textContent = 'Loading the search index\u2026';
  }

  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(search, 100);
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    search();
  });

  // Read ?q= from the address, then load the index and run it.
  var initial = new URLSearchParams(window.location.search).get('q');
  if (initial) input.value = initial;
  fetch(form.getAttribute('data-index'), { credentials: 'same-origin' })
    .then(function (response) {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response.json();
    })
    .then(function (data) {
      index = Array.isArray(data) ? data : [];
      if (input.value.trim()) render(input.value);
    })
    .catch(function () {
      status.textContent = 'Search is not available at the moment.';
      if (nojs) nojs.hidden = false;
    });
})();
