// Copyright corsc developers.
//
// Embeds corsc from an installed package: compiles a policy, serves one
// preflight through an Engine, and checks the answer. Exits 1 with a
// message on any difference, so tests/install/run.sh fails.

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <vector>

#include "corsc/compiler.h"
#include "corsc/engine.h"

namespace {

int Fail(const std::string& why) {
  std::fprintf(stderr, "consumer: %s\n", why.c_str());
  return 1;
}

}  // namespace

int main() {
  const std::vector<corsc::SourceFile> files = {
      {"api.toml",
       "version = 1\n"
       "[defaults]\n"
       "origins = [\"https://app.example.com\"]\n"
       "methods = [\"GET\", \"PUT\"]\n"}};
  corsc::Compilation c = corsc::Compile(files, corsc::CompileOptions{});
  if (!c.ok()) return Fail("the policy does not compile");

  corsc::Engine engine(c.table);
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

  // The package also names the installed command line.
  struct stat st;
  if (stat(CORSC_EXECUTABLE, &st) != 0) return Fail("no corsc at " CORSC_EXECUTABLE);
  std::puts("consumer: ok");
  return 0;
}
