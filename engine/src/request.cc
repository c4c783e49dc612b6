// Copyright corsc developers.

#include "corsc/request.h"

#include "ascii.h"

namespace corsc {

bool RequestBuilder::AddHeader(std::string_view name, std::string_view value) {
  Slot slot;
  if (ascii::EqualsIgnoreCase(name, "origin")) {
    slot = kOrigin;
  } else if (ascii::EqualsIgnoreCase(name, "access-control-request-method")) {
    slot = kRequestMethod;
  } else if (ascii::EqualsIgnoreCase(name, "access-control-request-headers")) {
    slot = kRequestHeaders;
  } else if (ascii::EqualsIgnoreCase(name, "access-control-request-private-network")) {
    slot = kRequestPrivateNetwork;
  } else {
    return false;
  }
  // Past the capacity, the last kept line is overwritten: the count stays
  // above every limit the engine applies, which is all that matters then.
  uint8_t& n = counts_[slot];
  std::string_view* const lines = Slots(slot);
  if (n < Capacity(slot)) {
    ::new (static_cast<void*>(lines + n)) std::string_view(value);
    ++n;
  } else {
    lines[n - 1] = value;
  }
  return true;
}

}  // namespace corsc
