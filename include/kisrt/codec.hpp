// SPDX-License-Identifier: Apache-2.0
// <kisrt/codec.hpp>: the KIS wire codec on its own (target kisrt::codec,
// docs/codec.md): frames, the decoder, typed records, requests.
#pragma once

#include "kisrt/version.hpp"
#include "net/kis/control.hpp"
#include "net/kis/decoder.hpp"
#include "net/kis/encode.hpp"
#include "net/kis/frame.hpp"
#include "net/kis/records.hpp"
#include "net/kis/records_derivatives.hpp"
#include "net/kis/records_indices.hpp"
#include "net/kis/requests.hpp"
#include "net/kis/rest.hpp"
