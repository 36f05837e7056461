// SPDX-License-Identifier: Apache-2.0
#include "net/kis/records_derivatives.hpp"

#include "net/kis/field_reader.hpp"

namespace kisrt::kis {

// -- equality --

KISRT_TIE_EQ(futures_trade, x.symbol, x.time, x.price, x.sign, x.change,
             x.change_rate, x.open, x.high, x.low, x.volume, x.cum_volume,
             x.cum_value, x.theoretical, x.market_basis, x.theoretical_basis,
             x.disparity, x.open_interest, x.open_interest_change, x.ask1,
             x.bid1, x.ask1_qty, x.bid1_qty, x.total_ask_qty, x.total_bid_qty,
             x.upper_limit, x.lower_limit)
KISRT_TIE_EQ(option_trade, x.symbol, x.time, x.price, x.sign, x.change,
             x.change_rate, x.open, x.high, x.low, x.volume, x.cum_volume,
             x.cum_value, x.theoretical, x.open_interest,
             x.open_interest_change, x.intrinsic_value, x.time_value, x.delta,
             x.gamma, x.vega, x.theta, x.rho, x.implied_vol, x.ask1, x.bid1,
             x.ask1_qty, x.bid1_qty, x.total_ask_qty, x.total_bid_qty,
             x.upper_limit, x.lower_limit)
KISRT_TIE_EQ(derivative_level, x.price, x.qty, x.count)
KISRT_TIE_EQ(derivative_book, x.symbol, x.time, x.asks, x.bids,
             x.total_ask_count, x.total_bid_count, x.total_ask_qty,
             x.total_bid_qty, x.total_ask_qty_change, x.total_bid_qty_change)

// -- decoding --
// Positions are those of net/kis/tr-fields.json; the tests build their
// frames from the layout's field names, so a shifted index fails there.

codec_error decode(const record_view& r, futures_trade& out) {
  field_reader f{r};
  f.req_str(0, out.symbol);                // FUTS_SHRN_ISCD
  f.req_time(1, out.time);                 // BSOP_HOUR
  f.opt_fixed(2, out.change);              // FUTS_PRDY_VRSS
  f.sign(3, out.sign);                     // PRDY_VRSS_SIGN
  f.opt_fixed(4, out.change_rate);         // FUTS_PRDY_CTRT
  f.req_fixed(5, out.price);               // FUTS_PRPR
  f.opt_fixed(6, out.open);                // FUTS_OPRC
  f.opt_fixed(7, out.high);                // FUTS_HGPR
  f.opt_fixed(8, out.low);                 // FUTS_LWPR
  f.req_int(9, out.volume);                // LAST_CNQN
  f.opt_int(10, out.cum_volume);           // ACML_VOL
  f.opt_int(11, out.cum_value);            // ACML_TR_PBMN
  f.opt_fixed(12, out.theoretical);        // HTS_THPR
  f.opt_fixed(13, out.market_basis);       // MRKT_BASIS
  f.opt_fixed(14, out.disparity);          // DPRT
  f.opt_int(18, out.open_interest);        // HTS_OTST_STPL_QTY
  f.opt_int(19, out.open_interest_change); // OTST_STPL_QTY_ICDC
  f.opt_fixed(33, out.theoretical_basis);  // THPR_BASIS
  f.opt_fixed(34, out.ask1);               // FUTS_ASKP1
  f.opt_fixed(35, out.bid1);               // FUTS_BIDP1
  f.opt_int(36, out.ask1_qty);             // ASKP_RSQN1
  f.opt_int(37, out.bid1_qty);             // BIDP_RSQN1
  f.opt_int(43, out.total_ask_qty);        // TOTAL_ASKP_RSQN
  f.opt_int(44, out.total_bid_qty);        // TOTAL_BIDP_RSQN
  f.opt_fixed(47, out.upper_limit);        // DYNM_MXPR
  f.opt_fixed(48, out.lower_limit);        // DYNM_LLAM
  return f.take();
}

codec_error decode(const record_view& r, option_trade& out) {
  field_reader f{r};
  f.req_str(0, out.symbol);                // OPTN_SHRN_ISCD
  f.req_time(1, out.time);                 // BSOP_HOUR
  f.req_fixed(2, out.price);               // OPTN_PRPR
  f.sign(3, out.sign);                     // PRDY_VRSS_SIGN
  f.opt_fixed(4, out.change);              // OPTN_PRDY_VRSS
  f.opt_fixed(5, out.change_rate);         // PRDY_CTRT
  f.opt_fixed(6, out.open);                // OPTN_OPRC
  f.opt_fixed(7, out.high);                // OPTN_HGPR
  f.opt_fixed(8, out.low);                 // OPTN_LWPR
  f.req_int(9, out.volume);                // LAST_CNQN
  f.opt_int(10, out.cum_volume);           // ACML_VOL
  f.opt_int(11, out.cum_value);            // ACML_TR_PBMN
  f.opt_fixed(12, out.theoretical);        // HTS_THPR
  f.opt_int(13, out.open_interest);        // HTS_OTST_STPL_QTY
  f.opt_int(14, out.open_interest_change); // OTST_STPL_QTY_ICDC
  f.opt_fixed(26, out.intrinsic_value);    // INVL_VAL
  f.opt_fixed(27, out.time_value);         // TMVL_VAL
  f.opt_real(28, out.delta);               // DELTA
  f.opt_real(29, out.gamma);               // GAMA
  f.opt_real(30, out.vega);                // VEGA
  f.opt_real(31, out.theta);               // THETA
  f.opt_real(32, out.rho);                 // RHO
  f.opt_real(33, out.implied_vol);         // HTS_INTS_VLTL
  f.opt_fixed(41, out.ask1);               // OPTN_ASKP1
  f.opt_fixed(42, out.bid1);               // OPTN_BIDP1
  f.opt_int(43, out.ask1_qty);             // ASKP_RSQN1
  f.opt_int(44, out.bid1_qty);             // BIDP_RSQN1
  f.opt_int(50, out.total_ask_qty);        // TOTAL_ASKP_RSQN
  f.opt_int(51, out.total_bid_qty);        // TOTAL_BIDP_RSQN
  f.opt_fixed(55, out.upper_limit);        // DYNM_MXPR
  f.opt_fixed(56, out.lower_limit);        // DYNM_LLAM
  return f.take();
}

codec_error decode(const record_view& r, derivative_book& out) {
  field_reader f{r};
  f.req_str(0, out.symbol);
  f.req_time(1, out.time);
  for (std::size_t i = 0; i < 5; ++i) {
    f.opt_fixed(2 + i, out.asks[i].price); // *_ASKP1..5
    f.opt_fixed(7 + i, out.bids[i].price); // *_BIDP1..5
    f.opt_int(12 + i, out.asks[i].count);  // ASKP_CSNU1..5
    f.opt_int(17 + i, out.bids[i].count);  // BIDP_CSNU1..5
    f.opt_int(22 + i, out.asks[i].qty);    // ASKP_RSQN1..5
    f.opt_int(27 + i, out.bids[i].qty);    // BIDP_RSQN1..5
  }
  f.opt_int(32, out.total_ask_count);
  f.opt_int(33, out.total_bid_count);
  f.opt_int(34, out.total_ask_qty);
  f.opt_int(35, out.total_bid_qty);
  f.opt_int(36, out.total_ask_qty_change);
  f.opt_int(37, out.total_bid_qty_change);
  return f.take();
}

} // namespace kisrt::kis
