// SPDX-License-Identifier: Apache-2.0
#include "actors/connection_core.hpp"

#include <algorithm>

#include "net/kis/control.hpp"
#include "net/kis/requests.hpp"

namespace kisrt {

namespace {

std::string seconds(mono_time d) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  return std::to_string(ms / 1000) + "." + std::to_string((ms % 1000) / 100)
         + " s";
}

} // namespace

std::string_view to_string(conn_state x) noexcept {
  switch (x) {
    case conn_state::idle: return "idle";
    case conn_state::approving: return "approving";
    case conn_state::connecting: return "connecting";
    case conn_state::open: return "open";
    case conn_state::waiting: return "waiting";
  }
  return "idle";
}

connection_core::connection_core(connection_config cfg, std::uint64_t seed)
    : cfg_(std::move(cfg))
    , backoff_(cfg_.backoff_min, cfg_.backoff_max, cfg_.stable_after, seed)
    , bucket_(cfg_.send_rate, cfg_.send_burst) {
  // nop
}

void connection_core::start(mono_time now, actions& out) {
  if (state_ != conn_state::idle)
    return;
  attempt(now, out);
}

void connection_core::stop(mono_time now, actions& out) {
  if (state_ == conn_state::open || state_ == conn_state::connecting) {
    out.push_back({conn_action::close, {}, epoch_, transport_});
    if (state_ == conn_state::open)
      out.push_back({conn_action::down, {}, epoch_, transport_});
  }
  backoff_.closed(now);
  queue_.clear();
  waiting_.clear();
  renewing_ = false;
  state_ = conn_state::idle;
  ++transport_; // late events of the old transport are ignored
}

void connection_core::attempt(mono_time now, actions& out) {
  if (approval_.empty() || now - approval_at_ >= cfg_.approval_max_age) {
    // A renewal's answer still out is superseded by this request.
    renewing_ = false;
    state_ = conn_state::approving;
    out.push_back({conn_action::fetch_approval});
    return;
  }
  state_ = conn_state::connecting;
  ++transport_;
  ++stats_.connects;
  out.push_back({conn_action::connect, {}, 0, transport_});
}

void connection_core::approval_ok(mono_time now, std::string key,
                                  actions& out) {
  if (renewing_) {
    renewed(now, std::move(key), out);
    return;
  }
  if (state_ != conn_state::approving)
    return;
  if (key.empty()) {
    // Never subscribe with an empty key: the server answers OPSP0011 to
    // every frame while PINGPONG keeps the socket alive.
    approval_failed(now, "the approval key in the answer is empty", out);
    return;
  }
  approval_ = std::move(key);
  approval_at_ = now;
  attempt(now, out);
}

void connection_core::approval_failed(mono_time now, std::string_view why,
                                      actions& out) {
  if (renewing_) {
    // The old key still serves the open connection: ask again later.
    renewing_ = false;
    renew_check_at_ = now + cfg_.quiet_check;
    out.push_back(
        {conn_action::log, "approval key renewal failed: " + std::string{why}
                               + "; the connection keeps its key"});
    return;
  }
  if (state_ != conn_state::approving)
    return;
  out.push_back(
      {conn_action::log, "approval key request failed: " + std::string{why}});
  schedule_retry(now, mono_time{0}, out);
}

void connection_core::opened(mono_time now, std::uint64_t transport,
                             actions& out) {
  if (transport != transport_ || state_ != conn_state::connecting)
    return;
  state_ = conn_state::open;
  ++epoch_;
  last_rx_ = now;
  backoff_.opened(now);
  queue_.clear(); // commands of an older epoch are void
  waiting_.clear();
  missed_in_a_row_ = 0;
  out.push_back({conn_action::up, {}, epoch_, transport_});
}

void connection_core::closed(mono_time now, std::uint64_t transport,
                             std::string_view why, actions& out) {
  if (transport != transport_)
    return;
  if (state_ != conn_state::open && state_ != conn_state::connecting)
    return;
  lost(now, why, out);
}

void connection_core::lost(mono_time now, std::string_view why, actions& out) {
  auto was_open = state_ == conn_state::open;
  if (was_open)
    out.push_back({conn_action::down, {}, epoch_, transport_});
  out.push_back({conn_action::log, "connection lost: " + std::string{why}});
  backoff_.closed(now);
  queue_.clear();
  waiting_.clear();
  missed_in_a_row_ = 0;
  ++stats_.reconnects;
  schedule_retry(now, retry_floor_, out);
  retry_floor_ = mono_time{0};
}

