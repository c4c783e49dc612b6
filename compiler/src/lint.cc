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
// *means* walk the resolved routes of the selected profile (D29).
//
// Every finding goes through LintSink::Report, which keeps one finding per
// code and place, drops what a `# corsc:ignore` comment names, and applies
// the severity overrides of the command line.
//
// Cost: every rule is linear in the size of the policy, or bounded. Origin
// lists are looked at once per list (routes share inherited lists), the
// covered-origin rule indexes each list (origin_coverage.h), regex analysis
// is bounded per regex (regex_analysis.h), and the route rules compare
// routes in pairs only up to kMaxLintedRoutes routes.

#include "lint.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "corsc/request.h"
#include "diagnostic_util.h"
#include "origin_coverage.h"
#include "regex_analysis.h"
#include "resolve.h"
#include "route_analysis.h"
#include "suppressions.h"
#include "text.h"

namespace corsc {
namespace {

using text::Quote;

class LintSink {
 public:
  LintSink(const LintInput& input, std::vector<Diagnostic>* out)
      : input_(input), out_(out), policy_has_errors_(HasErrors(*out)) {
    for (const SourceFile& source : input.sources) {
      for (const SuppressionComment& c : ScanSuppressions(source.text)) {
        auto& lines = suppressed_[source.path];
        for (Code code : c.codes) {
          lines[c.line].push_back(code);
          if (c.own_line) lines[c.line + 1].push_back(code);
        }
        for (const SuppressionComment::Problem& p : c.problems) {
          Report(Code::kInvalidSuppression, SourceRange{source.path, c.line, p.column, p.length},
                 p.message);
        }
      }
    }
  }

  // Whether the stages before lint found errors: rules about a policy that
  // works (CORS150) stay quiet then, so that the errors stand out (D47).
  bool policy_has_errors() const { return policy_has_errors_; }

  void Report(Code code, const SourceRange& where, std::string message,
              std::optional<FixIt> fix = std::nullopt, std::vector<Diagnostic::Note> notes = {}) {
    if (!seen_.insert({code, where.file, where.line, where.column}).second) return;
    if (Suppressed(code, where)) return;
    Severity severity = Info(code).severity;
    if (auto it = input_.options.severity_overrides.find(code);
        it != input_.options.severity_overrides.end()) {
      if (!it->second) return;  // --ignore
      severity = *it->second;
    }
    Diagnostic d;
    d.code = code;
    d.severity = severity;
    d.where = where;
    d.message = std::move(message);
    d.fix = std::move(fix);
    d.notes = std::move(notes);
    out_->push_back(std::move(d));
  }

  // The text of line `line` of `file`; empty when unknown.
  std::string_view Line(const std::string& file, uint32_t line) {
    const text::LineIndex* index = Index(file);
    if (index == nullptr || line == 0 || line > index->line_count()) return {};
    return index->Line(line);
  }

  // Where the bytes [offset, offset + length) of the string value `s` were
  // written, through the escapes and line breaks of its TOML token when it
  // is not verbatim (`\\.` in a basic string, a line of a '''...''' string);
  // nullopt when they cannot be told or do not sit on one line (D57).
  std::optional<SourceRange> StringPart(const ast::StringValue& s, size_t offset, size_t length) {
    if (s.verbatim) return s.Part(offset, length);
    const text::LineIndex* index = Index(s.where.file);
    if (index == nullptr || length == 0 || offset + length > s.value.size()) return std::nullopt;
    std::optional<size_t> open = index->Offset(s.where.line, s.where.column);
    if (!open) return std::nullopt;
    std::optional<std::vector<text::SourceSpan>> spans =
        text::TomlStringSources(Text(s.where.file), *open, s.value);
    if (!spans) return std::nullopt;
    const size_t begin = (*spans)[offset].begin, end = (*spans)[offset + length - 1].end;
    auto [line, column] = index->LineAndColumn(begin);
    if (index->LineAndColumn(end - 1).first != line) return std::nullopt;
    return SourceRange{s.where.file, line, column, static_cast<uint32_t>(end - begin)};
  }

  // The quote that opens the string token at `r`, or '\0'.
  char QuoteAt(const SourceRange& r) {
    std::string_view line = Line(r.file, r.line);
    if (r.column == 0 || r.column > line.size()) return '\0';
    char c = line[r.column - 1];
    return c == '"' || c == '\'' ? c : '\0';
  }

  // A fix that removes the array element at `token` with its separating
  // comma, when the token and the comma are on one line.
  std::optional<FixIt> DeleteElement(const SourceRange& token) {
    std::string_view line = Line(token.file, token.line);
    if (token.column == 0 || token.length == 0 || token.column - 1 + token.length > line.size()) {
      return std::nullopt;
    }
    auto blank = [](char c) { return c == ' ' || c == '\t'; };
    size_t begin = token.column - 1, end = begin + token.length;
    size_t j = end;
    while (j < line.size() && blank(line[j])) ++j;
    if (j < line.size() && line[j] == ',') {
      ++j;
      while (j < line.size() && blank(line[j])) ++j;
      end = j;
    } else {
      size_t k = begin;
      while (k > 0 && blank(line[k - 1])) --k;
      if (k > 0 && line[k - 1] == ',') begin = k - 1;
    }
    FixIt fix;
    fix.where = SourceRange{token.file, token.line, static_cast<uint32_t>(begin + 1),
                            static_cast<uint32_t>(end - begin)};
    return fix;
  }

