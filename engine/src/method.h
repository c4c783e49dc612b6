// Copyright corsc developers.
//
// The six methods that match case-insensitively (policy-language spec,
// "methods": browsers normalize GET, HEAD, POST, PUT, DELETE and OPTIONS to
// upper case), as bits of RouteRecord::standard_methods.

#ifndef CORSC_ENGINE_METHOD_H_
#define CORSC_ENGINE_METHOD_H_

#include <cstdint>
#include <string_view>

#include "ascii.h"
#include "table_format.h"

namespace corsc::method {

// The kMethod* bit of `m` when it is one of the six, in any case; else 0.
// Dispatches on the length first, so most other tokens cost one compare.
inline uint8_t StandardMethodBit(std::string_view m) noexcept {
  using ascii::EqualsIgnoreCase;
  switch (m.size()) {
    case 3:
      if (EqualsIgnoreCase(m, "GET")) return table_format::kMethodGet;
      if (EqualsIgnoreCase(m, "PUT")) return table_format::kMethodPut;
      return 0;
    case 4:
      if (EqualsIgnoreCase(m, "HEAD")) return table_format::kMethodHead;
      if (EqualsIgnoreCase(m, "POST")) return table_format::kMethodPost;
      return 0;
    case 6:
      return EqualsIgnoreCase(m, "DELETE") ? table_format::kMethodDelete : 0;
    case 7:
      return EqualsIgnoreCase(m, "OPTIONS") ? table_format::kMethodOptions : 0;
    default:
      return 0;
  }
}

}  // namespace corsc::method

#endif  // CORSC_ENGINE_METHOD_H_
