// SPDX-License-Identifier: Apache-2.0
#include "net/kis/layout.hpp"

#include <algorithm>
#include <array>

namespace kisrt::kis {

namespace {

struct raw_layout {
  std::string_view tr_id;
  std::string_view description;
  bool encrypted;
  bool core;
  const std::string_view* fields;
  std::size_t width;
};

#include "kisrt/tr_layouts.inc"

constexpr std::size_t layout_count = std::size(raw_layouts);

std::array<tr_layout, layout_count> make_sorted() {
  std::array<tr_layout, layout_count> result{};
  for (std::size_t i = 0; i < layout_count; ++i) {
    const auto& r = raw_layouts[i];
    result[i] = tr_layout{r.tr_id, r.description, r.encrypted,
                          r.core,  r.fields,      r.width};
  }
  std::sort(
      result.begin(), result.end(),
      [](const tr_layout& a, const tr_layout& b) { return a.tr_id < b.tr_id; });
  return result;
}

const std::array<tr_layout, layout_count>& sorted() {
  static const auto instance = make_sorted();
  return instance;
}

} // namespace

int tr_layout::index_of(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < width; ++i)
    if (fields[i] == name)
      return static_cast<int>(i);
  return -1;
}

const tr_layout* find_layout(std::string_view tr_id) noexcept {
  const auto& all = sorted();
  auto it = std::lower_bound(
      all.begin(), all.end(), tr_id,
      [](const tr_layout& x, std::string_view key) { return x.tr_id < key; });
  if (it != all.end() && it->tr_id == tr_id)
    return &*it;
  return nullptr;
}

const tr_layout* layouts_begin() noexcept {
  return sorted().data();
}

const tr_layout* layouts_end() noexcept {
  return sorted().data() + sorted().size();
}

std::string_view paper_tr_id(std::string_view tr_id) noexcept {
  if (tr_id == "H0STCNI0")
    return "H0STCNI9";
  if (tr_id == "H0GSCNI0")
    return "H0GSCNI9";
  if (tr_id == "H0IFCNI0")
    return "H0IFCNI9";
  return tr_id;
}

} // namespace kisrt::kis
