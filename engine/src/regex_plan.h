// Copyright corsc developers.
//
// RegexPlan: what the `table` strategy learns about a regex origin at load
// time, so that most requests never call RE2.
//
// Origin regexes are nearly always a literal scheme and host around one
// variable part: ^https://pr-[0-9]+\.preview\.example\.com$. From the RE2
// source, AnalyzeRegex() extracts
//
//   prefix, suffix   literal text every full match starts (ends) with. A
//                    request that lacks either cannot match: two compares
//                    refuse most origins without RE2 (a miss, a look-alike).
//   simple shape     when the whole regex is prefix, one character class
//                    repeated with + or *, suffix (and ^ $ at the ends),
//                    Match() decides alone: the middle bytes must all be in
//                    the class. Exactly RE2::FullMatch's answer on a
//                    canonical origin (ASCII, no line break), which is the
//                    only input the regex tier sees (D2).
//
// The analysis is conservative: anything it does not fully understand (a
// top-level "|", flags such as (?i), non-ASCII bytes, escapes other than
// \d and escaped punctuation, POSIX classes) gives an empty prefix and
// suffix and no simple shape, and RE2 decides as before.

#ifndef CORSC_ENGINE_REGEX_PLAN_H_
#define CORSC_ENGINE_REGEX_PLAN_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace corsc {

struct RegexPlan {
  std::string prefix;
  std::string suffix;
  bool simple = false;
  // simple: the class of the middle, a bit per byte, and its least length
  // (1 for "+", 0 for "*").
  std::array<uint64_t, 4> middle{};
  size_t min_middle = 0;
  // simple, and every string Match() accepts (of at most kMaxOriginLength
  // bytes) is a canonical origin: the regex tier need not parse the
  // origin before Match(). True when the middle is host-label bytes
  // inside a host label that is not the last one, and prefix + suffix
  // around an empty middle (when "*" allows one) and around "a" parse as
  // canonical origins: no byte of such a middle can change the parse.
  bool canonical_matches = false;
  // The first min(8, |prefix|) bytes of prefix and the last min(8,
  // |suffix|) bytes of suffix, as the little-endian words that hold them
  // at the start (resp. the end) of a string that has them, with the masks
  // of their bytes: one compare each refuses most strings.
  uint64_t head = 0, head_mask = 0;
  uint64_t tail = 0, tail_mask = 0;

  // False when no full match of the regex can be `s`.
  bool Possible(std::string_view s) const noexcept {
    return s.size() >= prefix.size() && s.size() >= suffix.size() && s.starts_with(prefix) &&
           s.ends_with(suffix);
  }

  // REQUIRES: simple, Possible(s), and s a canonical origin unless
  // canonical_matches. Whether the regex matches all of s.
  bool Match(std::string_view s) const noexcept {
    if (s.size() < prefix.size() + suffix.size() + min_middle) return false;
    for (size_t i = prefix.size(); i < s.size() - suffix.size(); ++i) {
      const auto c = static_cast<uint8_t>(s[i]);
      if ((middle[c >> 6] >> (c & 63) & 1) == 0) return false;
    }
    return true;
  }
};

// The plan of RE2 source `re`. Never fails: an empty plan is always right.
RegexPlan AnalyzeRegex(std::string_view re);

}  // namespace corsc

#endif  // CORSC_ENGINE_REGEX_PLAN_H_
