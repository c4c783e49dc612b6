// Copyright corsc developers.

#include "corsc/path_pattern.h"

#include <algorithm>

namespace corsc {
namespace {

bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

PathPatternError Error(size_t offset, std::string message) {
  return PathPatternError{offset, std::move(message)};
}

}  // namespace

std::variant<std::vector<PathSegment>, PathPatternError> ParsePathPattern(
    std::string_view pattern) {
  if (pattern.empty() || pattern[0] != '/') {
    return Error(0, "a path pattern must start with '/'");
  }
  for (size_t i = 0; i < pattern.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(pattern[i]);
    if (c == '?' || c == '#') {
      return Error(i, "a path pattern has no query or fragment: '" + std::string(1, pattern[i]) +
                          "' is not allowed");
    }
    if (c <= 0x20 || c >= 0x7f) {
      return Error(i, c >= 0x80 ? "a path pattern must be ASCII: percent-encode it as "
                                  "the router sees it"
                                : "a path pattern may not hold spaces or control "
                                  "characters");
    }
  }

  std::vector<PathSegment> segments;
  size_t start = 1;
  while (true) {
    size_t slash = pattern.find('/', start);
    size_t end = slash == std::string_view::npos ? pattern.size() : slash;
    std::string_view text = pattern.substr(start, end - start);
    PathSegment seg{SegmentKind::kLiteral, text, start};
    if (text == "**") {
      seg.kind = SegmentKind::kGlobstar;
    } else if (text == "*") {
      seg.kind = SegmentKind::kParam;
    } else if (!text.empty() && text.front() == '{') {
      if (text.size() < 2 || text.back() != '}') {
        return Error(start,
                     "'{' opens a parameter that must be a whole segment "
                     "ending in '}': \"" +
                         std::string(text) + "\"");
      }
      std::string_view name = text.substr(1, text.size() - 2);
      if (name.empty()) return Error(start, "a parameter needs a name: \"{}\"");
      if (!IsNameStart(name[0]) || !std::all_of(name.begin(), name.end(), IsNameChar)) {
        return Error(start + 1, "parameter name \"" + std::string(name) +
                                    "\" must be letters, digits and '_', "
                                    "not starting with a digit");
      }
      seg.kind = SegmentKind::kParam;
      seg.text = name;
      for (const PathSegment& prev : segments) {
        if (prev.kind == SegmentKind::kParam && prev.text == name) {
          return Error(start,
                       "parameter name \"" + std::string(name) + "\" is used twice in one pattern");
        }
      }
    } else {
      size_t bad = text.find_first_of("{}*");
      if (bad != std::string_view::npos) {
        return Error(start + bad, std::string("'") + text[bad] +
                                      "' may only stand as a whole segment (\"{name}\", \"*\", "
                                      "\"**\"), not inside \"" +
                                      std::string(text) + "\"");
      }
    }
    if (!segments.empty() && segments.back().kind == SegmentKind::kGlobstar) {
      return Error(segments.back().offset, "'**' must be the last segment");
    }
    segments.push_back(seg);
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return segments;
}

std::string PathShape(const std::vector<PathSegment>& segments) {
  std::string shape;
  for (const PathSegment& seg : segments) {
    shape += '/';
    switch (seg.kind) {
      case SegmentKind::kLiteral:
        shape += seg.text;
        break;
      case SegmentKind::kParam:
        shape += "{}";
        break;
      case SegmentKind::kGlobstar:
        shape += "**";
        break;
    }
  }
  return shape;
}

}  // namespace corsc
