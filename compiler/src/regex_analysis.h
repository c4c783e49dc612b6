// Copyright corsc developers.
//
// What the linter can tell about a `{ regex = "..." }` origin from its
// text: whether a plain pattern says the same (CORS105), whether it is a
// one-label wildcard in disguise (CORS106), and which look-alike hosts it
// lets through (CORS108).
//
// The analysis parses a subset of RE2's syntax (literals, escapes, `.`,
// classes, groups, alternation, repetition) into a small tree. A regex
// outside the subset (flags such as `(?i)`, `\b`, `\p{...}`, POSIX classes)
// or longer than kMaxAnalyzedRegex bytes is not analysed at all: the linter
// stays silent rather than guess. Every claim is checked with RE2 before it
// is made: a look-alike is an origin RE2::FullMatch accepts, and an
// equivalent pattern must agree with the regex on a set of probe origins.

#ifndef CORSC_COMPILER_REGEX_ANALYSIS_H_
#define CORSC_COMPILER_REGEX_ANALYSIS_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace corsc {

// Regexes longer than this are not analysed (a regex origin is a few dozen
// bytes; the bound keeps the analysis of a hostile policy linear and small).
inline constexpr size_t kMaxAnalyzedRegex = 1024;
// Look-alike candidates are built for at most this many atoms per regex.
inline constexpr size_t kMaxLookAlikeAtoms = 16;

struct LookAlike {
  // A canonical origin the regex matches whose registrable domain is not
  // the one the regex names: "https://evilexample.com".
  std::string origin;
  // The atom that lets it through, as offsets into the regex text.
  size_t offset = 0;
  size_t length = 0;
  // True for a lone unescaped "." (not repeated): escaping it is the fix.
  bool lone_dot = false;
};

// The look-alikes of `regex`, at most one per atom, in text order.
//
// For each "wild" atom (`.`, or a class that holds both "." and a letter,
// alone or repeated), the analysis builds a sample origin from the regex in
// which that atom takes a look-alike filler ("x" or "-" for a lone dot;
// "evil", ".evil.net"... for a repeated one) and every other atom its plain
// reading (a lone `.` a dot). The sample is reported when it is a canonical
// origin, RE2 matches it in full, its host ends in a suffix of the Public
// Suffix List, and its registrable domain differs from the one the regex
// reads as (the same sample with the atom at its plain reading).
std::vector<LookAlike> FindLookAlikes(std::string_view regex);

// The plain patterns that together match exactly the canonical origins the
// regex matches, when the regex has one of these shapes (anchors optional):
//
//   scheme://host                    -> "scheme://host"
//   scheme://(.+|.*)\.host           -> "scheme://*.host"
//   scheme://(.+\.)?host             -> "scheme://host", "scheme://*.host"
//   ... followed by :PORT            -> ":PORT" on each
//   ... followed by (:[0-9]+)?       -> ":*" on each (any port, or none)
//
// On canonical origins `.+` before `\.host` can only be labels, so the
// forms are equivalent; each result is also checked on probe origins.
// nullopt otherwise.
std::optional<std::vector<std::string>> EquivalentPatterns(std::string_view regex);

// For `scheme://L+\.host` where L is a class of label characters without
// ".": the subdomain wildcard "scheme://*.host" (with the same port part),
// which matches the same one-label names and also deeper ones. nullopt
// otherwise.
std::optional<std::string> SingleLabelWildcard(std::string_view regex);

// The registrable domain of a host: one label above its public suffix (the
// Public Suffix List, with its implicit "*" rule), or the host itself when
// it is a public suffix. Leading and trailing dots are ignored. Exposed for
// tests.
std::string RegistrableDomain(std::string_view host);

}  // namespace corsc

#endif  // CORSC_COMPILER_REGEX_ANALYSIS_H_
