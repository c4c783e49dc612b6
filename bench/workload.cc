// Copyright corsc developers.

#include "workload.h"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <tuple>

namespace corsc::bench {
namespace {

constexpr std::string_view kMethods = R"(["GET", "POST", "PUT"])";
constexpr std::string_view kAllowHeaders = R"(["content-type", "authorization", "x-request-id"])";

const char* const kRegexes[] = {
    R"('^https://pr-[0-9]+\.preview\.example-corp\.com$')",
    R"('^https://[a-z0-9-]+\.staging\.example-corp\.com$')",
};

std::string Exact(int i) { return "https://tenant-" + std::to_string(i) + ".example-corp.com"; }
// Subdomain j's suffix: "customer-j.example-saas.net", one label deeper
// ("eu.customer-j...") for every 4th.
std::string SubdomainSuffix(int j) {
  return std::string(j % 4 == 3 ? "eu." : "") + "customer-" + std::to_string(j) +
         ".example-saas.net";
}
std::string HostAnyPort(int k) { return "dev-" + std::to_string(k) + ".internal"; }

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "bench: %s\n", what.c_str());
  std::abort();
}

}  // namespace

PatternCounts CountsFor(const PolicyShape& shape) {
  const int n = shape.origins;
  if (shape.exact_only) return {n, 0, 0, 0};
  PatternCounts c;
  c.regex = 2;
  c.host_any_port = std::max(1, n / 1000);
  c.subdomain = std::max(2, n / 10);
  c.exact = n - c.regex - c.host_any_port - c.subdomain;
  return c;
}

std::string PolicyToml(const PolicyShape& shape) {
  const PatternCounts c = CountsFor(shape);
  std::string out = "version = 1\nname = \"bench\"\n\n[defaults]\norigins = [\n";
  out.reserve(static_cast<size_t>(shape.origins) * 48 + 4096);
  for (int i = 0; i < c.exact; ++i) out += "  \"" + Exact(i) + "\",\n";
  for (int j = 0; j < c.subdomain; ++j) out += "  \"https://*." + SubdomainSuffix(j) + "\",\n";
  for (int k = 0; k < c.host_any_port; ++k) out += "  \"http://" + HostAnyPort(k) + ":*\",\n";
  for (int r = 0; r < c.regex; ++r) out += std::string("  { regex = ") + kRegexes[r] + " },\n";
  out += "]\nmethods = ";
  out += kMethods;
  out += "\nallow_headers = ";
  out += kAllowHeaders;
  out += "\ncredentials = true\nmax_age = 600\n";
  for (int k = 1; k < shape.routes; ++k) {
    out += "\n[[routes]]\npath = \"/svc-" + std::to_string(k) + "/v1/items/{id}\"\n";
  }
  return out;
}

namespace {

std::mutex g_mu;

using ShapeKey = std::tuple<int, int, bool>;
ShapeKey KeyOf(const PolicyShape& s) { return {s.origins, s.routes, s.exact_only}; }

}  // namespace

const Compilation& Compiled(const PolicyShape& shape) {
  static std::map<ShapeKey, std::unique_ptr<Compilation>> cache;
  std::lock_guard<std::mutex> lock(g_mu);
  std::unique_ptr<Compilation>& c = cache[KeyOf(shape)];
  if (c == nullptr) {
    const SourceFile file{"bench.toml", PolicyToml(shape)};
    c = std::make_unique<Compilation>(Compile(std::span<const SourceFile>(&file, 1), {}));
    if (!c->ok()) {
      std::string why = c->status.ToString();
      if (!c->diagnostics.empty()) why += ": " + c->diagnostics.front().message;
      Die("the benchmark policy does not compile: " + why);
    }
  }
  return *c;
}

std::shared_ptr<const CompiledTable> TableFor(const PolicyShape& shape, Strategy strategy) {
  const Compilation& c = Compiled(shape);
  if (strategy == Strategy::kTable) return c.table;
  static std::map<std::tuple<ShapeKey, Strategy>, std::shared_ptr<const CompiledTable>> cache;
  std::lock_guard<std::mutex> lock(g_mu);
  auto& table = cache[{KeyOf(shape), strategy}];
  if (table == nullptr) {
    TableSpec spec = *c.spec;
    spec.strategy = strategy;
    auto opened = CompiledTable::FromSpec(spec);
    if (!opened.ok()) Die("strategy table does not load: " + opened.status().ToString());
    table = *opened;
  }
  return table;
}

std::shared_ptr<const CompiledTable> HeadersOnlyTable() {
  static const std::shared_ptr<const CompiledTable> table = [] {
    std::string toml = "version = 1\n\n[defaults]\norigins = [\"*\"]\nmethods = ";
    toml += kMethods;
    toml += "\nallow_headers = ";
    toml += kAllowHeaders;
    toml += "\nmax_age = 600\n";
    const SourceFile file{"headers.toml", toml};
    Compilation c = Compile(std::span<const SourceFile>(&file, 1), {});
    if (!c.ok()) Die("the headers-only policy does not compile");
    return c.table;
  }();
  return table;
}

std::string_view ClassName(RequestClass c) {
  switch (c) {
    case RequestClass::kExactHit:
      return "exact_hit";
    case RequestClass::kWildcardDepth1:
      return "wildcard_d1";
    case RequestClass::kWildcardDepth3:
      return "wildcard_d3";
    case RequestClass::kRegexHit:
      return "regex_hit";
    case RequestClass::kMiss:
      return "miss";
    case RequestClass::kLookalike:
      return "lookalike";
    case RequestClass::kPreflightAllowed:
      return "preflight_allowed";
    case RequestClass::kPreflightRefused:
      return "preflight_refused";
    case RequestClass::kHostileAcrh:
      return "hostile_acrh";
  }
  return "?";
}

