// Copyright corsc developers.
//
// Stage 4, lint: the rules of the catalogue's lint section (codes 100 and
// above), run only when CompileOptions::lint asks for them.
//
// A rule is a function over LintInput (the files as written, the policy as
// resolved) that reports findings to a LintSink. To add one: write the
// function, give its code a catalogue entry in diagnostic.cc (and
// docs/lint-rules.md), and list it in kRules. Rules about how something is
// *written* (an origin's spelling, a max_age value) walk the files, so that
// every place is reported once, in every profile; rules about what a route
// *means* walk the resolved routes of the selected profile.
//
// Every finding goes through LintSink::Report, which gives it the
// catalogue's severity and keeps one finding per code and place: the place
// to apply severity overrides and inline suppressions when they come.

#include "lint.h"

#include <set>
#include <tuple>

#include "text.h"

namespace corsc {
namespace {

using text::Quote;

class LintSink {
 public:
  explicit LintSink(std::vector<Diagnostic>* out) : out_(out) {}

  void Report(Code code, const SourceRange& where, std::string message,
              std::optional<FixIt> fix = std::nullopt) {
    if (!seen_.insert({code, where.file, where.line, where.column}).second) return;
    Diagnostic d;
    d.code = code;
    d.severity = Info(code).severity;
    d.where = where;
    d.message = std::move(message);
    d.fix = std::move(fix);
    out_->push_back(std::move(d));
  }

 private:
  std::vector<Diagnostic>* out_;
  std::set<std::tuple<Code, std::string, uint32_t, uint32_t>> seen_;
};

struct LintRule {
  std::string_view name;
  void (*run)(const LintInput& input, LintSink* sink);
};

// Calls fn(const ast::Fields&) for every field table written in any file:
// [defaults], [[routes]], and every profile's defaults and routes.
template <typename Fn>
void ForEachFields(std::span<const ast::File> files, Fn fn) {
  for (const ast::File& file : files) {
    if (file.defaults) fn(file.defaults->fields);
    for (const ast::Route& route : file.routes) fn(route.fields);
    for (const ast::Profile& profile : file.profiles) {
      if (profile.defaults) fn(profile.defaults->fields);
      for (const ast::Route& route : profile.routes) fn(route.fields);
    }
  }
}

// Calls fn(const ast::OriginEntry&) for every valid origin entry written.
template <typename Fn>
void ForEachOrigin(std::span<const ast::File> files, Fn fn) {
  ForEachFields(files, [&](const ast::Fields& f) {
    for (const std::optional<ast::OriginList>* list : {&f.origins, &f.origins_add}) {
      if (!*list) continue;
      for (const ast::OriginEntry& entry : (*list)->entries) {
        if (entry.pattern) fn(entry);
      }
    }
  });
}

// CORS100: an origin not written as browsers send it. The engine compares
// canonical forms, so the policy works; the fix makes it say what it does.
void NonCanonicalOrigin(const LintInput& input, LintSink* sink) {
  ForEachOrigin(input.files, [&](const ast::OriginEntry& entry) {
    const OriginPattern& p = *entry.pattern;
    if (p.kind == OriginKind::kRegex || p.kind == OriginKind::kAny) return;
    if (p.canonical == entry.text.value) return;
    FixIt fix;
    fix.where = entry.text.Contents();
    fix.replacement = entry.text.verbatim ? p.canonical : Quote(p.canonical);
    sink->Report(Code::kNonCanonicalOrigin, entry.text.where,
                 "origin " + Quote(entry.text.value) + " is not in canonical form; browsers send " +
                     Quote(p.canonical),
                 std::move(fix));
  });
}

// CORS101: "null" admits sandboxed iframes and local files of any site.
void NullOrigin(const LintInput& input, LintSink* sink) {
  ForEachOrigin(input.files, [&](const ast::OriginEntry& entry) {
    if (entry.pattern->canonical != "null" || entry.pattern->kind != OriginKind::kExact) return;
    sink->Report(Code::kNullOrigin, entry.where,
                 "origin \"null\" is allowed: sandboxed iframes, local files and some "
                 "redirects of any site send it");
  });
}

// CORS107: "*" beside other patterns in one effective list: the list means
// "*" and the other patterns say nothing.
void StarMixed(const LintInput& input, LintSink* sink) {
  auto check = [&](const EffectiveRoute& route) {
    const OriginList& origins = route.origins.value;
    if (origins.size() < 2) return;
    for (const OriginPattern& p : origins) {
      if (p.kind != OriginKind::kAny) continue;
      sink->Report(Code::kStarMixed, p.where,
                   "origin \"*\" stands beside other patterns on " +
                       (route.catch_all ? std::string("the catch-all route [defaults]")
                                        : "route " + Quote(route.path)) +
                       ": the list allows every origin and the others add nothing");
    }
  };
  for (const EffectiveRoute& route : input.policy.routes) check(route);
  if (input.policy.catch_all) check(*input.policy.catch_all);
}

// CORS120/121: browsers cap the preflight cache; a longer max_age is not
// honoured (Chromium 7200 s, Firefox 86400 s). Only the stronger finding.
void MaxAgeCaps(const LintInput& input, LintSink* sink) {
  ForEachFields(input.files, [&](const ast::Fields& f) {
    if (!f.max_age) return;
    int64_t v = f.max_age->value;
    if (v > 86400) {
      sink->Report(Code::kMaxAgeAboveFirefox, f.max_age->where,
                   "max_age " + std::to_string(v) +
                       " is above 86400 seconds: Firefox caps it there, Chromium at 7200");
    } else if (v > 7200) {
      sink->Report(
          Code::kMaxAgeAboveChromium, f.max_age->where,
          "max_age " + std::to_string(v) + " is above 7200 seconds: Chromium caps it there");
    }
  });
}

constexpr LintRule kRules[] = {
    {"non-canonical-origin", NonCanonicalOrigin},
    {"null-origin", NullOrigin},
    {"star-mixed", StarMixed},
    {"max-age-caps", MaxAgeCaps},
};

}  // namespace

void Lint(const LintInput& input, std::vector<Diagnostic>* diagnostics) {
  LintSink sink(diagnostics);
  for (const LintRule& rule : kRules) rule.run(input, &sink);
}

}  // namespace corsc
