// Copyright corsc developers.
//
// The reference evaluator. Each step is one paragraph of the spec's
// "Decisions" section (or a numbered point of docs/decisions.md), in the
// order the spec lists them, written for clarity rather than speed.

#include "reference_eval.h"

#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>

#include "corsc/table_spec.h"

namespace corsc::testing {
namespace {

// ---------------------------------------------------------------- text

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t i = s.find(sep, start);
    parts.push_back(s.substr(start, i == std::string::npos ? std::string::npos : i - start));
    if (i == std::string::npos) return parts;
    start = i + 1;
  }
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

bool IsTchar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string("!#$%&'*+-.^_`|~").find(c) != std::string::npos;
}

bool IsToken(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsTchar);
}

std::vector<std::string> Lines(const RefRequest& r, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& [n, v] : r.headers) {
    if (Lower(n) == Lower(name)) out.push_back(v);
  }
  return out;
}

// ---------------------------------------------------------------- origins

struct Origin {
  std::string scheme, host;
  uint32_t port = kNoPort;
};

bool AllOf(const std::string& s, bool (*pred)(char)) {
  return std::all_of(s.begin(), s.end(), pred);
}

bool IsDecimal(const std::string& s) {
  return !s.empty() && AllOf(s, [](char c) { return c >= '0' && c <= '9'; });
}

bool NoLeadingZero(const std::string& s) { return s.size() == 1 || s[0] != '0'; }

