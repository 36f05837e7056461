// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt/dashboard.hpp"

#include <cstdio>
#include <map>

#include "apps/kisrt/slots_json.hpp"
#include "net/kis/json_out.hpp"

namespace kisrt::app {

namespace {

const char* html_text = R"html(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kisrt</title>
<link rel="stylesheet" href="/dashboard.css">
<script src="/dashboard.js" defer></script>
</head>
<body>
<header>
  <h1>kisrt</h1>
  <span id="status" class="status">connecting&hellip;</span>
</header>
<section class="cards">
  <div class="card"><div class="label">records/s</div><div class="value" id="rate">-</div></div>
  <div class="card"><div class="label">records</div><div class="value" id="records">-</div></div>
  <div class="card"><div class="label">reconnects</div><div class="value" id="reconnects">-</div></div>
  <div class="card"><div class="label">rejections</div><div class="value" id="rejections">-</div></div>
  <div class="card"><div class="label">evictions</div><div class="value" id="evictions">-</div></div>
  <div class="card"><div class="label">hub dropped</div><div class="value" id="dropped">-</div></div>
  <div class="card"><div class="label">decode errors</div><div class="value" id="decode_errors">-</div></div>
  <div class="card"><div class="label">nodes</div><div class="value" id="nodes">-</div></div>
</section>
<h2>Sessions</h2>
<table id="sessions">
<thead><tr><th>session</th><th>up</th><th class="num">epoch</th><th class="num">used / cap</th><th class="num">learned cap</th><th class="num">reconnects</th></tr></thead>
<tbody></tbody>
</table>
<h2>Slots <span id="slot_count" class="muted"></span></h2>
<table id="slots">
<thead><tr><th>session</th><th>tr_id</th><th>key</th><th>name</th><th>priority</th><th>state</th><th>owners</th><th class="num">last price</th><th class="num">ticks</th><th class="num">age</th></tr></thead>
<tbody></tbody>
</table>
<h2>Latest slot events</h2>
<table id="events">
<thead><tr><th class="num">age</th><th>event</th><th>session</th><th>tr_id</th><th>key</th><th>msg_cd</th><th>detail</th></tr></thead>
<tbody></tbody>
</table>
<footer class="muted">Refreshes every second from <a href="/dashboard.json">/dashboard.json</a>; counters at <a href="/metrics">/metrics</a>.</footer>
</body>
</html>
)html";

const char* js_text = R"js('use strict';
// Polls /dashboard.json and redraws. Every value goes in as text, never
// as markup.
(function () {
  var history = [];
  var priorities = { 0: 'notice', 1: 'holding', 2: 'pick', 3: 'scan' };

  function el(id) { return document.getElementById(id); }

  function cell(row, text, cls) {
    var td = document.createElement('td');
    td.textContent = text === null || text === undefined ? '' : String(text);
    if (cls) td.className = cls;
    row.appendChild(td);
    return td;
  }

  function age(s) {
    if (s === null || s === undefined) return '-';
    if (s < 1) return Math.round(s * 1000) + ' ms';
    if (s < 120) return s.toFixed(1) + ' s';
    if (s < 7200) return Math.round(s / 60) + ' min';
    return Math.round(s / 3600) + ' h';
  }

  function fill(id, rows, draw) {
    var body = el(id).tBodies[0];
    var fresh = document.createElement('tbody');
    rows.forEach(function (r) {
      var tr = document.createElement('tr');
      draw(tr, r);
      fresh.appendChild(tr);
    });
    body.parentNode.replaceChild(fresh, body);
  }

  function draw(d) {
    // Records per second over the last 10 s of polls (one poll apart
    // alone would jump between 0 and bursts).
    var now = Date.now();
    history.push({ at: now, records: d.records_total });
    while (history.length > 2 && now - history[0].at > 10000) history.shift();
    var first = history[0];
    if (history.length > 1 && now > first.at) {
      var rate = (d.records_total - first.records) * 1000 / (now - first.at);
      el('rate').textContent = rate >= 0 ? rate.toFixed(rate < 10 ? 1 : 0) : '-';
    }
    el('records').textContent = d.records_total;
    el('reconnects').textContent = d.reconnects_total;
    el('rejections').textContent = d.rejections_total;
    el('evictions').textContent = d.evictions_total;
    el('dropped').textContent = d.hub_dropped;
    el('decode_errors').textContent = d.decode_errors;
    el('nodes').textContent = d.nodes;
    fill('sessions', d.sessions, function (tr, s) {
      cell(tr, s.name);
      cell(tr, s.up ? 'up' : 'down', s.up ? 'ok' : 'bad');
      cell(tr, s.epoch, 'num');
      cell(tr, s.used + ' / ' + s.cap, 'num');
      cell(tr, s.learned_cap, s.learned_cap < s.cap ? 'num warn' : 'num');
      cell(tr, s.reconnects, 'num');
    });
    el('slot_count').textContent = '(' + d.slots.length + ')';
    fill('slots', d.slots, function (tr, s) {
      tr.className = 'state-' + s.state;
      cell(tr, s.session === null ? '-' : s.session);
      cell(tr, s.tr_id);
      cell(tr, s.key, 'mono');
      cell(tr, s.name);
      cell(tr, s.priority + ' ' + (priorities[s.priority] || ''));
      cell(tr, s.state, 'state');
      cell(tr, s.owners.join(', '));
      cell(tr, s.last_price === null ? '-' : s.last_price.toLocaleString('en-US'), 'num');
      cell(tr, s.ticks, 'num');
      cell(tr, age(s.age_s), 'num');
    });
    fill('events', d.events, function (tr, e) {
      tr.className = 'event-' + e.state;
      cell(tr, age(e.age_s), 'num');
      cell(tr, e.state, 'state');
      cell(tr, e.session === null ? '-' : e.session);
      cell(tr, e.tr_id);
      cell(tr, e.key, 'mono');
      cell(tr, e.msg_cd);
      cell(tr, e.reason);
    });
    var down = d.sessions.filter(function (s) { return !s.up; }).length;
    var st = el('status');
    st.textContent = down ? down + ' session(s) down' : 'live';
    st.className = 'status ' + (down ? 'bad' : 'ok');
    document.body.setAttribute('data-loaded', 'true');
  }

  function poll() {
    fetch('/dashboard.json', { cache: 'no-store', credentials: 'same-origin' })
      .then(function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.json();
      })
      .then(draw)
      .catch(function (err) {
        var st = el('status');
        st.textContent = 'no answer: ' + err.message;
        st.className = 'status bad';
      })
      .then(function () { setTimeout(poll, 1000); });
  }

  poll();
})();
)js";

