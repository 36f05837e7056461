// SPDX-License-Identifier: Apache-2.0
// The scripted KIS server of the scenario runner: accepts the real
// connection actors' transports (scripted_kis::deps), reads the client's
// subscribe/unsubscribe frames with the server-side codec helpers, records
// every command per session and epoch, and answers like KIS (acks, OPSP0008
// beyond its cap, scripted rejections, or nothing in manual mode) over the
// connection's transport. It also builds the data, notice and PINGPONG
// frames the script asks for. Plain C++: it runs inside the connection
// actors' handlers and the runner's statements, on the deterministic
// scheduler; what it reports to a connection becomes an actor message.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "actors/connection.hpp"
#include "messages/session_messages.hpp"
#include "messages/slot_types.hpp"
#include "net/transport.hpp"

namespace kisrt::scenario {

/// One command as the server read it off the wire.
struct wire_entry {
  epoch_t epoch = 0;
  wire_op op = wire_op::subscribe;
  slot_key key;
  mono_time at{0};
  bool answered = false;
};

/// One connection of a client to the scripted server: the transport's id
/// and where its events go (the connection actor).
struct kis_line {
  std::uint64_t id = 0;
  net::transport_events events;
};

struct kis_session {
  /// A connection is open (accepted by the server).
  bool up = false;
  /// The server accepts this session's connections (`up`; `down` stops).
  bool accepting = false;
  /// Counts the accepted connections: the connection actor counts its
  /// epochs the same way (one per open).
  epoch_t epoch = 0; ///< 0 before the first up
  /// The open connection, if `up`.
  std::optional<kis_line> line;
  /// A connection attempt waiting for the server to accept (like a TCP
  /// connect to a host that does not answer yet).
  std::optional<kis_line> dialing;
  /// Registrations the server accepts (KIS: 41, execution notice included).
  std::uint32_t cap = 41;
  /// Registered keys of the current connection.
  std::set<slot_key> registered;
  /// Every command of every epoch, in arrival order.
  std::vector<wire_entry> log;
  /// `expect sent` matches from here (reset to the end on every up).
  std::size_t cursor = 0;
  /// Manual mode: indices into `log` still waiting for an `ack` line.
  std::deque<std::size_t> held;
  /// The execution notice's tr_key (HTS ID) of this session's account.
  std::string hts_id;
};

/// `server reject TR KEY CODE [count=N] [session=sK]`.
struct reject_rule {
  slot_key key;
  std::string msg_cd;
  int remaining = 1; ///< < 0: every time
  std::optional<session_id> session;
};

/// An answer (or data frame) for the decoder, tagged like the connection
/// tags what it forwards.
struct kis_frame {
  session_id session = 0;
  epoch_t epoch = 0;
  std::string text;
};

class scripted_kis : public std::enable_shared_from_this<scripted_kis> {
public:
  explicit scripted_kis(std::size_t sessions);

  std::vector<kis_session> sessions;
  bool manual = false;
  std::vector<reject_rule> rejects;
  /// The actor clock (the time recorded with each command).
  std::function<mono_time()> clock;
  /// Gets a line per frame read, for --trace (may be empty).
  std::shared_ptr<std::function<void(const std::string&)>> trace;

  /// What session `s`'s real connection actor runs on: transports to this
  /// server and an approval fetcher that always succeeds at once.
  connection_deps deps(session_id s);

  // -- the script's side of the connections
  // ---------------------------------------------------------------

  /// `up sK`: the server accepts `s`'s connections from now on; a waiting
  /// attempt is accepted at once. True when a connection opened.
  bool accept(session_id s);

  /// `down sK`: the server drops `s`'s connection without a close frame
  /// (the connection reads a reset) and accepts no new one until `up`.
  void drop(session_id s);

  /// Sends `text` on `s`'s open connection; false when none is open.
  bool send(session_id s, std::string text);

  /// A PINGPONG with `datetime` on every open connection.
  void ping(const std::string& datetime);

  /// Forgets every connection (the runner's end: breaks the cycle between
  /// the server and the connection actors' event handlers).
  void forget_lines();

  // -- the transports' side
  // ---------------------------------------------------------------

  /// A transport of `s` starts: accepted at once if the server accepts,
  /// else held until `up`.
  void dial(session_id s, kis_line line);

  /// A frame the client wrote on line `id` of `s`: recorded and answered
  /// (nothing if that connection is gone; a PINGPONG echo is read and
  /// dropped).
  void receive(session_id s, std::uint64_t id, std::string_view text);

  /// The client closed (or dropped) line `id` of `s`.
  void hang_up(session_id s, std::uint64_t id);

  std::uint64_t pongs = 0; ///< PINGPONG echoes read

  // -- the server's logic
  // ---------------------------------------------------------------

  /// A new connection of `s`: next epoch, nothing registered.
  void connect(session_id s);

  /// The connection of `s` is gone with its registrations.
  void disconnect(session_id s);

  /// Reads one client frame of `s` (the current connection). A bad frame
  /// is answered with the msg_cd KIS uses; a good one is recorded and, in
  /// auto mode, answered at once. Answers are appended to `out`; `note`
  /// gets a one-line description for the trace.
  void on_frame(session_id s, std::string_view frame, mono_time now,
                std::vector<kis_frame>& out, std::string& note);

  /// `ack s TR KEY CODE [epoch=N]`: answers the oldest held command for
  /// the key in that epoch (applying its effect when the connection is
  /// still the current one) or, if none is held, sends the answer anyway.
  kis_frame ack(session_id s, epoch_t epoch, const slot_key& key,
                const std::string& msg_cd);

  /// Switching back to auto: answers every held command of a live
  /// connection in arrival order; held commands of dead ones are dropped.
  void answer_held(std::vector<kis_frame>& out);

  /// The session carrying the execution notice (registered on the server),
  /// preferring `preferred`; nullopt when none does.
  std::optional<session_id> notice_session(std::optional<session_id> preferred,
                                           const std::string& tr_id) const;

  /// An encrypted H0STCNI0 fill notice for the account of `s`, with a new
  /// order number.
  std::string fill_frame(session_id s, bool buy, const std::string& code,
                         std::int64_t qty, std::int64_t price,
                         const std::string& hhmmss, const std::string& tr_id);

  /// A data frame with one record of `key` (H0STCNT0, H0STASP0 or any TR
  /// with a known layout).
  static std::string data_frame(const slot_key& key, const std::string& hhmmss);

  /// The AES key and iv sent with every SUBSCRIBE SUCCESS.
  static constexpr std::string_view aes_key_text =
      "abcdefghijklmnopabcdefghijklmnop";
  static constexpr std::string_view aes_iv_text = "0123456789abcdef";

private:
  std::uint64_t orders_ = 12344;
  std::uint64_t next_line_ = 0;
  std::string decide(session_id s, const wire_entry& e);
  std::string answer(session_id s, wire_entry& e, const std::string& msg_cd);
};

} // namespace kisrt::scenario
