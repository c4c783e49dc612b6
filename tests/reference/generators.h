// Copyright corsc developers.
//
// Random policies (as TOML text, so that the whole compiler is exercised)
// and random requests aimed at them: near-miss origins, odd paths, hostile
// headers. Deterministic for a given seed.

#ifndef CORSC_TESTS_GENERATORS_H_
#define CORSC_TESTS_GENERATORS_H_

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "corsc/policy.h"
#include "reference_eval.h"

namespace corsc::testing {

class PolicyGenerator {
 public:
  explicit PolicyGenerator(uint64_t seed) : rng_(seed) {}

  // A policy file. It may have errors (a "*" route that inherits
  // credentials, a route without origins...): callers compile it and draw
  // again when it does not compile.
  std::string Next();

  // A random origin pattern as a TOML value (a string or a regex table).
  std::string OriginPattern();

 private:
  std::string Pick(const std::vector<std::string>& items);
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  int Between(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  std::string List(const std::vector<std::string>& pool, int min, int max, bool quote = true);
  std::string Fields(bool with_origins);
  std::string PathPattern(std::vector<std::string>* shapes);

  std::mt19937_64 rng_;
};

class RequestGenerator {
 public:
  RequestGenerator(const ResolvedPolicy& policy, uint64_t seed);

  RefRequest Next();

 private:
  std::string Pick(const std::vector<std::string>& items);
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  int Between(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  std::string Origin();
  std::string Path();
  std::string RequestHeaders();

  std::mt19937_64 rng_;
  std::vector<std::string> origins_;  // near and far from the policy's patterns
  std::vector<std::string> allowed_;  // origins some pattern of the policy matches
  std::vector<std::string> paths_;    // instances of its routes, and odd ones
};

}  // namespace corsc::testing

#endif  // CORSC_TESTS_GENERATORS_H_
