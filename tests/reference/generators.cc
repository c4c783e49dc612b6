// Copyright corsc developers.

#include "generators.h"

#include <algorithm>
#include <set>

namespace corsc::testing {
namespace {

// Regex origins with strings that match them, so that generated requests
// hit the regex tier and not only miss it.
struct RegexSample {
  const char* toml;  // TOML literal string, quotes included
  std::vector<std::string> matches;
};

const std::vector<RegexSample>& Regexes() {
  static const std::vector<RegexSample> kRegexes = {
      {R"('^https://pr-[0-9]+\.preview\.example\.net$')",
       {"https://pr-1.preview.example.net", "https://pr-42.preview.example.net"}},
      {R"('https://[a-z]+\.dev\.example\.org')", {"https://abc.dev.example.org"}},
      {R"('^http://localhost:(3000|5173)$')", {"http://localhost:3000", "http://localhost:5173"}},
      {R"('(?i)^https://static\.example\.com$')", {"https://static.example.com"}},
      {R"('https://.*\.example\.com')", {"https://a.example.com", "https://evil.example.com"}},
  };
  return kRegexes;
}

const std::vector<std::string> kSuffixes = {"example.com",        "example.org", "api.example.net",
                                            "shop.example.co.uk", "corp.test",   "user.github.io"};
const std::vector<std::string> kLabels = {"app", "a", "www", "shop", "x-y", "a_b", "xn--bcher-kva"};

}  // namespace

// ---------------------------------------------------------------- policies

std::string PolicyGenerator::Pick(const std::vector<std::string>& items) {
  return items[static_cast<size_t>(Between(0, static_cast<int>(items.size()) - 1))];
}

std::string PolicyGenerator::List(const std::vector<std::string>& pool, int min, int max,
                                  bool quote) {
  std::string out = "[";
  int n = Between(min, max);
  for (int i = 0; i < n; ++i) {
    std::string item = Pick(pool);
    out += (i ? ", " : "") + (quote ? "\"" + item + "\"" : item);
  }
  return out + "]";
}

std::string PolicyGenerator::OriginPattern() {
  std::string scheme = Chance(0.8) ? "https" : "http";
  int r = Between(0, 99);
  if (r < 35) {
    std::string host = Chance(0.7) ? Pick(kLabels) + "." + Pick(kSuffixes) : Pick(kSuffixes);
    if (Chance(0.15)) host = Pick({"localhost", "127.0.0.1", "[::1]", "192.168.1.23"});
    std::string port = Pick({"", "", ":3000", ":8443"});
    if (Chance(0.1)) {
      // Non-canonical spellings the compiler must bring to canonical form.
      std::transform(host.begin(), host.end(), host.begin(), ::toupper);
      port = scheme == "https" ? ":443" : ":80";
    }
    return "\"" + scheme + "://" + host + port + "\"";
  }
  if (r < 58) {
    return "\"" + scheme + "://*." + Pick(kSuffixes) + Pick({"", "", ":8443", ":*"}) + "\"";
  }
  if (r < 66) {
    return "\"" + scheme + "://" + Pick({"localhost", "app.example.com", "127.0.0.1"}) + ":*\"";
  }
  if (r < 76) {
    return "{ regex = " +
           std::string(
               Regexes()[static_cast<size_t>(Between(0, static_cast<int>(Regexes().size()) - 1))]
                   .toml) +
           " }";
  }
  if (r < 80) return "\"null\"";
  if (r < 84) return "\"*\"";
  return "\"" + scheme + "://" + Pick(kLabels) + "." + Pick(kLabels) + "." + Pick(kSuffixes) + "\"";
}

std::string PolicyGenerator::Fields(bool with_origins) {
  std::string out;
  if (with_origins && Chance(0.75)) {
    std::string origins = "[";
    int n = Between(0, 4);
    for (int i = 0; i < n; ++i) origins += (i ? ", " : "") + OriginPattern();
    origins += "]";
    out += (Chance(0.25) ? "origins.add = " : "origins = ") + origins + "\n";
  }
  if (Chance(0.4)) {
    out += "methods = " +
           List({"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "patch", "get",
                 "purge", "*"},
                0, 4) +
           "\n";
  }
  if (Chance(0.4)) {
    out += "allow_headers = " +
           List({"content-type", "authorization", "x-api-key", "X-Custom", "*"}, 0, 3) + "\n";
  }
  if (Chance(0.3)) out += "expose_headers = " + List({"x-request-id", "x-total", "*"}, 0, 2) + "\n";
  if (Chance(0.4)) out += std::string("credentials = ") + (Chance(0.5) ? "true" : "false") + "\n";
  if (Chance(0.3)) out += "max_age = " + std::to_string(Between(0, 100000)) + "\n";
  if (Chance(0.2))
    out += std::string("private_network = ") + (Chance(0.5) ? "true" : "false") + "\n";
  if (Chance(0.2)) out += std::string("preflight_status = ") + (Chance(0.5) ? "200" : "204") + "\n";
  return out;
}

std::string PolicyGenerator::PathPattern(std::vector<std::string>* shapes) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    int n = Between(0, 3);
    std::string path, shape;
    for (int i = 0; i < n; ++i) {
      std::string seg = Pick({"a", "b", "api", "v1", "x-y", "", "{id}", "{x}", "*", "**"});
      if (seg == "**" && i != n - 1) seg = "a";
      path += "/" + seg;
      shape += "/" + std::string(seg == "{id}" || seg == "{x}" || seg == "*" ? "{}" : seg);
    }
    if (n == 0) path = shape = "/";
    if (std::find(shapes->begin(), shapes->end(), shape) == shapes->end()) {
      shapes->push_back(shape);
      return path;
    }
  }
  return "";
}

