// SPDX-License-Identifier: Apache-2.0
// The record of every TR that has a layout but no typed record: its key and
// its fields as text, in wire order. One string per record (the fields as
// they came, '^'-separated), no allocation per field; names come from the
// layout (kis::find_layout) when read.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "net/kis/error.hpp"
#include "net/kis/frame.hpp"
#include "net/kis/layout.hpp"

namespace kisrt::kis {

struct generic_record {
  /// The key it is subscribed under (tr_key): the value of the layout's key
  /// field (generic_key_index); empty when the layout has none.
  std::string key;
  /// Every field of the record as on the wire, joined by '^': the layout's
  /// fields in layout order, then any fields beyond the layout.
  std::string text;

  /// Number of fields (at least 1).
  std::size_t size() const noexcept;

  /// The i-th field, or an empty view past the end. Scans from the start:
  /// to read every field use for_each_field.
  std::string_view value(std::size_t i) const noexcept;

  /// The field named `name` in `layout`, or an empty view.
  std::string_view value(const tr_layout* layout,
                         std::string_view name) const noexcept;

  friend bool operator==(const generic_record& a,
                         const generic_record& b) noexcept {
    return a.key == b.key && a.text == b.text;
  }
};

/// Index of the field that holds a TR's key (the first of MKSC_SHRN_ISCD,
/// BSTP_CLS_CODE, FUTS_SHRN_ISCD, OPTN_SHRN_ISCD, STND_ISCD, NMIX_ID,
/// SERIES_CD, RSYM, CUST_ID in layout order), or -1 when it has none (then
/// the key is empty). Looked up once per layout.
int generic_key_index(const tr_layout& layout) noexcept;

/// Name of the first field beyond a layout, EXTRA1; then EXTRA2, ...
constexpr std::string_view extra_field_prefix = "EXTRA";

/// Fills `out` from a record of a frame checked against its layout; fails
/// with unknown_tr when the record has no layout. Reuses `out`'s buffers.
codec_error decode(const record_view& r, generic_record& out);

/// Calls `f(name, value)` for every field of `r` in order: names from
/// `layout` (nullptr: none known), fields beyond it named EXTRA1, EXTRA2,
/// ... No allocation.
template <class F>
void for_each_field(const generic_record& r, const tr_layout* layout, F&& f) {
  std::string_view rest = r.text;
  std::size_t known = layout != nullptr ? layout->width : 0;
  char buf[32];
  for (std::size_t i = 0;; ++i) {
    auto pos = rest.find('^');
    auto value = rest.substr(0, pos);
    if (i < known) {
      f(layout->fields[i], value);
    } else {
      auto n = i - known + 1;
      std::size_t len = extra_field_prefix.size();
      extra_field_prefix.copy(buf, len);
      char digits[24];
      std::size_t d = 0;
      do {
        digits[d++] = static_cast<char>('0' + n % 10);
        n /= 10;
      } while (n > 0);
      while (d > 0)
        buf[len++] = digits[--d];
      f(std::string_view{buf, len}, value);
    }
    if (pos == std::string_view::npos)
      return;
    rest.remove_prefix(pos + 1);
  }
}

} // namespace kisrt::kis
