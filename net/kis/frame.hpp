// SPDX-License-Identifier: Apache-2.0
// Data frames: `<enc>|<tr_id>|<count>|<payload>`, records concatenated with
// '^' and no record separator (protocol.md section 6).
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "net/kis/error.hpp"
#include "net/kis/layout.hpp"

namespace kisrt::kis {

enum class message_kind { data, control, invalid };

/// Tells a data frame ('0'/'1' first byte) from a JSON control message ('{'
/// first byte, leading whitespace allowed) without parsing either.
message_kind classify(std::string_view msg) noexcept;

/// The header of a data frame; every view points into the message.
struct frame {
  bool encrypted = false;
  std::string_view tr_id;
  std::size_t count = 0;
  std::string_view payload;
  /// Offset of the payload inside the message, for error positions.
  std::size_t payload_offset = 0;
};

/// Largest record count a header may carry (three digits on the wire).
constexpr std::size_t max_record_count = 999;

/// Splits `msg` on its first three '|' and validates enc, tr_id and count.
codec_error split_frame(std::string_view msg, frame& out);

/// Replaces `out` with the '^'-separated fields of `payload` and returns
/// their number. Vectorized. (record_batch uses the same splitter without
/// shrinking its buffer, so it allocates nothing once grown.)
std::size_t split_fields(std::string_view payload,
                         std::vector<std::string_view>& out);

/// One record of a frame: views into the payload, valid while the payload
/// and its record_batch live.
class record_view {
public:
  record_view() = default;
  record_view(const tr_layout* layout, const std::string_view* fields,
              std::size_t width) noexcept
      : layout_(layout)
      , fields_(fields)
      , width_(width) {
    // nop
  }

  /// Number of fields in this record (known layout width plus extras).
  std::size_t size() const noexcept { return width_; }

  /// The layout this record was checked against, or nullptr (unknown TR).
  const tr_layout* layout() const noexcept { return layout_; }

  /// Field by index; an empty view when out of range.
  std::string_view operator[](std::size_t i) const noexcept {
    return i < width_ ? fields_[i] : std::string_view{};
  }

  /// Field by name per the layout; an empty view when unknown.
  std::string_view field(std::string_view name) const noexcept;

  /// Number of fields beyond the known layout (KIS adds trailing fields).
  std::size_t extra_count() const noexcept {
    auto known = layout_ ? layout_->width : 0;
    return width_ > known ? width_ - known : 0;
  }

  /// The i-th extra field.
  std::string_view extra(std::size_t i) const noexcept {
    auto known = layout_ ? layout_->width : 0;
    return (*this)[known + i];
  }

private:
  const tr_layout* layout_ = nullptr;
  const std::string_view* fields_ = nullptr;
  std::size_t width_ = 0;
};

/// The records of one frame. Reuse one batch across frames: its field
/// buffer keeps its capacity.
class record_batch {
public:
  /// Splits `payload` (the frame's payload, or its decrypted plaintext) into
  /// `f.count` records of equal width and checks the width against `layout`
  /// (nullptr = unknown TR: any width is accepted).
  codec_error assign(const frame& f, std::string_view payload,
                     const tr_layout* layout);

  std::size_t size() const noexcept { return count_; }
  std::size_t width() const noexcept { return width_; }
  bool empty() const noexcept { return count_ == 0; }

  record_view operator[](std::size_t i) const noexcept {
    return record_view{layout_, fields_.data() + i * width_, width_};
  }

private:
  /// Raw storage: entries past count_ * width_ are stale.
  std::vector<std::string_view> fields_;
  const tr_layout* layout_ = nullptr;
  std::size_t count_ = 0;
  std::size_t width_ = 0;
};

} // namespace kisrt::kis