 private:
  // The whole text of `file`; empty when unknown.
  std::string_view Text(const std::string& file) const {
    for (const SourceFile& s : input_.sources) {
      if (s.path == file) return s.text;
    }
    return {};
  }

  // The line index of `file`, made on first use; nullptr when unknown.
  const text::LineIndex* Index(const std::string& file) {
    auto it = lines_.find(file);
    if (it == lines_.end()) {
      std::string_view text = Text(file);
      if (text.data() == nullptr) return nullptr;
      it = lines_.emplace(file, text::LineIndex(text)).first;
    }
    return &it->second;
  }

  bool Suppressed(Code code, const SourceRange& where) const {
    auto file = suppressed_.find(where.file);
    if (file == suppressed_.end()) return false;
    auto line = file->second.find(where.line);
    if (line == file->second.end()) return false;
    return std::find(line->second.begin(), line->second.end(), code) != line->second.end();
  }

  const LintInput& input_;
  std::vector<Diagnostic>* out_;
  const bool policy_has_errors_;
  std::set<std::tuple<Code, std::string, uint32_t, uint32_t>> seen_;
  // file -> line -> codes a comment silences there.
  std::unordered_map<std::string, std::unordered_map<uint32_t, std::vector<Code>>> suppressed_;
  std::unordered_map<std::string, text::LineIndex> lines_;
};

using LintRule = void (*)(const LintInput& input, LintSink* sink);

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

// Calls fn(const ast::OriginList&) for every origin list written.
template <typename Fn>
void ForEachOriginList(std::span<const ast::File> files, Fn fn) {
  ForEachFields(files, [&](const ast::Fields& f) {
    if (f.origins) fn(*f.origins);
    if (f.origins_add) fn(*f.origins_add);
  });
}

// Calls fn(const ast::OriginEntry&) for every valid origin entry written.
template <typename Fn>
void ForEachOrigin(std::span<const ast::File> files, Fn fn) {
  ForEachOriginList(files, [&](const ast::OriginList& list) {
    for (const ast::OriginEntry& entry : list.entries) {
      if (entry.pattern) fn(entry);
    }
  });
}

// Calls fn(const EffectiveRoute&) for every route of the selected profile,
// the catch-all route last.
template <typename Fn>
void ForEachRoute(const ResolvedPolicy& policy, Fn fn) {
  for (const EffectiveRoute& route : policy.routes) fn(route);
  if (policy.catch_all) fn(*policy.catch_all);
}

using PlaceKey = std::tuple<std::string, uint32_t, uint32_t>;
PlaceKey KeyOf(const SourceRange& r) { return {r.file, r.line, r.column}; }

// ------------------------------------------------------------------ origins

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

bool IsLoopbackHost(const OriginPattern& p) {
  const std::string& h = p.host;
  if (h == "localhost" || h.ends_with(".localhost") || h == "[::1]") return true;
  return p.kind != OriginKind::kSubdomain && h.starts_with("127.") &&
         std::count(h.begin(), h.end(), '.') == 3;
}

// CORS102: an http:// origin (not loopback) that may send credentials.
// Whoever is on the network path of that origin (public Wi-Fi, a
// compromised router) can inject script into its pages and act with the
// user's cookies.
void InsecureOriginWithCredentials(const LintInput& input, LintSink* sink) {
  std::set<const void*> checked;
  ForEachRoute(input.policy, [&](const EffectiveRoute& route) {
    if (!route.credentials.value || !checked.insert(route.origins.value.id()).second) return;
    for (const OriginPattern& p : route.origins.value) {
      if (p.kind == OriginKind::kAny || p.kind == OriginKind::kRegex || p.scheme != "http" ||
          IsLoopbackHost(p)) {
        continue;
      }
      sink->Report(Code::kInsecureOriginWithCredentials, p.where,
                   "origin " + Quote(p.written) + " is not encrypted, yet " + RouteName(route) +
                       " lets it send credentials: anyone on its network path can inject "
                       "script into it and act with the user's cookies; allow https:// only",
                   std::nullopt, {{route.credentials.where, "credentials = true is set here"}});
    }
  });
}

// CORS103: a pattern that another pattern of its effective list already
// matches. A list that holds "*" is CORS107's.
void CoveredOrigin(const LintInput& input, LintSink* sink) {
  // The written array of each entry: equal patterns within one array are
  // CORS104's (with a fix); across arrays (a profile adding what the
  // defaults already hold) they are reported here.
  std::map<PlaceKey, const ast::OriginList*> array_of;
  ForEachOriginList(input.files, [&](const ast::OriginList& list) {
    for (const ast::OriginEntry& entry : list.entries) array_of[KeyOf(entry.where)] = &list;
  });
  auto array = [&](const OriginPattern& p) {
    auto it = array_of.find(KeyOf(p.where));
    return it == array_of.end() ? nullptr : it->second;
  };
  std::set<const void*> checked;
  ForEachRoute(input.policy, [&](const EffectiveRoute& route) {
    const OriginList& list = route.origins.value;
    if (list.size() < 2 || !checked.insert(list.id()).second) return;
    OriginCoverage coverage(list.items());
    if (coverage.has_star()) return;
    for (size_t i = 0; i < list.size(); ++i) {
      const OriginPattern& p = list[i];
      size_t j = coverage.Covering(p, i);
      if (j == OriginCoverage::kNone) continue;
      const OriginPattern& q = list[j];
      const bool equal = q.kind == p.kind && q.canonical == p.canonical;
      if (equal && array(p) != nullptr && array(p) == array(q)) continue;
      std::string what =
          q.kind == OriginKind::kRegex ? "the regex " + Quote(q.canonical) : Quote(q.written);
      // Within one written list the list says it all; across lists (a
      // route's origins.add over the defaults) name the route.
      std::string in = array(p) != nullptr && array(p) == array(q)
                           ? "in the same list"
                           : "in the origin list of " + RouteName(route);
      std::string message = equal ? "origin " + Quote(p.written) + " is already allowed " + in +
                                        " (as " + what + "): it adds nothing"
                                  : "origin " + Quote(p.written) + " is already matched by " +
                                        what + " " + in + ": it adds nothing";
      sink->Report(
          Code::kCoveredOrigin, p.where, std::move(message), std::nullopt,
          {{q.where, Quote(q.kind == OriginKind::kRegex ? q.canonical : q.written) + " is here"}});
    }
  });
}

// CORS104: one canonical pattern twice in one written list.
void DuplicateOrigin(const LintInput& input, LintSink* sink) {
  ForEachOriginList(input.files, [&](const ast::OriginList& list) {
    std::unordered_map<std::string, const ast::OriginEntry*> first;
    for (const ast::OriginEntry& entry : list.entries) {
      if (!entry.pattern) continue;
      std::string key = (entry.regex ? "regex:" : "") + entry.pattern->canonical;
      auto [it, inserted] = first.emplace(std::move(key), &entry);
      if (inserted) continue;
      const ast::OriginEntry& earlier = *it->second;
      std::string message =
          earlier.text.value == entry.text.value
              ? "origin " + Quote(entry.text.value) + " is listed twice in this list"
              : "origin " + Quote(entry.text.value) + " repeats " + Quote(earlier.text.value) +
                    " (both are " + Quote(entry.pattern->canonical) + ")";
      sink->Report(Code::kDuplicateOrigin, entry.where, std::move(message),
                   sink->DeleteElement(entry.where),
                   {{earlier.where, "the first " + Quote(earlier.text.value) + " is here"}});
    }
  });
}

// CORS105, CORS106, CORS108: what a regex's text says (regex_analysis.h).
// The analyses are cached by regex text: a regex is often written in
// several profiles.
void RegexRules(const LintInput& input, LintSink* sink) {
  struct Analysis {
    std::optional<std::vector<std::string>> equivalent;
    std::optional<std::string> single_label;
    std::vector<LookAlike> look_alikes;
  };
  std::unordered_map<std::string, Analysis> cache;
  ForEachOrigin(input.files, [&](const ast::OriginEntry& entry) {
    if (entry.pattern->kind != OriginKind::kRegex) return;
    const std::string& regex = entry.text.value;
    auto [it, inserted] = cache.try_emplace(regex);
    Analysis& a = it->second;
    if (inserted) {
      a.look_alikes = FindLookAlikes(regex);
      if (a.look_alikes.empty()) {
        a.equivalent = EquivalentPatterns(regex);
        if (!a.equivalent) a.single_label = SingleLabelWildcard(regex);
      }
    }
    for (const LookAlike& l : a.look_alikes) {
      std::string atom = regex.substr(l.offset, l.length);
      std::string why = l.lone_dot ? "the unescaped \".\" matches any character"
                                   : Quote(atom) + " matches any text, dots included";
      // The atom where it was written, through the string's escapes; the
      // fix escapes a lone dot in the string's own syntax.
      std::optional<SourceRange> at = sink->StringPart(entry.text, l.offset, l.length);
      std::optional<FixIt> fix;
      if (l.lone_dot && at) {
        char quote = sink->QuoteAt(entry.text.where);
        if (quote != '\0') fix = FixIt{*at, quote == '\'' ? "\\." : "\\\\."};
      }
      sink->Report(Code::kRegexLookAlike, at ? *at : entry.text.where,
                   "regex " + Quote(regex) + " lets look-alike hosts through: " + why +
                       ", so it matches " + Quote(l.origin),
                   std::move(fix));
    }
    if (a.equivalent) {
      std::string patterns;
      for (const std::string& p : *a.equivalent) {
        if (!patterns.empty()) patterns += ", ";
        patterns += Quote(p);
      }
      std::optional<FixIt> fix;
      if (entry.where.length > 0) fix = FixIt{entry.where, patterns};
      sink->Report(Code::kRegexIsPattern, entry.where,
                   "regex " + Quote(regex) + " matches exactly what " +
                       (a.equivalent->size() == 1 ? "the pattern " : "the patterns ") + patterns +
                       " match" + (a.equivalent->size() == 1 ? "es" : "") +
                       "; write the plain pattern" + (a.equivalent->size() == 1 ? "" : "s"),
                   std::move(fix));
    }
    if (a.single_label) {
      std::string_view suffix = *a.single_label;
      suffix = suffix.substr(suffix.find("*.") + 2);
      suffix = suffix.substr(0, suffix.find(':'));
      sink->Report(Code::kRegexSingleLabel, entry.where,
                   "regex " + Quote(regex) + " allows one label below " + Quote(suffix) +
                       "; the pattern " + Quote(*a.single_label) +
                       " says nearly the same, more plainly (it also allows deeper subdomains, "
                       "such as " +
                       Quote("a.b." + std::string(suffix)) + ")");
    }
  });
}

// CORS107: "*" beside other patterns in one effective list: the list means
// "*" and the other patterns say nothing. Reported once per list, at its
// first "*"; a list of nothing but "*" has no other pattern (a repeated "*"
// is CORS104's, or harmless across lists).
void StarMixed(const LintInput& input, LintSink* sink) {
  ForEachRoute(input.policy, [&](const EffectiveRoute& route) {
    const OriginList& origins = route.origins.value;
    const auto is_star = [](const OriginPattern& p) { return p.kind == OriginKind::kAny; };
    auto star = std::find_if(origins.begin(), origins.end(), is_star);
    if (star == origins.end() || std::all_of(origins.begin(), origins.end(), is_star)) return;
    sink->Report(Code::kStarMixed, star->where,
                 "origin \"*\" stands beside other patterns on " + RouteName(route) +
                     ": the list allows every origin and the others add nothing");
  });
}

// ------------------------------------------------------ methods and headers

// The Fetch standard's forbidden request-header names (Fetch, "forbidden
// request-header"), and its two forbidden prefixes.
constexpr std::string_view kForbiddenRequestHeaders[] = {"accept-charset",
                                                         "accept-encoding",
                                                         "access-control-request-headers",
                                                         "access-control-request-method",
                                                         "connection",
                                                         "content-length",
                                                         "cookie",
                                                         "cookie2",
                                                         "date",
                                                         "dnt",
                                                         "expect",
                                                         "host",
                                                         "keep-alive",
                                                         "origin",
                                                         "referer",
                                                         "set-cookie",
                                                         "te",
                                                         "trailer",
                                                         "transfer-encoding",
                                                         "upgrade",
                                                         "via"};

// CORS110, CORS111: names in allow_headers that no preflight ever asks for.
void AllowHeaderRules(const LintInput& input, LintSink* sink) {
  ForEachFields(input.files, [&](const ast::Fields& f) {
    if (!f.allow_headers) return;
    for (const ast::StringValue& item : f.allow_headers->items) {
      if (!text::IsToken(item.value)) continue;  // CORS022
      const std::string name = text::ToLowerAscii(item.value);
      std::string why;
      if (std::find(std::begin(kForbiddenRequestHeaders), std::end(kForbiddenRequestHeaders),
                    name) != std::end(kForbiddenRequestHeaders)) {
        why = "is a forbidden request-header name in the Fetch standard";
      } else if (name.starts_with("proxy-") || name.starts_with("sec-")) {
        why = std::string("starts with \"") + (name[0] == 'p' ? "proxy-" : "sec-") +
              "\", which the Fetch standard reserves for the browser";
      }
      if (!why.empty()) {
        sink->Report(Code::kForbiddenRequestHeader, item.where,
                     "request header " + Quote(item.value) + " " + why +
                         ": scripts cannot set it, so no preflight asks for it and allowing it "
                         "does nothing",
                     sink->DeleteElement(item.where));
      } else if (name.starts_with("access-control-")) {
        sink->Report(Code::kAccessControlAllowHeader, item.where,
                     "header " + Quote(item.value) +
                         " is not a request header scripts send: Access-Control-* headers are "
                         "the CORS protocol's own, so allowing it does nothing",
                     sink->DeleteElement(item.where));
      }
    }
  });
}

// CORS112: forbidden response-header names, which browsers never show to
// scripts (Fetch, "forbidden response-header name").
void ExposeHeaderRules(const LintInput& input, LintSink* sink) {
  ForEachFields(input.files, [&](const ast::Fields& f) {
    if (!f.expose_headers) return;
    for (const ast::StringValue& item : f.expose_headers->items) {
      const std::string name = text::ToLowerAscii(item.value);
      if (name != "set-cookie" && name != "set-cookie2") continue;
      sink->Report(Code::kForbiddenResponseHeader, item.where,
                   "response header " + Quote(item.value) +
                       " is never shown to scripts (a forbidden response-header name in the "
                       "Fetch standard), whatever Access-Control-Expose-Headers says",
                   sink->DeleteElement(item.where));
    }
  });
}

// CORS113: a method that browsers do not normalize, in lower case.
void LowerCaseMethod(const LintInput& input, LintSink* sink) {
  ForEachFields(input.files, [&](const ast::Fields& f) {
    if (!f.methods) return;
    for (const ast::StringValue& item : f.methods->items) {
      const std::string& m = item.value;
      if (m == "*" || !text::IsToken(m)) continue;
      const std::string upper = text::ToUpperAscii(m);
      // Upper case already, an error of check.cc, or normalized by browsers.
      if (upper == m || text::IsForbiddenMethod(upper) || text::IsNormalizedMethod(upper)) continue;
      bool upper_listed = std::any_of(f.methods->items.begin(), f.methods->items.end(),
                                      [&](const ast::StringValue& v) { return v.value == upper; });
      FixIt fix;
      fix.where = item.Contents();
      fix.replacement = item.verbatim ? upper : Quote(upper);
      sink->Report(Code::kLowerCaseMethod, item.where,
                   "method " + Quote(m) +
                       " is compared case-sensitively: browsers upper-case only GET, HEAD, "
                       "POST, PUT, DELETE and OPTIONS and send any other method as the script "
                       "wrote it, so " +
                       Quote(m) + " matches only fetch(url, {method: " + Quote(m) + "}); " +
                       (upper_listed ? Quote(upper) + " is listed too"
                                     : Quote(upper) + " is almost certainly meant"),
                   std::move(fix));
    }
  });
}

// ------------------------------------------------------------------- values

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

// CORS122: Private Network Access granted to any origin. Reported at the
// later of the two places, with a note at the other, like the errors of
// check.cc.
void PrivateNetworkAnyOrigin(const LintInput& input, LintSink* sink) {
  ForEachRoute(input.policy, [&](const EffectiveRoute& route) {
    if (!route.private_network.value) return;
    for (const OriginPattern& p : route.origins.value) {
      if (p.kind != OriginKind::kAny) continue;
      const SourceRange& pn = route.private_network.where;
      const bool star_later =
          FileOrderKey(input.policy.files, pn) < FileOrderKey(input.policy.files, p.where);
      std::string message = "private_network = true on " + RouteName(route) +
                            " whose origins are \"*\": any web site may then reach a device "
                            "on the user's private network; list the origins instead";
      sink->Report(Code::kPrivateNetworkAnyOrigin, star_later ? p.where : pn, std::move(message),
                   std::nullopt,
                   {{star_later ? pn : p.where, star_later ? "private_network = true is set here"
                                                           : "origin \"*\" is listed here"}});
      return;
    }
  });
}

// ------------------------------------------------------------------- routes

// Header names compare case-insensitively.
std::set<std::string> NameSet(const std::vector<Sourced<std::string>>& items, bool fold) {
  std::set<std::string> out;
  for (const Sourced<std::string>& i : items)
    out.insert(fold ? text::ToLowerAscii(i.value) : i.value);
  return out;
}

// Numbers origin lists by content (the same patterns, in any order), so
// that comparing two routes' lists costs O(1) after one pass over each
// distinct list, however many pairs of routes are compared.
class OriginListClasses {
 public:
  size_t Of(const OriginList& list) {
    auto it = by_id_.find(list.id());
    if (it != by_id_.end()) return it->second;
    std::vector<std::string> items;
    for (const OriginPattern& p : list) {
      // Kind and length first: a regex and an exact origin of the same text
      // differ, and no text can run into the next.
      items.push_back(std::to_string(static_cast<int>(p.kind)) + ":" +
                      std::to_string(p.canonical.size()) + ":" + p.canonical);
    }
    std::sort(items.begin(), items.end());
    std::string key;
    for (const std::string& i : items) key += i;
    size_t id = by_content_.emplace(std::move(key), by_content_.size()).first->second;
    by_id_.emplace(list.id(), id);
    return id;
  }

