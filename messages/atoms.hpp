// SPDX-License-Identifier: Apache-2.0
// kisrt's own atoms (at most 10 characters each). CAF's built-in atoms
// (get, put, subscribe, unsubscribe, tick, ...) are reused where they fit.
#pragma once

#include <caf/type_id.hpp>

CAF_ADD_ATOM(kisrt, kisrt::atom, slots, "slots")
CAF_ADD_ATOM(kisrt, kisrt::atom, attach, "attach")
CAF_ADD_ATOM(kisrt, kisrt::atom, retry, "retry")
// -- demand sources (portfolio_sync, picks_loader, scanner)
CAF_ADD_ATOM(kisrt, kisrt::atom, poll, "poll")
CAF_ADD_ATOM(kisrt, kisrt::atom, holdings, "holdings")
CAF_ADD_ATOM(kisrt, kisrt::atom, picks, "picks")
CAF_ADD_ATOM(kisrt, kisrt::atom, candidates, "candidates")
// -- the notice journal (actors/notice_journal.hpp)
CAF_ADD_ATOM(kisrt, kisrt::atom, notices, "notices")
// -- statistics (messages/stats.hpp)
CAF_ADD_ATOM(kisrt, kisrt::atom, stats, "stats")
