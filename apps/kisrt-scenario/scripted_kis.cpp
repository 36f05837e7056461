// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt-scenario/scripted_kis.hpp"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "apps/kisrt-scenario/checker.hpp"
#include "net/kis/aes.hpp"
#include "net/kis/control.hpp"
#include "net/kis/encode.hpp"
#include "net/kis/layout.hpp"
#include "net/kis/requests.hpp"

namespace kisrt::scenario {

namespace {

bool encrypted_tr(std::string_view tr_id) {
  auto* l = kis::find_layout(tr_id);
  return l != nullptr && l->encrypted;
}

// A recorded H0STCNT0 record (tests/data/session.txt) with the symbol and
// time replaced: every field parses like a real trade.
constexpr const char* trade_template =
    "005930^093001^71000^2^500^0.71^70950^70500^71500^70400^71100^71000^10^"
    "1234567^87654321000^1200^1300^100^108.33^500000^541667^1^52.01^88.12^"
    "090000^2^500^091500^5^-500^090500^2^600^20250102^20^N^1500^2300^150000^"
    "160000^0.21^1000000^123.45^0^0^71000";

std::vector<std::string> split_fields(std::string_view s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    auto pos = s.find('^', start);
    out.emplace_back(s.substr(start, pos - start));
    if (pos == std::string_view::npos)
      return out;
    start = pos + 1;
  }
}

/// A connection actor's transport to the scripted server: every call goes
/// to the server at once; what the server answers reaches the actor as
/// messages through the transport's events.
class scripted_transport : public net::transport {
public:
  scripted_transport(std::shared_ptr<scripted_kis> server, session_id s,
                     std::uint64_t id, net::transport_events events)
      : server_(std::move(server))
      , s_(s)
      , id_(id)
      , events_(std::move(events)) {
    // nop
  }

  ~scripted_transport() override { end(); }

  void start() override {
    if (started_)
      return;
    started_ = true;
    server_->dial(s_, kis_line{id_, std::move(events_)});
  }

  void send(std::string text) override {
    if (started_ && !ended_)
      server_->receive(s_, id_, text);
  }

  void close() override { end(); }

  void abort() override { end(); }

private:
  void end() {
    if (!started_ || ended_)
      return;
    ended_ = true;
    server_->hang_up(s_, id_);
  }

  std::shared_ptr<scripted_kis> server_;
  session_id s_;
  std::uint64_t id_;
  net::transport_events events_;
  bool started_ = false;
  bool ended_ = false;
};

} // namespace

scripted_kis::scripted_kis(std::size_t n)
    : sessions(n) {
  for (std::size_t i = 0; i < n; ++i)
    sessions[i].hts_id = "hts" + std::to_string(i + 1);
}

connection_deps scripted_kis::deps(session_id s) {
  connection_deps d;
  // The factory keeps the server alive as long as a connection uses it.
  d.make_transport = [server = shared_from_this(),
                      s](net::transport_events events) {
    auto id = ++server->next_line_;
    return std::unique_ptr<net::transport>{
        new scripted_transport(server, s, id, std::move(events))};
  };
  d.fetch_approval = [](net::approval_done done) {
    done(true, "scenario-approval-key");
  };
  return d;
}

bool scripted_kis::accept(session_id s) {
  auto& ks = sessions.at(s);
  ks.accepting = true;
  if (ks.line || !ks.dialing)
    return false;
  auto line = std::move(*ks.dialing);
  ks.dialing.reset();
  connect(s);
  ks.line = std::move(line);
  if (ks.line->events.opened)
    ks.line->events.opened();
  return true;
}

void scripted_kis::drop(session_id s) {
  auto& ks = sessions.at(s);
  ks.accepting = false;
  if (!ks.line)
    return;
  auto line = std::move(*ks.line);
  ks.line.reset();
  disconnect(s);
  if (line.events.closed)
    line.events.closed("read", "connection reset by the server (down)");
}

bool scripted_kis::send(session_id s, std::string text) {
  auto& ks = sessions.at(s);
  if (!ks.line || !ks.line->events.message)
    return false;
  ks.line->events.message(std::move(text));
  return true;
}

void scripted_kis::ping(const std::string& datetime) {
  for (session_id s = 0; s < sessions.size(); ++s)
    send(s, kis::encode_pingpong(datetime));
}

void scripted_kis::forget_lines() {
  for (auto& ks : sessions) {
    ks.line.reset();
    ks.dialing.reset();
  }
}

