// SPDX-License-Identifier: Apache-2.0
// What the node gate accepts from a node, as plain functions: the form of a
// (tr_id, tr_key) a node may subscribe to or request, and node names made
// safe for logs and error texts. kisrt-node checks its command line with
// the same functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "messages/slot_types.hpp"

namespace kisrt {

/// Longest tr_key a node may send (the overseas forms are the longest:
/// `D`/`R` + exchange + symbol).
constexpr std::size_t max_node_key = 24;

/// True for the execution-notice TRs (H0STCNI0/H0STCNI9, H0GSCNI0/...,
/// every encrypted TR and its paper id): they carry an account's fills and
/// their tr_key is the HTS ID, so a node never asks for them.
bool is_notice_tr(std::string_view tr_id) noexcept;

/// What a node does with a key: subscribe to the events the gateway already
/// receives (never touches KIS), or request a slot (a subscribe to KIS).
enum class node_use { subscribe, request };

/// Empty when a node may use `key`, else why not (names the TR and the key,
/// printable). Execution-notice TRs are never requestable (their tr_key is
/// an HTS ID; a wrong one makes KIS drop the whole session); a node may
/// subscribe to them (the notices arrive through the journal) with no
/// tr_key or an HTS ID. Any other tr_id must have a layout and its tr_key
/// the form of its TR (kis::check_key, net/kis/key_form.hpp; at most
/// max_node_key bytes). An empty tr_key (every key of the tr_id) is
/// allowed only if `allow_empty`.
std::string check_node_key(const slot_key& key, bool allow_empty,
                           node_use use = node_use::request);

/// `s` for a log line or an error text: at most `max` bytes of it, with
/// control characters, quotes, backslashes and non-ASCII bytes escaped as
/// \xNN, so a name cannot forge a log line; a cut is marked with "...".
std::string printable(std::string_view s, std::size_t max = 64);

/// Owner name of a node's requests at the arbiter.
std::string node_owner(const std::string& name);

} // namespace kisrt
