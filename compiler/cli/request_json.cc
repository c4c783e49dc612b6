// Copyright corsc developers.

#include "request_json.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "text.h"

namespace corsc::cli {
namespace {

using nlohmann::json;

// A request is an object holding an array of pairs: depth 3. Anything much
// deeper is not a request, and refusing it before parsing keeps the parser
// and the value's destructor away from pathological nesting.
constexpr int kMaxDepth = 16;

// The nesting depth of a JSON text, counting brackets outside strings.
// Linear; the parser checks everything else.
int NestingDepth(std::string_view text) {
  int depth = 0, max_depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      max_depth = std::max(max_depth, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return max_depth;
}

// The members a request line may have. Anything else is a mistake worth a
// message: a misspelt "methd" left out would decide a GET nobody asked for.
constexpr std::string_view kKeys[] = {"method", "path", "headers", "id"};

// A header name must be a token (RFC 9110 5.1), as in a policy's [[tests]]
// (D23): "Origin " or "" names no header a server could receive.
std::optional<std::string> CheckHeaderName(std::string_view name) {
  if (text::IsToken(name)) return std::nullopt;
  return "header name " + text::Quote(name) + " is not an HTTP token";
}

std::optional<std::string> AddHeaderLines(const std::string& name, const json& value,
                                          OwnedRequest* out) {
  if (auto err = CheckHeaderName(name)) return err;
  if (value.is_string()) {
    out->headers.emplace_back(name, value.get<std::string>());
    return std::nullopt;
  }
  if (value.is_array()) {
    for (const json& line : value) {
      if (!line.is_string()) {
        return "header \"" + name + "\": every line must be a string";
      }
      out->headers.emplace_back(name, line.get<std::string>());
    }
    return std::nullopt;
  }
  return "header \"" + name + "\": the value must be a string or an array of strings";
}

}  // namespace

std::variant<OwnedRequest, std::string> ParseRequestLine(std::string_view line) {
  if (NestingDepth(line) > kMaxDepth) {
    return std::string("nesting deeper than any request (more than 16 levels)");
  }
  // The entries of a "headers" object, in the order written and with
  // repeated names kept (the parsed object keeps only the last of each):
  // a repeated name is several header lines (cli.md).
  std::vector<std::pair<std::string, json>> header_entries;
  std::string key;  // the latest key at the top level or in "headers"
  bool in_headers = false;
  // The first unknown or repeated top-level key: the parsed object would
  // keep the last of a repeated key silently.
  std::optional<std::string> key_error;
  bool seen[std::size(kKeys)] = {};
  json::parser_callback_t collect = [&](int depth, json::parse_event_t event, json& parsed) {
    using Event = json::parse_event_t;
    if (depth == 1 && event == Event::key) {
      key = parsed.get<std::string>();
      if (key_error) return true;
      const auto* known = std::find(std::begin(kKeys), std::end(kKeys), key);
      if (known == std::end(kKeys)) {
        key_error = "unknown key " + text::Quote(key) + " in the request";
        if (std::optional<std::string_view> s = text::Suggest(key, kKeys)) {
          *key_error += "; did you mean " + text::Quote(*s) + "?";
        } else {
          *key_error += " (a request has method, path, headers and id)";
        }
      } else if (seen[known - std::begin(kKeys)]) {
        key_error = "key " + text::Quote(key) + " appears twice in the request";
      } else {
        seen[known - std::begin(kKeys)] = true;
      }
    } else if (depth == 1 && event == Event::object_start && key == "headers") {
      in_headers = true;
      header_entries.clear();
    } else if (depth == 1 && event == Event::object_end) {
      in_headers = false;
    } else if (in_headers && depth == 2) {
      if (event == Event::key) {
        key = parsed.get<std::string>();
      } else if (event == Event::value || event == Event::array_end || event == Event::object_end) {
        header_entries.emplace_back(key, parsed);
      }
    }
    return true;
  };
  json doc = json::parse(line.begin(), line.end(), collect, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return std::string("not valid JSON");
  if (!doc.is_object()) return std::string("a request must be a JSON object");
  if (key_error) return *key_error;

  OwnedRequest req;
  if (auto it = doc.find("id"); it != doc.end()) req.id = *it;
  if (auto it = doc.find("method"); it != doc.end()) {
    if (!it->is_string()) return std::string("\"method\" must be a string");
    req.method = it->get<std::string>();
    if (auto err = CheckMethod(req.method)) return *err;
  }
  auto path = doc.find("path");
  if (path == doc.end()) return std::string("\"path\" is missing");
  if (!path->is_string()) return std::string("\"path\" must be a string");
  req.path = path->get<std::string>();

  auto headers = doc.find("headers");
  if (headers == doc.end() || headers->is_null()) return req;
  if (headers->is_array()) {
    for (const json& pair : *headers) {
      if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
        return std::string("\"headers\" must be [name, value] pairs of strings");
      }
      if (auto err = CheckHeaderName(pair[0].get_ref<const std::string&>())) return *err;
      req.headers.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
    }
  } else if (headers->is_object()) {
    for (const auto& [name, value] : header_entries) {
      if (auto err = AddHeaderLines(name, value, &req)) return *err;
    }
  } else {
    return std::string("\"headers\" must be an array of pairs or an object");
  }
  return req;
}

std::optional<std::string> CheckMethod(std::string_view method) {
  if (text::IsToken(method)) return std::nullopt;
  return "method " + text::Quote(method) + " is not an HTTP token";
}

std::variant<std::pair<std::string, std::string>, std::string> ParseHeaderArg(
    std::string_view arg) {
  size_t colon = arg.find(':');
  if (colon == std::string_view::npos) {
    return "-H wants \"Name: value\", got " + text::Quote(arg) + ", which has no ':'";
  }
  // No trimming of the name: HTTP allows no white space before the colon,
  // and "Origin https" (a colon missing after the name) must not become a
  // header of that name.
  std::string_view name = arg.substr(0, colon);
  if (auto err = CheckHeaderName(name)) {
    return "-H " + text::Quote(arg) + ": " + *err + "; write \"Name: value\"";
  }
  std::string_view value = text::TrimOws(arg.substr(colon + 1));
  return std::make_pair(std::string(name), std::string(value));
}

void FillBuilder(const OwnedRequest& request, RequestBuilder* builder) {
  builder->set_method(request.method);
  builder->set_path(request.path);
  for (const auto& [name, value] : request.headers) builder->AddHeader(name, value);
}

}  // namespace corsc::cli
