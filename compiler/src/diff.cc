// Copyright corsc developers.
//
// Diff(): the semantic difference in access between two tables. The rules
// are in corsc/diff.h and docs/diff.md; this file is organized as the three
// steps there:
//
//   PathClasses   one path per class of paths that the route patterns of
//                 both tables treat alike
//   RouteOf       which route each table gives such a path (Evaluate)
//   Comparison    one (old route, new route) pair, field by field
//
// Path classes. Whether a pattern matches a path depends, segment by
// segment, only on which literal of the patterns the segment equals (or
// none), whether it is empty, and where the path ends. Walking the paths
// one segment at a time, the state that decides every later step is the
// set of (pattern, segments matched so far) pairs still alive plus the set
// of patterns whose "**" has been reached (they match any rest). Two paths
// that reach the same state are matched by the same patterns, whatever
// follows, so the walk visits each state once: a breadth-first search over
// states (the subset construction of the patterns' automaton), trying at
// each state every literal some alive pattern expects next, one segment no
// literal names ("*": literals never contain '*'), and the empty segment.
// Which route wins among the patterns that match depends only on which
// patterns match, so one path per state is enough: the engine itself then
// decides that path, old and new, and no specificity rule is restated here.

#include "corsc/diff.h"

#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <unordered_set>
#include <utility>
#include <variant>

#include "corsc/origin.h"
#include "corsc/path_pattern.h"
#include "corsc/request.h"
#include "origin_coverage.h"
#include "text.h"

namespace corsc {

std::string_view ChangeKindName(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kWiden:
      return "widen";
    case ChangeKind::kNarrow:
      return "narrow";
    case ChangeKind::kChange:
      return "change";
  }
  return "change";
}

std::string_view DiffFieldName(DiffField field) {
  switch (field) {
    case DiffField::kRoute:
      return "route";
    case DiffField::kOrigins:
      return "origins";
    case DiffField::kMethods:
      return "methods";
    case DiffField::kAllowHeaders:
      return "allow_headers";
    case DiffField::kExposeHeaders:
      return "expose_headers";
    case DiffField::kCredentials:
      return "credentials";
    case DiffField::kPrivateNetwork:
      return "private_network";
    case DiffField::kMaxAge:
      return "max_age";
    case DiffField::kPreflightStatus:
      return "preflight_status";
  }
  return "route";
}

