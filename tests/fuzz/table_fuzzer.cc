// Copyright corsc developers.
//
// Fuzzes CompiledTable::Open on arbitrary bytes, and evaluates a few
// requests on whatever it accepts: a table that loads must be safe to use
// (docs/table_format.md, "Reading a table").

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "corsc/table.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto table =
      corsc::CompiledTable::Open(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!table.ok()) return 0;
  const corsc::CompiledTable& t = **table;
  for (const char* origin : {"https://a.example.com", "null", "http://localhost:3000"}) {
    for (const char* path : {"/", "/a/b", "/api/v1/users/42?x=1"}) {
      corsc::RequestBuilder b("OPTIONS", path);
      b.AddHeader("Origin", origin);
      b.AddHeader("Access-Control-Request-Method", "PUT");
      b.AddHeader("Access-Control-Request-Headers", "content-type, x-a");
      corsc::Decision d = t.Evaluate(b.request());
      if (d.route != corsc::kNoRule) (void)t.route_info(d.route);
      if (d.origin_rule != corsc::kNoRule) (void)t.origin_rule_info(d.origin_rule);
    }
  }
  (void)t.Describe();
  return 0;
}
