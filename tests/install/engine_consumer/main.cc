// Copyright corsc developers.
//
// Embeds the engine alone from an installed package: opens the table that
// tests/install/run.sh compiled with the installed corsc, serves one
// preflight through an Engine, and checks the answer. Exits 1 with a
// message on any difference, so tests/install/run.sh fails.
//
//   engine_consumer TABLE

#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "corsc/table.h"
#include "serve_preflight.h"

int main(int argc, char** argv) {
  constexpr const char* kWho = "engine_consumer";
  if (argc != 2) return Fail(kWho, "usage: engine_consumer TABLE");
  std::ifstream in(argv[1], std::ios::binary);
  if (!in.is_open()) return Fail(kWho, std::string("cannot open ") + argv[1]);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  corsc::Result<std::shared_ptr<const corsc::CompiledTable>> table =
      corsc::CompiledTable::Open(bytes);
  if (!table.ok()) return Fail(kWho, table.status().ToString());
  if (ServePreflight(kWho, *table) != 0) return 1;
  std::puts("engine_consumer: ok");
  return 0;
}
