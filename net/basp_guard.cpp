// SPDX-License-Identifier: Apache-2.0
#include "net/basp_guard.hpp"

#include <algorithm>
#include <cstring>

namespace kisrt::net {

namespace {

std::uint32_t be32(const char* p) {
  auto b = reinterpret_cast<const unsigned char*>(p);
  return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16)
         | (std::uint32_t{b[2]} << 8) | std::uint32_t{b[3]};
}

} // namespace

bool basp_guard::fail(std::string why) {
  error_ = std::move(why);
  held_.clear();
  return false;
}

bool basp_guard::feed(const char* data, std::size_t n, std::vector<char>& out) {
  if (!error_.empty())
    return false;
  while (n > 0) {
    if (payload_left_ == 0 && check_ == 0) {
      // Reading a header.
      auto take = std::min(n, basp_header_size - have_);
      std::memcpy(header_ + have_, data, take);
      have_ += take;
      data += take;
      n -= take;
      if (have_ == basp_header_size) {
        have_ = 0;
        if (!on_header(out))
          return false;
      }
      continue;
    }
    if (check_ > 0) {
      // Holding a payload prefix until it can be checked.
      auto take = std::min(n, check_);
      held_.insert(held_.end(), data, data + take);
      data += take;
      n -= take;
      check_ -= take;
      payload_left_ -= take;
      if (check_ == 0 && !on_checked_prefix(out))
        return false;
      continue;
    }
    auto take =
        static_cast<std::size_t>(std::min<std::uint64_t>(n, payload_left_));
    out.insert(out.end(), data, data + take);
    data += take;
    n -= take;
    payload_left_ -= take;
  }
  return true;
}

bool basp_guard::on_header(std::vector<char>& out) {
  op_ = static_cast<std::uint8_t>(header_[0]);
  auto len = be32(header_ + 4);
  auto op = static_cast<basp_op>(op_);
  if (!handshake_done()) {
    if (op != basp_op::client_handshake)
      return fail("expected the client handshake, got BASP operation "
                  + std::to_string(op_));
    if (len == 0 || len > limits_.max_handshake)
      return fail("client handshake of " + std::to_string(len)
                  + " bytes, expected 1 to "
                  + std::to_string(limits_.max_handshake));
  } else {
    switch (op) {
      case basp_op::direct_message:
      case basp_op::monitor_message:
      case basp_op::down_message:
      case basp_op::heartbeat: break;
      case basp_op::client_handshake:
        // CAF's client repeats its handshake once it has the server's
        // (select_connection_flag): allowed for the same node id only.
        if (len != node_.size())
          return fail("a second client handshake for another node");
        break;
      case basp_op::routed_message:
        return fail("a routed message (a node speaks only for itself)");
      default:
        return fail("BASP operation " + std::to_string(op_) + " from a node");
    }
  }
  if (len > limits_.max_payload)
    return fail("a message declares a payload of " + std::to_string(len)
                + " bytes, more than the limit of "
                + std::to_string(limits_.max_payload)
                + " (publish.max_message)");
  ++headers_;
  payload_left_ = len;
  if (op == basp_op::client_handshake) {
    check_ = len;
    repeat_ = handshake_done();
  } else if (op == basp_op::monitor_message || op == basp_op::down_message) {
    // Their payload starts with the sender's node id: it must be the
    // node's own.
    if (len < node_.size())
      return fail("a monitor or down message too short for a node id");
    check_ = node_.size();
  }
  if (check_ == 0) {
    out.insert(out.end(), header_, header_ + basp_header_size);
    return true;
  }
  held_.assign(header_, header_ + basp_header_size);
  return true;
}

bool basp_guard::on_checked_prefix(std::vector<char>& out) {
  auto prefix = held_.begin() + basp_header_size;
  if (static_cast<basp_op>(op_) == basp_op::client_handshake && !repeat_) {
    node_.assign(prefix, held_.end());
  } else if (static_cast<basp_op>(op_) == basp_op::client_handshake) {
    if (!std::equal(node_.begin(), node_.end(), prefix, held_.end()))
      return fail("a second client handshake for another node");
  } else if (!std::equal(node_.begin(), node_.end(), prefix, held_.end())) {
    return fail("a monitor or down message in another node's name");
  }
  out.insert(out.end(), held_.begin(), held_.end());
  held_.clear();
  return true;
}

} // namespace kisrt::net
