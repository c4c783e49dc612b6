// Copyright corsc developers.
//
// The policy the fuzz targets decide requests against: every kind of origin
// rule (exact, subdomain and port wildcards, "null", a regex, "*") and
// routes of every shape (literal, parameter, "*", "**"), compiled once.
//
// NOTE: most of the table fuzzer's corpus (tests/fuzz/corpus/table_fuzzer)
// are edits at byte offsets of the table compiled from this policy. Change
// the policy and those inputs lose their meaning: fuzz again and merge a
// new corpus (the README says how).

#ifndef CORSC_TESTS_FUZZ_FUZZ_POLICY_H_
#define CORSC_TESTS_FUZZ_FUZZ_POLICY_H_

#include <memory>
#include <span>

#include "corsc/compiler.h"
#include "corsc/table.h"

namespace corsc::fuzz {

inline const CompiledTable& EveryRuleTable() {
  static const std::shared_ptr<const CompiledTable> table = [] {
    SourceFile file{"fuzz.toml", R"(
version = 1
[defaults]
origins = ["https://app.example.com", "https://*.example.com", "http://localhost:*",
           "https://*.api.example.net:*", "null", { regex = '^https://pr-[0-9]+\.example\.org$' }]
methods = ["GET", "PUT", "PATCH"]
allow_headers = ["content-type", "authorization"]
expose_headers = ["x-request-id"]
credentials = true
max_age = 600
[[routes]]
path = "/public/**"
origins = ["*"]
credentials = false
allow_headers = ["*"]
[[routes]]
path = "/a/{id}/b"
private_network = true
methods = ["*"]
[[routes]]
path = "/api/v1/users/*"
origins = ["https://admin.example.com"]
[[routes]]
path = "/none/*"
origins = []
)"};
    std::shared_ptr<const CompiledTable> t =
        Compile(std::span<const SourceFile>(&file, 1), {}).table;
    if (t == nullptr) __builtin_trap();
    return t;
  }();
  return *table;
}

}  // namespace corsc::fuzz

#endif  // CORSC_TESTS_FUZZ_FUZZ_POLICY_H_
