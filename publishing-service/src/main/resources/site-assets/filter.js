// Client-side filtering over the static JSON index: the static site needs no search service.
// /agenda/events.json lists the index shards (one per year events start in, so that one change rewrites one shard);
// they are loaded together and shown in the listings' order: upcoming soonest first, then past latest first.
// Everything coming from the data is inserted with textContent, never as HTML.
// The choices are kept in the page's address (?debut=&fin=&type=&theme=), so a filtered agenda can be bookmarked,
// shared, and comes back with the browser's back button.
(function () {
  'use strict';
  var FIELDS = ['debut', 'fin', 'type', 'theme'];
  var form = document.getElementById('filtre');
  var results = document.getElementById('filtre-resultats');
  var list = document.getElementById('liste');
  var pagination = document.querySelector('nav.pagination');
  if (!form || !window.fetch || !window.Promise || !window.URLSearchParams) { return; }
  function json(url) { return fetch(url).then(function (r) { return r.json(); }); }
  json('/agenda/events.json').then(function (manifest) {
    return Promise.all((manifest.shards || []).map(json));
  }).then(function (shards) {
    var events = [];
    shards.forEach(function (shard) { events = events.concat(shard.events || []); });
    sort(events, Date.now());
    var types = Object.create(null), themes = Object.create(null);
    events.forEach(function (e) {
      (e.types || []).forEach(function (t) { count(types, t); });
      (e.themes || []).forEach(function (t) { count(themes, t); });
    });
    fill(document.getElementById('filtre-type'), labels(types));
    fill(document.getElementById('filtre-theme'), labels(themes));
    form.hidden = false;
    fromAddress();
    apply(events);
    form.addEventListener('change', function () { apply(events); toAddress(); });
  });
  function fromAddress() {
    var query = new URLSearchParams(window.location.search);
    FIELDS.forEach(function (name) {
      var value = query.get(name);
      var field = form.elements[name];
      // A value the form cannot hold (a type no event has any more, a malformed date) is left out.
      if (value !== null && field) {
        field.value = value;
        if (field.value !== value) { field.value = ''; }
      }
    });
  }
  function toAddress() {
    var query = new URLSearchParams();
    FIELDS.forEach(function (name) { if (form.elements[name].value) { query.set(name, form.elements[name].value); } });
    var search = query.toString();
    window.history.replaceState(null, '', window.location.pathname + (search ? '?' + search : ''));
  }
  // Same order as the listing pages; "until" (from the index) is when an event stops being upcoming.
  function sort(events, now) {
    events.forEach(function (e) {
      var start = e.start ? Date.parse(e.start) : null;
      e.upcoming = e.until ? Date.parse(e.until) >= now : false;
      e.time = start;
    });
    events.sort(function (a, b) {
      if (a.upcoming !== b.upcoming) { return a.upcoming ? -1 : 1; }
      if (a.time !== b.time) {
        if (a.time === null) { return 1; }
        if (b.time === null) { return -1; }
        return a.upcoming ? a.time - b.time : b.time - a.time;
      }
      return a.title < b.title ? -1 : a.title > b.title ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
  }
  // Spellings of one key ("Évènement", "Événement") are counted; the list shows the one the listing page's heading
  // shows (SiteBuilder): the most frequent, ties to the smallest string (same UTF-16 order as Java's compareTo).
  function count(byKey, t) {
    var spellings = byKey[t.key] || (byKey[t.key] = Object.create(null));
    spellings[t.label] = (spellings[t.label] || 0) + 1;
  }
  function labels(byKey) {
    var chosen = {};
    Object.keys(byKey).forEach(function (key) {
      var best = null;
      Object.keys(byKey[key]).forEach(function (label) {
        var n = byKey[key][label];
        if (best === null || n > byKey[key][best] || (n === byKey[key][best] && label < best)) { best = label; }
      });
      chosen[key] = best;
    });
    return chosen;
  }
  function fill(select, values) {
    Object.keys(values).sort().forEach(function (key) {
      var option = document.createElement('option');
      option.value = key;
      option.textContent = values[key];
      select.appendChild(option);
    });
  }
  function apply(events) {
    var from = form.debut.value, to = form.fin.value, type = form.type.value, theme = form.theme.value;
    var filtering = !!(from || to || type || theme);
    list.hidden = filtering;
    // The pages of the full listing mean nothing for the filtered list, which shows every match at once.
    if (pagination) { pagination.hidden = filtering; }
    if (!filtering) { results.textContent = ''; return; }
    var matches = events.filter(function (e) {
      // An event matches a date range it overlaps: one running from the 16th to the 18th is on during the 17th; one
      // ending at midnight is not on the day that midnight begins (the index gives its days, whole-day rule applied).
      var first = e.firstDay || '';
      var last = e.lastDay || first;
      return (!(from || to) || first !== '') && (!from || last >= from) && (!to || first <= to)
        && (!type || (e.types || []).some(function (t) { return t.key === type; }))
        && (!theme || (e.themes || []).some(function (t) { return t.key === theme; }));
    });
    results.textContent = '';
    // A heading: the results' h3s follow the page's h1 while the listing (and its h2s) is hidden.
    var count = document.createElement('h2');
    count.textContent = matches.length + ' événement(s)';
    results.appendChild(count);
    var ul = document.createElement('ul');
    ul.className = 'event-list';
    matches.forEach(function (e) {
      var li = document.createElement('li');
      li.className = 'event-card';
      var h = document.createElement('h3');
      var a = document.createElement('a');
      a.href = e.url;
      a.textContent = e.title;
      h.appendChild(a);
      var p = document.createElement('p');
      p.textContent = e.date + (e.cancelled ? ' (annulé)' : '');
      li.appendChild(h);
      li.appendChild(p);
      ul.appendChild(li);
    });
    results.appendChild(ul);
  }
})();