void connection_core::schedule_retry(mono_time now, mono_time floor,
                                     actions& out) {
  auto delay = backoff_.next(floor);
  retry_at_ = now + delay;
  state_ = conn_state::waiting;
  out.push_back({conn_action::log, "next attempt in " + seconds(delay)});
}

void connection_core::received(mono_time now, std::uint64_t transport,
                               std::string text, actions& out) {
  if (transport != transport_ || state_ != conn_state::open)
    return;
  last_rx_ = now;
  if (!text.empty() && text.front() == '{') {
    kis::control_message msg;
    if (!kis::parse_control(text, msg)) {
      if (msg.kind == kis::control_kind::pingpong) {
        // Echo the exact text as a text frame, ahead of any paced command.
        ++stats_.pingpongs;
        out.push_back({conn_action::send, std::move(text), epoch_, transport_});
        return;
      }
      if (msg.outcome == kis::ack_outcome::app_key_in_use) {
        ++stats_.in_use;
        retry_floor_ = cfg_.in_use_backoff;
        out.push_back({conn_action::abort, {}, epoch_, transport_});
        lost(now, "OPSP8996: app key in use by another session", out);
        return;
      }
      if (msg.kind == kis::control_kind::ack)
        answered(msg.tr_id, msg.tr_key);
      if (msg.outcome == kis::ack_outcome::invalid_approval) {
        // The server does not know our approval key (it restarted, or the
        // key expired): every subscribe on this socket would get the same
        // answer while PINGPONG keeps it alive. Fetch a new key and
        // reconnect; the new epoch replays the plan. The answer is not
        // forwarded: the session goes down, which frees its keys, and a
        // rejection would only delay their replay by a retry backoff.
        rekey(now, "OPSP0011: the server does not know the approval key", out);
        return;
      }
    }
  }
  out.push_back({conn_action::forward, std::move(text), epoch_, transport_});
}

void connection_core::command(mono_time now, const wire_command& cmd,
                              actions& out) {
  if (state_ != conn_state::open || cmd.epoch != epoch_
      || cmd.session != cfg_.session) {
    ++stats_.dropped_commands;
    return;
  }
  queue_.push_back(cmd);
  drain(now, out);
}

void connection_core::rekey(mono_time now, std::string_view why, actions& out) {
  ++stats_.rekeys;
  approval_.clear();
  out.push_back(
      {conn_action::warn,
       std::string{why} + ": fetching a new approval key and reconnecting"});
  out.push_back({conn_action::abort, {}, epoch_, transport_});
  lost(now, why, out);
}

void connection_core::maybe_renew(mono_time now, actions& out) {
  if (!cfg_.quiet || renewing_ || now - approval_at_ < cfg_.approval_max_age
      || now < renew_check_at_)
    return;
  if (!cfg_.quiet(now)) {
    renew_check_at_ = now + cfg_.quiet_check;
    return;
  }
  // The connection stays open until the new key is there.
  renewing_ = true;
  auto age =
      std::chrono::duration_cast<std::chrono::minutes>(now - approval_at_)
          .count();
  out.push_back(
      {conn_action::log, "the approval key is " + std::to_string(age / 60)
                             + " h " + std::to_string(age % 60)
                             + " min old: renewing it outside market hours"});
  out.push_back({conn_action::fetch_approval});
}

void connection_core::renewed(mono_time now, std::string key, actions& out) {
  renewing_ = false;
  if (key.empty()) {
    renew_check_at_ = now + cfg_.quiet_check;
    out.push_back({conn_action::warn, "approval key renewal: the approval key "
                                      "in the answer is empty"});
    return;
  }
  approval_ = std::move(key);
  approval_at_ = now;
  if (state_ != conn_state::open)
    return; // the next attempt uses the new key
  // Registrations are tied to the key they were made with: a new socket
  // with a new epoch, whose plan the arbiter replays.
  ++stats_.renewals;
  out.push_back(
      {conn_action::log, "new approval key: reconnecting with a new epoch"});
  out.push_back({conn_action::close, {}, epoch_, transport_});
  out.push_back({conn_action::down, {}, epoch_, transport_});
  backoff_.closed(now);
  queue_.clear();
  waiting_.clear();
  missed_in_a_row_ = 0;
  attempt(now, out);
}

