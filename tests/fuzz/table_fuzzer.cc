// Copyright corsc developers.
//
// Fuzzes CompiledTable::Open, and evaluates a few requests on whatever it
// accepts: a table that loads must be safe to use (docs/table_format.md,
// "Reading a table").
//
// Random bytes rarely get past the header and never past the checksum, so
// the first input byte picks one of three modes:
//
//   0        the rest of the input is the table, as is;
//   1        the rest is the table, and its checksum is set to match
//            (a crafted file: only the structural checks stand in the way);
//   2..255   the rest is a list of edits (a 3-byte little-endian offset and
//            a byte to xor there) to a valid table compiled from fuzz_policy.h's
//            policy; the checksum is then set to match.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "corsc/table.h"
#include "fuzz_policy.h"
#include "table_format.h"

namespace {

const std::string& ValidTable() {
  static const std::string bytes(corsc::fuzz::EveryRuleTable().bytes());
  return bytes;
}

void SetChecksum(std::string& bytes) {
  if (bytes.size() < sizeof(corsc::table_format::FileHeader)) return;
  const uint64_t sum = corsc::table_format::FileChecksum(bytes);
  std::memcpy(bytes.data() + corsc::table_format::kChecksumOffset, &sum, sizeof sum);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t mode = data[0];
  std::string bytes;
  if (mode <= 1) {
    bytes.assign(reinterpret_cast<const char*>(data + 1), size - 1);
    if (mode == 1) SetChecksum(bytes);
  } else {
    bytes = ValidTable();
    for (size_t i = 1; i + 4 <= size; i += 4) {
      const size_t offset = data[i] | size_t{data[i + 1]} << 8 | size_t{data[i + 2]} << 16;
      bytes[offset % bytes.size()] ^= static_cast<char>(data[i + 3]);
    }
    SetChecksum(bytes);
  }

  auto table = corsc::CompiledTable::Open(bytes);
  if (!table.ok()) return 0;
  const corsc::CompiledTable& t = **table;
  for (const char* origin :
       {"https://a.example.com", "https://x.api.example.net:8443", "null", "http://localhost:3000",
        "https://pr-12.example.org", "https://evil-example.com"}) {
    for (const char* path : {"/", "/a/1/b", "/public/x/y", "/api/v1/users/42?x=1"}) {
      for (const char* method : {"OPTIONS", "GET"}) {
        corsc::RequestBuilder b(method, path);
        b.AddHeader("Origin", origin);
        b.AddHeader("Access-Control-Request-Method", "PUT");
        b.AddHeader("Access-Control-Request-Headers", "content-type, x-a");
        b.AddHeader("Access-Control-Request-Private-Network", "true");
        corsc::Decision d = t.Evaluate(b.request());
        if (d.route != corsc::kNoRule) (void)t.route_info(d.route);
        if (d.origin_rule != corsc::kNoRule) (void)t.origin_rule_info(d.origin_rule);
      }
    }
  }
  (void)t.Describe();
  return 0;
}
