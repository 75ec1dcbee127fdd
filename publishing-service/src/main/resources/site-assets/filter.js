// Client-side filtering over /agenda/events.json: the static site needs no search service.
// Everything coming from the data is inserted with textContent, never as HTML.
(function () {
  'use strict';
  var form = document.getElementById('filtre');
  var results = document.getElementById('filtre-resultats');
  var list = document.getElementById('liste');
  if (!form || !window.fetch) { return; }
  fetch('/agenda/events.json').then(function (r) { return r.json(); }).then(function (index) {
    var events = index.events || [];
    var types = {}, themes = {};
    events.forEach(function (e) {
      (e.types || []).forEach(function (t) { types[t.key] = t.label; });
      (e.themes || []).forEach(function (t) { themes[t.key] = t.label; });
    });
    fill(document.getElementById('filtre-type'), types);
    fill(document.getElementById('filtre-theme'), themes);
    form.hidden = false;
    form.addEventListener('change', function () { apply(events); });
  });
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
    if (!from && !to && !type && !theme) { results.textContent = ''; list.hidden = false; return; }
    var matches = events.filter(function (e) {
      var day = (e.start || '').substring(0, 10);
      return (!from || day >= from) && (!to || day <= to)
        && (!type || (e.types || []).some(function (t) { return t.key === type; }))
        && (!theme || (e.themes || []).some(function (t) { return t.key === theme; }));
    });
    list.hidden = true;
    results.textContent = '';
    var count = document.createElement('p');
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