namespace {

// ---------------------------------------------------------------- paths

// A segment that no literal equals: literals never hold '*'
// (corsc/path_pattern.h), and a param matches it (it is not empty).
constexpr std::string_view kOtherSegment = "*";
// A path that does not start with "/": it reaches the catch-all route only
// (docs/decisions.md D7).
constexpr std::string_view kNoSlashPath = "*";

struct Segment {
  SegmentKind kind = SegmentKind::kLiteral;
  std::string text;
};
using Pattern = std::vector<Segment>;

// The route patterns of both tables, one per shape (parameter names do not
// change what a pattern matches).
std::vector<Pattern> DistinctPatterns(const TableSpec& a, const TableSpec& b) {
  std::map<std::string, Pattern> by_shape;
  for (const TableSpec* spec : {&a, &b}) {
    for (const RouteSpec& route : spec->routes) {
      if (route.catch_all) continue;
      auto parsed = ParsePathPattern(route.pattern);
      const auto* segments = std::get_if<std::vector<PathSegment>>(&parsed);
      if (segments == nullptr) continue;  // not expected: the table verified it
      std::string shape = PathShape(*segments);
      if (by_shape.count(shape) != 0) continue;
      Pattern p;
      for (const PathSegment& s : *segments) p.push_back({s.kind, std::string(s.text)});
      by_shape.emplace(std::move(shape), std::move(p));
    }
  }
  std::vector<Pattern> out;
  for (auto& [shape, pattern] : by_shape) out.push_back(std::move(pattern));
  return out;
}

// Where the walk stands after some segments of a path. An alive entry is
// (pattern << 8 | segments matched); a pattern has at most 65 segments
// (docs/decisions.md D31), so 8 bits hold the count.
struct WalkState {
  std::vector<uint32_t> alive;
  std::vector<uint32_t> absorbed;  // patterns whose "**" was reached
  std::string path;
};

constexpr uint32_t kMaxPatterns = uint32_t{1} << 24;
static_assert(kMaxRouteSegments + 1 < 256, "a segment count must fit the entry's low 8 bits");

uint32_t PatternOf(uint32_t entry) { return entry >> 8; }
uint32_t MatchedOf(uint32_t entry) { return entry & 0xff; }

// Records that `pattern` matched its first `matched` segments: alive, or
// absorbed when the next segment is "**".
void Reach(const std::vector<Pattern>& patterns, uint32_t pattern, uint32_t matched,
           WalkState* state) {
  const Pattern& p = patterns[pattern];
  if (matched < p.size() && p[matched].kind == SegmentKind::kGlobstar) {
    state->absorbed.push_back(pattern);
  } else {
    state->alive.push_back(pattern << 8 | matched);
  }
}

void Normalize(WalkState* state) {
  for (std::vector<uint32_t>* v : {&state->alive, &state->absorbed}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }
}

std::string StateKey(const WalkState& state) {
  std::string key;
  key.reserve(4 * (state.alive.size() + state.absorbed.size() + 1));
  auto put = [&key](uint32_t v) { key.append(reinterpret_cast<const char*>(&v), sizeof v); };
  for (uint32_t v : state.alive) put(v);
  put(~uint32_t{0});
  for (uint32_t v : state.absorbed) put(v);
  return key;
}

// One path per class (see the top of this file), breadth first: the first
// path of a class is one of its shortest. The path of the catch-all-only
// class of paths without "/" comes last.
Result<std::vector<std::string>> PathClasses(const std::vector<Pattern>& patterns,
                                             size_t max_classes) {
  if (patterns.size() >= kMaxPatterns) {
    return Status::InvalidArgument("too many route patterns to compare");
  }
  WalkState start;
  for (uint32_t p = 0; p < patterns.size(); ++p) Reach(patterns, p, 0, &start);
  Normalize(&start);

  std::vector<std::string> paths;
  std::unordered_set<std::string> seen;
  std::deque<WalkState> queue;
  queue.push_back(std::move(start));  // no path yet: "/" has one segment
  while (!queue.empty()) {
    WalkState state = std::move(queue.front());
    queue.pop_front();

    // The alive patterns by what they expect next: a literal, or a param
    // (which takes any non-empty segment).
    std::map<std::string_view, std::vector<uint32_t>> by_literal;
    std::vector<uint32_t> params;
    for (uint32_t e : state.alive) {
      const Pattern& p = patterns[PatternOf(e)];
      if (MatchedOf(e) >= p.size()) continue;  // ended here: a longer path leaves it
      const Segment& s = p[MatchedOf(e)];
      if (s.kind == SegmentKind::kLiteral) {
        by_literal[s.text].push_back(e);
      } else {
        params.push_back(e);
      }
    }
    const std::vector<uint32_t> none;
    std::vector<std::pair<std::string_view, const std::vector<uint32_t>*>> next;
    for (const auto& [literal, entries] : by_literal) next.emplace_back(literal, &entries);
    next.emplace_back(kOtherSegment, &none);
    if (by_literal.count("") == 0) next.emplace_back("", &none);

    for (const auto& [segment, literal_entries] : next) {
      WalkState child;
      child.absorbed = state.absorbed;
      for (uint32_t e : *literal_entries) Reach(patterns, PatternOf(e), MatchedOf(e) + 1, &child);
      if (!segment.empty()) {
        for (uint32_t e : params) Reach(patterns, PatternOf(e), MatchedOf(e) + 1, &child);
      }
      Normalize(&child);
      if (!seen.insert(StateKey(child)).second) continue;
      if (seen.size() > max_classes) {
        return Status::InvalidArgument("the route patterns make more than " +
                                       std::to_string(max_classes) +
                                       " classes of paths to compare");
      }
      child.path = state.path + "/" + std::string(segment);
      paths.push_back(child.path);
      // A longer path changes the state while any pattern is alive: one
      // that expects a segment takes it or dies, and one that has ended
      // dies (then only the "**" patterns match, a class of its own). With
      // none alive, every longer path is in this class.
      if (!child.alive.empty()) queue.push_back(std::move(child));
    }
  }
  paths.emplace_back(kNoSlashPath);
  return paths;
}

// The route `table` gives `path` (a not-cors request is routed like any
// other), or kNoRule.
RuleId RouteOf(const CompiledTable& table, std::string_view path) {
  RequestBuilder b("GET", path);
  return table.Evaluate(b.request()).route;
}

// ---------------------------------------------------------------- origins

// One origin list of one table, as the patterns OriginCoverage indexes:
// asking whether it matches an origin, or covers a pattern, costs a few
// hash lookups (plus the regexes: one RE2::Set match, or one match per
// regex when the set is too large for RE2), so lists of 100,000 origins
// are compared as fast as short ones.
class RuleList {
 public:
  RuleList(const TableSpec& spec, uint32_t set) {
    if (set < spec.origin_sets.size()) {
      for (RuleId id : spec.origin_sets[set].rules) {
        if (id >= spec.origin_rules.size()) continue;
        const OriginRuleSpec& r = spec.origin_rules[id];
        rules_.push_back(&r);
        // The pattern lower.cc made the rule from (what is matched of it).
        OriginPattern& p = patterns_.emplace_back();
        p.kind = r.kind;
        p.canonical = r.text;
        p.scheme = r.scheme;
        p.host = r.host;
        p.port = r.port;
      }
    }
    coverage_ = std::make_unique<OriginCoverage>(patterns_);
  }
  RuleList(const RuleList&) = delete;
  RuleList& operator=(const RuleList&) = delete;

