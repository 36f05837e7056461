// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt/kis_prices.hpp"

#include "net/kis/price.hpp"

namespace kisrt::app {

namespace {

class rest_prices : public price_source {
public:
  explicit rest_prices(std::shared_ptr<kis_rest> rest)
      : rest_(std::move(rest)) {
    // nop
  }

  void
  fetch(const slot_key& key,
        std::function<void(kis::price_snapshot, std::string)> done) override {
    kis::price_call call;
    if (!kis::price_call_of(key.tr_key, call)) {
      done({}, "no price call for key " + key.tr_key);
      return;
    }
    auto overseas = call.overseas;
    rest_->get(std::move(call.target), std::move(call.tr_id), "",
               [done, overseas](net::http_response res, std::string error) {
                 const char* what =
                     overseas ? "overseas price" : "inquire-price";
                 if (!error.empty()) {
                   done({}, std::string{what} + ": " + error);
                   return;
                 }
                 kis::price_snapshot x;
                 auto err = overseas ? kis::parse_overseas_price(res.body, x)
                                     : kis::parse_domestic_price(res.body, x);
                 if (err)
                   done({}, err.to_string());
                 else
                   done(std::move(x), {});
               });
  }

private:
  std::shared_ptr<kis_rest> rest_;
};

} // namespace

std::shared_ptr<price_source>
make_price_source(std::shared_ptr<kis_rest> rest) {
  return std::make_shared<rest_prices>(std::move(rest));
}

} // namespace kisrt::app
