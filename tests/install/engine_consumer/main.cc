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

#include "corsc/engine.h"

namespace {

int Fail(const std::string& why) {
  std::fprintf(stderr, "engine_consumer: %s\n", why.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return Fail("usage: engine_consumer TABLE");
  std::ifstream in(argv[1], std::ios::binary);
  if (!in.is_open()) return Fail(std::string("cannot open ") + argv[1]);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  corsc::Result<std::shared_ptr<const corsc::CompiledTable>> table =
      corsc::CompiledTable::Open(bytes);
  if (!table.ok()) return Fail(table.status().ToString());

  corsc::Engine engine(*table);
  corsc::Engine::Reader reader = engine.NewReader();
  corsc::RequestBuilder b("OPTIONS", "/users/42");
  b.AddHeader("Origin", "https://app.example.com");
  b.AddHeader("Access-Control-Request-Method", "PUT");
  std::string origin, methods;
  bool allowed = false;
  reader.Evaluate(b.request(), [&](const corsc::Decision& d) {
    allowed = d.allowed;
    origin = std::string(d.headers.Find("Access-Control-Allow-Origin").value_or(""));
    methods = std::string(d.headers.Find("Access-Control-Allow-Methods").value_or(""));
  });
  if (!allowed) return Fail("the preflight is refused");
  if (origin != "https://app.example.com") return Fail("Allow-Origin is \"" + origin + "\"");
  if (methods != "GET, PUT") return Fail("Allow-Methods is \"" + methods + "\"");
  std::puts("engine_consumer: ok");
  return 0;
}
