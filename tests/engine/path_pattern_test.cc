// Copyright corsc developers.
//
// Route path patterns (corsc/path_pattern.h), table-driven.

#include "corsc/path_pattern.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace corsc {
namespace {

// Segments written as text: literals as is, params as "{name}" (or "*"),
// the globstar as "**".
std::vector<std::string> Render(const std::vector<PathSegment>& segments) {
  std::vector<std::string> out;
  for (const PathSegment& s : segments) {
    switch (s.kind) {
      case SegmentKind::kLiteral:
        out.push_back("lit:" + std::string(s.text));
        break;
      case SegmentKind::kParam:
        out.push_back("param:" + std::string(s.text));
        break;
      case SegmentKind::kGlobstar:
        out.push_back("**");
        break;
    }
  }
  return out;
}

struct AcceptCase {
  const char* pattern;
  std::vector<std::string> segments;
  const char* shape;
};

TEST(ParsePathPattern, Accepts) {
  const AcceptCase kCases[] = {
      {"/", {"lit:"}, "/"},
      {"/a", {"lit:a"}, "/a"},
      {"/a/", {"lit:a", "lit:"}, "/a/"},
      {"/a//b", {"lit:a", "lit:", "lit:b"}, "/a//b"},
      {"/api/v1/users/{id}", {"lit:api", "lit:v1", "lit:users", "param:id"}, "/api/v1/users/{}"},
      {"/a/*", {"lit:a", "param:*"}, "/a/{}"},
      {"/a/{_x1}/c", {"lit:a", "param:_x1", "lit:c"}, "/a/{}/c"},
      {"/**", {"**"}, "/**"},
      {"/public/**", {"lit:public", "**"}, "/public/**"},
      {"/p/{x}/**", {"lit:p", "param:x", "**"}, "/p/{}/**"},
      {"/a.b/c-d/~e/%41/:x/@y",
       {"lit:a.b", "lit:c-d", "lit:~e", "lit:%41", "lit::x", "lit:@y"},
       "/a.b/c-d/~e/%41/:x/@y"},
  };
  for (const AcceptCase& c : kCases) {
    auto parsed = ParsePathPattern(c.pattern);
    ASSERT_TRUE(std::holds_alternative<std::vector<PathSegment>>(parsed))
        << c.pattern << ": " << std::get<PathPatternError>(parsed).message;
    const auto& segments = std::get<std::vector<PathSegment>>(parsed);
    EXPECT_EQ(Render(segments), c.segments) << c.pattern;
    EXPECT_EQ(PathShape(segments), c.shape) << c.pattern;
  }
}

struct RejectCase {
  const char* pattern;
  size_t offset;
};

TEST(ParsePathPattern, Rejects) {
  const RejectCase kCases[] = {
      {"", 0},        {"a/b", 0},       {"/a?b", 2},    {"/a#b", 2},   {"/a b", 2},
      {"/a\tb", 2},   {"/\xc3\xa9", 1}, {"/a/**/b", 3}, {"/**/**", 1}, {"/a/{}", 3},
      {"/a/{1x}", 4}, {"/a/{x-y}", 4},  {"/a/{x", 3},   {"/a/x}", 4},  {"/a/{x}/{x}", 7},
      {"/a*", 2},     {"/a/b*c", 4},    {"/a/***", 3},
  };
  for (const RejectCase& c : kCases) {
    auto parsed = ParsePathPattern(c.pattern);
    ASSERT_TRUE(std::holds_alternative<PathPatternError>(parsed)) << c.pattern;
    EXPECT_EQ(std::get<PathPatternError>(parsed).offset, c.offset) << c.pattern;
    EXPECT_FALSE(std::get<PathPatternError>(parsed).message.empty());
  }
}

TEST(PathShape, ParamsOfOneShapeAgree) {
  auto shape = [](const char* p) {
    return PathShape(std::get<std::vector<PathSegment>>(ParsePathPattern(p)));
  };
  EXPECT_EQ(shape("/a/{x}"), shape("/a/{y}"));
  EXPECT_EQ(shape("/a/{x}"), shape("/a/*"));
  EXPECT_NE(shape("/a/{x}"), shape("/a/{x}/**"));
  EXPECT_NE(shape("/a/{x}"), shape("/a/x"));
}

}  // namespace
}  // namespace corsc
