// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <string_view>

namespace kisrt::kis {

/// Field order of one real-time TR, as published by KIS (tr-fields.json).
struct tr_layout {
  std::string_view tr_id;
  std::string_view description;
  /// True for TRs whose payload is AES-256-CBC encrypted (notices).
  bool encrypted;
  /// True for the TRs the gateway types fully.
  bool core;
  const std::string_view* fields;
  std::size_t width;

  /// Index of `name` in this layout, or -1. Linear scan: layouts are short
  /// and callers that care cache the index.
  int index_of(std::string_view name) const noexcept;

  std::string_view field_name(std::size_t i) const noexcept {
    return i < width ? fields[i] : std::string_view{};
  }
};

/// The layout for `tr_id`, or nullptr when unknown.
const tr_layout* find_layout(std::string_view tr_id) noexcept;

/// All known layouts, sorted by tr_id.
const tr_layout* layouts_begin() noexcept;
const tr_layout* layouts_end() noexcept;

/// The paper-trading tr_id of a notice TR (H0STCNI0 -> H0STCNI9, ...), or
/// `tr_id` itself for TRs that keep their id on paper.
std::string_view paper_tr_id(std::string_view tr_id) noexcept;

} // namespace kisrt::kis