  bool empty() const { return rules_.empty(); }
  bool any() const { return coverage_->has_star(); }
  bool has_regex() const {
    return std::any_of(rules_.begin(), rules_.end(),
                       [](const OriginRuleSpec* r) { return r->kind == OriginKind::kRegex; });
  }
  const std::vector<const OriginRuleSpec*>& rules() const { return rules_; }
  // patterns()[i] is rules()[i] as an OriginPattern.
  const std::vector<OriginPattern>& patterns() const { return patterns_; }

  // Whether one pattern of this list matches every origin `p` matches.
  bool Covers(const OriginPattern& p) const {
    return coverage_->Covering(p) != OriginCoverage::kNone;
  }

  // Whether the engine would let `origin` through this list; nullopt when
  // that is not known (a regex of the list could not be compiled).
  std::optional<bool> Matches(std::string_view origin) const { return coverage_->Matches(origin); }

  // The first of `origins` that this list is known to refuse, or "".
  // `*unknown`: whether it was not known for some origin tried before it.
  std::string FirstRefused(const std::vector<std::string>& origins, bool* unknown) const {
    *unknown = false;
    for (const std::string& o : origins) {
      std::optional<bool> m = Matches(o);
      if (!m) *unknown = true;
      if (m == false) return o;
    }
    return "";
  }