void connection_core::answered(const std::string& tr_id,
                               const std::string& tr_key) {
  // Any answer, also a late one, shows the server still answers.
  missed_in_a_row_ = 0;
  auto i =
      std::find_if(waiting_.begin(), waiting_.end(), [&](const in_flight& x) {
        return x.cmd.key.tr_id == tr_id && x.cmd.key.tr_key == tr_key;
      });
  if (i != waiting_.end())
    waiting_.erase(i);
}

void connection_core::check_answers(mono_time now, actions& out) {
  std::vector<wire_command> missed;
  while (!waiting_.empty() && waiting_.front().deadline <= now) {
    missed.push_back(waiting_.front().cmd);
    waiting_.pop_front();
  }
  if (missed.empty())
    return;
  stats_.answer_timeouts += missed.size();
  missed_in_a_row_ += static_cast<std::uint32_t>(missed.size());
  if (cfg_.answer_timeouts_to_recycle > 0
      && missed_in_a_row_ >= cfg_.answer_timeouts_to_recycle) {
    // The server reads but does not answer (a stall, a half-dead
    // socket): a new connection replays every key with a new epoch.
    ++stats_.recycled;
    out.push_back({conn_action::warn, std::to_string(missed_in_a_row_)
                                          + " answers in a row missing for "
                                          + seconds(cfg_.answer_timeout)
                                          + ": recycling the connection"});
    out.push_back({conn_action::abort, {}, epoch_, transport_});
    lost(now, "answers missing", out);
    return;
  }
  for (auto& cmd : missed) {
    out.push_back({conn_action::warn, "no answer to " + to_string(cmd.op) + " "
                                          + cmd.key.tr_id + " " + cmd.key.tr_key
                                          + " within "
                                          + seconds(cfg_.answer_timeout)});
    out.push_back({conn_action::timeout, {}, epoch_, transport_, cmd});
  }
}

void connection_core::drain(mono_time now, actions& out) {
  if (approval_.empty() && !queue_.empty()) {
    // Not reachable through approval_ok(), which refuses an empty key;
    // held rather than ever sent with "approval_key":"".
    rekey(now, "no approval key", out);
    return;
  }
  while (!queue_.empty() && bucket_.try_take(now)) {
    const auto& cmd = queue_.front();
    auto type = cmd.op == wire_op::subscribe ? kis::tr_type::subscribe
                                             : kis::tr_type::unsubscribe;
    out.push_back({conn_action::send,
                   kis::encode_subscription(approval_, type, cmd.key.tr_id,
                                            cmd.key.tr_key, cfg_.custtype),
                   epoch_, transport_});
    ++stats_.sent;
    waiting_.push_back({cmd, now + cfg_.answer_timeout});
    queue_.pop_front();
  }
}

void connection_core::tick(mono_time now, actions& out) {
  switch (state_) {
    case conn_state::waiting:
      if (now >= retry_at_)
        attempt(now, out);
      break;
    case conn_state::open:
      if (now - last_rx_ >= cfg_.idle_timeout) {
        ++stats_.watchdog_fired;
        out.push_back({conn_action::abort, {}, epoch_, transport_});
        lost(now, "idle watchdog: no message for " + seconds(now - last_rx_),
             out);
        return;
      }
      check_answers(now, out);
      if (state_ != conn_state::open)
        return;
      maybe_renew(now, out);
      if (state_ != conn_state::open)
        return;
      drain(now, out);
      break;
    default: break;
  }
}

std::optional<mono_time> connection_core::next_wakeup(mono_time now) {
  switch (state_) {
    case conn_state::waiting: return retry_at_;
    case conn_state::open: {
      auto at = last_rx_ + cfg_.idle_timeout;
      if (!queue_.empty())
        at = std::min(at, bucket_.next_token(now));
      if (!waiting_.empty())
        at = std::min(at, waiting_.front().deadline);
      if (cfg_.quiet && !renewing_)
        at = std::min(at, std::max(approval_at_ + cfg_.approval_max_age,
                                   renew_check_at_));
      return at;
    }
    default: return std::nullopt;
  }
}

} // namespace kisrt