 private:
  std::unordered_map<const void*, size_t> by_id_;
  std::unordered_map<std::string, size_t> by_content_;
};

// Whether two routes answer every request the same way (their names
// aside).
bool SameAccess(const EffectiveRoute& a, const EffectiveRoute& b, OriginListClasses* classes) {
  return classes->Of(a.origins.value) == classes->Of(b.origins.value) &&
         NameSet(a.methods.value, false) == NameSet(b.methods.value, false) &&
         NameSet(a.allow_headers.value, true) == NameSet(b.allow_headers.value, true) &&
         NameSet(a.expose_headers.value, true) == NameSet(b.expose_headers.value, true) &&
         a.credentials.value == b.credentials.value && a.max_age.value == b.max_age.value &&
         a.private_network.value == b.private_network.value &&
         a.preflight_status.value == b.preflight_status.value;
}

// One way in which a route grants more than another, and where it is set.
struct Widening {
  std::string what;  // "origin \"https://x\"", "credentials", ...
  SourceRange where;
};

// Coverage indexes of origin lists, built once per list.
class CoverageCache {
 public:
  const OriginCoverage& Of(const OriginList& list) {
    auto [it, inserted] = cache_.try_emplace(list.id());
    if (inserted) {
      keep_.push_back(list);
      it->second = std::make_unique<OriginCoverage>(keep_.back().items());
    }
    return *it->second;
  }