 private:
  std::vector<const OriginRuleSpec*> rules_;
  std::vector<OriginPattern> patterns_;  // indexed by coverage_: never changed
  std::unique_ptr<OriginCoverage> coverage_;
};

// Origins that `r` matches, to look for one that another list refuses: a
// few labels below a subdomain wildcard (`labels`), a few ports where any
// is allowed.
std::vector<std::string> SampleOrigins(const OriginRuleSpec& r,
                                       const std::vector<std::string>& labels) {
  std::vector<std::string> ports;  // "" for no port
  if (r.kind == OriginKind::kHostAnyPort || r.port == kAnyPort) {
    ports.push_back("");
    for (uint32_t p : {8080u, 3000u, 8443u, 1u, 65535u}) {
      if (p != DefaultPort(r.scheme)) ports.push_back(":" + std::to_string(p));
    }
  } else if (r.port != kNoPort) {
    ports.push_back(":" + std::to_string(r.port));
  } else {
    ports.push_back("");
  }
  std::vector<std::string> hosts;
  if (r.kind == OriginKind::kHostAnyPort) {
    hosts.push_back(r.host);
  } else {
    for (const std::string& label : labels) hosts.push_back(label + "." + r.host);
  }
  std::vector<std::string> out;
  for (const std::string& host : hosts) {
    for (const std::string& port : ports) out.push_back(r.scheme + "://" + host + port);
  }
  return out;
}

// Labels to try below a wildcard: short ones first (the examples people
// read), then labels a list is unlikely to name. A list without regexes
// that does not cover a wildcard names each label it matches below it one
// by one (exact origins, hosts with any port), so it refuses one of these
// unless it names them all.
const std::vector<std::string>& ShortLabels() {
  static const auto* labels = new std::vector<std::string>{"a", "b", "c", "x", "y", "z", "a.b"};
  return *labels;
}
const std::vector<std::string>& UnlikelyLabels() {
  static const auto* labels = [] {
    auto* v = new std::vector<std::string>{"unlisted"};
    for (int i = 2; i <= 32; ++i) v->push_back("unlisted-" + std::to_string(i));
    return v;
  }();
  return *labels;
}

// Origins only "*" is sure to match; the last one is not canonical, so no
// other kind of pattern matches it.
const std::vector<std::string>& AnyOriginSamples() {
  static const auto* samples =
      new std::vector<std::string>{"https://unlisted.example", "null", "https://Unlisted.example"};
  return *samples;
}

struct Coverage {
  bool covered = false;
  bool proven = true;   // when not covered: an origin shows it
  std::string example;  // when not covered: an origin `by` refuses
  std::string note;
};

// Whether `by` matches every origin that `r` (as the pattern `p`) matches.
Coverage Cover(const RuleList& by, const OriginRuleSpec& r, const OriginPattern& p) {
  Coverage c;
  if (by.any()) {
    c.covered = true;
    return c;
  }
  bool unknown = false;
  switch (r.kind) {
    case OriginKind::kAny:
      c.example = by.FirstRefused(AnyOriginSamples(), &unknown);
      c.note = "any origin";
      break;
    case OriginKind::kExact: {
      const std::optional<bool> matched = by.Matches(r.text);
      c.covered = matched.value_or(false);
      c.example = r.text;
      if (!matched) {
        // Not shown either way: a widening no origin proves (D42).
        c.proven = false;
        c.note = "unproven: a regex of the other list could not be compiled";
      }
      break;
    }
    case OriginKind::kHostAnyPort:
    case OriginKind::kSubdomain:
      c.covered = by.Covers(p);
      if (!c.covered) {
        c.example = by.FirstRefused(SampleOrigins(r, ShortLabels()), &unknown);
        if (c.example.empty() && !unknown) {
          c.example = by.FirstRefused(SampleOrigins(r, UnlikelyLabels()), &unknown);
        }
        if (c.example.empty()) {
          c.proven = false;
          c.note = unknown         ? "unproven: a regex of the other list could not be compiled"
                   : by.has_regex() ? "unproven: the other list matches every example origin "
                                      "tried (regexes are compared by their text)"
                                    : "unproven: the other list matches every example origin "
                                      "tried";
        }
      }
      break;
    case OriginKind::kRegex:
      c.covered = by.Covers(p);
      if (!c.covered) {
        c.proven = false;
        c.note = "unproven: a regex is covered only by the same regex or \"*\"";
      }
      break;
  }
  return c;
}

// ---------------------------------------------------------------- comparison

// Lists in notes stop after this many items ("... and N more").
constexpr size_t kJoinLimit = 8;

bool HasStar(const std::vector<std::string>& items) {
  return std::find(items.begin(), items.end(), "*") != items.end();
}

// One table's side of a comparison.
struct Side {
  const TableSpec* spec = nullptr;
  const RouteSpec* route = nullptr;   // null: no route
  const RuleList* origins = nullptr;  // the route's list (empty for no route)
};

// The origin changes between two origin sets, computed once per pair of
// sets: routes that inherit one list share one set.
using OriginChangeCache = std::map<std::pair<uint32_t, uint32_t>, std::vector<Change>>;

class Comparison {
 public:
  Comparison(Side old_side, Side new_side, OriginChangeCache* origin_cache, RouteDiff* out)
      : old_(old_side), new_(new_side), origin_cache_(origin_cache), out_(out) {}

