// SPDX-License-Identifier: Apache-2.0
// Frame decoding: split, decrypt (a key is set for every encrypted TR), field
// split and every typed decoder. Nothing may crash, hang or read out of
// bounds; errors are values.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "net/kis/decoder.hpp"
#include "net/kis/json_out.hpp"
#include "net/kis/numbers.hpp"
#include "net/kis/records.hpp"

using namespace kisrt::kis;

namespace {

frame_decoder& decoder() {
  static frame_decoder dec = [] {
    frame_decoder d;
    d.set_default_key("abcdefghijklmnopabcdefghijklmnop", "0123456789abcdef");
    return d;
  }();
  return dec;
}

template <class T>
void typed(const record_batch& batch) {
  T out;
  for (std::size_t i = 0; i < batch.size(); ++i)
    (void)decode(batch[i], out);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string_view msg{reinterpret_cast<const char*>(data), size};
  (void)classify(msg);
  auto& dec = decoder();
  if (dec.decode(msg))
    return 0;
  const auto& batch = dec.records();
  auto tr = dec.header().tr_id;
  if (tr == "H0STCNT0" || tr == "H0UNCNT0" || tr == "H0NXCNT0")
    typed<trade>(batch);
  else if (tr == "H0STASP0")
    typed<order_book>(batch);
  else if (tr == "H0STCNI0" || tr == "H0STCNI9")
    typed<exec_notice>(batch);
  else if (tr == "H0STPGM0")
    typed<program_trade>(batch);
  else if (tr == "H0STANC0")
    typed<expected_trade>(batch);
  else if (tr == "H0STMKO0")
    typed<market_status>(batch);
  else if (tr == "HDFSCNT0")
    typed<overseas_trade>(batch);
  else if (tr == "HDFSASP0" || tr == "HDFSASP1")
    typed<overseas_book>(batch);
  else if (tr == "H0GSCNI0" || tr == "H0GSCNI9")
    typed<overseas_notice>(batch);
  // Touch every field by index and by name, and the JSON writer.
  std::string out;
  for (std::size_t r = 0; r < batch.size(); ++r) {
    auto rec = batch[r];
    for (std::size_t i = 0; i < rec.size(); ++i) {
      (void)find_invalid_utf8(rec[i]);
      append_json_string(out, rec[i]);
    }
    if (auto* l = rec.layout())
      for (std::size_t i = 0; i < l->width; ++i)
        (void)rec.field(l->fields[i]);
    out.clear();
  }
  return 0;
}
