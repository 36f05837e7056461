// SPDX-License-Identifier: Apache-2.0
#include "net/kis/records_indices.hpp"

#include "net/kis/field_reader.hpp"

namespace kisrt::kis {

KISRT_TIE_EQ(index_trade, x.code, x.time, x.level, x.sign, x.change,
             x.change_rate, x.open, x.high, x.low, x.volume, x.value,
             x.cum_volume, x.cum_value, x.upper_limit_count, x.up_count,
             x.flat_count, x.down_count, x.lower_limit_count)
KISRT_TIE_EQ(etf_nav, x.symbol, x.nav, x.sign, x.change, x.change_rate, x.open,
             x.high, x.low)

// Positions are those of net/kis/tr-fields.json; the tests build their
// frames from the layout's field names.

codec_error decode(const record_view& r, index_trade& out) {
  field_reader f{r};
  f.req_str(0, out.code);                 // BSTP_CLS_CODE
  f.req_time(1, out.time);                // BSOP_HOUR
  f.req_fixed(2, out.level);              // PRPR_NMIX
  f.sign(3, out.sign);                    // PRDY_VRSS_SIGN
  f.opt_fixed(4, out.change);             // BSTP_NMIX_PRDY_VRSS
  f.opt_int(5, out.cum_volume);           // ACML_VOL
  f.opt_int(6, out.cum_value);            // ACML_TR_PBMN
  f.opt_int(7, out.volume);               // PCAS_VOL
  f.opt_int(8, out.value);                // PCAS_TR_PBMN
  f.opt_fixed(9, out.change_rate);        // PRDY_CTRT
  f.opt_fixed(10, out.open);              // OPRC_NMIX
  f.opt_fixed(11, out.high);              // NMIX_HGPR
  f.opt_fixed(12, out.low);               // NMIX_LWPR
  f.opt_int32(22, out.upper_limit_count); // UPLM_ISSU_CNT
  f.opt_int32(23, out.up_count);          // ASCN_ISSU_CNT
  f.opt_int32(24, out.flat_count);        // STNR_ISSU_CNT
  f.opt_int32(25, out.down_count);        // DOWN_ISSU_CNT
  f.opt_int32(26, out.lower_limit_count); // LSLM_ISSU_CNT
  return f.take();
}

codec_error decode(const record_view& r, etf_nav& out) {
  field_reader f{r};
  f.req_str(4, out.symbol);        // MKSC_SHRN_ISCD
  f.req_fixed(5, out.nav);         // NAV
  f.sign(6, out.sign);             // NAV_PRDY_VRSS_SIGN
  f.opt_fixed(7, out.change);      // NAV_PRDY_VRSS
  f.opt_fixed(8, out.change_rate); // NAV_PRDY_CTRT
  f.opt_fixed(9, out.open);        // OPRC_NAV
  f.opt_fixed(10, out.high);       // HPRC_NAV
  f.opt_fixed(11, out.low);        // LPRC_NAV
  return f.take();
}

} // namespace kisrt::kis