void scripted_kis::dial(session_id s, kis_line line) {
  auto& ks = sessions.at(s);
  if (ks.accepting && !ks.line) {
    connect(s);
    ks.line = std::move(line);
    if (ks.line->events.opened)
      ks.line->events.opened();
    return;
  }
  // An earlier attempt still waiting was given up by its client.
  ks.dialing = std::move(line);
}

void scripted_kis::receive(session_id s, std::uint64_t id,
                           std::string_view text) {
  auto& ks = sessions.at(s);
  if (!ks.line || ks.line->id != id)
    return; // that connection is gone
  if (text.find("PINGPONG") != std::string_view::npos) {
    kis::control_message msg;
    if (!kis::parse_control(text, msg)
        && msg.kind == kis::control_kind::pingpong) {
      ++pongs;
      return;
    }
  }
  std::vector<kis_frame> answers;
  std::string note;
  on_frame(s, text, clock ? clock() : mono_time{0}, answers, note);
  if (trace && *trace)
    (*trace)("kis " + session_name(s) + " e" + std::to_string(ks.epoch) + " <- "
             + note);
  for (auto& a : answers)
    send(s, std::move(a.text));
}

void scripted_kis::hang_up(session_id s, std::uint64_t id) {
  auto& ks = sessions.at(s);
  if (ks.dialing && ks.dialing->id == id)
    ks.dialing.reset();
  if (!ks.line || ks.line->id != id)
    return;
  auto line = std::move(*ks.line);
  ks.line.reset();
  disconnect(s);
  // The client's own close ends like any other: its transport reports it.
  if (line.events.closed)
    line.events.closed("close", "closed by the client");
}

void scripted_kis::connect(session_id s) {
  auto& ks = sessions.at(s);
  ks.up = true;
  ++ks.epoch;
  ks.registered.clear();
  ks.cursor = ks.log.size();
}

void scripted_kis::disconnect(session_id s) {
  auto& ks = sessions.at(s);
  ks.up = false;
  ks.registered.clear();
}

std::string scripted_kis::decide(session_id s, const wire_entry& e) {
  auto& ks = sessions.at(s);
  if (e.op == wire_op::unsubscribe)
    return ks.registered.count(e.key) != 0 ? "OPSP0001" : "OPSP0003";
  for (auto i = rejects.begin(); i != rejects.end(); ++i) {
    if (i->key != e.key || (i->session && *i->session != s))
      continue;
    auto code = i->msg_cd;
    if (i->remaining > 0 && --i->remaining == 0)
      rejects.erase(i);
    return code;
  }
  if (ks.registered.count(e.key) != 0)
    return "OPSP0002";
  if (ks.registered.size() >= ks.cap)
    return "OPSP0008";
  return "OPSP0000";
}

std::string scripted_kis::answer(session_id s, wire_entry& e,
                                 const std::string& msg_cd) {
  auto& ks = sessions.at(s);
  e.answered = true;
  auto outcome = kis::classify_msg_cd(msg_cd);
  bool live = ks.up && e.epoch == ks.epoch;
  if (live) {
    if (e.op == wire_op::subscribe && kis::is_active(outcome))
      ks.registered.insert(e.key);
    else if (e.op == wire_op::unsubscribe
             && (outcome == kis::ack_outcome::unsubscribed
                 || outcome == kis::ack_outcome::not_subscribed))
      ks.registered.erase(e.key);
  }
  bool with_key = e.op == wire_op::subscribe && kis::is_active(outcome);
  return kis::encode_ack(e.key.tr_id, e.key.tr_key, encrypted_tr(e.key.tr_id),
                         msg_cd, with_key ? aes_key_text : std::string_view{},
                         with_key ? aes_iv_text : std::string_view{});
}

void scripted_kis::on_frame(session_id s, std::string_view frame, mono_time now,
                            std::vector<kis_frame>& out, std::string& note) {
  auto& ks = sessions.at(s);
  kis::subscription_request req;
  auto err = kis::parse_subscription(frame, req);
  if (!err.empty()) {
    note = "bad frame, answered " + std::string{err};
    out.push_back(kis_frame{
        s, ks.epoch,
        kis::encode_ack(req.tr_id, req.tr_key, false, std::string{err})});
    return;
  }
  wire_entry e;
  e.epoch = ks.epoch;
  e.op = req.type == "1" ? wire_op::subscribe : wire_op::unsubscribe;
  e.key = slot_key{req.tr_id, req.tr_key};
  e.at = now;
  ks.log.push_back(e);
  note = to_string(e.op) + " " + e.key.tr_id + " " + e.key.tr_key;
  if (manual) {
    ks.held.push_back(ks.log.size() - 1);
    note += " (held: manual acks)";
    return;
  }
  auto code = decide(s, ks.log.back());
  note += " -> " + code;
  out.push_back(kis_frame{s, ks.epoch, answer(s, ks.log.back(), code)});
}