 private:
  std::vector<OriginList> keep_;  // holds the lists alive
  std::map<const void*, std::unique_ptr<OriginCoverage>> cache_;
};

// What `wide` grants that `narrow` does not: origins, credentials, methods,
// request headers, exposed headers, private network access. At most one
// entry per kind unless `all`.
std::vector<Widening> Widenings(const EffectiveRoute& wide, const EffectiveRoute& narrow,
                                CoverageCache* coverage, bool all) {
  std::vector<Widening> out;
  // A route that allows no origin grants nothing, whatever else it says.
  if (wide.origins.value.empty()) return out;
  const OriginCoverage& c = coverage->Of(narrow.origins.value);
  for (const OriginPattern& p : wide.origins.value) {
    if (c.Covering(p) != OriginCoverage::kNone) continue;
    out.push_back({p.kind == OriginKind::kAny ? std::string("every origin (\"*\")")
                                              : "origin " + Quote(p.canonical),
                   p.where});
    if (!all) break;
  }
  if (wide.credentials.value && !narrow.credentials.value) {
    out.push_back({"credentials", wide.credentials.where});
  }
  auto names = [&](const std::vector<Sourced<std::string>>& w,
                   const std::vector<Sourced<std::string>>& n, bool fold, const std::string& kind) {
    std::set<std::string> have = NameSet(n, fold);
    if (have.count("*")) return;
    for (const Sourced<std::string>& item : w) {
      if (have.count(fold ? text::ToLowerAscii(item.value) : item.value)) continue;
      out.push_back(
          {item.value == "*" ? "any " + kind + " (\"*\")" : kind + " " + Quote(item.value),
           item.where});
      if (!all) return;
    }
  };
  names(wide.methods.value, narrow.methods.value, false, "method");
  names(wide.allow_headers.value, narrow.allow_headers.value, true, "request header");
  names(wide.expose_headers.value, narrow.expose_headers.value, true, "exposed header");
  if (wide.private_network.value && !narrow.private_network.value) {
    out.push_back({"private network access", wide.private_network.where});
  }
  return out;
}

std::string JoinWhats(const std::vector<Widening>& w) {
  std::string out;
  for (const Widening& x : w) {
    if (!out.empty()) out += ", ";
    out += x.what;
  }
  return out;
}

// CORS130, CORS131, CORS132: the routes of the selected profile as sets of
// paths (route_analysis.h). An unreachable route gets only CORS131. The
// routes it would take paths from still count for the others: without the
// route, they would decide its paths.
void RouteRules(const LintInput& input, LintSink* sink) {
  const std::vector<EffectiveRoute>& routes = input.policy.routes;
  if (routes.size() > kMaxLintedRoutes) return;
  const size_t n = routes.size();
  std::vector<std::optional<RouteShape>> shapes;
  for (const EffectiveRoute& r : routes) shapes.push_back(ParseRouteShape(r.path));
  // For each route, the routes that win over it and those it wins over,
  // among those it overlaps.
  std::vector<std::vector<size_t>> winners(n), losers(n);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = i + 1; j < n; ++j) {
      if (!shapes[i] || !shapes[j] || !Overlap(*shapes[i], *shapes[j])) continue;
      if (MoreSpecific(*shapes[j], *shapes[i])) {
        winners[i].push_back(j);
        losers[j].push_back(i);
      } else if (MoreSpecific(*shapes[i], *shapes[j])) {
        winners[j].push_back(i);
        losers[i].push_back(j);
      }
    }
  }

