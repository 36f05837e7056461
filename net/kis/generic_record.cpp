// SPDX-License-Identifier: Apache-2.0
#include "net/kis/generic_record.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "net/kis/numbers.hpp"

namespace kisrt::kis {

std::size_t generic_record::size() const noexcept {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '^'))
         + 1;
}

std::string_view generic_record::value(std::size_t i) const noexcept {
  std::string_view rest = text;
  for (; i > 0; --i) {
    auto pos = rest.find('^');
    if (pos == std::string_view::npos)
      return {};
    rest.remove_prefix(pos + 1);
  }
  return rest.substr(0, rest.find('^'));
}

std::string_view generic_record::value(const tr_layout* layout,
                                       std::string_view name) const noexcept {
  if (layout == nullptr)
    return {};
  auto i = layout->index_of(name);
  return i < 0 ? std::string_view{} : value(static_cast<std::size_t>(i));
}

namespace {

int scan_key_index(const tr_layout& layout) noexcept {
  static constexpr std::array<std::string_view, 9> key_fields{
      "MKSC_SHRN_ISCD", "BSTP_CLS_CODE", "FUTS_SHRN_ISCD",
      "OPTN_SHRN_ISCD", "STND_ISCD",     "NMIX_ID",
      "SERIES_CD",      "RSYM",          "CUST_ID"};
  for (std::size_t i = 0; i < layout.width; ++i)
    if (std::find(key_fields.begin(), key_fields.end(), layout.fields[i])
        != key_fields.end())
      return static_cast<int>(i);
  return -1;
}

} // namespace

int generic_key_index(const tr_layout& layout) noexcept {
  static const std::vector<int> table = [] {
    std::vector<int> out;
    for (auto* l = layouts_begin(); l != layouts_end(); ++l)
      out.push_back(scan_key_index(*l));
    return out;
  }();
  auto* first = layouts_begin();
  if (&layout >= first && &layout < layouts_end())
    return table[static_cast<std::size_t>(&layout - first)];
  return scan_key_index(layout);
}

codec_error decode(const record_view& r, generic_record& out) {
  auto* layout = r.layout();
  if (layout == nullptr || r.size() == 0)
    return make_error(errc::unknown_tr, {}, "no layout for a generic record");
  // The fields of a record are consecutive views into one payload: its
  // text is the span from the first to the end of the last.
  auto first = r[0];
  auto last = r[r.size() - 1];
  std::string_view text{
      first.data(),
      static_cast<std::size_t>(last.data() + last.size() - first.data())};
  // Values go out as JSON strings (kisrt-node, streams): UTF-8 only.
  if (auto bad = find_invalid_utf8(text); bad != std::string_view::npos)
    return make_error(
        errc::bad_utf8, layout->tr_id, "field is not valid UTF-8", -1,
        static_cast<int>(std::count(text.begin(), text.begin() + bad, '^')),
        static_cast<std::int64_t>(bad));
  out.text.assign(text);
  auto k = generic_key_index(*layout);
  if (k >= 0)
    out.key.assign(r[static_cast<std::size_t>(k)]);
  else
    out.key.clear();
  return {};
}

} // namespace kisrt::kis
