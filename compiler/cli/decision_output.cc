// Copyright corsc developers.

#include "decision_output.h"

#include <algorithm>

#include "common.h"
#include "text.h"

namespace corsc::cli {
namespace {

using nlohmann::ordered_json;

// The values of every line of request header `name`.
std::vector<std::string_view> HeaderValues(const OwnedRequest& r, std::string_view name) {
  std::vector<std::string_view> values;
  for (const auto& [n, v] : r.headers) {
    if (text::EqualsIgnoreCase(n, name)) values.push_back(v);
  }
  return values;
}

// `s` in double quotes and escaped for the terminal (a request's bytes come
// from whoever wrote the request), never cut: the reader of a decision
// wants the whole value.
std::string Quote(std::string_view s) { return text::Quote(s, std::string_view::npos); }

std::string Join(const std::vector<std::string>& items) {
  std::string s;
  for (const std::string& item : items) {
    if (!s.empty()) s += ", ";
    s += item;
  }
  return s;
}

// The first requested header name that the route does not allow, for the
// explanation of a header-not-allowed refusal (the engine does not say
// which; this runs only for a person reading `eval` output).
std::string FirstRefusedHeader(const RouteSpec& route, const OwnedRequest& request) {
  bool any = std::find(route.allow_headers.begin(), route.allow_headers.end(), "*") !=
             route.allow_headers.end();
  for (std::string_view line : HeaderValues(request, "Access-Control-Request-Headers")) {
    size_t start = 0;
    while (start <= line.size()) {
      size_t comma = line.find(',', start);
      if (comma == std::string_view::npos) comma = line.size();
      std::string_view name = text::TrimOws(line.substr(start, comma - start));
      start = comma + 1;
      if (name.empty()) continue;
      if (!text::IsToken(name)) return Quote(name) + " is not a valid header name";
      if (any) continue;
      std::string lower = text::ToLowerAscii(name);
      if (std::find(route.allow_headers.begin(), route.allow_headers.end(), lower) ==
          route.allow_headers.end()) {
        return Quote(name) + " is not in the route's allow_headers";
      }
    }
  }
  return "the list is over the limits (docs/decisions.md, D12)";
}

std::string Why(const CompiledTable& table, const Decision& d, const OwnedRequest& request) {
  std::vector<std::string_view> origins = HeaderValues(request, "Origin");
  std::string origin = origins.empty() ? "" : std::string(origins.front());
  std::vector<std::string_view> acrm = HeaderValues(request, "Access-Control-Request-Method");
  std::string method = d.kind == Kind::kPreflight && !acrm.empty()
                           ? std::string(text::TrimOws(acrm.front()))
                           : request.method;
  TableSpec spec;
  const RouteSpec* route = nullptr;
  if (d.route != kNoRule) {
    spec = table.Describe();
    if (d.route < spec.routes.size()) route = &spec.routes[d.route];
  }
  switch (d.reason) {
    case Reason::kNotCors:
      return "the request has no Origin header: it is not a CORS request";
    case Reason::kNoRoute:
      return "no route matches the path " + Quote(request.path) +
             ", and [defaults] sets no origins to make a catch-all route";
    case Reason::kOriginNotAllowed:
      if (route != nullptr && spec.origin_sets[route->origin_set].rules.empty()) {
        return "the route allows no origin (origins = [])";
      }
      if (origins.size() > 1) {
        return "the request has several Origin headers, which only \"*\" matches";
      }
      return "origin " + Quote(origin) + " matches none of the route's origin patterns";
    case Reason::kMethodNotAllowed: {
      // The engine refuses several ACRM lines whatever they hold (D11):
      // quoting one of them would blame a method the route may allow.
      if (d.kind == Kind::kPreflight && acrm.size() > 1) {
        return "the preflight has " + std::to_string(acrm.size()) +
               " Access-Control-Request-Method lines; it must ask for one method, on one line";
      }
      std::string what = d.kind == Kind::kPreflight ? "the requested method " : "the method ";
      if (!text::IsToken(method)) return what + Quote(method) + " is not an HTTP token";
      return what + Quote(method) + " is not among the route's methods" +
             (route != nullptr ? " (" + Join(route->methods) + ")" : "");
    }
    case Reason::kHeaderNotAllowed:
      return "Access-Control-Request-Headers: " +
             (route != nullptr ? FirstRefusedHeader(*route, request) : "refused");
    case Reason::kPrivateNetworkNotAllowed:
      return "the preflight asks for private network access and the route sets "
             "private_network = false";
    case Reason::kOk:
      break;
  }
  std::string rule = d.origin_rule != kNoRule
                         ? std::string(table.origin_rule_info(d.origin_rule).text)
                         : std::string("*");
  std::string why =
      "the origin matches " + text::Escape(rule) + ", " + Quote(method) + " is an allowed method";
  if (d.kind == Kind::kPreflight) why += ", and every requested header is allowed";
  return why;
}

// The table's texts are escaped too: a table may come from anywhere.
std::string RuleLine(const RuleInfo& info) {
  return text::Escape(info.text) + "  (" +
         text::Escape(FormatLocation(info.file, info.line, info.column)) + ")";
}

}  // namespace

ordered_json DecisionToJson(const CompiledTable& table, const Decision& d,
                            const OwnedRequest& request) {
  ordered_json out = ordered_json::object();
  if (request.id) out["id"] = *request.id;
  out["kind"] = KindName(d.kind);
  out["allowed"] = d.allowed;
  out["reason"] = ReasonName(d.reason);
  out["status"] = d.status != 0 ? ordered_json(d.status) : ordered_json(nullptr);
  if (d.route != kNoRule) {
    RuleInfo r = table.route_info(d.route);
    out["route"] = r.text;
    out["route_source"] = FormatLocation(r.file, r.line, r.column);
  } else {
    out["route"] = nullptr;
    out["route_source"] = nullptr;
  }
  if (d.origin_rule != kNoRule) {
    RuleInfo o = table.origin_rule_info(d.origin_rule);
    out["origin_rule"] = o.text;
    out["origin_rule_source"] = FormatLocation(o.file, o.line, o.column);
  } else {
    out["origin_rule"] = nullptr;
    out["origin_rule_source"] = nullptr;
  }
  ordered_json headers = ordered_json::array();
  for (const HeaderField& h : d.headers) {
    headers.push_back(ordered_json::array({std::string(h.name), std::string(h.value)}));
  }
  out["headers"] = std::move(headers);
  return out;
}

std::string DecisionToText(const CompiledTable& table, const Decision& d,
                           const OwnedRequest& request) {
  std::string out(KindName(d.kind));
  out += ": ";
  out += d.allowed ? "allowed" : "refused";
  out += " (";
  out += ReasonName(d.reason);
  out += ")";
  if (d.status != 0) out += ", status " + std::to_string(d.status);
  out += '\n';
  if (d.headers.empty()) out += "  (no CORS response headers)\n";
  for (const HeaderField& h : d.headers) {
    out += "  ";
    out += h.name;
    out += ": ";
    out += text::Escape(h.value);  // echoed request bytes
    out += '\n';
  }
  out += "route:       ";
  out += d.route != kNoRule ? RuleLine(table.route_info(d.route)) : "none";
  out += "\norigin rule: ";
  out += d.origin_rule != kNoRule ? RuleLine(table.origin_rule_info(d.origin_rule)) : "none";
  out += "\nwhy:         ";
  out += Why(table, d, request);
  out += '\n';
  return out;
}

std::string DumpLine(const ordered_json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace corsc::cli