  void Run() {
    const RuleList& old_list = *old_.origins;
    const RuleList& new_list = *new_.origins;
    // A route allows nothing without an origin or a method (a not-cors
    // request is never refused, and gains nothing from CORS headers).
    const bool old_open =
        old_.route != nullptr && !old_list.empty() && !old_.route->methods.empty();
    const bool new_open =
        new_.route != nullptr && !new_list.empty() && !new_.route->methods.empty();
    if (!old_open && !new_open) return;
    if (!old_open || !new_open) {
      CompareOpening(old_open, old_open ? old_list : new_list);
      return;
    }
    const RouteSpec& o = *old_.route;
    const RouteSpec& n = *new_.route;
    auto [cached, fresh] = origin_cache_->try_emplace({o.origin_set, n.origin_set});
    if (fresh) cached->second = CompareOrigins(old_list, new_list);
    for (const Change& c : cached->second) Add(c);
    CompareSet(DiffField::kMethods, "method", o.methods, n.methods, /*fold_case=*/false);
    CompareSet(DiffField::kAllowHeaders, "request header", o.allow_headers, n.allow_headers,
               /*fold_case=*/true);
    CompareSet(DiffField::kExposeHeaders, "response header", o.expose_headers, n.expose_headers,
               /*fold_case=*/true);
    CompareFlag(DiffField::kCredentials, o.credentials, n.credentials);
    CompareFlag(DiffField::kPrivateNetwork, o.private_network, n.private_network);
    auto age = [](const std::optional<uint32_t>& v) {
      return v ? std::to_string(*v) : std::string("none");
    };
    if (o.max_age != n.max_age) Scalar(DiffField::kMaxAge, age(o.max_age), age(n.max_age));
    if (o.preflight_status != n.preflight_status) {
      Scalar(DiffField::kPreflightStatus, std::to_string(o.preflight_status),
             std::to_string(n.preflight_status));
    }
  }

 private:
  // The paths gained CORS (the old side is closed) or lost it.
  void CompareOpening(bool old_open, const RuleList& open_list) {
    const Side& open = old_open ? old_ : new_;
    const Side& closed = old_open ? new_ : old_;
    Change c = At(DiffField::kRoute, old_open ? ChangeKind::kNarrow : ChangeKind::kWiden, open,
                  open.route->where);
    c.value = open.route->pattern;
    std::vector<std::string> origins;
    for (const OriginRuleSpec* r : open_list.rules()) origins.push_back(r->text);
    std::string was = "no route";
    if (closed.route != nullptr) {
      was = "route " + closed.route->pattern +
            (closed.route->methods.empty() ? " with methods = []" : " with origins = []");
    }
    c.note = old_open
                 ? "CORS closed: " + was + " now; origins were " + text::Join(origins, kJoinLimit)
                 : "CORS opened: " + was + " before; origins " + text::Join(origins, kJoinLimit);
    Add(std::move(c));
  }

