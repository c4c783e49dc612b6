// Copyright corsc developers.
//
// The six methods that match case-insensitively (policy-language spec,
// "methods": browsers normalize GET, HEAD, POST, PUT, DELETE and OPTIONS to
// upper case), as bits of RouteRecord::standard_methods.

#ifndef CORSC_ENGINE_METHOD_H_
#define CORSC_ENGINE_METHOD_H_

#include <cstdint>
#include <cstring>
#include <string_view>

#include "table_format.h"

namespace corsc::method {

// The kMethod* bit of `m` when it is one of the six, in any case; else 0.
//
// Dispatches on the length, then compares whole words with every byte
// OR-ed with 0x20. That folds case exactly here: the six names are all
// letters, and for a lower-case letter L, (b | 0x20) == L holds only for
// b == L and b == L - 0x20 (its upper case), whatever the other bytes are.
inline uint8_t StandardMethodBit(std::string_view m) noexcept {
  auto word = [&](size_t at, size_t n) {
    uint32_t v = 0;
    std::memcpy(&v, m.data() + at, n);
    return v | (0x20202020u >> (8 * (4 - n)));
  };
  auto lit = [](const char(&s)[5]) {
    return uint32_t{static_cast<uint8_t>(s[0])} | uint32_t{static_cast<uint8_t>(s[1])} << 8 |
           uint32_t{static_cast<uint8_t>(s[2])} << 16 | uint32_t{static_cast<uint8_t>(s[3])} << 24;
  };
  switch (m.size()) {
    case 3: {
      const uint32_t w = word(0, 3);
      if (w == lit("get\0")) return table_format::kMethodGet;
      if (w == lit("put\0")) return table_format::kMethodPut;
      return 0;
    }
    case 4: {
      const uint32_t w = word(0, 4);
      if (w == lit("head")) return table_format::kMethodHead;
      if (w == lit("post")) return table_format::kMethodPost;
      return 0;
    }
    case 6:
      return word(0, 4) == lit("dele") && word(4, 2) == lit("te\0\0") ? table_format::kMethodDelete
                                                                      : 0;
    case 7:
      return word(0, 4) == lit("opti") && word(3, 4) == lit("ions") ? table_format::kMethodOptions
                                                                    : 0;
    default:
      return 0;
  }
}

// How a method allowed by `methods = ["*"]` is written in
// Access-Control-Allow-Methods: one of the six in upper case (the spec
// writes them so in responses, whatever the case asked), any other as
// asked.
inline std::string_view Echo(std::string_view m) noexcept {
  switch (StandardMethodBit(m)) {
    case table_format::kMethodGet:
      return "GET";
    case table_format::kMethodHead:
      return "HEAD";
    case table_format::kMethodPost:
      return "POST";
    case table_format::kMethodPut:
      return "PUT";
    case table_format::kMethodDelete:
      return "DELETE";
    case table_format::kMethodOptions:
      return "OPTIONS";
    default:
      return m;
  }
}

}  // namespace corsc::method

#endif  // CORSC_ENGINE_METHOD_H_