  // CORS131.
  std::vector<bool> unreachable(n, false);
  for (size_t i = 0; i < n; ++i) {
    if (!shapes[i] || winners[i].empty()) continue;
    std::vector<const RouteShape*> w;
    for (size_t j : winners[i]) w.push_back(&*shapes[j]);
    if (Reachability(*shapes[i], w, kReachabilityBudget) != Reach::kUnreachable) continue;
    unreachable[i] = true;
    std::string names;
    for (size_t k = 0; k < winners[i].size() && k < 3; ++k) {
      if (!names.empty()) names += ", ";
      names += Quote(routes[winners[i][k]].path);
    }
    if (winners[i].size() > 3) {
      names += " and " + std::to_string(winners[i].size() - 3) + " more";
    }
    sink->Report(Code::kUnreachableRoute, routes[i].where,
                 "route " + Quote(routes[i].path) +
                     " never applies: every path it matches is taken by a more specific route (" +
                     names + ")");
  }

  CoverageCache coverage;
  OriginListClasses classes;
  for (size_t i = 0; i < n; ++i) {
    if (!shapes[i] || unreachable[i]) continue;
    const EffectiveRoute& route = routes[i];
    const std::vector<size_t>& live = losers[i];
    std::optional<size_t> nearest;  // the route that would decide without it
    for (size_t j : live) {
      if (!nearest || MoreSpecific(*shapes[j], *shapes[*nearest])) nearest = j;
    }

    // CORS130: the same answers as whatever would decide its paths
    // without it (the less specific routes it overlaps, and the catch-all).
    if (input.policy.catch_all && SameAccess(route, *input.policy.catch_all, &classes) &&
        std::all_of(live.begin(), live.end(),
                    [&](size_t j) { return SameAccess(route, routes[j], &classes); })) {
      sink->Report(Code::kRouteChangesNothing, route.where,
                   "route " + Quote(route.path) +
                       " changes nothing: its paths get the same answers without it (from " +
                       (live.empty() ? std::string("[defaults]")
                                     : "route " + Quote(routes[*nearest].path) + " or [defaults]") +
                       "); remove it or set what it should change");
      continue;
    }

    // CORS132: against the route that would decide its paths without it.
    if (nearest) {
      const EffectiveRoute& wider = routes[*nearest];
      std::vector<Widening> w = Widenings(route, wider, &coverage, /*all=*/false);
      if (!w.empty()) {
        sink->Report(Code::kSpecificRouteWidens, route.where,
                     "route " + Quote(route.path) + " is more specific than route " +
                         Quote(wider.path) +
                         ", which it overlaps, and grants more: " + JoinWhats(w),
                     std::nullopt, {{wider.where, "route " + Quote(wider.path) + " is here"}});
      }
    }
  }
}

