// Copyright corsc developers.
//
// Fuzzes Evaluate() with arbitrary requests against one policy that has
// every kind of rule (exact, wildcards, regex, "*", routes of every shape),
// and checks the decision's invariants: a refusal carries no
// Access-Control-* header; an allowed preflight has a status; not-cors is
// always allowed.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "corsc/compiler.h"
#include "corsc/table.h"
#include "fuzz_policy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The input is split at NUL bytes: method, path, then header lines as
  // "name\0value" pairs.
  std::vector<std::string_view> parts;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  while (true) {
    size_t nul = in.find('\0');
    parts.push_back(in.substr(0, nul));
    if (nul == std::string_view::npos) break;
    in.remove_prefix(nul + 1);
  }
  corsc::RequestBuilder b(parts[0], parts.size() > 1 ? parts[1] : "/");
  static const char* kNames[] = {"Origin", "Access-Control-Request-Method",
                                 "Access-Control-Request-Headers",
                                 "Access-Control-Request-Private-Network"};
  for (size_t i = 2; i < parts.size(); ++i) {
    if (parts[i].empty()) continue;
    b.AddHeader(kNames[static_cast<unsigned char>(parts[i][0]) % 4], parts[i].substr(1));
  }
  corsc::Decision d = corsc::fuzz::EveryRuleTable().Evaluate(b.request());
  if (d.kind == corsc::Kind::kNotCors && !d.allowed) __builtin_trap();
  if (d.allowed && d.kind == corsc::Kind::kPreflight && d.status == 0) __builtin_trap();
  if (!d.allowed) {
    for (const corsc::HeaderField& h : d.headers) {
      if (h.name.substr(0, 15) == "Access-Control-") __builtin_trap();
    }
  }
  return 0;
}
