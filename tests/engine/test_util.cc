// Copyright corsc developers.

#include "test_util.h"

#include <charconv>

#include "corsc/origin.h"

namespace corsc::testing {
namespace {

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

RuleId SpecBuilder::Rule(const std::string& pattern, uint32_t line) {
  OriginRuleSpec r;
  r.text = pattern;
  r.where = SourceLocation{0, line != 0 ? line : next_line_++, 3};
  if (pattern == "*") {
    r.kind = OriginKind::kAny;
  } else if (pattern == "null") {
    r.kind = OriginKind::kExact;
  } else if (pattern.rfind("regex:", 0) == 0) {
    r.kind = OriginKind::kRegex;
    r.text = pattern.substr(6);
  } else {
    const size_t sep = pattern.find("://");
    EXPECT_NE(sep, std::string::npos) << pattern;
    r.scheme = pattern.substr(0, sep);
    std::string rest = pattern.substr(sep + 3);
    bool subdomain = false;
    if (rest.rfind("*.", 0) == 0) {
      subdomain = true;
      rest = rest.substr(2);
    }
    // A port: after the last ':' unless inside an IPv6 literal.
    const size_t colon = rest.rfind(':');
    const size_t bracket = rest.rfind(']');
    uint32_t port = kNoPort;
    if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) {
      const std::string p = rest.substr(colon + 1);
      rest = rest.substr(0, colon);
      if (p == "*") {
        port = kAnyPort;
      } else {
        std::from_chars(p.data(), p.data() + p.size(), port);
      }
    }
    r.host = rest;
    r.port = port;
    if (subdomain) {
      r.kind = OriginKind::kSubdomain;
    } else if (port == kAnyPort) {
      r.kind = OriginKind::kHostAnyPort;
    } else {
      r.kind = OriginKind::kExact;
    }
  }
  spec_.origin_rules.push_back(std::move(r));
  return static_cast<RuleId>(spec_.origin_rules.size() - 1);
}

uint32_t SpecBuilder::Set(const std::vector<std::string>& patterns) {
  std::vector<RuleId> rules;
  for (const std::string& p : patterns) rules.push_back(Rule(p));
  return SetOf(rules);
}

uint32_t SpecBuilder::SetOf(const std::vector<RuleId>& rules) {
  spec_.origin_sets.push_back(OriginSetSpec{rules});
  return static_cast<uint32_t>(spec_.origin_sets.size() - 1);
}

RouteSpec& SpecBuilder::Route(const std::string& pattern, uint32_t set) {
  RouteSpec r;
  r.pattern = pattern;
  r.where = SourceLocation{0, next_line_++, 1};
  r.origin_set = set;
  r.methods = {"GET", "HEAD", "POST"};
  spec_.routes.push_back(std::move(r));
  return spec_.routes.back();
}

RouteSpec& SpecBuilder::CatchAll(uint32_t set) {
  RouteSpec& r = Route("[defaults]", set);
  r.catch_all = true;
  return r;
}

std::shared_ptr<const CompiledTable> SpecBuilder::Table() const {
  auto table = CompiledTable::FromSpec(spec_);
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  if (!table.ok()) return nullptr;
  return *table;
}

TestRequest& TestRequest::H(std::string_view name, std::string value) {
  values_.push_back(std::move(value));
  std::string_view v = values_.back();
  if (IEquals(name, "Origin")) {
    origin_.push_back(v);
  } else if (IEquals(name, "Access-Control-Request-Method")) {
    method_lines_.push_back(v);
  } else if (IEquals(name, "Access-Control-Request-Headers")) {
    headers_lines_.push_back(v);
  } else if (IEquals(name, "Access-Control-Request-Private-Network")) {
    pn_lines_.push_back(v);
  }
  return *this;
}

const Request& TestRequest::request() {
  request_.method = method_;
  request_.path = path_;
  request_.origin = origin_;
  request_.request_method = method_lines_;
  request_.request_headers = headers_lines_;
  request_.request_private_network = pn_lines_;
  return request_;
}

std::string Describe(const Decision& d) {
  std::string s(KindName(d.kind));
  s += d.allowed ? " allowed " : " refused ";
  s += ReasonName(d.reason);
  s += " status=" + std::to_string(d.status);
  s += " route=" + (d.route == kNoRule ? std::string("none") : std::to_string(d.route));
  s += " rule=" + (d.origin_rule == kNoRule ? std::string("none") : std::to_string(d.origin_rule));
  for (const HeaderField& h : d.headers) {
    s += " [";
    s += h.name;
    s += ": ";
    s += h.value.size() > 200 ? std::string(h.value.substr(0, 200)) + "..." : std::string(h.value);
    s += "]";
  }
  return s;
}

std::vector<std::pair<std::string, std::string>> Headers(const Decision& d) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const HeaderField& h : d.headers) out.emplace_back(h.name, h.value);
  return out;
}

SpecBuilder Storefront(StorefrontIds* ids) {
  SpecBuilder b;
  b.spec().policy_name = "storefront-api";
  const RuleId app = b.Rule("https://app.example.com");
  const RuleId wildcard = b.Rule("https://*.example.com");
  const RuleId regex = b.Rule(R"(regex:^https://pr-[0-9]+\.preview\.example\.net$)");
  const uint32_t defaults = b.SetOf({app, wildcard, regex});
  const RuleId star = b.Rule("*");
  const uint32_t star_set = b.SetOf({star});
  const uint32_t empty_set = b.SetOf({});

  auto with_defaults = [](RouteSpec& r) {
    r.methods = {"GET", "POST"};
    r.allow_headers = {"content-type", "authorization"};
    r.expose_headers = {"x-request-id"};
    r.credentials = true;
    r.max_age = 600;
    r.private_network = false;
    r.preflight_status = 204;
  };
  with_defaults(b.CatchAll(defaults));
  RouteSpec& users = b.Route("/api/v1/users/{id}", defaults);
  with_defaults(users);
  users.methods = {"GET", "PUT", "DELETE"};
  RouteSpec& pub = b.Route("/public/**", star_set);
  with_defaults(pub);
  pub.credentials = false;
  pub.methods = {"GET"};
  RouteSpec& internal = b.Route("/internal/**", empty_set);
  with_defaults(internal);
  if (ids != nullptr) {
    *ids = StorefrontIds{1, 2, 3, 0, app, wildcard, regex, star};
  }
  return b;
}

}  // namespace corsc::testing
