// Copyright corsc developers.
//
// TableSpec: the logical content of a decision table, as plain values.
//
// The compiler lowers a resolved policy into a TableSpec; BuildTable()
// encodes it into the binary format of docs/table_format.md;
// CompiledTable::Open() loads those bytes; CompiledTable::Describe() gives
// the TableSpec back (so `corsc diff` and the round-trip tests can read a
// compiled table without the policy that produced it).
//
// A TableSpec is already validated and canonical: the compiler checked every
// pattern. BuildTable() still refuses inconsistent input (an index out of
// range, a malformed path pattern) with InvalidArgument rather than writing
// a table the engine would refuse.

#ifndef CORSC_TABLE_SPEC_H_
#define CORSC_TABLE_SPEC_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corsc/decision.h"
#include "corsc/status.h"

namespace corsc {

// How the engine matches origins. Every strategy gives identical decisions;
// they differ in speed and memory. `table` is the one to deploy; the others
// exist to be measured against it (bench/README.md).
// NOTE: stored in tables; never renumber.
enum class Strategy : uint8_t {
  kTable = 0,   // exact hash + host-suffix hash + regexes only where written
  kRe2Set = 1,  // every pattern in one RE2::Set
  kLinear = 2,  // an ordered list tried one by one (Envoy, rs/cors)
  kNaive = 3,   // one std::regex per pattern, scanned in order
};
std::string_view StrategyName(Strategy s);  // "table", "re2set", ...
std::optional<Strategy> ParseStrategy(std::string_view name);

// NOTE: stored in tables; never renumber.
enum class OriginKind : uint8_t {
  kAny = 0,          // "*": any Origin value, null and malformed ones included
  kExact = 1,        // one canonical origin, or "null"
  kHostAnyPort = 2,  // "http://localhost:*": that scheme and host, any port or none
  kSubdomain = 3,    // "https://*.example.com[:port|:*]": one or more labels below host
  kRegex = 4,        // RE2 source, matched against the whole canonical origin
};

// Port values of OriginRuleSpec::port beside 0..65535.
inline constexpr uint32_t kNoPort = 0x10000;   // the origin has no port
inline constexpr uint32_t kAnyPort = 0x10001;  // ":*": any port, or none

// Limits BuildTable() enforces (docs/decisions.md D31), far beyond any real
// policy; they bound the stack buffers of the hot path. The compiler reports
// a policy beyond them as an error.
inline constexpr size_t kMaxRouteSegments = 64;  // before a final "**"
inline constexpr size_t kMaxAllowHeaderNameLength = 256;
inline constexpr size_t kMaxOriginRuleTextLength = 0xffff;

struct SourceLocation {
  uint32_t file = 0;    // index into TableSpec::files
  uint32_t line = 0;    // 1-based; 0 = unknown
  uint32_t column = 0;  // 1-based; 0 = unknown

  friend bool operator==(const SourceLocation&, const SourceLocation&) = default;
};

struct OriginRuleSpec {
  OriginKind kind = OriginKind::kExact;
  // Canonical text, as explanations show it: "https://app.example.com",
  // "null", "*", "https://*.example.com:*", or the regex source as written.
  std::string text;
  // kExact (except "null"), kHostAnyPort, kSubdomain: the parts.
  std::string scheme;  // "https"
  std::string host;    // kSubdomain: the suffix below "*." ("example.com")
  uint32_t port = kNoPort;
  SourceLocation where;

  friend bool operator==(const OriginRuleSpec&, const OriginRuleSpec&) = default;
};

// One origin list. `rules` index TableSpec::origin_rules, in policy order
// (the order decides between equally specific rules). Empty: every origin is
// refused. A kAny rule anywhere: every origin is allowed, as "*".
struct OriginSetSpec {
  std::vector<RuleId> rules;

  friend bool operator==(const OriginSetSpec&, const OriginSetSpec&) = default;
};

struct RouteSpec {
  // The path pattern as written ("/api/v1/users/{id}"). For the catch-all
  // route made from [defaults]: "[defaults]".
  std::string pattern;
  bool catch_all = false;
  SourceLocation where;

  uint32_t origin_set = 0;  // index into TableSpec::origin_sets

  // Method tokens, deduplicated, in configured order. GET, HEAD, POST, PUT,
  // DELETE and OPTIONS are upper-case (they match case-insensitively); any
  // other token is matched exactly. A "*" entry allows any method.
  std::vector<std::string> methods;
  // Lower-case request header names; a "*" entry allows any name.
  std::vector<std::string> allow_headers;
  // Response header names as written; "*" only without credentials.
  std::vector<std::string> expose_headers;
  bool credentials = false;
  std::optional<uint32_t> max_age;
  bool private_network = false;
  uint16_t preflight_status = 204;

  friend bool operator==(const RouteSpec&, const RouteSpec&) = default;
};

struct TableSpec {
  std::string policy_name;  // the policy's `name`, may be empty
  std::string profile;      // the profile compiled in; empty = base policy
  Strategy strategy = Strategy::kTable;
  std::vector<std::string> files;  // source files, for locations
  std::vector<OriginRuleSpec> origin_rules;
  std::vector<OriginSetSpec> origin_sets;
  // Route order carries no meaning (specificity decides); at most one
  // route is catch_all.
  std::vector<RouteSpec> routes;

  // Field-for-field equality: CompiledTable::Describe() of a table gives a
  // TableSpec equal to the one it was built from.
  friend bool operator==(const TableSpec&, const TableSpec&) = default;
};

// Encodes `spec` as a table (docs/table_format.md). Deterministic: the same
// spec gives the same bytes.
Result<std::string> BuildTable(const TableSpec& spec);

}  // namespace corsc

#endif  // CORSC_TABLE_SPEC_H_