  std::vector<Change> CompareOrigins(const RuleList& old_list, const RuleList& new_list) const {
    std::vector<Change> out;
    // Narrowings, then widenings; an entry written twice is reported once.
    for (bool widen : {false, true}) {
      const RuleList& from = widen ? new_list : old_list;
      const RuleList& by = widen ? old_list : new_list;
      const Side& side = widen ? new_ : old_;
      std::set<std::pair<OriginKind, std::string_view>> done;
      for (size_t i = 0; i < from.rules().size(); ++i) {
        const OriginRuleSpec* r = from.rules()[i];
        if (from.any() && r->kind != OriginKind::kAny) continue;  // "*" says it all
        if (!done.insert({r->kind, r->text}).second) continue;
        Coverage cov = Cover(by, *r, from.patterns()[i]);
        if (cov.covered) continue;
        Change c = At(DiffField::kOrigins, widen ? ChangeKind::kWiden : ChangeKind::kNarrow, side,
                      r->where);
        c.value = r->text;
        c.regex = r->kind == OriginKind::kRegex;
        c.example = cov.example == r->text ? "" : cov.example;
        c.proven = cov.proven;
        c.note = cov.note;
        out.push_back(std::move(c));
      }
    }
    return out;
  }

  void CompareSet(DiffField field, std::string_view noun, const std::vector<std::string>& old_items,
                  const std::vector<std::string>& new_items, bool fold_case) {
    const bool old_any = HasStar(old_items);
    const bool new_any = HasStar(new_items);
    if (old_any && new_any) return;
    if (old_any || new_any) {
      // "*" against a list: the list is what remains on the other side.
      const bool widen = new_any;
      Change c = At(field, widen ? ChangeKind::kWiden : ChangeKind::kNarrow, widen ? new_ : old_,
                    (widen ? new_ : old_).route->where);
      c.value = "*";
      c.note = "any " + std::string(noun) + (widen ? "; before, only " : "; now only ") +
               text::Join(widen ? old_items : new_items, kJoinLimit);
      Add(std::move(c));
      return;
    }
    auto key = [fold_case](const std::string& s) { return fold_case ? text::ToLowerAscii(s) : s; };
    for (bool widen : {false, true}) {
      const std::vector<std::string>& from = widen ? new_items : old_items;
      const std::vector<std::string>& other = widen ? old_items : new_items;
      std::set<std::string> present;
      for (const std::string& s : other) present.insert(key(s));
      std::set<std::string> done;
      for (const std::string& s : from) {
        if (present.count(key(s)) != 0 || !done.insert(key(s)).second) continue;
        const Side& side = widen ? new_ : old_;
        Change c =
            At(field, widen ? ChangeKind::kWiden : ChangeKind::kNarrow, side, side.route->where);
        c.value = s;
        Add(std::move(c));
      }
    }
  }

  void CompareFlag(DiffField field, bool old_value, bool new_value) {
    if (old_value == new_value) return;
    Change c =
        At(field, new_value ? ChangeKind::kWiden : ChangeKind::kNarrow, new_, new_.route->where);
    c.old_value = old_value ? "true" : "false";
    c.new_value = new_value ? "true" : "false";
    Add(std::move(c));
  }

  void Scalar(DiffField field, std::string old_value, std::string new_value) {
    Change c = At(field, ChangeKind::kChange, new_, new_.route->where);
    c.old_value = std::move(old_value);
    c.new_value = std::move(new_value);
    Add(std::move(c));
  }

  // A change located at `where` in `side`'s policy.
  static Change At(DiffField field, ChangeKind kind, const Side& side,
                   const SourceLocation& where) {
    Change c;
    c.field = field;
    c.kind = kind;
    if (where.line != 0 && where.file < side.spec->files.size()) {
      c.file = side.spec->files[where.file];
      c.line = where.line;
      c.column = where.column;
    }
    return c;
  }

  void Add(Change c) { out_->changes.push_back(std::move(c)); }

