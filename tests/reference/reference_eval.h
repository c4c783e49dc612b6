// Copyright corsc developers.
//
// ReferenceEvaluate: a slow, obviously correct evaluator written straight
// from the spec's "Decisions" section and docs/decisions.md. FOR TESTING
// ONLY: it reads the ResolvedPolicy directly, tries every route and every
// origin pattern one by one, builds strings freely, and shares no code with
// the engine's indexes, so that the differential test can hold the compiled
// table to it.

#ifndef CORSC_TESTS_REFERENCE_EVAL_H_
#define CORSC_TESTS_REFERENCE_EVAL_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "corsc/decision.h"
#include "corsc/policy.h"

namespace corsc::testing {

struct RefRequest {
  std::string method = "GET";
  std::string path = "/";
  std::vector<std::pair<std::string, std::string>> headers;  // lines, in order
};

struct RefDecision {
  Kind kind = Kind::kNotCors;
  bool allowed = true;
  Reason reason = Reason::kNotCors;
  uint16_t status = 0;
  std::string route;        // the route's pattern; empty: none
  std::string origin_rule;  // the origin rule's canonical text; empty: none
  std::vector<std::pair<std::string, std::string>> headers;

  bool operator==(const RefDecision&) const = default;
};

RefDecision ReferenceEvaluate(const ResolvedPolicy& policy, const RefRequest& request);

// Whether `text` (no brackets) is an IPv6 address as the URL standard
// serializes it. Written apart from the engine's ParseIpv6/SerializeIpv6.
bool IsCanonicalIpv6(const std::string& text);

// One line per field, for failure messages.
std::string Describe(const RefDecision& d);
std::string Describe(const RefRequest& r);

}  // namespace corsc::testing

#endif  // CORSC_TESTS_REFERENCE_EVAL_H_
