// Copyright corsc developers.
//
// The compiled table against the reference evaluator: generated policies
// (compiled from TOML text by the real compiler) and generated requests
// aimed at them, with near-miss origins, odd paths and hostile headers.
// Every decision must agree field for field: kind, allowed, reason, status,
// route, origin rule, and every header in order.

#include <gtest/gtest.h>

#include <iostream>
#include <map>

#include "corsc/compiler.h"
#include "corsc/table.h"
#include "generators.h"
#include "reference_eval.h"

namespace corsc::testing {
namespace {

RefDecision FromEngine(const CompiledTable& table, const Decision& d) {
  RefDecision r;
  r.kind = d.kind;
  r.allowed = d.allowed;
  r.reason = d.reason;
  r.status = d.status;
  if (d.route != kNoRule) r.route = table.route_info(d.route).text;
  if (d.origin_rule != kNoRule) r.origin_rule = table.origin_rule_info(d.origin_rule).text;
  for (const HeaderField& h : d.headers) r.headers.emplace_back(h.name, h.value);
  return r;
}

Decision EvaluateWithEngine(const CompiledTable& table, const RefRequest& req) {
  RequestBuilder b(req.method, req.path);
  for (const auto& [name, value] : req.headers) b.AddHeader(name, value);
  return table.Evaluate(b.request());
}

struct Counts {
  int policies = 0;
  int attempts = 0;
  long requests = 0;
  long allowed = 0;
  std::map<Reason, long> reasons;
};

// Compiles generated policies until `policies` of them compile, and checks
// `requests_each` generated requests against each.
Counts RunDifferential(uint64_t seed, int policies, int requests_each, Strategy strategy) {
  Counts counts;
  PolicyGenerator gen(seed);
  while (counts.policies < policies) {
    ++counts.attempts;
    if (counts.attempts > policies * 20) {
      ADD_FAILURE() << "the generator rarely makes valid policies";
      return counts;
    }
    SourceFile file{"generated.toml", gen.Next()};
    CompileOptions options;
    options.strategy = strategy;
    if (file.text.find("[profiles.dev") != std::string::npos && counts.attempts % 2 == 0) {
      options.profile = "dev";
    }
    Compilation c = Compile(std::span<const SourceFile>(&file, 1), options);
    if (!c.ok()) continue;
    ++counts.policies;
    RequestGenerator requests(*c.policy, seed * 1000003 + static_cast<uint64_t>(counts.attempts));
    for (int i = 0; i < requests_each; ++i) {
      RefRequest req = requests.Next();
      RefDecision want = ReferenceEvaluate(*c.policy, req);
      RefDecision got = FromEngine(*c.table, EvaluateWithEngine(*c.table, req));
      ++counts.requests;
      counts.allowed += got.allowed;
      ++counts.reasons[got.reason];
      if (want != got) {
        ADD_FAILURE() << "engine and reference disagree\npolicy (profile \"" << options.profile
                      << "\"):\n"
                      << file.text << "\nrequest: " << Describe(req)
                      << "reference: " << Describe(want) << "engine:    " << Describe(got);
        return counts;
      }
    }
  }
  return counts;
}

TEST(Differential, CompiledTableAgreesWithTheReference) {
  // A fixed seed keeps CI reproducible; --gtest_random_seed=N explores others.
  int32_t flag = GTEST_FLAG_GET(random_seed);
  const uint64_t seed = flag != 0 ? static_cast<uint64_t>(flag) : 20261127;
  Counts counts = RunDifferential(seed, /*policies=*/400, /*requests_each=*/300, Strategy::kTable);
  EXPECT_GE(counts.requests, 100000);
  // The generated requests must reach every outcome, or the comparison
  // proves little: check that each reason occurs a fair number of times.
  for (Reason r : {Reason::kOk, Reason::kNotCors, Reason::kNoRoute, Reason::kOriginNotAllowed,
                   Reason::kMethodNotAllowed, Reason::kHeaderNotAllowed,
                   Reason::kPrivateNetworkNotAllowed}) {
    EXPECT_GE(counts.reasons[r], 100) << "too few decisions with reason " << ReasonName(r);
  }
  EXPECT_GT(counts.allowed, counts.requests / 10);
  std::cout << counts.requests << " requests over " << counts.policies << " policies ("
            << counts.attempts << " generated), seed " << seed << "\n";
  for (const auto& [reason, n] : counts.reasons) std::cout << "  " << ReasonName(reason) << ": " << n << "\n";
}

}  // namespace
}  // namespace corsc::testing
