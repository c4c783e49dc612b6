// Copyright corsc developers.

#include "corsc/decision.h"

#include <array>
#include <utility>

#include "ascii.h"

namespace corsc {
namespace {

constexpr std::array<std::pair<Kind, std::string_view>, kKindCount> kKindNames{{
    {Kind::kNotCors, "not-cors"},
    {Kind::kPreflight, "preflight"},
    {Kind::kActual, "actual"},
}};

constexpr std::array<std::pair<Reason, std::string_view>, kReasonCount> kReasonNames{{
    {Reason::kOk, "ok"},
    {Reason::kNotCors, "not-cors"},
    {Reason::kNoRoute, "no-route"},
    {Reason::kOriginNotAllowed, "origin-not-allowed"},
    {Reason::kMethodNotAllowed, "method-not-allowed"},
    {Reason::kHeaderNotAllowed, "header-not-allowed"},
    {Reason::kPrivateNetworkNotAllowed, "private-network-not-allowed"},
}};

}  // namespace

std::string_view KindName(Kind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "?";
}

std::string_view ReasonName(Reason reason) {
  for (const auto& [r, name] : kReasonNames) {
    if (r == reason) return name;
  }
  return "?";
}

std::optional<Reason> ParseReason(std::string_view name) {
  for (const auto& [r, n] : kReasonNames) {
    if (n == name) return r;
  }
  return std::nullopt;
}

std::optional<Kind> ParseKind(std::string_view name) {
  for (const auto& [k, n] : kKindNames) {
    if (n == name) return k;
  }
  return std::nullopt;
}

std::optional<std::string_view> HeaderList::Find(std::string_view name) const {
  for (const HeaderField& f : *this) {
    if (ascii::EqualsIgnoreCase(f.name, name)) return f.value;
  }
  return std::nullopt;
}

}  // namespace corsc
