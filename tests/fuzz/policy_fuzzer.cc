// Copyright corsc developers.
//
// Fuzzes the whole compiler on arbitrary policy text: load, check, resolve,
// lint, lower, build, open. Properties beyond "no crash, no hang, no leak":
// a policy that compiles has a table that evaluates a request, and
// rendering diagnostics works whatever they are.

#include <cstddef>
#include <cstdint>
#include <string>

#include "corsc/compiler.h"
#include "corsc/table.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  corsc::SourceFile file{"fuzz.toml", std::string(reinterpret_cast<const char*>(data), size)};
  corsc::CompileOptions options;
  options.lint = true;
  options.profile = (size % 3 == 0) ? "dev" : (size % 3 == 1) ? "prod" : "";
  corsc::Compilation c = corsc::Compile(std::span<const corsc::SourceFile>(&file, 1), options);
  (void)corsc::RenderText(c.diagnostics, std::span<const corsc::SourceFile>(&file, 1), false);
  (void)corsc::RenderJson(c.diagnostics);
  if (c.table) {
    corsc::RequestBuilder b("OPTIONS", "/a/b");
    b.AddHeader("Origin", "https://a.example.com");
    b.AddHeader("Access-Control-Request-Method", "PUT");
    (void)c.table->Evaluate(b.request());
    if (corsc::HasErrors(c.diagnostics)) __builtin_trap();  // a table despite errors
  }
  return 0;
}
