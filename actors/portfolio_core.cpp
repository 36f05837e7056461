// SPDX-License-Identifier: Apache-2.0
#include "actors/portfolio_core.hpp"

#include <algorithm>

namespace kisrt {

std::string portfolio_core::fill_id(const kis::exec_notice& n) {
  // Unit separators keep adjacent fields apart.
  std::string id;
  auto add = [&id](const std::string& x) {
    id += x;
    id += '\x1f';
  };
  add(n.customer_id);
  add(n.account);
  add(n.order_no);
  add(n.orig_order_no);
  add(std::to_string(static_cast<int>(n.order_side)));
  add(n.correction);
  add(n.symbol);
  add(std::to_string(n.fill_qty));
  add(std::to_string(n.fill_price));
  add(std::to_string(n.order_qty));
  add(std::to_string(n.order_price));
  add(std::to_string(n.time.seconds()));
  add(std::to_string(n.exchange));
  add(n.name);
  return id;
}

std::optional<position_update> portfolio_core::apply(const kis::exec_notice& n,
                                                     mono_time now,
                                                     session_id session) {
  duplicate_.clear();
  if (n.kind != kis::notice_kind::fill || n.rejected || n.symbol.empty()
      || n.fill_qty <= 0
      || (n.order_side != kis::side::buy && n.order_side != kis::side::sell))
    return std::nullopt;
  // ACNT_NO is CANO + product code.
  if (!accounts_.empty()
      && std::none_of(accounts_.begin(), accounts_.end(),
                      [&n](const std::string& a) {
                        return n.account.compare(0, a.size(), a) == 0;
                      }))
    return std::nullopt;
  auto id = fill_id(n);
  auto [it, added] = seen_.try_emplace(id);
  if (added) {
    seen_order_.push_back(id);
    if (seen_order_.size() > max_remembered_fills) {
      seen_.erase(seen_order_.front());
      seen_order_.pop_front();
    }
  }
  auto& a = it->second;
  auto on_this = ++a.per_session[session];
  if (on_this <= a.counted) {
    duplicate_ = "order " + n.order_no + " " + n.symbol + " "
                 + std::to_string(n.fill_qty) + " @ "
                 + std::to_string(n.fill_price)
                 + ": already counted from another session";
    return std::nullopt;
  }
  auto order = n.account + '\x1f' + n.order_no;
  auto [f, fresh_order] = filled_.try_emplace(order, 0);
  if (n.order_qty > 0 && f->second + n.fill_qty > n.order_qty) {
    --a.per_session[session];
    duplicate_ = "order " + n.order_no + " " + n.symbol + ": fill of "
                 + std::to_string(n.fill_qty) + " after "
                 + std::to_string(f->second) + " filled exceeds the order's "
                 + std::to_string(n.order_qty) + " (a replay)";
    return std::nullopt;
  }
  if (fresh_order) {
    filled_order_.push_back(order);
    if (filled_order_.size() > max_remembered_fills) {
      filled_.erase(filled_order_.front());
      filled_order_.pop_front();
    }
  }
  a.counted = on_this;
  f = filled_.find(order);
  if (f != filled_.end())
    f->second += n.fill_qty;
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
  follow_up_.reset();
  auto fresh = [&](const position& p) {
    return p.noticed && *p.noticed + settle_ > asked;
  };
  for (auto i = pos_.begin(); i != pos_.end();) {
    auto& [code, p] = *i;
    auto r = rest.find(code);
    auto rq = r == rest.end() ? std::int64_t{0} : r->second;
    if (fresh(p)) {
      if (rq != p.qty) {
        diffs.push_back(code + ": notices " + std::to_string(p.qty) + ", REST "
                        + std::to_string(rq) + " (recent fill, notices kept)");
        auto ends = *p.noticed + settle_;
        if (!follow_up_ || ends < *follow_up_)
          follow_up_ = ends;
      }
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
