// Copyright corsc developers.
//
// Route path patterns ("/api/v1/users/{id}", "/public/**"), shared by the
// compiler (validation, duplicate shapes) and the table builder.
//
//   pattern  = "/" segment *( "/" segment )
//   segment  = literal          matches itself, byte for byte (may be empty)
//            / "{" name "}"     exactly one non-empty segment
//            / "*"              the same, unnamed
//            / "**"             zero or more segments; only as the last one
//   name     = ( ALPHA / "_" ) *( ALPHA / DIGIT / "_" )
//   literal  = *( printable ASCII except "{" "}" "*" "?" "#" "/" )
//
// A trailing slash makes one more, empty, segment: "/a/" is ["a", ""].

#ifndef CORSC_PATH_PATTERN_H_
#define CORSC_PATH_PATTERN_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace corsc {

enum class SegmentKind : uint8_t {
  kLiteral = 0,
  kParam = 1,     // "{name}" or "*"
  kGlobstar = 2,  // "**"
};

struct PathSegment {
  SegmentKind kind = SegmentKind::kLiteral;
  std::string_view text;  // literal text, param name, "*" or "**"
  size_t offset = 0;      // byte offset of the segment in the pattern
};

struct PathPatternError {
  size_t offset = 0;    // byte offset in the pattern of the offending part
  std::string message;  // "'**' must be the last segment"
};

// Parses a path pattern; the segments view `pattern`.
std::variant<std::vector<PathSegment>, PathPatternError> ParsePathPattern(std::string_view pattern);

// The shape of a parsed pattern: params written as "{}", so that "/a/{x}"
// and "/a/{y}" (and "/a/*") have the same shape "/a/{}".
std::string PathShape(const std::vector<PathSegment>& segments);

}  // namespace corsc

#endif  // CORSC_PATH_PATTERN_H_
