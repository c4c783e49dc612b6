// Copyright corsc developers.

#include "route_analysis.h"

#include <algorithm>
#include <variant>

#include "corsc/path_pattern.h"

namespace corsc {
namespace {

// One element of a pattern at a segment position: a fixed segment, the
// "**" tail, or the end of the pattern.
enum class Element { kSegment, kGlobstar, kEnd };

Element ElementAt(const RouteShape& s, size_t i) {
  if (i < s.fixed.size()) return Element::kSegment;
  return s.globstar ? Element::kGlobstar : Element::kEnd;
}

// A class of path segments: one literal (the empty segment included), or
// "any other non-empty segment", which no literal of the patterns names.
struct Symbol {
  bool literal = false;
  std::string text;
};

bool AcceptsEnd(const RouteShape& s, size_t m) {
  return s.globstar ? m >= s.fixed.size() : m == s.fixed.size();
}

bool Accepts(const RouteShape& s, size_t m, const Symbol& x) {
  if (m < s.fixed.size()) {
    const RouteShape::Segment& seg = s.fixed[m];
    if (seg.literal) return x.literal && x.text == seg.text;
    return !(x.literal && x.text.empty());  // a parameter needs a non-empty segment
  }
  return s.globstar;
}

class Walker {
 public:
  Walker(const RouteShape& route, size_t budget) : r_(route), budget_(budget) {}

  // kUnreachable when every path of the route with this prefix class is
  // taken by one of `alive` (the winners that match the prefix so far).
  Reach Walk(size_t m, const std::vector<const RouteShape*>& alive) {
    if (++steps_ > budget_) return Reach::kUnknown;
    // A path has at least one segment ("/" is one empty segment).
    if (m > 0 && AcceptsEnd(r_, m) &&
        std::none_of(alive.begin(), alive.end(),
                     [&](const RouteShape* s) { return AcceptsEnd(*s, m); })) {
      return Reach::kReachable;  // the path that ends here
    }
    const bool tail = m >= r_.fixed.size();
    if (tail && !r_.globstar) return Reach::kUnreachable;
    size_t longest = 0;
    for (const RouteShape* s : alive) longest = std::max(longest, s->fixed.size());
    if (tail && m > longest) {
      // Every winner still alive ends in "**" and takes any continuation.
      return alive.empty() ? Reach::kReachable : Reach::kUnreachable;
    }
    std::vector<Symbol> symbols;
    if (!tail && r_.fixed[m].literal) {
      symbols.push_back({true, r_.fixed[m].text});
    } else {
      for (const RouteShape* s : alive) {
        if (m >= s->fixed.size() || !s->fixed[m].literal) continue;
        const std::string& text = s->fixed[m].text;
        if (!tail && text.empty()) continue;  // the route's parameter refuses it
        if (std::none_of(symbols.begin(), symbols.end(),
                         [&](const Symbol& x) { return x.text == text; })) {
          symbols.push_back({true, text});
        }
      }
      symbols.push_back({false, ""});
      if (tail && std::none_of(symbols.begin(), symbols.end(),
                               [](const Symbol& x) { return x.literal && x.text.empty(); })) {
        symbols.push_back({true, ""});
      }
    }
    for (const Symbol& x : symbols) {
      std::vector<const RouteShape*> next;
      for (const RouteShape* s : alive) {
        if (Accepts(*s, m, x)) next.push_back(s);
      }
      // No winner left: the route takes this prefix, and some completion.
      if (next.empty()) return Reach::kReachable;
      Reach r = Walk(m + 1, next);
      if (r != Reach::kUnreachable) return r;
    }
    return Reach::kUnreachable;
  }

 private:
  const RouteShape& r_;
  size_t budget_;
  size_t steps_ = 0;
};

}  // namespace

std::optional<RouteShape> ParseRouteShape(std::string_view path) {
  auto parsed = ParsePathPattern(path);
  const auto* segments = std::get_if<std::vector<PathSegment>>(&parsed);
  if (segments == nullptr) return std::nullopt;
  RouteShape shape;
  for (const PathSegment& seg : *segments) {
    switch (seg.kind) {
      case SegmentKind::kLiteral:
        shape.fixed.push_back({true, std::string(seg.text)});
        shape.rank.push_back(3);
        break;
      case SegmentKind::kParam:
        shape.fixed.push_back({false, ""});
        shape.rank.push_back(2);
        break;
      case SegmentKind::kGlobstar:
        shape.globstar = true;
        break;
    }
  }
  shape.rank.push_back(shape.globstar ? 1 : 4);
  return shape;
}

bool MoreSpecific(const RouteShape& a, const RouteShape& b) { return a.rank > b.rank; }

bool Overlap(const RouteShape& a, const RouteShape& b) {
  for (size_t i = 0;; ++i) {
    Element ea = ElementAt(a, i), eb = ElementAt(b, i);
    if (ea == Element::kEnd || eb == Element::kEnd) {
      return ea != Element::kSegment && eb != Element::kSegment;
    }
    // "**" takes any rest, and a rest of fixed segments is always some path.
    if (ea == Element::kGlobstar || eb == Element::kGlobstar) return true;
    const RouteShape::Segment& sa = a.fixed[i];
    const RouteShape::Segment& sb = b.fixed[i];
    if (sa.literal && sb.literal && sa.text != sb.text) return false;
    if (sa.literal != sb.literal && (sa.literal ? sa.text : sb.text).empty()) return false;
  }
}

Reach Reachability(const RouteShape& route, std::span<const RouteShape* const> winners,
                   size_t budget) {
  Walker walker(route, budget);
  return walker.Walk(0, std::vector<const RouteShape*>(winners.begin(), winners.end()));
}

}  // namespace corsc