  Side old_;
  Side new_;
  OriginChangeCache* origin_cache_;
  RouteDiff* out_;
};

// The shape of a route ("/a/{}"), to tell a route that kept its pattern
// from one the paths moved to; "" for no route.
std::string ShapeOf(const RouteSpec* route) {
  if (route == nullptr) return "";
  if (route->catch_all) return "[defaults]";
  auto parsed = ParsePathPattern(route->pattern);
  const auto* segments = std::get_if<std::vector<PathSegment>>(&parsed);
  return segments == nullptr ? route->pattern : PathShape(*segments);
}

const RouteSpec* RouteById(const TableSpec& spec, RuleId id) {
  return id < spec.routes.size() ? &spec.routes[id] : nullptr;
}

}  // namespace

Result<DiffResult> Diff(const CompiledTable& old_table, const CompiledTable& new_table,
                        const DiffOptions& options) {
  const TableSpec old_spec = old_table.Describe();
  const TableSpec new_spec = new_table.Describe();

  Result<std::vector<std::string>> paths =
      PathClasses(DistinctPatterns(old_spec, new_spec), options.max_path_classes);
  if (!paths.ok()) return paths.status();

  // Each (old route, new route) pair once, with the first (shortest) path
  // that reaches it.
  std::map<std::pair<RuleId, RuleId>, std::string> pairs;
  for (const std::string& path : *paths) {
    pairs.emplace(std::make_pair(RouteOf(old_table, path), RouteOf(new_table, path)), path);
  }

  // Each origin set's index, built once (a set is shared by the routes
  // that inherit one list).
  std::map<std::pair<const TableSpec*, uint32_t>, std::unique_ptr<RuleList>> lists;
  auto side = [&](const TableSpec& spec, RuleId id) {
    Side s{&spec, RouteById(spec, id), nullptr};
    const uint32_t set = s.route == nullptr ? UINT32_MAX : s.route->origin_set;
    std::unique_ptr<RuleList>& list = lists[{&spec, set}];
    if (list == nullptr) list = std::make_unique<RuleList>(spec, set);
    s.origins = list.get();
    return s;
  };
  OriginChangeCache origin_changes;

  DiffResult result;
  for (const auto& [ids, path] : pairs) {
    RouteDiff d;
    const Side old_side = side(old_spec, ids.first);
    const Side new_side = side(new_spec, ids.second);
    if (old_side.route != nullptr) d.old_route = old_side.route->pattern;
    if (new_side.route != nullptr) d.new_route = new_side.route->pattern;
    d.moved = old_side.route == nullptr || new_side.route == nullptr ||
              ShapeOf(old_side.route) != ShapeOf(new_side.route);
    d.example_path = path;
    Comparison(old_side, new_side, &origin_changes, &d).Run();
    if (d.changes.empty()) continue;
    for (const Change& c : d.changes) {
      switch (c.kind) {
        case ChangeKind::kWiden:
          ++result.widenings;
          break;
        case ChangeKind::kNarrow:
          ++result.narrowings;
          break;
        case ChangeKind::kChange:
          ++result.other_changes;
          break;
      }
    }
    result.routes.push_back(std::move(d));
  }
  auto order = [](const RouteDiff& d) {
    return std::tie(d.new_route.empty() ? d.old_route : d.new_route, d.old_route, d.example_path);
  };
  std::stable_sort(result.routes.begin(), result.routes.end(),
                   [&](const RouteDiff& a, const RouteDiff& b) { return order(a) < order(b); });
  return result;
}

Result<DiffResult> Diff(const TableSpec& old_spec, const TableSpec& new_spec,
                        const DiffOptions& options) {
  Result<std::shared_ptr<const CompiledTable>> old_table = CompiledTable::FromSpec(old_spec);
  if (!old_table.ok()) return Status::InvalidArgument("old: " + old_table.status().message());
  Result<std::shared_ptr<const CompiledTable>> new_table = CompiledTable::FromSpec(new_spec);
  if (!new_table.ok()) return Status::InvalidArgument("new: " + new_table.status().message());
  return Diff(**old_table, **new_table, options);
}

}  // namespace corsc
