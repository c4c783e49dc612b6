// Copyright corsc developers.
//
// Embeds corsc from an installed package: compiles a policy, serves one
// preflight through an Engine, and checks the answer. Exits 1 with a
// message on any difference, so tests/install/run.sh fails.

#include <sys/stat.h>

#include <cstdio>
#include <vector>

#include "corsc/compiler.h"
#include "serve_preflight.h"

int main() {
  constexpr const char* kWho = "consumer";
  const std::vector<corsc::SourceFile> files = {
      {"api.toml",
       "version = 1\n"
       "[defaults]\n"
       "origins = [\"https://app.example.com\"]\n"
       "methods = [\"GET\", \"PUT\"]\n"}};
  corsc::Compilation c = corsc::Compile(files, corsc::CompileOptions{});
  if (!c.ok()) return Fail(kWho, "the policy does not compile");
  if (ServePreflight(kWho, c.table) != 0) return 1;

  // The package also names the installed command line.
  struct stat st;
  if (stat(CORSC_EXECUTABLE, &st) != 0) return Fail(kWho, "no corsc at " CORSC_EXECUTABLE);
  std::puts("consumer: ok");
  return 0;
}