std::string PolicyGenerator::Next() {
  std::string out = "version = 1\n";
  if (Chance(0.85)) out += "\n[defaults]\n" + Fields(/*with_origins=*/Chance(0.9));
  std::vector<std::string> shapes, paths;
  int routes = Between(0, 8);
  for (int i = 0; i < routes; ++i) {
    std::string path = PathPattern(&shapes);
    if (path.empty()) continue;
    paths.push_back(path);
    out += "\n[[routes]]\npath = \"" + path + "\"\n" + Fields(true);
  }
  if (Chance(0.35)) {
    out += "\n[profiles.dev.defaults]\n" + Fields(true);
    if (!paths.empty() && Chance(0.5)) {
      out += "\n[[profiles.dev.routes]]\npath = \"" + Pick(paths) + "\"\n" + Fields(true);
    }
    if (Chance(0.3)) {
      std::string path = PathPattern(&shapes);
      if (!path.empty())
        out += "\n[[profiles.dev.routes]]\npath = \"" + path + "\"\n" + Fields(true);
    }
  }
  return out;
}

// ---------------------------------------------------------------- requests

RequestGenerator::RequestGenerator(const ResolvedPolicy& policy, uint64_t seed) : rng_(seed) {
  std::set<std::string> origins = {"null",
                                   "",
                                   "https://random.test",
                                   "http://localhost",
                                   "https://example.com",
                                   "https://evil-example.com",
                                   "https://example.com.evil.net",
                                   std::string(600, 'a'),
                                   "https://a.example.com/",
                                   "HTTPS://A.EXAMPLE.COM",
                                   "https://a..example.com",
                                   "https://.example.com",
                                   "https://a.example.com.",
                                   "https://a.example.com:443",
                                   "https://a.example.com:08443",
                                   "https://[::1]",
                                   "http://[0:0::1]:3000",
                                   "http://127.0.0.1:3000",
                                   "http://127.0.0.01:3000",
                                   "https://user@a.example.com"};
  for (const RegexSample& r : Regexes()) {
    for (const std::string& m : r.matches) {
      origins.insert(m);
      origins.insert(m + ".evil.net");
      origins.insert(m + ":1");
    }
  }
  std::vector<const EffectiveRoute*> routes;
  for (const EffectiveRoute& r : policy.routes) routes.push_back(&r);
  if (policy.catch_all) routes.push_back(&*policy.catch_all);
  for (const EffectiveRoute* route : routes) {
    for (const corsc::OriginPattern& p : route->origins.value) {
      std::string port =
          p.port == kNoPort || p.port == kAnyPort ? "" : ":" + std::to_string(p.port);
      std::string other = p.scheme == "https" ? "http" : "https";
      switch (p.kind) {
        case OriginKind::kExact:
          allowed_.push_back(p.canonical);
          origins.insert(p.canonical);
          origins.insert(p.canonical + "/");
          origins.insert(p.canonical + ":443");
          origins.insert(p.canonical + ".");
          origins.insert(other + "://" + p.host + port);
          if (!p.host.empty()) origins.insert(p.scheme + "://x." + p.host + port);
          break;
        case OriginKind::kHostAnyPort:
          allowed_.push_back(p.scheme + "://" + p.host + ":1234");
          origins.insert(p.scheme + "://" + p.host);
          origins.insert(p.scheme + "://" + p.host + ":1234");
          origins.insert(p.scheme + "://" + p.host + ":01234");
          origins.insert(p.scheme + "://x." + p.host + ":1234");
          origins.insert(other + "://" + p.host + ":1234");
          break;
        case OriginKind::kSubdomain: {
          std::string any_port = p.port == kAnyPort ? ":9999" : port;
          allowed_.push_back(p.scheme + "://a." + p.host + any_port);
          origins.insert(p.scheme + "://a." + p.host + any_port);
          origins.insert(p.scheme + "://a.b." + p.host + any_port);
          origins.insert(p.scheme + "://x.y.z." + p.host + any_port);
          origins.insert(p.scheme + "://" + p.host + any_port);  // the apex
          origins.insert(p.scheme + "://evil-" + p.host + any_port);
          origins.insert(p.scheme + "://a." + p.host + ".evil.net" + any_port);
          origins.insert(p.scheme + "://A." + p.host + any_port);
          origins.insert(p.scheme + "://a." + p.host + ":1");
          origins.insert(p.scheme + "://a." + p.host);
          origins.insert(other + "://a." + p.host + any_port);
          break;
        }
        case OriginKind::kRegex:
          for (const RegexSample& r : Regexes()) {
            if (p.canonical == std::string(r.toml).substr(1, std::string(r.toml).size() - 2)) {
              allowed_.insert(allowed_.end(), r.matches.begin(), r.matches.end());
            }
          }
          break;
        case OriginKind::kAny:
          allowed_.push_back("https://anyone.test");
          break;
      }
    }
    // Paths that reach this route, and near misses.
    if (route->catch_all) continue;
    std::vector<std::string> pattern;  // the route's segments
    for (size_t start = 1;;) {
      size_t slash = route->path.find('/', start);
      pattern.push_back(route->path.substr(
          start, slash == std::string::npos ? std::string::npos : slash - start));
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    for (int variant = 0; variant < 4; ++variant) {
      std::vector<std::string> segments;
      for (const std::string& seg : pattern) {
        if (seg == "**") {
          // Zero segments, one, two, or one empty one.
          static const std::vector<std::vector<std::string>> kTails = {{}, {"q"}, {"q", "r"}, {""}};
          for (const std::string& t : kTails[static_cast<size_t>(variant)]) segments.push_back(t);
        } else if (seg == "*" || (!seg.empty() && seg.front() == '{')) {
          segments.push_back(variant == 3 ? "" : "v" + std::to_string(variant));
        } else {
          segments.push_back(seg);
        }
      }
      std::string path;
      for (const std::string& seg : segments) path += "/" + seg;
      if (path.empty()) path = "/";
      paths_.push_back(path);
      paths_.push_back(path + "?x=/a");
      paths_.push_back(path + "/");
      paths_.push_back(path + "/extra");
    }
  }
  origins_.assign(origins.begin(), origins.end());
  for (const char* p : {"/", "", "*", "x", "/a", "/a/b", "/a//b", "/%61", "/a?b", "/api/v1/x", "//",
                        "/a/b/c/d/e/f/g/h"}) {
    paths_.push_back(p);
  }
}

std::string RequestGenerator::Pick(const std::vector<std::string>& items) {
  return items[static_cast<size_t>(Between(0, static_cast<int>(items.size()) - 1))];
}

// Mostly an origin the policy allows somewhere, so that requests
// get past the origin check and reach the method, header and private
// network checks; otherwise anything, near misses included.
std::string RequestGenerator::Origin() {
  return !allowed_.empty() && Chance(0.65) ? Pick(allowed_) : Pick(origins_);
}
std::string RequestGenerator::Path() { return Pick(paths_); }

std::string RequestGenerator::RequestHeaders() {
  int r = Between(0, 99);
  if (r < 40) {
    std::string out;
    int n = Between(0, 3);
    for (int i = 0; i < n; ++i) {
      out += (i ? Pick({",", ", ", " ,\t", ",,"}) : "") +
             Pick({"content-type", "Content-Type", "authorization", "X-API-KEY", "x-custom",
                   "x-unknown", "accept"});
    }
    return out;
  }
  if (r < 50) return Pick({"", ",,", " , \t, ", "x-a b", "x-a;x-b", "(x)", "x-\xc3\xa9", "x@y"});
  if (r < 55) {
    std::string out;
    for (int i = 0; i < 129; ++i) out += "x-h" + std::to_string(i % 3) + ",";
    return out;  // 129 names: over the limit
  }
  if (r < 60) return std::string(9000, 'x');  // one name, over the byte limit
  if (r < 63) {
    std::string out;
    for (int i = 0; i < 120; ++i) out += "content-type,";
    return out;  // 120 names: within the limits
  }
  return "content-type";
}

RefRequest RequestGenerator::Next() {
  RefRequest req;
  req.method = Chance(0.4) ? "OPTIONS"
                           : Pick({"GET", "GET", "POST", "PUT", "DELETE", "OPTIONS", "options",
                                   "get", "PATCH", "patch", "HEAD", "GE T", "", "purge"});
  req.path = Path();
  int origins = Chance(0.1) ? 0 : Chance(0.05) ? 2 : 1;
  for (int i = 0; i < origins; ++i) req.headers.emplace_back(Pick({"Origin", "origin"}), Origin());
  if (Chance(0.6)) {
    int lines = Chance(0.05) ? 2 : 1;
    for (int i = 0; i < lines; ++i) {
      req.headers.emplace_back("Access-Control-Request-Method",
                               Pick({"GET", "GET", "POST", "PUT", "DELETE", "PATCH", "patch",
                                     " put ", "", "  ", "GE T", "purge"}));
    }
  }
  if (Chance(0.5)) {
    int lines = Chance(0.1) ? Between(2, 10) : 1;
    for (int i = 0; i < lines; ++i) {
      req.headers.emplace_back(
          Pick({"Access-Control-Request-Headers", "access-control-request-headers"}),
          RequestHeaders());
    }
  }
  if (Chance(0.35)) {
    int lines = Chance(0.1) ? 2 : 1;
    for (int i = 0; i < lines; ++i) {
      req.headers.emplace_back("Access-Control-Request-Private-Network",
                               Pick({"true", "true", " true ", "false", "TRUE", ""}));
    }
  }
  if (Chance(0.3)) req.headers.emplace_back("Accept", "*/*");
  std::shuffle(req.headers.begin(), req.headers.end(), rng_);
  return req;
}

}  // namespace corsc::testing
