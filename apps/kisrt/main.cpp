// SPDX-License-Identifier: Apache-2.0
#include <cstring>
#include <iostream>

namespace kisrt::app {
int decode_main(int argc, char** argv);
} // namespace kisrt::app

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "decode") == 0)
    return kisrt::app::decode_main(argc - 1, argv + 1);
  std::cerr
      << "usage: kisrt decode [--key K --iv IV | --keys FILE] [FILE...]\n";
  return 2;
}