namespace {

// 4 KiB of mostly empty items with white space, then the three allowed
// names: within D12's limits (8 KiB, 128 names), so every byte is scanned.
std::string HostileAcrh() {
  std::string s;
  while (s.size() < 4096 - 48) s += ", ,\t,,";
  s += "content-type, authorization, x-request-id";
  return s;
}

void Finish(OwnedRequest& r) {
  r.request.method = r.method;
  r.request.path = r.path;
  r.origin_line = r.origin;
  r.request.origin = HeaderLines(&r.origin_line, 1);
  if (!r.acrm.empty()) {
    r.acrm_line = r.acrm;
    r.request.request_method = HeaderLines(&r.acrm_line, 1);
  }
  if (!r.acrh.empty()) {
    r.acrh_line = r.acrh;
    r.request.request_headers = HeaderLines(&r.acrh_line, 1);
  }
}

}  // namespace

const std::deque<OwnedRequest>& Requests(RequestClass c, const PolicyShape& shape) {
  static std::map<std::tuple<RequestClass, ShapeKey>, std::unique_ptr<std::deque<OwnedRequest>>>
      cache;
  std::lock_guard<std::mutex> lock(g_mu);
  auto& slot = cache[{c, KeyOf(shape)}];
  if (slot != nullptr) return *slot;
  slot = std::make_unique<std::deque<OwnedRequest>>();
  std::deque<OwnedRequest>& out = *slot;

  const PatternCounts counts = CountsFor(shape);
  std::mt19937_64 rng(static_cast<uint64_t>(shape.origins) * 31 + static_cast<uint64_t>(c));
  auto below = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  const int pool = 256;
  for (int i = 0; i < pool; ++i) {
    OwnedRequest& r = out.emplace_back();
    r.method = "GET";
    r.path = shape.routes > 1
                 ? "/svc-" + std::to_string(1 + below(shape.routes - 1)) + "/v1/items/42"
                 : "/api/v1/items/42";
    const std::string exact = Exact(below(std::max(1, counts.exact)));
    const std::string suffix = SubdomainSuffix(below(std::max(1, counts.subdomain)));
    const std::string n = std::to_string(i);
    switch (c) {
      case RequestClass::kExactHit:
        r.origin = exact;
        break;
      case RequestClass::kWildcardDepth1:
        r.origin = "https://app" + n + "." + suffix;
        break;
      case RequestClass::kWildcardDepth3:
        r.origin = "https://a" + n + ".b.c." + suffix;
        break;
      case RequestClass::kRegexHit:
        r.origin = "https://pr-" + std::to_string(1000 + i) + ".preview.example-corp.com";
        break;
      case RequestClass::kMiss:
        r.origin = "https://app-" + n + ".unrelated-" + std::to_string(below(1000)) + ".org";
        break;
      case RequestClass::kLookalike:
        switch (i % 4) {
          case 0:
            r.origin = "https://evil-example-corp.com";
            break;
          case 1:
            r.origin = exact + ".evil.net";
            break;
          case 2:
            r.origin = "https://evil" + suffix.substr(suffix.find('c'));
            break;
          default:
            r.origin = "https://a." + suffix + ".evil.net";
            break;
        }
        break;
      case RequestClass::kPreflightAllowed:
      case RequestClass::kPreflightRefused:
      case RequestClass::kHostileAcrh:
        r.method = "OPTIONS";
        r.origin = exact;
        r.acrm = c == RequestClass::kPreflightRefused ? "DELETE" : "PUT";
        r.acrh = c == RequestClass::kHostileAcrh ? HostileAcrh()
                                                 : "content-type, authorization, x-request-id";
        break;
    }
    Finish(r);
  }
  return out;
}

bool DecidedAsExpected(RequestClass c, const CompiledTable& table, const Decision& d) {
  auto rule_kind = [&](std::string_view prefix) {
    return d.origin_rule != kNoRule &&
           table.origin_rule_info(d.origin_rule).text.starts_with(prefix);
  };
  switch (c) {
    case RequestClass::kExactHit:
      return d.allowed && d.kind == Kind::kActual && rule_kind("https://tenant-");
    case RequestClass::kWildcardDepth1:
    case RequestClass::kWildcardDepth3:
      return d.allowed && rule_kind("https://*.");
    case RequestClass::kRegexHit:
      return d.allowed && rule_kind("^https://pr-");
    case RequestClass::kMiss:
    case RequestClass::kLookalike:
      return !d.allowed && d.reason == Reason::kOriginNotAllowed;
    case RequestClass::kPreflightAllowed:
    case RequestClass::kHostileAcrh:
      return d.allowed && d.kind == Kind::kPreflight && d.status == 204;
    case RequestClass::kPreflightRefused:
      return !d.allowed && d.kind == Kind::kPreflight && d.reason == Reason::kMethodNotAllowed;
  }
  return false;
}

int RunBenchmarks(int argc, char** argv, const char* smoke_filter) {
  std::vector<char*> args(argv, argv + argc);
  std::string filter = std::string("--benchmark_filter=") + smoke_filter;
  std::string min_time = "--benchmark_min_time=0.000001";
  for (size_t i = 1; i < args.size(); ++i) {
    if (std::string_view(args[i]) == "--smoke") {
      args[i] = filter.data();
      args.push_back(min_time.data());
      break;
    }
  }
  int count = static_cast<int>(args.size());
  args.push_back(nullptr);
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace corsc::bench
