// Copyright corsc developers.
//
// Decision: what the engine answers for one request. See the "Decisions"
// section of the policy-language spec for the rules, and docs/decisions.md
// for the points the spec leaves open.
//
// A Decision is a small value with no heap storage. Its string_views point
// into the CompiledTable that made it (pre-rendered header values) and into
// the Request it was computed from (the echoed Origin and
// Access-Control-Request-Headers values): both must outlive it.

#ifndef CORSC_DECISION_H_
#define CORSC_DECISION_H_

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <optional>
#include <string_view>

namespace corsc {

// NOTE: the numeric values appear in tables and JSON consumers may store
// them; never renumber existing entries.
enum class Kind : uint8_t {
  kNotCors = 0,    // no Origin header
  kPreflight = 1,  // OPTIONS with a non-empty Access-Control-Request-Method
  kActual = 2,     // any other request with an Origin header
};

// NOTE: never renumber existing entries (as for Kind).
enum class Reason : uint8_t {
  kOk = 0,
  kNotCors = 1,
  kNoRoute = 2,
  kOriginNotAllowed = 3,
  kMethodNotAllowed = 4,
  kHeaderNotAllowed = 5,
  kPrivateNetworkNotAllowed = 6,
};

// How many of each there are: their values are 0 to count - 1.
inline constexpr size_t kKindCount = 3;
inline constexpr size_t kReasonCount = 7;

// "not-cors", "preflight", "actual".
std::string_view KindName(Kind kind);
// "ok", "not-cors", "no-route", "origin-not-allowed", ... as in the spec.
std::string_view ReasonName(Reason reason);
// Parses the spelling ReasonName returns; nullopt for anything else.
std::optional<Reason> ParseReason(std::string_view name);
std::optional<Kind> ParseKind(std::string_view name);

struct HeaderField {
  std::string_view name;
  std::string_view value;
};

// A fixed-capacity list of response header fields, in the order to send
// them. Header names are spelled as in the Fetch standard
// ("Access-Control-Allow-Origin").
class HeaderList {
 public:
  // The most an answer has: a preflight's ACAO, ACAC, ACAM, ACMA, ACAPN
  // and Vary, and up to 64 ACAH lines (docs/decisions.md D12, D13).
  static constexpr size_t kCapacity = 72;

  HeaderList() = default;
  // Copies only the fields in use (the rest of the storage is never
  // initialized).
  HeaderList(const HeaderList& other) : size_(other.size_) {
    std::memcpy(storage_, other.storage_, size_ * sizeof(HeaderField));
  }
  HeaderList& operator=(const HeaderList& other) {
    if (this != &other) {
      size_ = other.size_;
      std::memcpy(storage_, other.storage_, size_ * sizeof(HeaderField));
    }
    return *this;
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const HeaderField& operator[](size_t i) const { return data()[i]; }
  const HeaderField* begin() const { return data(); }
  const HeaderField* end() const { return data() + size_; }

  // The value of the first field named `name` (case-insensitive).
  std::optional<std::string_view> Find(std::string_view name) const;

  // Appends a field. For the engine, which never needs more than
  // kCapacity fields (70 at most: 64 echoed request-header lines and six
  // others); a caller adding its own fields to a Decision must check
  // size() first. REQUIRES: size() < kCapacity (asserted in debug builds).
  void Add(std::string_view name, std::string_view value) {
    assert(size_ < kCapacity && "HeaderList::Add past kCapacity");
    ::new (static_cast<void*>(storage_ + size_ * sizeof(HeaderField))) HeaderField{name, value};
    ++size_;
  }

 private:
  const HeaderField* data() const {
    return std::launder(reinterpret_cast<const HeaderField*>(storage_));
  }

  // Raw storage rather than an array of fields: a Decision is made on every
  // request, and value-initializing its unused fields (measured at 16
  // fields, 512 bytes) cost more than the rest of an exact-origin decision.
  // Add() constructs each field in place; only the first size_ are ever
  // read.
  alignas(HeaderField) std::byte storage_[kCapacity * sizeof(HeaderField)];
  size_t size_ = 0;
};

// Identifies a route or an origin rule inside one CompiledTable. Look up its
// text and source location with CompiledTable::route_info() and
// CompiledTable::origin_rule_info().
using RuleId = uint32_t;
inline constexpr RuleId kNoRule = UINT32_MAX;

struct Decision {
  Kind kind = Kind::kNotCors;
  bool allowed = true;
  Reason reason = Reason::kNotCors;
  // preflight_status for an allowed preflight; 0 means none.
  uint16_t status = 0;
  // The route that decided (kNoRule: no route matched) and the origin rule
  // that matched (kNoRule: none did, or the decision needed none).
  RuleId route = kNoRule;
  RuleId origin_rule = kNoRule;
  // The response headers to set, in a stable order.
  HeaderList headers;
};

}  // namespace corsc

#endif  // CORSC_DECISION_H_
