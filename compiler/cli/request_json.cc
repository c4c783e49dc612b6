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

// A header value holds no line break and no NUL, as in a policy's [[tests]]
// (D23).
std::optional<std::string> CheckHeaderValue(std::string_view name, std::string_view value) {
  if (text::IsFieldValue(value)) return std::nullopt;
  return "header " + text::Quote(name) + " holds a line break or a NUL byte";
}

// Adds the header `name` with `value`, one line or an array of lines, after
// checking both: for a [name, value] pair and for an object's member alike.
std::optional<std::string> AddHeaderLines(const std::string& name, const json& value,
                                          OwnedRequest* out) {
  if (auto err = CheckHeaderName(name)) return err;
  if (value.is_string()) {
    if (auto err = CheckHeaderValue(name, value.get_ref<const std::string&>())) return err;
    out->headers.emplace_back(name, value.get<std::string>());
    return std::nullopt;
  }
  if (value.is_array()) {
    for (const json& line : value) {
      if (!line.is_string()) {
        return "header \"" + name + "\": every line must be a string";
      }
      if (auto err = CheckHeaderValue(name, line.get_ref<const std::string&>())) return err;
      out->headers.emplace_back(name, line.get<std::string>());
    }
    return std::nullopt;
  }
  return "header \"" + name + "\": the value must be a string or an array of strings";
}

// The first byte of `text` that is not part of well-formed UTF-8 (JSON text
// is UTF-8, RFC 8259), or npos. The parser refuses such a line too, but
// only says that it is not JSON.
size_t FirstInvalidUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const auto [cp, length] = text::DecodeUtf8(text, i);
    // DecodeUtf8 reads a bad sequence as U+FFFD of one byte; a real U+FFFD
    // is three.
    if (cp == 0xFFFD && length == 1) return i;
    i += length;
  }
  return std::string_view::npos;
}

// Why nlohmann's parser refused a line. Its DOM parser without exceptions
// says only that it failed; this SAX handler, run on that path only, keeps
// the error's kind, position and token.
class JsonErrorSax : public json::json_sax_t {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string& last_token,
                   const nlohmann::detail::exception& error) override {
    // Out of range (406) is a number beyond a double: the only error of
    // that kind the parser raises.
    if (error.id == 406) {
      std::string number = last_token.size() > 40 ? last_token.substr(0, 40) + "..." : last_token;
      message_ = "number " + number + " is out of range (beyond what a double holds)";
    } else {
      message_ = "not valid JSON (at byte " + std::to_string(position) + ")";
    }
    return false;
  }

  const std::string& message() const { return message_; }

 private:
  std::string message_ = "not valid JSON";
};

std::string WhyNotJson(std::string_view line) {
  JsonErrorSax sax;
  json::sax_parse(line.begin(), line.end(), &sax);
  return sax.message();
}

}  // namespace

std::variant<OwnedRequest, RequestError> ParseRequestLine(std::string_view line) {
  if (NestingDepth(line) > kMaxDepth) {
    return RequestError{"nesting deeper than any request (more than 16 levels)"};
  }
  if (size_t bad = FirstInvalidUtf8(line); bad != std::string_view::npos) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    const auto b = static_cast<unsigned char>(line[bad]);
    return RequestError{"invalid UTF-8 at byte " + std::to_string(bad + 1) + " (0x" + kHex[b >> 4] +
                        kHex[b & 0xF] + "): JSON text must be UTF-8"};
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
  int ids = 0;  // "id" members: one is echoed, even in an error (D54)
  json::parser_callback_t collect = [&](int depth, json::parse_event_t event, json& parsed) {
    using Event = json::parse_event_t;
    if (depth == 1 && event == Event::key) {
      key = parsed.get<std::string>();
      if (key == "id") ++ids;
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
  if (doc.is_discarded()) return RequestError{WhyNotJson(line)};
  if (!doc.is_object()) return RequestError{"a request must be a JSON object"};

  OwnedRequest req;
  // From here on the line is an object: an error names its "id", unless
  // the line has several and so none that can be trusted.
  if (auto it = doc.find("id"); it != doc.end() && ids == 1) req.id = *it;
  auto fail = [&](std::string message) { return RequestError{std::move(message), req.id}; };
  if (key_error) return fail(*key_error);
  if (auto it = doc.find("method"); it != doc.end()) {
    if (!it->is_string()) return fail("\"method\" must be a string");
    req.method = it->get<std::string>();
    if (auto err = CheckMethod(req.method)) return fail(*err);
  }
  auto path = doc.find("path");
  if (path == doc.end()) return fail("\"path\" is missing");
  if (!path->is_string()) return fail("\"path\" must be a string");
  req.path = path->get<std::string>();

  auto headers = doc.find("headers");
  if (headers == doc.end() || headers->is_null()) return req;
  if (headers->is_array()) {
    for (const json& pair : *headers) {
      if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
        return fail("\"headers\" must be [name, value] pairs of strings");
      }
      if (auto err = AddHeaderLines(pair[0].get<std::string>(), pair[1], &req)) return fail(*err);
    }
  } else if (headers->is_object()) {
    for (const auto& [name, value] : header_entries) {
      if (auto err = AddHeaderLines(name, value, &req)) return fail(*err);
    }
  } else {
    return fail("\"headers\" must be an array of pairs or an object");
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
  if (auto err = CheckHeaderValue(name, value)) return "-H " + text::Quote(arg) + ": " + *err;
  return std::make_pair(std::string(name), std::string(value));
}

void FillBuilder(const OwnedRequest& request, RequestBuilder* builder) {
  builder->set_method(request.method);
  builder->set_path(request.path);
  for (const auto& [name, value] : request.headers) builder->AddHeader(name, value);
}

}  // namespace corsc::cli
