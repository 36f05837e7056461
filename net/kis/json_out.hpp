// SPDX-License-Identifier: Apache-2.0
// Minimal JSON writing for hot output paths (kisrt decode, event lines).
#pragma once

#include <string>
#include <string_view>

namespace kisrt::kis {

/// Appends `s` as a JSON string literal (quotes included). Bytes >= 0x80
/// are copied as they are: check UTF-8 first where it matters.
void append_json_string(std::string& out, std::string_view s);

} // namespace kisrt::kis
