// SPDX-License-Identifier: Apache-2.0
// Builders of realistic records for codec tests.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/kis/encode.hpp"
#include "net/kis/layout.hpp"

namespace kisrt::test {

/// A full H0STCNT0 record (46 fields) for `symbol`, with price and volume
/// varied by `i`.
inline std::vector<std::string> trade_fields(const std::string& symbol, int i) {
  return {symbol,
          "093001",
          std::to_string(71000 + i * 100),
          "2",
          "500",
          "0.71",
          "70950",
          "70500",
          "71500",
          "70400",
          "71100",
          "71000",
          std::to_string(10 + i),
          "1234567",
          "87654321000",
          "1200",
          "1300",
          "100",
          "108.33",
          "500000",
          "541667",
          "1",
          "52.01",
          "88.12",
          "090000",
          "2",
          "500",
          "091500",
          "5",
          "-500",
          "090500",
          "2",
          "600",
          "20250102",
          "20",
          "N",
          "1500",
          "2300",
          "150000",
          "160000",
          "0.21",
          "1000000",
          "123.45",
          "0",
          "0",
          "71000"};
}

/// A plain H0STCNT0 frame of `count` records, symbols 000001, 000002, ...
inline std::string trade_frame(int count, int extra_fields = 0) {
  std::string payload;
  for (int i = 0; i < count; ++i) {
    auto sym = std::to_string(1000000 + i + 1).substr(1);
    auto f = trade_fields(sym, i);
    for (int e = 0; e < extra_fields; ++e)
      f.push_back("X" + std::to_string(e));
    kis::append_record(payload, f);
  }
  return kis::encode_frame("H0STCNT0", static_cast<std::size_t>(count),
                           payload);
}

/// Field values by layout name.
using named_fields =
    std::initializer_list<std::pair<std::string_view, std::string>>;

/// A record of `tr_id` built from its layout: every field is `fill` unless
/// `values` names it. Empty when the TR has no layout or a name is not in
/// it (a test bug that then fails its decode).
inline std::vector<std::string> layout_record(std::string_view tr_id,
                                              named_fields values,
                                              std::string_view fill = "0") {
  auto* l = kis::find_layout(tr_id);
  if (l == nullptr)
    return {};
  std::vector<std::string> f(l->width, std::string{fill});
  for (auto& [name, value] : values) {
    auto i = l->index_of(name);
    if (i < 0)
      return {};
    f[static_cast<std::size_t>(i)] = value;
  }
  return f;
}

/// A plain frame of `tr_id` holding `records` (all of one width), each with
/// `extra_fields` trailing fields beyond the layout.
inline std::string
layout_frame(std::string_view tr_id,
             const std::vector<std::vector<std::string>>& records,
             int extra_fields = 0) {
  std::string payload;
  for (auto f : records) {
    for (int e = 0; e < extra_fields; ++e)
      f.push_back("X" + std::to_string(e));
    kis::append_record(payload, f);
  }
  return kis::encode_frame(tr_id, records.size(), payload);
}

// Realistic records of the typed TRs beyond the core ones, by layout name;
// `i` varies the key and the price.

/// H0NXASP0 / H0UNASP0 (65 fields) or H0STASP0 (59): ten levels around
/// 71,000 KRW; the NXT and combined layouts get mid-point orders.
inline std::vector<std::string> book_fields(std::string_view tr_id,
                                            const std::string& symbol, int i) {
  auto l = kis::find_layout(tr_id);
  if (l == nullptr)
    return {};
  auto f = layout_record(tr_id, {{"MKSC_SHRN_ISCD", symbol},
                                 {"BSOP_HOUR", "093001"},
                                 {"HOUR_CLS_CODE", "0"},
                                 {"TOTAL_ASKP_RSQN", "14500"},
                                 {"TOTAL_BIDP_RSQN", "24500"},
                                 {"ANTC_CNPR", "71000"},
                                 {"ANTC_CNQN", "77"},
                                 {"ACML_VOL", "999999"}});
  auto set = [&](const std::string& name, std::string v) {
    auto k = l->index_of(name);
    if (k < 0)
      f.clear();
    else if (!f.empty())
      f[static_cast<std::size_t>(k)] = std::move(v);
  };
  for (int n = 1; n <= 10; ++n) {
    auto s = std::to_string(n);
    set("ASKP" + s, std::to_string(71000 + i * 100 + n * 100));
    set("BIDP" + s, std::to_string(71000 + i * 100 - (n - 1) * 100));
    set("ASKP_RSQN" + s, std::to_string(100 + n));
    set("BIDP_RSQN" + s, std::to_string(200 + n));
  }
  if (l->index_of("KMID_PRC") >= 0) {
    set("KMID_PRC", std::to_string(71050 + i * 100));
    set("KMID_TOTAL_RSQN", "300");
    set("KMID_CLS_CODE", "1");
    set("NMID_PRC", std::to_string(71050 + i * 100));
    set("NMID_TOTAL_RSQN", "40");
    set("NMID_CLS_CODE", "2");
  }
  return f;
}

/// H0UPCNT0: KOSPI-like index ticks, two decimals.
inline std::vector<std::string> index_fields(const std::string& code, int i) {
  return layout_record("H0UPCNT0",
                       {{"BSTP_CLS_CODE", code},
                        {"BSOP_HOUR", "100000"},
                        {"PRPR_NMIX", std::to_string(2650 + i) + ".35"},
                        {"PRDY_VRSS_SIGN", "5"},
                        {"BSTP_NMIX_PRDY_VRSS", "-12.50"},
                        {"ACML_VOL", "312345"},
                        {"ACML_TR_PBMN", "8765432"},
                        {"PCAS_VOL", std::to_string(120 + i)},
                        {"PCAS_TR_PBMN", "3400"},
                        {"PRDY_CTRT", "-0.47"},
                        {"OPRC_NMIX", "2660.10"},
                        {"NMIX_HGPR", "2671.00"},
                        {"NMIX_LWPR", "2640.05"},
                        {"UPLM_ISSU_CNT", "3"},
                        {"ASCN_ISSU_CNT", "310"},
                        {"STNR_ISSU_CNT", "80"},
                        {"DOWN_ISSU_CNT", "520"},
                        {"LSLM_ISSU_CNT", "1"}});
}

/// H0IFCNT0: KOSPI200 futures trades near 367.35.
inline std::vector<std::string> futures_fields(const std::string& code, int i) {
  return layout_record("H0IFCNT0",
                       {{"FUTS_SHRN_ISCD", code},
                        {"BSOP_HOUR", "101502"},
                        {"FUTS_PRDY_VRSS", "0.75"},
                        {"PRDY_VRSS_SIGN", "2"},
                        {"FUTS_PRDY_CTRT", "0.20"},
                        {"FUTS_PRPR", "367." + std::to_string(35 + i)},
                        {"FUTS_OPRC", "367.10"},
                        {"FUTS_HGPR", "367.60"},
                        {"FUTS_LWPR", "367.05"},
                        {"LAST_CNQN", std::to_string(2 + i)},
                        {"ACML_VOL", "1596"},
                        {"ACML_TR_PBMN", "146552687"},
                        {"HTS_THPR", "366.08"},
                        {"MRKT_BASIS", "1.22"},
                        {"DPRT", "0.33"},
                        {"HTS_OTST_STPL_QTY", "268223"},
                        {"OTST_STPL_QTY_ICDC", "-15"},
                        {"THPR_BASIS", "0.49"},
                        {"FUTS_ASKP1", "367.40"},
                        {"FUTS_BIDP1", "367.35"},
                        {"ASKP_RSQN1", "24"},
                        {"BIDP_RSQN1", "21"},
                        {"TOTAL_ASKP_RSQN", "813"},
                        {"TOTAL_BIDP_RSQN", "783"},
                        {"DYNM_MXPR", "374.70"},
                        {"DYNM_LLAM", "360.00"}});
}

/// H0IOCNT0: KOSPI200 call trades near 2.45 with greeks.
inline std::vector<std::string> option_fields(const std::string& code, int i) {
  return layout_record("H0IOCNT0",
                       {{"OPTN_SHRN_ISCD", code},
                        {"BSOP_HOUR", "101503"},
                        {"OPTN_PRPR", "2." + std::to_string(45 + i)},
                        {"PRDY_VRSS_SIGN", "5"},
                        {"OPTN_PRDY_VRSS", "-0.12"},
                        {"PRDY_CTRT", "-4.67"},
                        {"OPTN_OPRC", "2.60"},
                        {"OPTN_HGPR", "2.71"},
                        {"OPTN_LWPR", "2.40"},
                        {"LAST_CNQN", std::to_string(10 + i)},
                        {"ACML_VOL", "45210"},
                        {"ACML_TR_PBMN", "2789"},
                        {"HTS_THPR", "2.48"},
                        {"HTS_OTST_STPL_QTY", "61234"},
                        {"OTST_STPL_QTY_ICDC", "120"},
                        {"INVL_VAL", "0.00"},
                        {"TMVL_VAL", "2.45"},
                        {"DELTA", "0.41234"},
                        {"GAMA", "0.00912"},
                        {"VEGA", "0.5521"},
                        {"THETA", "-0.1834"},
                        {"RHO", "0.0312"},
                        {"HTS_INTS_VLTL", "17.85"},
                        {"OPTN_ASKP1", "2.46"},
                        {"OPTN_BIDP1", "2.45"},
                        {"ASKP_RSQN1", "310"},
                        {"BIDP_RSQN1", "275"},
                        {"TOTAL_ASKP_RSQN", "9100"},
                        {"TOTAL_BIDP_RSQN", "8800"},
                        {"DYNM_MXPR", "3.20"},
                        {"DYNM_LLAM", "1.80"}});
}

/// H0IFASP0 / H0IOASP0: five levels each side around `mid` (two decimals),
/// prices spaced 0.05, with order counts.
inline std::vector<std::string>
derivative_book_fields(std::string_view tr_id, const std::string& code, int i) {
  auto prefix = std::string{tr_id == "H0IFASP0" ? "FUTS" : "OPTN"};
  auto f = layout_record(tr_id, {{prefix + "_SHRN_ISCD", code},
                                 {"BSOP_HOUR", "101504"},
                                 {"TOTAL_ASKP_CSNU", "187"},
                                 {"TOTAL_BIDP_CSNU", "241"},
                                 {"TOTAL_ASKP_RSQN", "813"},
                                 {"TOTAL_BIDP_RSQN", "783"},
                                 {"TOTAL_ASKP_RSQN_ICDC", "-4"},
                                 {"TOTAL_BIDP_RSQN_ICDC", "6"}});
  auto* l = kis::find_layout(tr_id);
  auto set = [&](const std::string& name, std::string v) {
    auto k = l ? l->index_of(name) : -1;
    if (k < 0)
      f.clear();
    else if (!f.empty())
      f[static_cast<std::size_t>(k)] = std::move(v);
  };
  auto price = [](int hundredths) {
    auto s = std::to_string(hundredths);
    return s.substr(0, s.size() - 2) + "." + s.substr(s.size() - 2);
  };
  for (int n = 1; n <= 5; ++n) {
    auto s = std::to_string(n);
    set(prefix + "_ASKP" + s, price(36735 + i * 5 + n * 5));
    set(prefix + "_BIDP" + s, price(36735 + i * 5 - (n - 1) * 5));
    set("ASKP_CSNU" + s, std::to_string(n));
    set("BIDP_CSNU" + s, std::to_string(10 + n));
    set("ASKP_RSQN" + s, std::to_string(20 + n));
    set("BIDP_RSQN" + s, std::to_string(30 + n));
  }
  return f;
}

/// H0STNAV0: an ETF's NAV near 35,123.45 KRW.
inline std::vector<std::string> nav_fields(const std::string& symbol, int i) {
  return layout_record("H0STNAV0", {{"RT_CD", "0"},
                                    {"MSG_CD", ""},
                                    {"OUTPUT1", ""},
                                    {"MSG1", ""},
                                    {"MKSC_SHRN_ISCD", symbol},
                                    {"NAV", std::to_string(35123 + i) + ".45"},
                                    {"NAV_PRDY_VRSS_SIGN", "2"},
                                    {"NAV_PRDY_VRSS", "101.20"},
                                    {"NAV_PRDY_CTRT", "0.29"},
                                    {"OPRC_NAV", "35050.00"},
                                    {"HPRC_NAV", "35200.15"},
                                    {"LPRC_NAV", "34990.80"}});
}

} // namespace kisrt::test
