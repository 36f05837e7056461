// SPDX-License-Identifier: Apache-2.0
#include "actors/portfolio_core.hpp"

#include <algorithm>

namespace kisrt {

std::optional<position_update> portfolio_core::apply(const kis::exec_notice& n,
                                                     mono_time now) {
  if (n.kind != kis::notice_kind::fill || n.rejected || n.symbol.empty()
      || n.fill_qty <= 0
      || (n.order_side != kis::side::buy && n.order_side != kis::side::sell))
    return std::nullopt;
  fill_id id{n.order_no, n.time.seconds(), n.fill_qty, n.fill_price};
  if (!seen_.insert(id).second)
    return std::nullopt;
  seen_order_.push_back(id);
  if (seen_order_.size() > max_remembered_fills) {
    seen_.erase(seen_order_.front());
    seen_order_.pop_front();
  }
  auto& p = pos_[n.symbol];
  if (n.order_side == kis::side::buy)
    p.qty += n.fill_qty;
  else
    p.qty = std::max<std::int64_t>(0, p.qty - n.fill_qty);
  p.noticed = now;
  return position_update{n.symbol, p.qty};
}

std::vector<std::string>
portfolio_core::reconcile(const std::vector<holding_qty>& rows,
                          mono_time asked) {
  std::map<std::string, std::int64_t, std::less<>> rest;
  for (auto& r : rows)
    if (r.qty > 0 && !r.code.empty())
      rest[r.code] += r.qty;
  std::vector<std::string> diffs;
  auto fresh = [&](const position& p) {
    return p.noticed && *p.noticed >= asked - settle_;
  };
  for (auto i = pos_.begin(); i != pos_.end();) {
    auto& [code, p] = *i;
    auto r = rest.find(code);
    auto rq = r == rest.end() ? std::int64_t{0} : r->second;
    if (fresh(p)) {
      if (rq != p.qty)
        diffs.push_back(code + ": notices " + std::to_string(p.qty) + ", REST "
                        + std::to_string(rq) + " (recent fill, notices kept)");
    } else {
      if (rq != p.qty)
        diffs.push_back(code + ": notices " + std::to_string(p.qty) + ", REST "
                        + std::to_string(rq) + " (REST wins)");
      p.qty = rq;
      p.noticed.reset();
    }
    if (r != rest.end())
      rest.erase(r);
    if (p.qty == 0 && !p.noticed)
      i = pos_.erase(i);
    else
      ++i;
  }
  for (auto& [code, q] : rest) {
    // The first snapshot is the starting point, not a difference.
    if (synced_)
      diffs.push_back(code + ": notices 0, REST " + std::to_string(q)
                      + " (REST wins)");
    pos_[code].qty = q;
  }
  synced_ = true;
  return diffs;
}

holding_set portfolio_core::holdings() const {
  holding_set out;
  for (auto& [code, p] : pos_)
    if (p.qty > 0)
      out.symbols.push_back(code);
  return out;
}

std::vector<holding_qty> portfolio_core::positions() const {
  std::vector<holding_qty> out;
  for (auto& [code, p] : pos_)
    if (p.qty > 0)
      out.push_back({code, p.qty});
  return out;
}

std::int64_t portfolio_core::quantity(std::string_view code) const {
  auto i = pos_.find(code);
  return i == pos_.end() ? 0 : i->second.qty;
}

} // namespace kisrt
