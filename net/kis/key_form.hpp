// SPDX-License-Identifier: Apache-2.0
// The one check of a (tr_id, tr_key) pair before anything is subscribed:
// the TR must have a layout (tr-fields.json) and the key must have the
// form KIS writes for that TR's family. The configuration, `--set`, the
// callback facade, the node gate, kisrt-node's command line and the picks
// loader all ask here, so a malformed key is refused where it enters and
// never spends a slot.
#pragma once

#include <string>
#include <string_view>

namespace kisrt::kis {

/// The families of tr_key KIS takes.
enum class key_kind {
  stock,      ///< domestic stock, ETF, ETN: 6 digits/capitals (005930)
  elw,        ///< ELW: 6 digits/capitals (57LA24)
  index,      ///< domestic index: 4 digits (0001 KOSPI, 1001 KOSDAQ)
  derivative, ///< futures/options: 6 to 9 digits/capitals (101W09, 201W08427)
  bond,       ///< bond standard code: 2 capitals + 10 digits/capitals
  bond_index, ///< bond index id: 6 capitals/digits (KBPR01)
  overseas,   ///< D or R + exchange + symbol (DNASAAPL, RBAQAAPL, RHKS00003)
  overseas_derivative, ///< overseas futures/options series (SPIU25)
  hts_id,              ///< execution notices: the user's HTS ID
};

/// The family of `tr_id`'s key, or false when `tr_id` has no layout.
bool key_kind_of(std::string_view tr_id, key_kind& out) noexcept;

/// A phrase naming the form, e.g. "a domestic stock code: 6 digits or
/// capital letters (005930)".
std::string_view key_form_text(key_kind kind) noexcept;

/// A key of that family's form, for tests and messages.
std::string_view key_example(key_kind kind) noexcept;

/// True when `key` has the form of `kind`.
bool has_key_form(key_kind kind, std::string_view key) noexcept;

/// The exchanges an overseas key may name (the second to fourth
/// characters): NAS NYS AMS (US), BAQ BAY BAA (US day session), HKS, TSE,
/// SHS SZS SHI SZI (China), HSX HNX (Vietnam).
bool is_overseas_exchange(std::string_view code) noexcept;

/// `D` or `R`, a known exchange and a symbol of 1 to 16 capital letters,
/// digits or '.': an overseas stock key.
bool is_overseas_key(std::string_view key) noexcept;

/// Empty when `tr_id` has a layout and `key` has its family's form; else
/// one line naming the TR, the key (quoted, bounded, escaped) and the
/// expected form: "H0STCNT0 key 'AAPL' is not a domestic stock code: 6
/// digits or capital letters (005930)" or "unknown tr_id 'H0NOPE00' (no
/// layout in tr-fields.json)".
std::string check_key(std::string_view tr_id, std::string_view key);

/// Only the TR half of check_key: empty, or "unknown tr_id '...' (no
/// layout in tr-fields.json)".
std::string check_tr(std::string_view tr_id);

/// `s` quoted for a message: at most 32 bytes, control, quote, backslash
/// and non-ASCII bytes as \xNN, a cut marked "...(N bytes)".
std::string quote_key(std::string_view s);

} // namespace kisrt::kis
