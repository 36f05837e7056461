// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt/metrics.hpp"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <mutex>
#include <sstream>
#include <tuple>

namespace kisrt::app {

// -- the text format ----------------------------------------------------------

std::string escape_label_value(std::string_view x) {
  std::string out;
  out.reserve(x.size());
  for (auto c : x) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string escape_help(std::string_view x) {
  std::string out;
  out.reserve(x.size());
  for (auto c : x) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

void exposition::family(std::string_view name, std::string_view type,
                        std::string_view help) {
  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  out_ += escape_help(help);
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += type;
  out_ += '\n';
}

void exposition::start(std::string_view name, const labels& ls) {
  out_ += name;
  if (!ls.empty()) {
    out_ += '{';
    bool first = true;
    for (auto& [k, v] : ls) {
      if (!first)
        out_ += ',';
      first = false;
      out_ += k;
      out_ += "=\"";
      out_ += escape_label_value(v);
      out_ += '"';
    }
    out_ += '}';
  }
  out_ += ' ';
}

void exposition::sample(std::string_view name, const labels& ls, double value) {
  start(name, ls);
  if (std::isnan(value)) {
    out_ += "NaN";
  } else if (std::isinf(value)) {
    out_ += value > 0 ? "+Inf" : "-Inf";
  } else {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.17g", value);
    out_ += buf;
  }
  out_ += '\n';
}

void exposition::sample(std::string_view name, const labels& ls,
                        std::uint64_t value) {
  start(name, ls);
  out_ += std::to_string(value);
  out_ += '\n';
}

// -- /proc/self ---------------------------------------------------------------

process_stats read_process_stats() {
  process_stats out;
  std::ifstream stat{"/proc/self/stat"};
  std::string line;
  if (!std::getline(stat, line))
    return out;
  // The command name (field 2) may hold spaces: fields count from the
  // last ')'.
  auto close = line.rfind(')');
  if (close == std::string::npos)
    return out;
  std::istringstream rest{line.substr(close + 2)};
  std::vector<std::string> f; // f[0] is field 3 (state)
  for (std::string x; rest >> x;)
    f.push_back(x);
  if (f.size() < 22)
    return out;
  auto ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  auto page = static_cast<double>(sysconf(_SC_PAGESIZE));
  try {
    // utime 14, stime 15, starttime 22, rss 24 (man 5 proc).
    out.cpu_seconds = (std::stod(f[11]) + std::stod(f[12])) / ticks;
    out.resident_bytes = static_cast<std::uint64_t>(std::stod(f[21]) * page);
    auto start_ticks = std::stod(f[19]);
    std::ifstream up{"/proc/uptime"};
    double uptime = 0;
    if (up >> uptime) {
      auto boot = static_cast<double>(::time(nullptr)) - uptime;
      out.start_time_seconds = boot + start_ticks / ticks;
    }
  } catch (const std::exception&) {
    return out;
  }
  if (auto* dir = ::opendir("/proc/self/fd")) {
    std::uint64_t n = 0;
    while (auto* e = ::readdir(dir))
      if (e->d_name[0] != '.')
        ++n;
    ::closedir(dir);
    out.open_fds = n > 0 ? n - 1 : 0; // less the one reading the directory
  }
  std::ifstream limits{"/proc/self/limits"};
  while (std::getline(limits, line)) {
    if (line.rfind("Max open files", 0) == 0) {
      std::istringstream in{line.substr(14)};
      std::uint64_t soft = 0;
      if (in >> soft)
        out.max_fds = soft;
    }
  }
  out.ok = true;
  return out;
}

// -- REST counts --------------------------------------------------------------

namespace {

struct rest_registry {
  std::mutex mtx;
  std::map<std::pair<std::string, bool>, std::uint64_t> counts;
  std::size_t apis = 0;
};

rest_registry& registry() {
  static rest_registry r;
  return r;
}

} // namespace

void count_rest_request(std::string_view api, bool ok) {
  auto& r = registry();
  std::lock_guard<std::mutex> guard{r.mtx};
  std::string name{api};
  if (r.counts.count({name, true}) == 0 && r.counts.count({name, false}) == 0) {
    if (r.apis >= 64)
      name = "other";
    else
      ++r.apis;
  }
  ++r.counts[{name, ok}];
}

std::vector<rest_count> rest_counts() {
  auto& r = registry();
  std::lock_guard<std::mutex> guard{r.mtx};
  std::vector<rest_count> out;
  for (auto& [k, v] : r.counts)
    out.push_back({k.first, k.second ? "ok" : "error", v});
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) {
    return std::tie(a.api, a.outcome) < std::tie(b.api, b.outcome);
  });
  return out;
}

std::string rest_api_of(std::string_view target) {
  target = target.substr(0, target.find('?'));
  auto slash = target.rfind('/');
  auto last =
      slash == std::string_view::npos ? target : target.substr(slash + 1);
  std::string out;
  for (auto c : last.substr(0, 48))
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9') || c == '-' || c == '_')
      out += c;
  return out.empty() ? "unknown" : out;
}

// -- rendering ----------------------------------------------------------------

std::string render_metrics(const metrics_input& in,
                           const session_namer_fn& name) {
  exposition x;
  auto session_label = [&](session_id id) {
    if (id == no_session)
      return std::string{"none"};
    return name ? name(id) : "s" + std::to_string(id + 1);
  };
  using u64 = std::uint64_t;
  if (in.slots) {
    auto& snap = *in.slots;
    x.family("kisrt_session_up", "gauge",
             "1 while the session's WebSocket is open and ready, else 0.");
    for (auto& s : snap.sessions)
      x.sample("kisrt_session_up", {{"session", session_label(s.id)}},
               u64{s.up ? 1u : 0u});
    x.family("kisrt_session_epoch", "gauge",
             "Connection epoch of the session (one more per connect).");
    for (auto& s : snap.sessions)
      x.sample("kisrt_session_epoch", {{"session", session_label(s.id)}},
               u64{s.epoch});
    x.family("kisrt_slot_cap", "gauge",
             "Configured subscription capacity of the session.");
    for (auto& s : snap.sessions)
      x.sample("kisrt_slot_cap", {{"session", session_label(s.id)}},
               u64{s.cap});
    x.family("kisrt_slot_learned_cap", "gauge",
             "Capacity as learned from the server (lowered by OPSP0008).");
    for (auto& s : snap.sessions)
      x.sample("kisrt_slot_learned_cap", {{"session", session_label(s.id)}},
               u64{s.learned_cap});
    x.family("kisrt_slots", "gauge",
             "Slots by session, state and priority (session \"none\": "
             "demand without a place).");
    std::map<std::tuple<std::string, std::string, int>, u64> by;
    for (auto& s : snap.slots)
      ++by[{session_label(s.session), to_string(s.state),
            static_cast<int>(s.level)}];
    for (auto& [k, n] : by)
      x.sample("kisrt_slots",
               {{"session", std::get<0>(k)},
                {"state", std::get<1>(k)},
                {"priority", std::to_string(std::get<2>(k))}},
               n);
  }
  if (in.decoder) {
    auto& d = *in.decoder;
    x.family("kisrt_records_total", "counter",
             "Data records decoded into events, by tr_id.");
    for (auto& c : d.records_by_tr_id)
      x.sample("kisrt_records_total", {{"tr_id", c.label}}, c.value);
    x.family("kisrt_frames_total", "counter",
             "WebSocket messages received, by session.");
    for (std::size_t i = 0; i < d.frames_by_session.size(); ++i)
      x.sample("kisrt_frames_total",
               {{"session", session_label(static_cast<session_id>(i))}},
               d.frames_by_session[i]);
    x.family("kisrt_decode_errors_total", "counter",
             "Messages or records that did not decode, by kind.");
    for (auto& c : d.errors_by_kind)
      x.sample("kisrt_decode_errors_total", {{"kind", c.label}}, c.value);
    x.family("kisrt_notices_total", "counter",
             "Execution notices received (domestic and overseas).");
    x.sample("kisrt_notices_total", d.notices);
  }
  if (!in.connections.empty()) {
    x.family("kisrt_reconnects_total", "counter",
             "Connects of the session after its first.");
    for (auto& c : in.connections)
      x.sample("kisrt_reconnects_total",
               {{"session", session_label(c.session)}}, c.reconnects);
  }
  if (in.watch) {
    auto& w = *in.watch;
    x.family("kisrt_subscribe_rejections_total", "counter",
             "Subscribes the server refused, by msg_cd.");
    for (auto& c : w.rejections_by_msg_cd)
      x.sample("kisrt_subscribe_rejections_total", {{"msg_cd", c.label}},
               c.value);
    x.family("kisrt_evictions_total", "counter",
             "Slots given up by the arbiter, by reason.");
    for (auto& c : w.evictions_by_reason)
      x.sample("kisrt_evictions_total", {{"reason", c.label}}, c.value);
  }
  if (in.hub) {
    x.family("kisrt_hub_dropped_total", "counter",
             "Events dropped or conflated for slow subscribers.");
    x.sample("kisrt_hub_dropped_total", in.hub->dropped + in.hub->conflated);
  }
  if (in.slots && in.watch) {
    x.family("kisrt_last_data_age_seconds", "gauge",
             "Seconds since the last data of a holding (priority 1) or pick "
             "(priority 2) with a place; +Inf before the first.");
    std::map<slot_key, mono_time> last;
    for (auto& k : in.watch->keys)
      last[k.key] = k.last;
    std::map<slot_key, double> ages;
    for (auto& s : in.slots->slots) {
      if (s.level != holding_priority && s.level != pick_priority)
        continue;
      if (s.session == no_session)
        continue;
      auto it = last.find(s.key);
      double age = std::numeric_limits<double>::infinity();
      if (it != last.end())
        age = std::max(
            0.0, std::chrono::duration<double>(in.now - it->second).count());
      ages[s.key] = age;
    }
    for (auto& [k, age] : ages)
      x.sample("kisrt_last_data_age_seconds",
               {{"tr_id", k.tr_id}, {"key", k.tr_key}}, age);
  }
  {
    x.family("kisrt_rest_requests_total", "counter",
             "REST requests to KIS by api and outcome (ok, error).");
    std::map<std::pair<std::string, std::string>, u64> by;
    for (auto& r : in.rest)
      by[{r.api, r.outcome}] += r.value;
    for (auto& c : in.connections) {
      by[{"approval", "ok"}] += c.approvals;
      by[{"approval", "error"}] += c.approval_failures;
    }
    for (auto& [k, n] : by)
      x.sample("kisrt_rest_requests_total",
               {{"api", k.first}, {"outcome", k.second}}, n);
  }
  if (in.gate || !in.publishing) {
    x.family("kisrt_nodes_connected", "gauge",
             "Remote nodes connected to the node gate.");
    x.sample("kisrt_nodes_connected", u64{in.gate ? in.gate->nodes : 0u});
  }
  if (in.stream) {
    auto& s = *in.stream;
    x.family("kisrt_stream_clients", "gauge",
             "Clients connected to the WebSocket stream.");
    x.sample("kisrt_stream_clients", s.clients);
    x.family("kisrt_stream_connections_total", "counter",
             "Stream connections by outcome (accepted, refused: bad "
             "upgrade, TLS or token; busy: stream.max_clients).");
    x.sample("kisrt_stream_connections_total", {{"outcome", "accepted"}},
             s.accepted);
    x.sample("kisrt_stream_connections_total", {{"outcome", "refused"}},
             s.refused);
    x.sample("kisrt_stream_connections_total", {{"outcome", "busy"}}, s.busy);
    x.family("kisrt_stream_slow_disconnects_total", "counter",
             "Stream clients disconnected because they could not keep up "
             "(stream.max_queue).");
    x.sample("kisrt_stream_slow_disconnects_total", s.slow);
    x.family("kisrt_stream_frames_total", "counter",
             "JSON frames written to stream clients.");
    x.sample("kisrt_stream_frames_total", s.sent);
    x.family("kisrt_stream_conflated_total", "counter",
             "Quotes replaced in a stream client's queue by a newer one.");
    x.sample("kisrt_stream_conflated_total", s.conflated);
  }
  if (in.process.ok) {
    auto& p = in.process;
    x.family("process_resident_memory_bytes", "gauge",
             "Resident memory size in bytes.");
    x.sample("process_resident_memory_bytes", p.resident_bytes);
    x.family("process_cpu_seconds_total", "counter",
             "Total user and system CPU time spent in seconds.");
    x.sample("process_cpu_seconds_total", p.cpu_seconds);
    x.family("process_open_fds", "gauge", "Number of open file descriptors.");
    x.sample("process_open_fds", p.open_fds);
    if (p.max_fds > 0) {
      x.family("process_max_fds", "gauge",
               "Maximum number of open file descriptors.");
      x.sample("process_max_fds", p.max_fds);
    }
    if (p.start_time_seconds > 0) {
      x.family("process_start_time_seconds", "gauge",
               "Start time of the process since unix epoch in seconds.");
      x.sample("process_start_time_seconds", p.start_time_seconds);
    }
  }
  return x.text();
}

} // namespace kisrt::app