// ----------------------------------------------------------------- profiles

// CORS140: a profile that widens a route marked `sensitive = true`, by
// changing the route (or the defaults it inherits) or by adding a more
// specific route over part of its paths. Production is the production
// profile when a file defines it, else the base policy. Every profile but
// production is checked, whichever one is selected.
void SensitiveRouteWidened(const LintInput& input, LintSink* sink) {
  std::map<std::string, const ast::Route*> sensitive;  // by shape
  std::set<std::string> profiles;
  for (const ast::File& file : input.files) {
    for (const ast::Route& r : file.routes) {
      if (r.sensitive && r.sensitive->value && r.shape) sensitive.emplace(*r.shape, &r);
    }
    for (const ast::Profile& p : file.profiles) profiles.insert(p.name);
  }
  if (sensitive.empty()) return;

  const std::string& prod = input.options.prod_profile;
  const std::string prod_applied = profiles.count(prod) ? prod : "";
  const std::string selected =
      profiles.count(input.options.profile) ? input.options.profile : std::string();
  auto resolve = [&](const std::string& profile) {
    std::vector<Diagnostic> ignored;  // CORS007 is check's to report
    return Resolve(input.files, profile, &ignored);
  };
  std::optional<ResolvedPolicy> own_production;
  if (prod_applied != selected) own_production = resolve(prod_applied);
  const ResolvedPolicy& production = own_production ? *own_production : input.policy;

  std::map<std::string, const EffectiveRoute*> production_routes;  // by shape
  for (const EffectiveRoute& r : production.routes) {
    if (r.shape) production_routes.emplace(*r.shape, &r);
  }
  CoverageCache coverage;
  for (const std::string& profile : profiles) {
    if (profile == prod) continue;
    std::optional<ResolvedPolicy> own;
    if (profile != selected) own = resolve(profile);
    const ResolvedPolicy& policy = own ? *own : input.policy;
    for (const EffectiveRoute& route : policy.routes) {
      const std::optional<std::string>& shape = route.shape;
      if (!shape) continue;
      if (auto s = sensitive.find(*shape); s != sensitive.end()) {
        auto base = production_routes.find(*shape);
        if (base == production_routes.end()) continue;
        for (const Widening& w : Widenings(route, *base->second, &coverage, /*all=*/true)) {
          sink->Report(Code::kSensitiveRouteWidened, w.where,
                       "profile " + Quote(profile) + " widens the sensitive route " +
                           Quote(base->second->path) + ": it grants " + w.what +
                           ", which production does not",
                       std::nullopt,
                       {{s->second->sensitive->key, "the route is marked sensitive here"}});
        }
        continue;
      }
      if (production_routes.count(*shape)) continue;  // an overlay of another base route
      // A route the profile adds: does it take paths of a sensitive route
      // and grant more there?
      std::optional<RouteShape> mine = ParseRouteShape(route.path);
      if (!mine) continue;
      for (const auto& [sshape, ast_route] : sensitive) {
        auto base = production_routes.find(sshape);
        if (base == production_routes.end()) continue;
        std::optional<RouteShape> theirs = ParseRouteShape(base->second->path);
        if (!theirs || !MoreSpecific(*mine, *theirs) || !Overlap(*mine, *theirs)) continue;
        std::vector<Widening> w = Widenings(route, *base->second, &coverage, /*all=*/false);
        if (w.empty()) continue;
        sink->Report(Code::kSensitiveRouteWidened, route.where,
                     "profile " + Quote(profile) + " adds route " + Quote(route.path) +
                         ", which takes paths of the sensitive route " + Quote(base->second->path) +
                         " and grants more than production: " + JoinWhats(w),
                     std::nullopt,
                     {{ast_route->sensitive->key, "the route is marked sensitive here"}});
      }
    }
  }
}

