// SPDX-License-Identifier: Apache-2.0
#include "net/kis/base64.hpp"

#include <array>
#include <cstdint>

namespace kisrt::kis {

namespace {

constexpr char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::uint8_t invalid = 0xFF;

constexpr std::array<std::uint8_t, 256> make_table() {
  std::array<std::uint8_t, 256> t{};
  for (auto& x : t)
    x = invalid;
  for (std::uint8_t i = 0; i < 64; ++i)
    t[static_cast<unsigned char>(alphabet[i])] = i;
  return t;
}

constexpr auto table = make_table();

} // namespace

void base64_encode(std::string_view in, std::string& out) {
  out.clear();
  out.reserve((in.size() + 2) / 3 * 4);
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    std::uint32_t v = (p[i] << 16) | (p[i + 1] << 8) | p[i + 2];
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  auto rest = in.size() - i;
  if (rest == 1) {
    std::uint32_t v = p[i] << 16;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += "==";
  } else if (rest == 2) {
    std::uint32_t v = (p[i] << 16) | (p[i + 1] << 8);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += '=';
  }
}

std::size_t base64_decode(std::string_view in, std::string& out) {
  out.clear();
  if (in.size() % 4 != 0)
    return in.size();
  if (in.empty())
    return std::string_view::npos;
  std::size_t pad = 0;
  if (in[in.size() - 1] == '=')
    pad = in[in.size() - 2] == '=' ? 2 : 1;
  out.resize(in.size() / 4 * 3 - pad);
  auto* o = out.data();
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const std::size_t full = in.size() - (pad ? 4 : 0);
  std::size_t j = 0;
  for (std::size_t i = 0; i < full; i += 4) {
    auto a = table[p[i]], b = table[p[i + 1]], c = table[p[i + 2]],
         d = table[p[i + 3]];
    if ((a | b | c | d) == invalid || a == invalid || b == invalid
        || c == invalid || d == invalid) {
      for (std::size_t k = 0; k < 4; ++k)
        if (table[p[i + k]] == invalid) {
          out.clear();
          return i + k;
        }
    }
    std::uint32_t v = (a << 18) | (b << 12) | (c << 6) | d;
    o[j++] = static_cast<char>(v >> 16);
    o[j++] = static_cast<char>(v >> 8);
    o[j++] = static_cast<char>(v);
  }
  if (pad != 0) {
    auto i = full;
    auto a = table[p[i]], b = table[p[i + 1]];
    auto c = pad == 1 ? table[p[i + 2]] : std::uint8_t{0};
    std::size_t bad = std::string_view::npos;
    if (a == invalid)
      bad = i;
    else if (b == invalid)
      bad = i + 1;
    else if (c == invalid)
      bad = i + 2;
    if (bad != std::string_view::npos) {
      out.clear();
      return bad;
    }
    std::uint32_t v = (a << 18) | (b << 12) | (c << 6);
    o[j++] = static_cast<char>(v >> 16);
    if (pad == 1)
      o[j++] = static_cast<char>(v >> 8);
  }
  return std::string_view::npos;
}

} // namespace kisrt::kis
