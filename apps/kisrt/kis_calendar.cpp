// SPDX-License-Identifier: Apache-2.0
#include "apps/kisrt/kis_calendar.hpp"

#include <string>

#include "net/kis/holiday.hpp"

namespace kisrt::app {

namespace {

constexpr int max_pages = 10;

class rest_calendar : public calendar_source {
public:
  explicit rest_calendar(std::shared_ptr<kis_rest> rest)
      : rest_(std::move(rest)) {
    // nop
  }

  void fetch(std::int32_t date,
             std::function<void(calendar_update)> done) override {
    page(rest_, date, "", "", "", 0, std::make_shared<calendar_update>(),
         std::move(done));
  }

private:
  static void page(std::shared_ptr<kis_rest> rest, std::int32_t date,
                   std::string fk, std::string nk, std::string tr_cont, int n,
                   std::shared_ptr<calendar_update> acc,
                   std::function<void(calendar_update)> done) {
    auto target =
        std::string{kis::holiday_path} + "?" + kis::holiday_query(date, fk, nk);
    rest->get(
        target, std::string{kis::holiday_tr_id}, tr_cont,
        [rest, date, n, acc, done](net::http_response res, std::string error) {
          if (!error.empty()) {
            done({{}, true, "chk-holiday: " + error});
            return;
          }
          kis::holiday_page p;
          if (auto err = kis::parse_holiday_response(
                  res.body, res.header("tr_cont"), p)) {
            done({{}, true, "chk-holiday: " + err.to_string()});
            return;
          }
          for (auto& r : p.rows)
            acc->days.push_back(calendar_day{r.date, r.open});
          if (p.more && n + 1 < max_pages && !p.rows.empty())
            page(rest, date, p.ctx_fk, p.ctx_nk, "N", n + 1, acc, done);
          else
            done(std::move(*acc));
        });
  }

  std::shared_ptr<kis_rest> rest_;
};

} // namespace

std::shared_ptr<calendar_source>
make_calendar_source(std::shared_ptr<kis_rest> rest) {
  return std::make_shared<rest_calendar>(std::move(rest));
}

} // namespace kisrt::app