// -------------------------------------------------------------------- tests

// CORS150: a policy without tests. Reported once, at the start of the first
// file, and only when every file could be read (a test may sit in a file
// with a syntax error).
void NoTests(const LintInput& input, LintSink* sink) {
  if (sink->policy_has_errors() || input.files.empty() ||
      input.files.size() != input.sources.size()) {
    return;
  }
  for (const ast::File& file : input.files) {
    if (!file.tests.empty()) return;
  }
  sink->Report(Code::kNoTests, SourceRange{input.files[0].path, 1, 1, 0},
               "the policy has no [[tests]]: add a few, so that `corsc test` catches a change "
               "that breaks what it must allow or refuse");
}

// The response headers corsc ever sends (the spec's header table).
constexpr std::string_view kSentHeaders[] = {"access-control-allow-origin",
                                             "access-control-allow-credentials",
                                             "access-control-allow-methods",
                                             "access-control-allow-headers",
                                             "access-control-max-age",
                                             "access-control-expose-headers",
                                             "access-control-allow-private-network",
                                             "vary"};

// Why the absence of `name` follows from a request of `kind` alone; empty
// when it does not.
std::string NeverSent(std::string_view name, Kind kind, bool names_headers, bool asks_pna) {
  const std::string n = text::ToLowerAscii(name);
  if (std::find(std::begin(kSentHeaders), std::end(kSentHeaders), n) == std::end(kSentHeaders)) {
    return Quote(name) + " is a header corsc never sends";
  }
  const bool preflight_only =
      n == "access-control-allow-methods" || n == "access-control-allow-headers" ||
      n == "access-control-max-age" || n == "access-control-allow-private-network";
  if (kind == Kind::kNotCors && (preflight_only || n == "access-control-allow-credentials")) {
    return Quote(name) + " is never sent without an Origin";
  }
  if (kind == Kind::kActual && preflight_only) {
    return Quote(name) + " is sent on preflights only";
  }
  if (kind == Kind::kPreflight) {
    if (n == "access-control-expose-headers") return Quote(name) + " is never sent on preflights";
    if (n == "access-control-allow-headers" && !names_headers) {
      return Quote(name) + " is sent only when Access-Control-Request-Headers names a header";
    }
    if (n == "access-control-allow-private-network" && !asks_pna) {
      return Quote(name) + " is sent only when the request asks for private network access";
    }
  }
  return "";
}

