// SPDX-License-Identifier: Apache-2.0
// Between the arbiter and the wire side: commands to a connection, session
// up/down from it, acks from the decoder, last-data times from the hub.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>

#include "messages/slot_types.hpp"

namespace kisrt {

enum class wire_op : std::uint8_t { subscribe = 1, unsubscribe = 2 };

std::string to_string(wire_op x);

/// One subscribe/unsubscribe frame for a session. A connection drops
/// commands whose epoch is not its current one (they were planned for a
/// socket that no longer exists).
struct wire_command {
  session_id session = 0;
  epoch_t epoch = 0;
  wire_op op = wire_op::subscribe;
  slot_key key;
  friend bool operator==(const wire_command& a, const wire_command& b) {
    return a.session == b.session && a.epoch == b.epoch && a.op == b.op
           && a.key == b.key;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, wire_command& x) {
  return f(caf::meta::type_name("wire_command"), x.session, x.epoch, x.op,
           x.key);
}

/// The connection of `session` is open and ready for subscribes.
struct session_up {
  session_id session = 0;
  epoch_t epoch = 0;
  friend bool operator==(const session_up& a, const session_up& b) {
    return a.session == b.session && a.epoch == b.epoch;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_up& x) {
  return f(caf::meta::type_name("session_up"), x.session, x.epoch);
}

/// The connection of `session` is gone; its registrations with it.
struct session_down {
  session_id session = 0;
  epoch_t epoch = 0;
  friend bool operator==(const session_down& a, const session_down& b) {
    return a.session == b.session && a.epoch == b.epoch;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_down& x) {
  return f(caf::meta::type_name("session_down"), x.session, x.epoch);
}

/// The server's answer to a subscribe or unsubscribe (decoder -> arbiter).
struct sub_ack {
  session_id session = 0;
  epoch_t epoch = 0;
  slot_key key;
  std::string msg_cd; ///< e.g. "OPSP0000"
  friend bool operator==(const sub_ack& a, const sub_ack& b) {
    return a.session == b.session && a.epoch == b.epoch && a.key == b.key
           && a.msg_cd == b.msg_cd;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, sub_ack& x) {
  return f(caf::meta::type_name("sub_ack"), x.session, x.epoch, x.key,
           x.msg_cd);
}

/// A subscribe or unsubscribe went unanswered for the connection's answer
/// timeout (connection -> arbiter): counted from when the frame went to the
/// socket. The arbiter re-sends it; the key keeps counting against the cap.
struct answer_timeout {
  session_id session = 0;
  epoch_t epoch = 0;
  wire_op op = wire_op::subscribe;
  slot_key key;
  friend bool operator==(const answer_timeout& a, const answer_timeout& b) {
    return a.session == b.session && a.epoch == b.epoch && a.op == b.op
           && a.key == b.key;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, answer_timeout& x) {
  return f(caf::meta::type_name("answer_timeout"), x.session, x.epoch, x.op,
           x.key);
}

/// The answer of the connection's approval fetcher (fetcher -> its own
/// connection, never further): the approval key, or why there is none.
/// The key is a secret: nothing prints this message.
struct approval_result {
  bool ok = false;
  std::string key_or_error;
  friend bool operator==(const approval_result& a, const approval_result& b) {
    return a.ok == b.ok && a.key_or_error == b.key_or_error;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, approval_result& x) {
  return f(caf::meta::type_name("approval_result"), x.ok, x.key_or_error);
}

/// Time of the last data frame of one key.
struct data_seen {
  slot_key key;
  mono_time at{0};
  friend bool operator==(const data_seen& a, const data_seen& b) {
    return a.key == b.key && a.at == b.at;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, data_seen& x) {
  return f(caf::meta::type_name("data_seen"), x.key, x.at);
}

/// Last-data times of one session, batched by the hub (not per tick).
struct data_seen_batch {
  session_id session = 0;
  std::vector<data_seen> items;
  friend bool operator==(const data_seen_batch& a, const data_seen_batch& b) {
    return a.session == b.session && a.items == b.items;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, data_seen_batch& x) {
  return f(caf::meta::type_name("data_seen_batch"), x.session, x.items);
}

} // namespace kisrt