const char* css_text = R"css(:root { color-scheme: light; }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif;
       margin: 0 24px 24px; color: #1d2430; background: #f5f7fa; }
header { display: flex; align-items: baseline; gap: 16px; }
h1 { font-size: 22px; margin: 16px 0 8px; }
h2 { font-size: 16px; margin: 20px 0 6px; }
.status { padding: 2px 10px; border-radius: 10px; font-weight: 600; }
.status.ok { background: #d9f2e1; color: #145c2e; }
.status.bad { background: #fbe0e0; color: #8a1c1c; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; }
.card { background: #fff; border: 1px solid #d8dee8; border-radius: 6px;
        padding: 8px 14px; min-width: 110px; }
.card .label { color: #5b6778; font-size: 12px; }
.card .value { font-size: 22px; font-weight: 600;
               font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; background: #fff; width: 100%;
        border: 1px solid #d8dee8; }
#sessions { width: auto; min-width: 50%; }
th, td { padding: 3px 8px; text-align: left; border-bottom: 1px solid #edf0f5;
         white-space: nowrap; }
th { background: #e9edf3; font-weight: 600; font-size: 12px; color: #3b4657; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
td.ok { color: #145c2e; font-weight: 600; }
td.bad { color: #8a1c1c; font-weight: 600; }
td.warn { color: #8a5a00; font-weight: 600; }
tr.state-active td.state { color: #145c2e; }
tr.state-pending td.state, tr.state-requested td.state { color: #8a5a00; }
tr.state-rejected td, tr.event-rejected td { background: #fdf0f0; }
tr.state-rejected td.state, tr.event-rejected td.state { color: #8a1c1c;
                                                          font-weight: 600; }
tr.event-evicted td.state, tr.event-stale td.state,
tr.event-starved td.state { color: #8a5a00; font-weight: 600; }
.muted { color: #6b7686; font-size: 12px; font-weight: normal; }
footer { margin-top: 16px; }
)css";

void add_string(std::string& out, const char* key, const std::string& v) {
  out += '"';
  out += key;
  out += "\":";
  kis::append_json_string(out, v);
}

void add_number(std::string& out, const char* key, std::uint64_t v) {
  out += '"';
  out += key;
  out += "\":";
  out += std::to_string(v);
}

std::string seconds(mono_time d) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3f",
                std::chrono::duration<double>(d).count());
  return buf;
}

} // namespace

const std::string& dashboard_html() {
  static const std::string x{html_text};
  return x;
}

const std::string& dashboard_js() {
  static const std::string x{js_text};
  return x;
}

const std::string& dashboard_css() {
  static const std::string x{css_text};
  return x;
}

net::header_list dashboard_headers(const std::string& content_type) {
  return {{"Content-Type", content_type},
          {"Content-Security-Policy",
           "default-src 'none'; script-src 'self'; style-src 'self'; "
           "connect-src 'self'; img-src 'self'; base-uri 'none'; "
           "form-action 'none'; frame-ancestors 'none'"},
          {"X-Content-Type-Options", "nosniff"},
          {"Cache-Control", "no-store"},
          {"Referrer-Policy", "no-referrer"}};
}

std::string dashboard_json(const metrics_input& in,
                           const session_namer_fn& name) {
  auto session_name = [&](session_id id) {
    return name ? name(id) : "s" + std::to_string(id + 1);
  };
  std::map<session_id, std::uint64_t> reconnects;
  std::uint64_t reconnects_total = 0;
  for (auto& c : in.connections) {
    reconnects[c.session] = c.reconnects;
    reconnects_total += c.reconnects;
  }
  std::map<slot_key, const key_activity*> activity;
  if (in.watch)
    for (auto& k : in.watch->keys)
      activity[k.key] = &k;
  std::string out = "{\"sessions\":[";
  bool first = true;
  if (in.slots) {
    for (auto& s : in.slots->sessions) {
      if (!first)
        out += ',';
      first = false;
      out += '{';
      add_string(out, "name", session_name(s.id));
      out += s.up ? ",\"up\":true," : ",\"up\":false,";
      add_number(out, "epoch", s.epoch);
      out += ',';
      add_number(out, "used", s.used);
      out += ',';
      add_number(out, "cap", s.cap);
      out += ',';
      add_number(out, "learned_cap", s.learned_cap);
      out += ',';
      add_number(out, "reconnects", reconnects[s.id]);
      out += '}';
    }
  }
  out += "],\"slots\":[";
  first = true;
  if (in.slots) {
    for (auto& x : in.slots->slots) {
      if (!first)
        out += ',';
      first = false;
      out += "{\"session\":";
      if (x.session == no_session)
        out += "null";
      else
        kis::append_json_string(out, session_name(x.session));
      out += ',';
      add_string(out, "tr_id", x.key.tr_id);
      out += ',';
      add_string(out, "key", x.key.tr_key);
      out += ',';
      add_number(out, "priority", x.level);
      out += ',';
      add_string(out, "state", to_string(x.state));
      out += ",\"owners\":";
      append_owners_json(out, x.owners);
      const key_activity* a = nullptr;
      if (auto it = activity.find(x.key); it != activity.end())
        a = it->second;
      out += ',';
      add_string(out, "name", a ? a->name : std::string{});
      out += ",\"last_price\":";
      out += a && a->has_price ? std::to_string(a->last_price) : "null";
      out += ',';
      add_number(out, "ticks", a ? a->ticks : 0);
      out += ",\"age_s\":";
      out += a && a->ticks > 0 ? seconds(in.now - a->last) : "null";
      out += '}';
    }
  }
  out += "],\"events\":[";
  std::uint64_t rejections = 0;
  std::uint64_t evictions = 0;
  if (in.watch) {
    auto& w = *in.watch;
    for (auto& c : w.rejections_by_msg_cd)
      rejections += c.value;
    for (auto& c : w.evictions_by_reason)
      evictions += c.value;
    first = true;
    for (auto it = w.recent.rbegin(); it != w.recent.rend(); ++it) {
      if (!first)
        out += ',';
      first = false;
      out += "{\"age_s\":" + seconds(in.now - it->at) + ',';
      add_string(out, "state", it->state);
      out += ",\"session\":";
      if (it->session == no_session)
        out += "null";
      else
        kis::append_json_string(out, session_name(it->session));
      out += ',';
      add_string(out, "tr_id", it->key.tr_id);
      out += ',';
      add_string(out, "key", it->key.tr_key);
      out += ',';
      add_string(out, "msg_cd", it->msg_cd);
      out += ',';
      add_string(out, "reason", it->reason);
      out += '}';
    }
  }
  out += "],";
  std::uint64_t records = 0;
  std::uint64_t decode_errors = 0;
  if (in.decoder) {
    for (auto& c : in.decoder->records_by_tr_id)
      records += c.value;
    decode_errors = in.decoder->bad_frames + in.decoder->bad_records;
  }
  add_number(out, "records_total", records);
  out += ',';
  add_number(out, "reconnects_total", reconnects_total);
  out += ',';
  add_number(out, "rejections_total", rejections);
  out += ',';
  add_number(out, "evictions_total", evictions);
  out += ',';
  add_number(out, "hub_dropped",
             in.hub ? in.hub->dropped + in.hub->conflated : 0);
  out += ',';
  add_number(out, "decode_errors", decode_errors);
  out += ',';
  add_number(out, "nodes", in.gate ? in.gate->nodes : 0);
  out += '}';
  return out;
}

} // namespace kisrt::app