// CORS151: a test whose every expectation follows from its request alone,
// so that it passes whatever the policy says (docs/lint-rules.md lists the
// facts used).
void TestCannotFail(const LintInput& input, LintSink* sink) {
  for (const ast::File& file : input.files) {
    for (const ast::Test& entry : file.tests) {
      const PolicyTest& t = entry.test;
      // The request as the engine sees it, and what it is from that alone.
      RequestBuilder builder(t.method, t.path);
      bool names_headers = false;  // may name one: anything but separators
      for (const auto& [name, value] : t.headers) {
        builder.AddHeader(name, value);
        if (text::EqualsIgnoreCase(name, "Access-Control-Request-Headers")) {
          for (char c : value) {
            if (c != ',' && c != ' ' && c != '\t') names_headers = true;
          }
        }
      }
      const Request& request = builder.request();
      const Kind kind = RequestKind(request);
      const bool asks_pna = AsksPrivateNetwork(request);
      std::vector<std::string> facts;
      bool fixed = true;
      if (t.allowed) {
        fixed = fixed && kind == Kind::kNotCors && *t.allowed;
        facts.push_back("allowed = true");
      }
      if (t.reason) {
        fixed = fixed && kind == Kind::kNotCors && *t.reason == Reason::kNotCors;
        facts.push_back("reason \"not-cors\"");
      }
      if (t.kind) {
        fixed = fixed && *t.kind == kind;
        facts.push_back("kind " + Quote(KindName(kind)));
      }
      if (t.status) {
        fixed = fixed && kind != Kind::kPreflight && *t.status == 0;
        facts.push_back("status 0");
      }
      if (t.route || t.origin_rule) fixed = false;
      for (const auto& [name, value] : t.headers_expected) {
        std::string why = value ? "" : NeverSent(name, kind, names_headers, asks_pna);
        if (why.empty()) {
          fixed = false;
        } else {
          facts.push_back(why);
        }
      }
      if (!fixed || facts.empty()) continue;
      std::string list;
      for (const std::string& f : facts) {
        if (!list.empty()) list += "; ";
        list += f;
      }
      std::string hint = kind == Kind::kNotCors
                             ? "the request has no Origin header, so it is a not-cors request "
                               "whatever the policy says; add an Origin header to test a CORS "
                               "decision"
                             : "check the decision itself (allowed, reason, route, a header's "
                               "value)";
      sink->Report(Code::kTestCannotFail, t.expect_where.line > 0 ? t.expect_where : t.where,
                   "test " + Quote(t.name) +
                       " cannot fail: what it expects follows from its "
                       "request alone (" +
                       list + "); " + hint);
    }
  }
}

constexpr LintRule kRules[] = {
    NonCanonicalOrigin,
    NullOrigin,
    InsecureOriginWithCredentials,
    CoveredOrigin,
    DuplicateOrigin,
    RegexRules,
    StarMixed,
    AllowHeaderRules,
    ExposeHeaderRules,
    LowerCaseMethod,
    MaxAgeCaps,
    PrivateNetworkAnyOrigin,
    RouteRules,
    SensitiveRouteWidened,
    NoTests,
    TestCannotFail,
};

}  // namespace

void Lint(const LintInput& input, std::vector<Diagnostic>* diagnostics) {
  LintSink sink(input, diagnostics);
  for (LintRule rule : kRules) rule(input, &sink);
}

}  // namespace corsc
