// Copyright corsc developers.

#include "corsc/status.h"

namespace corsc {

std::string Status::ToString() const {
  std::string_view prefix;
  switch (code_) {
    case Code::kOk:
      return "ok";
    case Code::kInvalidArgument:
      prefix = "invalid argument: ";
      break;
    case Code::kCorruption:
      prefix = "corruption: ";
      break;
    case Code::kNotSupported:
      prefix = "not supported: ";
      break;
    case Code::kIOError:
      prefix = "I/O error: ";
      break;
  }
  std::string s(prefix);
  s += message_;
  return s;
}

}  // namespace corsc
