// Copyright corsc developers.
//
// Request: the parts of an HTTP request that a CORS decision depends on.
//
// A Request holds views only. Every string_view (and the arrays the spans
// point to) must stay valid while the Request, and any Decision computed
// from it, is in use: a Decision may point into the request's header values
// (Access-Control-Allow-Origin echoes the Origin value).

#ifndef CORSC_REQUEST_H_
#define CORSC_REQUEST_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <new>
#include <span>
#include <string_view>

#include "corsc/decision.h"

namespace corsc {

// The value of each line of one request header, in the order received. An
// empty span means the header is absent. A header that arrives as several
// lines is several entries; the engine joins them as the Fetch standard
// does, so callers must not join them first.
using HeaderLines = std::span<const std::string_view>;

struct Request {
  // The request method as received ("OPTIONS", "GET", "patch", ...).
  std::string_view method;

  // The request target's path ("/api/v1/users/42"). A query string, from
  // the first '?', is ignored. The path is matched byte for byte: the
  // server normalizes it (percent-decoding, dot segments) before asking,
  // as its router does.
  std::string_view path;

  HeaderLines origin;                   // Origin
  HeaderLines request_method;           // Access-Control-Request-Method
  HeaderLines request_headers;          // Access-Control-Request-Headers
  HeaderLines request_private_network;  // Access-Control-Request-Private-Network
};

// What a request is, from the request alone (no policy needed); Evaluate()
// decides by these, and tools that reason about requests use them too.
//
// D11: kNotCors without an Origin line; kPreflight for method "OPTIONS"
// (exactly) with an Access-Control-Request-Method line that is not empty
// once trimmed of spaces and tabs; else kActual.
Kind RequestKind(const Request& request) noexcept;
// D14: a single Access-Control-Request-Private-Network line whose trimmed
// value is "true".
bool AsksPrivateNetwork(const Request& request) noexcept;

// RequestBuilder collects the CORS request headers of a request from its
// header list, for servers that iterate over (name, value) pairs. It owns
// fixed storage (no allocation) and ignores headers CORS does not read.
//
// At most kMaxLinesPerHeader lines of Origin, Access-Control-Request-Method
// and Access-Control-Request-Private-Network, and kMaxRequestHeadersLines
// of Access-Control-Request-Headers, are kept; further lines replace the
// last kept one, so the engine still sees "too many lines" and refuses
// accordingly (see docs/decisions.md D12). The storage is left
// uninitialized: building a request costs what its headers cost.
//
// Example:
//   RequestBuilder b("OPTIONS", "/api/v1/users/42");
//   for (const auto& [name, value] : http_headers) b.AddHeader(name, value);
//   Decision d = table->Evaluate(b.request());
class RequestBuilder {
 public:
  static constexpr size_t kMaxLinesPerHeader = 9;
  // One more than the engine reads (D12: 128 lines).
  static constexpr size_t kMaxRequestHeadersLines = 129;

  RequestBuilder() = default;
  RequestBuilder(std::string_view method, std::string_view path) {
    request_.method = method;
    request_.path = path;
  }

  // Not copyable: request() points into this object.
  RequestBuilder(const RequestBuilder&) = delete;
  RequestBuilder& operator=(const RequestBuilder&) = delete;

  void set_method(std::string_view method) { request_.method = method; }
  void set_path(std::string_view path) { request_.path = path; }

  // Records one header line. `name` is compared case-insensitively.
  // Returns true when the header is one CORS reads.
  bool AddHeader(std::string_view name, std::string_view value);

  // The request built so far. Valid while this builder is alive and
  // unmodified; the values must outlive it as well.
  const Request& request() {
    request_.origin = Lines(kOrigin);
    request_.request_method = Lines(kRequestMethod);
    request_.request_headers = Lines(kRequestHeaders);
    request_.request_private_network = Lines(kRequestPrivateNetwork);
    return request_;
  }

 private:
  enum Slot { kOrigin, kRequestMethod, kRequestHeaders, kRequestPrivateNetwork, kSlots };

  static constexpr size_t Capacity(Slot s) {
    return s == kRequestHeaders ? kMaxRequestHeadersLines : kMaxLinesPerHeader;
  }
  // Where the lines of slot s begin: Access-Control-Request-Headers in a
  // block of its own, the other three one after another.
  static constexpr size_t Offset(Slot s) {
    return s == kRequestHeaders
               ? 0
               : kMaxRequestHeadersLines + kMaxLinesPerHeader * (s < kRequestHeaders ? s : s - 1);
  }
  // The lines of slot s. Only the first counts_[s] are ever read; AddHeader
  // constructs each in place.
  std::string_view* Slots(Slot s) {
    return std::launder(reinterpret_cast<std::string_view*>(storage_)) + Offset(s);
  }
  HeaderLines Lines(Slot s) { return HeaderLines(Slots(s), counts_[s]); }

  Request request_;
  std::array<uint8_t, kSlots> counts_{};
  // Raw storage: value-initializing 156 string_views (2.5 KB) would cost
  // more than the rest of a decision.
  alignas(std::string_view) std::byte
      storage_[(kMaxRequestHeadersLines + 3 * kMaxLinesPerHeader) * sizeof(std::string_view)];
};

}  // namespace corsc

#endif  // CORSC_REQUEST_H_