bool IsHexGroup(const std::string& g) {
  return !g.empty() && g.size() <= 4 && NoLeadingZero(g) &&
         AllOf(g, [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

// The URL standard's IPv6 serialization (RFC 5952), checked on the text
// itself rather than by parsing and serializing again as the engine does:
// groups of 1 to 4 lower-case hex digits without leading zeros, eight of
// them, or fewer around one "::" that stands for the first longest run of
// two or more zero groups; never an IPv4 tail.
bool IsCanonicalIpv6(const std::string& text) {
  std::vector<std::string> left, right;
  const size_t gap = text.find("::");
  auto groups = [](const std::string& part, std::vector<std::string>* out) {
    if (part.empty()) return true;
    *out = Split(part, ':');
    return std::all_of(out->begin(), out->end(), IsHexGroup);
  };
  if (gap == std::string::npos) {
    if (!groups(text, &left) || left.size() != 8) return false;
  } else if (!groups(text.substr(0, gap), &left) || !groups(text.substr(gap + 2), &right) ||
             left.size() + right.size() > 6) {
    return false;
  }
  // The eight groups, zero or not, and where "::" put its run.
  std::vector<bool> zero;
  for (const std::string& g : left) zero.push_back(g == "0");
  const size_t run_begin = zero.size();
  const size_t run_length = gap == std::string::npos ? 0 : 8 - left.size() - right.size();
  zero.insert(zero.end(), run_length, true);
  for (const std::string& g : right) zero.push_back(g == "0");
  // The first longest run of zero groups, if two or more long.
  size_t best_begin = 0, best_length = 0;
  for (size_t i = 0; i < 8;) {
    size_t j = i;
    while (j < 8 && zero[j]) ++j;
    if (j - i > best_length) best_begin = i, best_length = j - i;
    i = j + 1;
  }
  if (best_length < 2) return run_length == 0;
  return run_length == best_length && run_begin == best_begin;
}

namespace {

// docs/decisions.md D2, one rule at a time.
std::optional<Origin> ParseCanonical(const std::string& v) {
  if (v.size() > 512) return std::nullopt;
  size_t sep = v.find("://");
  if (sep == std::string::npos || sep == 0) return std::nullopt;
  Origin o;
  o.scheme = v.substr(0, sep);
  if (!(o.scheme[0] >= 'a' && o.scheme[0] <= 'z')) return std::nullopt;
  if (!AllOf(o.scheme, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
      })) {
    return std::nullopt;
  }
  std::string rest = v.substr(sep + 3);
  std::string after;
  if (!rest.empty() && rest[0] == '[') {
    size_t close = rest.find(']');
    if (close == std::string::npos) return std::nullopt;
    o.host = rest.substr(0, close + 1);
    after = rest.substr(close + 1);
    if (!IsCanonicalIpv6(o.host.substr(1, o.host.size() - 2))) return std::nullopt;
  } else {
    size_t colon = rest.find(':');
    o.host = rest.substr(0, colon);
    after = colon == std::string::npos ? "" : rest.substr(colon);
    std::vector<std::string> labels = Split(o.host, '.');
    for (const std::string& label : labels) {
      if (label.empty()) return std::nullopt;
      if (!AllOf(label, [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
          })) {
        return std::nullopt;
      }
    }
    const std::string& last = labels.back();
    if (IsDecimal(last) || last.rfind("0x", 0) == 0) {
      if (labels.size() != 4) return std::nullopt;
      for (const std::string& label : labels) {
        if (!IsDecimal(label) || !NoLeadingZero(label) || label.size() > 3 ||
            std::stoi(label) > 255) {
          return std::nullopt;
        }
      }
    }
  }
  if (!after.empty()) {
    std::string digits = after.substr(1);
    if (after[0] != ':' || !IsDecimal(digits) || !NoLeadingZero(digits) || digits.size() > 5) {
      return std::nullopt;
    }
    uint32_t port = static_cast<uint32_t>(std::stoul(digits));
    std::map<std::string, uint32_t> defaults = {
        {"http", 80}, {"https", 443}, {"ws", 80}, {"wss", 443}, {"ftp", 21}};
    auto d = defaults.find(o.scheme);
    if (port > 65535 || (d != defaults.end() && d->second == port)) return std::nullopt;
    o.port = port;
  }
  return o;
}

bool RegexMatches(const std::string& pattern, const std::string& value) {
  static std::map<std::string, std::unique_ptr<RE2>> cache;
  auto& re = cache[pattern];
  if (!re) {
    RE2::Options options;
    options.set_log_errors(false);
    re = std::make_unique<RE2>(pattern, options);
  }
  return re->ok() && RE2::FullMatch(value, *re);
}

// Whether `p` matches the request's single Origin value (nullopt when the
// request has no single value: several lines).
bool Matches(const OriginPattern& p, const std::optional<std::string>& value) {
  if (p.kind == OriginKind::kAny) return true;
  if (!value) return false;
  if (p.kind == OriginKind::kExact) return *value == p.canonical;
  std::optional<Origin> o = ParseCanonical(*value);
  if (!o) return false;
  switch (p.kind) {
    case OriginKind::kHostAnyPort:
      return o->scheme == p.scheme && o->host == p.host;
    case OriginKind::kSubdomain: {
      std::string suffix = "." + p.host;
      return o->scheme == p.scheme && o->host.size() > suffix.size() &&
             o->host.compare(o->host.size() - suffix.size(), suffix.size(), suffix) == 0 &&
             (p.port == kAnyPort || p.port == o->port);
    }
    case OriginKind::kRegex:
      return RegexMatches(p.canonical, *value);
    default:
      return false;
  }
}

// docs/decisions.md D1: the most specific matching rule, as a sort key.
std::tuple<int, int, int, size_t> Specificity(const OriginPattern& p, size_t index) {
  switch (p.kind) {
    case OriginKind::kExact:
      return {0, 0, 0, index};
    case OriginKind::kHostAnyPort:
      return {1, 0, 0, index};
    case OriginKind::kSubdomain:
      return {2, -static_cast<int>(p.host.size()), p.port == kAnyPort ? 1 : 0, index};
    default:
      return {3, 0, 0, index};
  }
}

// ---------------------------------------------------------------- routes

std::vector<std::string> PatternSegments(const std::string& pattern) {
  return Split(pattern.substr(1), '/');
}

bool IsParam(const std::string& seg) {
  return seg == "*" || (seg.size() >= 2 && seg.front() == '{' && seg.back() == '}');
}

bool RouteMatches(const std::vector<std::string>& pat, const std::vector<std::string>& path) {
  for (size_t i = 0; i < pat.size(); ++i) {
    if (pat[i] == "**") return true;  // zero or more segments, anything
    if (i >= path.size()) return false;
    if (IsParam(pat[i])) {
      if (path[i].empty()) return false;
    } else if (pat[i] != path[i]) {
      return false;
    }
  }
  return pat.size() == path.size();
}

// The spec's "most specific": compare segment by segment from the left;
// literal (3) beats {name}/* (2) beats ** (1); a pattern that ends where the
// path ends (4) beats one that goes on with **.
std::vector<int> Rank(const std::vector<std::string>& pat) {
  std::vector<int> rank;
  for (const std::string& seg : pat) {
    if (seg == "**") return rank.push_back(1), rank;
    rank.push_back(IsParam(seg) ? 2 : 3);
  }
  rank.push_back(4);
  return rank;
}

const EffectiveRoute* FindRoute(const ResolvedPolicy& policy, std::string path) {
  path = path.substr(0, path.find('?'));
  const EffectiveRoute* best = nullptr;
  std::vector<int> best_rank;
  if (!path.empty() && path[0] == '/') {
    std::vector<std::string> segments = Split(path.substr(1), '/');
    for (const EffectiveRoute& route : policy.routes) {
      std::vector<std::string> pat = PatternSegments(route.path);
      if (!RouteMatches(pat, segments)) continue;
      std::vector<int> rank = Rank(pat);
      if (best == nullptr || rank > best_rank) {
        best = &route;
        best_rank = rank;
      }
    }
  }
  if (best == nullptr && policy.catch_all) best = &*policy.catch_all;
  return best;
}

// ---------------------------------------------------------------- checks

const std::vector<std::string> kNormalized = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"};

bool MethodAllowed(const EffectiveRoute& route, std::string method) {
  if (std::find(kNormalized.begin(), kNormalized.end(), Upper(method)) != kNormalized.end()) {
    method = Upper(method);
  }
  bool any = false;
  for (const auto& m : route.methods.value) {
    if (m.value == "*") any = true;
    if (m.value == method) return true;
  }
  return any && IsToken(method);
}

bool NamesAHeader(const std::string& line);

// docs/decisions.md D12.
bool HeadersAllowed(const EffectiveRoute& route, const std::vector<std::string>& lines) {
  if (lines.size() > 128) return false;
  if (std::count_if(lines.begin(), lines.end(), NamesAHeader) > 64) return false;
  size_t bytes = 0, names = 0;
  for (const std::string& line : lines) bytes += line.size();
  if (bytes > 8192) return false;
  bool any = false;
  std::vector<std::string> allowed;
  for (const auto& h : route.allow_headers.value) {
    if (h.value == "*") any = true;
    allowed.push_back(Lower(h.value));
  }
  for (const std::string& line : lines) {
    for (const std::string& raw : Split(line, ',')) {
      std::string item = Trim(raw);
      if (item.empty()) continue;
      if (++names > 128 || !IsToken(item)) return false;
      if (!any && std::find(allowed.begin(), allowed.end(), Lower(item)) == allowed.end()) {
        return false;
      }
    }
  }
  return true;
}

bool NamesAHeader(const std::string& line) {
  for (const std::string& item : Split(line, ',')) {
    if (!Trim(item).empty()) return true;
  }
  return false;
}

}  // namespace

RefDecision ReferenceEvaluate(const ResolvedPolicy& policy, const RefRequest& request) {
  RefDecision d;
  std::vector<std::string> origin = Lines(request, "Origin");
  std::vector<std::string> acrm = Lines(request, "Access-Control-Request-Method");
  std::vector<std::string> acrh = Lines(request, "Access-Control-Request-Headers");
  std::vector<std::string> acrpn = Lines(request, "Access-Control-Request-Private-Network");

  // kind (D11 for "non-empty").
  bool acrm_present =
      std::any_of(acrm.begin(), acrm.end(), [](const std::string& l) { return !Trim(l).empty(); });
  d.kind = origin.empty()                                ? Kind::kNotCors
           : request.method == "OPTIONS" && acrm_present ? Kind::kPreflight
                                                         : Kind::kActual;

  const EffectiveRoute* route = FindRoute(policy, request.path);
  if (route != nullptr) d.route = route->path;
  static const std::vector<OriginPattern> kNoPatterns;
  const std::vector<OriginPattern>& patterns =
      route != nullptr ? route->origins.value.items() : kNoPatterns;
  auto star = std::find_if(patterns.begin(), patterns.end(),
                           [](const OriginPattern& p) { return p.kind == OriginKind::kAny; });
  bool is_star = star != patterns.end();
  std::vector<std::string> expose;
  if (route != nullptr) {
    for (const auto& h : route->expose_headers.value) expose.push_back(h.value);
  }

  if (d.kind == Kind::kNotCors) {
    d.allowed = true;
    d.reason = Reason::kNotCors;
    if (route == nullptr || patterns.empty()) return d;
    if (is_star) {
      d.origin_rule = "*";
      d.headers.emplace_back("Access-Control-Allow-Origin", "*");
      if (!expose.empty()) d.headers.emplace_back("Access-Control-Expose-Headers", Join(expose));
    } else {
      d.headers.emplace_back("Vary", "Origin");
    }
    return d;
  }

  d.allowed = false;
  if (route == nullptr) {
    d.reason = Reason::kNoRoute;
    return d;
  }

  std::vector<std::string> vary;
  if (!patterns.empty()) {
    if (!is_star) vary.push_back("Origin");
    if (d.kind == Kind::kPreflight) {
      vary.push_back("Access-Control-Request-Method");
      vary.push_back("Access-Control-Request-Headers");
      if (route->private_network.value) vary.push_back("Access-Control-Request-Private-Network");
    }
  }
  auto refuse = [&](Reason reason) {
    d.reason = reason;
    if (!vary.empty()) d.headers.emplace_back("Vary", Join(vary));
    return d;
  };

  // Origin (D1, D3).
  std::optional<std::string> value;
  if (origin.size() == 1) value = origin[0];
  const OriginPattern* matched = nullptr;
  if (is_star) {
    matched = &*star;
  } else {
    for (size_t i = 0; i < patterns.size(); ++i) {
      if (!Matches(patterns[i], value)) continue;
      if (matched == nullptr ||
          Specificity(patterns[i], i) <
              Specificity(*matched, static_cast<size_t>(matched - &patterns[0]))) {
        matched = &patterns[i];
      }
    }
  }
  if (matched == nullptr) return refuse(Reason::kOriginNotAllowed);
  d.origin_rule = matched->canonical;

  // Method (D11).
  std::string method;
  if (d.kind == Kind::kPreflight) {
    if (acrm.size() != 1) return refuse(Reason::kMethodNotAllowed);
    method = Trim(acrm[0]);
  } else {
    method = request.method;
  }
  if (!MethodAllowed(*route, method)) return refuse(Reason::kMethodNotAllowed);

  if (d.kind == Kind::kPreflight) {
    if (!HeadersAllowed(*route, acrh)) return refuse(Reason::kHeaderNotAllowed);
  }
  bool asks_private_network = acrpn.size() == 1 && Trim(acrpn[0]) == "true";
  if (d.kind == Kind::kPreflight && asks_private_network && !route->private_network.value) {
    return refuse(Reason::kPrivateNetworkNotAllowed);
  }

  d.allowed = true;
  d.reason = Reason::kOk;
  d.headers.emplace_back("Access-Control-Allow-Origin", is_star ? "*" : *value);
  if (route->credentials.value) d.headers.emplace_back("Access-Control-Allow-Credentials", "true");
  if (d.kind == Kind::kPreflight) {
    d.status = route->preflight_status.value;
    std::vector<std::string> methods;
    bool any_method = false;
    for (const auto& m : route->methods.value) {
      methods.push_back(m.value);
      any_method = any_method || m.value == "*";
    }
    // The six standard methods are written upper-case, even when echoed.
    const std::string upper = Upper(method);
    const bool standard =
        std::find(kNormalized.begin(), kNormalized.end(), upper) != kNormalized.end();
    d.headers.emplace_back("Access-Control-Allow-Methods",
                           any_method ? (standard ? upper : method) : Join(methods));
    for (const std::string& line : acrh) {
      if (NamesAHeader(line)) d.headers.emplace_back("Access-Control-Allow-Headers", Trim(line));
    }
    if (route->max_age.value) {
      d.headers.emplace_back("Access-Control-Max-Age", std::to_string(*route->max_age.value));
    }
    if (asks_private_network) {
      d.headers.emplace_back("Access-Control-Allow-Private-Network", "true");
    }
  } else if (!expose.empty()) {
    d.headers.emplace_back("Access-Control-Expose-Headers", Join(expose));
  }
  if (!vary.empty()) d.headers.emplace_back("Vary", Join(vary));
  return d;
}

std::string Describe(const RefDecision& d) {
  std::string s = std::string(KindName(d.kind)) + " allowed=" + (d.allowed ? "true" : "false") +
                  " reason=" + std::string(ReasonName(d.reason)) +
                  " status=" + std::to_string(d.status) + " route=" + d.route +
                  " origin_rule=" + d.origin_rule + "\n";
  for (const auto& [n, v] : d.headers) s += "    " + n + ": " + v + "\n";
  return s;
}

std::string Describe(const RefRequest& r) {
  std::string s = r.method + " " + r.path + "\n";
  for (const auto& [n, v] : r.headers) {
    s += "    " + n + ": " + (v.size() > 200 ? v.substr(0, 200) + "..." : v) + "\n";
  }
  return s;
}

}  // namespace corsc::testing
