// Copyright corsc developers.
//
// Route patterns as sets of paths, for the route rules of the linter
// (CORS130-132, CORS140): which of two patterns wins a path both match,
// whether two patterns share a path, and whether more specific patterns
// take every path of a route.
//
// The spec's order ("compare segment by segment from the left; a literal
// beats {name}/*, which beats **; a pattern that ends where the path ends
// beats one that goes on with **") does not depend on the path: for two
// patterns that both match some path, the winner is the one whose rank
// sequence (literal 3, parameter 2, "**" 1, end 4) is larger. The
// reference evaluator of the tests uses the same ranks.

#ifndef CORSC_COMPILER_ROUTE_ANALYSIS_H_
#define CORSC_COMPILER_ROUTE_ANALYSIS_H_

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace corsc {

struct RouteShape {
  struct Segment {
    bool literal = true;
    std::string text;  // the literal; empty for a parameter
  };
  std::vector<Segment> fixed;  // the segments before "**", if any
  bool globstar = false;       // ends in "**"
  std::vector<int> rank;
};

// nullopt when `path` is not a valid pattern.
std::optional<RouteShape> ParseRouteShape(std::string_view path);

// Whether `a` wins over `b` on the paths both match.
bool MoreSpecific(const RouteShape& a, const RouteShape& b);

// Whether some path matches both.
bool Overlap(const RouteShape& a, const RouteShape& b);

// Whether the paths of `route` are all taken by `winners` (patterns that
// are MoreSpecific than it and overlap it): decided exactly by a walk over
// path prefixes, whose segments are told apart only as far as the
// patterns' literals do. The walk stops after `budget` steps with
// kUnknown; it needs at most (longest fixed part + 2) x (distinct literals
// + 2) steps per path class, so a few thousand suffice for real policies.
enum class Reach { kReachable, kUnreachable, kUnknown };
Reach Reachability(const RouteShape& route, std::span<const RouteShape* const> winners,
                   size_t budget);

}  // namespace corsc

#endif  // CORSC_COMPILER_ROUTE_ANALYSIS_H_
