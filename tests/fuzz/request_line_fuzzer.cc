// Copyright corsc developers.
//
// Fuzzes the JSON Lines request parser of `corsc eval --requests`: any line
// gives a request or an error message, never a crash, deep recursion or a
// leak.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "request_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto parsed =
      corsc::cli::ParseRequestLine(std::string_view(reinterpret_cast<const char*>(data), size));
  if (auto* req = std::get_if<corsc::cli::OwnedRequest>(&parsed)) {
    corsc::RequestBuilder b;
    corsc::cli::FillBuilder(*req, &b);
    (void)b.request();
  } else if (std::get<corsc::cli::RequestError>(parsed).message.empty()) {
    __builtin_trap();  // an error must say why
  }
  return 0;
}
