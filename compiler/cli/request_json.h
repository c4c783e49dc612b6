// Copyright corsc developers.
//
// Requests as the command line reads them: JSON Lines for `eval
// --requests` (cli.md, batch mode), curl-style flags for a single `eval`.
// Input is hostile until parsed: every malformed line gets a message saying
// why, never a crash, and the cost of a line is bounded by its length.

#ifndef CORSC_CLI_REQUEST_JSON_H_
#define CORSC_CLI_REQUEST_JSON_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "corsc/request.h"

namespace corsc::cli {

// A request that owns its strings.
struct OwnedRequest {
  std::string method = "GET";
  std::string path = "/";
  // Header lines in order; a repeated name is several lines.
  std::vector<std::pair<std::string, std::string>> headers;
  // The line's "id" member, echoed in the answer when present.
  std::optional<nlohmann::json> id;
};

// Why a request line was refused, and its "id" when the line is a JSON
// object with one "id" member (echoed in the error object, D54).
struct RequestError {
  std::string message;
  std::optional<nlohmann::json> id = std::nullopt;
};

// Parses one JSON Lines request:
//   {"method":"OPTIONS","path":"/x","headers":[["Origin","https://a.b"],...]}
// `headers` may also be an object whose values are strings or arrays of
// strings (several lines). `method` defaults to GET; `path` is required;
// any other member than method, path, headers and id, or one of them given
// twice, is an error. The method and every header name must be HTTP tokens,
// and no header value may hold CR, LF or NUL (D52). Returns the request, or
// a message saying what is wrong with the line: invalid UTF-8 with its
// byte, a number out of range, the byte where the JSON breaks, or what is
// wrong with a member (D54).
std::variant<OwnedRequest, RequestError> ParseRequestLine(std::string_view line);

// A message when `method` is not an HTTP token, as a request's method must be.
std::optional<std::string> CheckMethod(std::string_view method);

// Parses a curl-style header argument, "Name: value": the name an HTTP token
// right before the colon, the value trimmed of spaces and tabs, as HTTP
// does, and without CR, LF or NUL. Otherwise a message for the usage error.
std::variant<std::pair<std::string, std::string>, std::string> ParseHeaderArg(std::string_view arg);

// Points `builder` at `request` (views: `request` must outlive its use).
void FillBuilder(const OwnedRequest& request, RequestBuilder* builder);

}  // namespace corsc::cli

#endif  // CORSC_CLI_REQUEST_JSON_H_
