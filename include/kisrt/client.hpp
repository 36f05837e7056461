// SPDX-License-Identifier: Apache-2.0
// <kisrt/client.hpp>: the callback facade (target kisrt::client,
// docs/embedding.md). No CAF, Boost, Beast or Asio header comes with it.
#pragma once

#include "apps/kisrt/client.hpp"
#include "kisrt/version.hpp"