kis_frame scripted_kis::ack(session_id s, epoch_t epoch, const slot_key& key,
                            const std::string& msg_cd) {
  auto& ks = sessions.at(s);
  for (auto i = ks.held.begin(); i != ks.held.end(); ++i) {
    auto& e = ks.log[*i];
    if (e.epoch == epoch && e.key == key) {
      ks.held.erase(i);
      return kis_frame{s, epoch, answer(s, e, msg_cd)};
    }
  }
  // Nothing outstanding: an unsolicited (or duplicate) answer.
  bool with_key = kis::is_active(kis::classify_msg_cd(msg_cd));
  return kis_frame{
      s, epoch,
      kis::encode_ack(key.tr_id, key.tr_key, encrypted_tr(key.tr_id), msg_cd,
                      with_key ? aes_key_text : std::string_view{},
                      with_key ? aes_iv_text : std::string_view{})};
}

void scripted_kis::answer_held(std::vector<kis_frame>& out) {
  for (session_id s = 0; s < sessions.size(); ++s) {
    auto& ks = sessions[s];
    auto held = std::move(ks.held);
    ks.held.clear();
    for (auto idx : held) {
      auto& e = ks.log[idx];
      if (!ks.up || e.epoch != ks.epoch)
        continue;
      auto code = decide(s, e);
      out.push_back(kis_frame{s, e.epoch, answer(s, e, code)});
    }
  }
}

std::optional<session_id>
scripted_kis::notice_session(std::optional<session_id> preferred,
                             const std::string& tr_id) const {
  auto carries = [&](session_id s) {
    auto& ks = sessions.at(s);
    return ks.up && ks.registered.count(slot_key{tr_id, ks.hts_id}) != 0;
  };
  if (preferred)
    return carries(*preferred) ? preferred : std::nullopt;
  for (session_id s = 0; s < sessions.size(); ++s)
    if (carries(s))
      return s;
  return std::nullopt;
}

std::string scripted_kis::fill_frame(session_id s, bool buy,
                                     const std::string& code, std::int64_t qty,
                                     std::int64_t price,
                                     const std::string& hhmmss,
                                     const std::string& tr_id) {
  // Every fill is its own order: KIS notices carry no fill number, and a
  // receiver drops a repeated (order number, time, quantity, price).
  char order_no[16];
  std::snprintf(order_no, sizeof(order_no), "%010llu",
                static_cast<unsigned long long>(++orders_));
  // H0STCNI0, 26 fields (protocol.md): SELN_BYOV_CLS 01 sell / 02 buy,
  // CNTG_YN 2 = fill.
  std::vector<std::string> f(26);
  f[0] = sessions.at(s).hts_id;
  f[1] = "1234567801";
  f[2] = order_no;
  f[4] = buy ? "02" : "01";
  f[5] = "0";
  f[6] = "00";
  f[7] = "0";
  f[8] = code;
  f[9] = std::to_string(qty);
  f[10] = std::to_string(price);
  f[11] = hhmmss;
  f[12] = "0";
  f[13] = "2";
  f[14] = "2";
  f[15] = "06010";
  f[16] = std::to_string(qty);
  f[17] = "SCENARIO";
  f[19] = "1";
  f[20] = "Y";
  f[24] = code;
  f[25] = std::to_string(price);
  std::string payload;
  kis::append_record(payload, f);
  kis::aes_key key;
  std::string out;
  if (key.set(aes_key_text, aes_iv_text)
      || kis::encode_encrypted_frame(tr_id, 1, payload, key, out))
    return {};
  return out;
}

std::string scripted_kis::data_frame(const slot_key& key,
                                     const std::string& hhmmss) {
  std::vector<std::string> f;
  if (key.tr_id == "H0STCNT0" || key.tr_id == "H0UNCNT0"
      || key.tr_id == "H0NXCNT0") {
    f = split_fields(trade_template);
  } else {
    auto* l = kis::find_layout(key.tr_id);
    f.assign(l != nullptr ? l->width : 2, "0");
  }
  f[0] = key.tr_key;
  f[1] = hhmmss;
  std::string payload;
  kis::append_record(payload, f);
  return kis::encode_frame(key.tr_id, 1, payload);
}

} // namespace kisrt::scenario
