// SPDX-License-Identifier: Apache-2.0
// Uses an installed kisrt: decodes one KIS data frame with kisrt::codec and
// (with --sim) runs the callback facade, kisrt::client, against the
// embedded simulator. Prints the decoded trade; exit 0 when it is right.
#include <kisrt/client.hpp>
#include <kisrt/codec.hpp>

#include <cstring>
#include <iostream>
#include <string>
#include <string_view>

// The facade's and the codec's headers bring no actor or socket library.
#if defined(CAF_VERSION) || defined(BOOST_VERSION)                             \
    || defined(BOOST_BEAST_VERSION) || defined(BOOST_ASIO_VERSION)
#error "kisrt/client.hpp or kisrt/codec.hpp included CAF or Boost"
#endif

namespace {

// A real-time trade of 005930 (H0STCNT0), plain text, one record.
constexpr std::string_view frame =
    "0|H0STCNT0|001|005930^093001^71000^2^500^0.71^70950^70500^71500^70400^"
    "71100^71000^10^1234567^87654321000^1200^1300^100^108.33^500000^541667^"
    "1^52.01^88.12^090000^2^500^091500^5^-500^090500^2^600^20250102^20^N^"
    "1500^2300^150000^160000^0.21^1000000^123.45^0^0^71000";

int run_client() {
  kisrt::client_options o;
  o.sim = true;
  kisrt::client kis{o};
  int left = 3;
  kis.subscribe("H0STCNT0", {"005930"}, [&](const kisrt::client_event& ev) {
    if (auto* t = std::get_if<kisrt::kis::trade>(&ev.data))
      std::cout << "client: " << t->symbol << ' ' << t->price << '\n';
    if (--left == 0)
      kis.close();
  });
  kis.run();
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  std::cout << "kisrt " << KISRT_VERSION << '\n';
  if (argc > 1 && std::strcmp(argv[1], "--sim") == 0)
    return run_client();

  kisrt::kis::frame_decoder dec;
  if (auto err = dec.decode(frame)) {
    std::cerr << "decode: " << err.to_string() << '\n';
    return 1;
  }
  if (dec.header().tr_id != "H0STCNT0" || dec.records().size() != 1) {
    std::cerr << "unexpected frame header\n";
    return 1;
  }
  kisrt::kis::trade t;
  if (auto err = kisrt::kis::decode(dec.records()[0], t)) {
    std::cerr << "decode trade: " << err.to_string() << '\n';
    return 1;
  }
  std::cout << "decoded H0STCNT0 " << t.symbol << " price " << t.price
            << " volume " << t.volume << '\n';
  return t.symbol == "005930" && t.price == 71000 && t.volume == 10 ? 0 : 1;
}
