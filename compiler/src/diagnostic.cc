// Copyright corsc developers.

#include "corsc/diagnostic.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <tuple>
#include <utility>

#include "diagnostic_util.h"

namespace corsc {
namespace {

// The catalogue. docs/lint-rules.md explains every entry; keep the two in
// step (a test checks that every code is documented there).
constexpr CodeInfo kCatalogue[] = {
    {Code::kTomlSyntax, "toml-syntax", Severity::kError, "the file is not valid TOML",
     "The file cannot be parsed as TOML 1.0, so nothing in it is read. Fix the syntax at the "
     "position shown; the other files are still checked."},
    {Code::kUnknownKey, "unknown-key", Severity::kError,
     "a key the policy language does not define",
     "A misspelt key would otherwise be ignored silently and the policy would not say what it "
     "seems to say. Use one of the keys the language defines; the message suggests the closest."},
    {Code::kWrongType, "wrong-type", Severity::kError, "a value of the wrong type",
     "Every key has one type (a string, a list of strings, a boolean, an integer, a table). "
     "Write the value with the type the message names."},
    {Code::kBadVersion, "bad-version", Severity::kError, "`version` is missing or is not 1",
     "Every policy file states the language version it is written in, so that a future "
     "version cannot be misread by this compiler. Write `version = 1` at the top of the file."},
    {Code::kDuplicateDefaults, "duplicate-defaults", Severity::kError,
     "[defaults] (or a profile's defaults) appears in two files",
     "Two [defaults] tables would make the result depend on file order. Keep one and move the "
     "fields of the other into it."},
    {Code::kUnknownProfile, "unknown-profile", Severity::kError,
     "a test names a profile that no file defines",
     "A test that runs under a profile nobody defines would silently run the base policy. Fix "
     "the name or define the profile."},
    {Code::kPolicyTooLarge, "policy-too-large", Severity::kError,
     "the routes hold more origin patterns, inherited ones counted, than the compiler's bound",
     "Each `origins.add` copies the list it extends; a long list extended in many routes "
     "multiplies beyond 1,000,000 patterns. Extend long lists in fewer routes."},

    {Code::kMalformedOrigin, "malformed-origin", Severity::kError,
     "an origin with a path, query, fragment, user info, bad port or bad host",
     "Browsers send an origin as scheme://host[:port] and nothing else, so a pattern with "
     "anything more can never match. Write the origin as the browser sends it."},
    {Code::kWildcardNotLeftmost, "wildcard-not-leftmost", Severity::kError,
     "a wildcard that is not the whole leftmost host label",
     "`*` stands for one or more whole labels on the left of the host (`https://*.example.com`); "
     "partial labels are too easy to get wrong. Use a regex if you need one."},
    {Code::kWildcardAbovePublicSuffix, "wildcard-above-public-suffix", Severity::kError,
     "a wildcard directly above a public suffix, such as https://*.co.uk",
     "A wildcard directly above a public suffix allows every site registered under it, "
     "anyone's. Name your own registrable domain: `https://*.example.co.uk`."},
    {Code::kStarWithCredentials, "star-with-credentials", Severity::kError,
     "origins \"*\" together with credentials = true",
     "The Fetch standard's CORS check fails a credentialed request answered with "
     "`Access-Control-Allow-Origin: *`. List the origins that may send credentials."},
    {Code::kRegexRejected, "regex-rejected", Severity::kError,
     "a regex origin that RE2 does not accept",
     "The expression is not valid RE2 syntax (RE2 has no backreferences or lookaround) or is "
     "too large. Fix the expression, or use a plain pattern."},
    {Code::kNonAsciiHost, "non-ascii-host", Severity::kError,
     "an internationalised host not written in its punycode form",
     "Browsers serialize internationalised hosts in their ASCII (punycode) form. Write the form "
     "the message gives."},
    {Code::kRouteWithoutOrigins, "route-without-origins", Severity::kError,
     "a route that neither sets origins nor inherits any from [defaults]",
     "A route must say which origins it allows. Set `origins` in the route or in [defaults]; an "
     "empty list refuses every origin."},
    {Code::kOriginUnfitForProduction, "origin-unfit-for-production", Severity::kError,
     "an http://, localhost, private-network or null origin in the production profile",
     "Development origins must not reach production: they are unencrypted, or any local "
     "program or sandboxed page can use them. Move them to a development profile."},

    {Code::kForbiddenMethod, "forbidden-method", Severity::kError,
     "CONNECT, TRACE or TRACK, which browsers never send",
     "The Fetch standard forbids these methods: no script can send them, so allowing them only "
     "misleads. Remove them."},
    {Code::kInvalidMethod, "invalid-method", Severity::kError, "a method that is not an HTTP token",
     "A method is an HTTP token (RFC 9110); anything else can never be requested. Fix the "
     "spelling."},
    {Code::kInvalidHeaderName, "invalid-header-name", Severity::kError,
     "a header name that is not an HTTP token",
     "A header name is an HTTP token (RFC 9110); anything else can never be sent. Fix the "
     "spelling."},
    {Code::kExposeStarWithCredentials, "expose-star-with-credentials", Severity::kError,
     "expose_headers \"*\" together with credentials = true",
     "With credentials, the Fetch standard reads `Access-Control-Expose-Headers: *` as a header "
     "named `*`. List the headers to expose."},

    {Code::kMaxAgeOutOfRange, "max-age-out-of-range", Severity::kError,
     "max_age below 0 or above 2147483647",
     "max_age is a number of seconds from 0 to 2147483647. Browsers cap it far lower anyway "
     "(see CORS120 and CORS121)."},
    {Code::kBadPreflightStatus, "bad-preflight-status", Severity::kError,
     "preflight_status other than 200 or 204",
     "A preflight passes only with an ok status; 200 and 204 are the two that every client "
     "handles. Use one of them."},

    {Code::kMalformedPath, "malformed-path", Severity::kError,
     "a route path that is not a valid pattern",
     "A path starts with `/`; `{name}` and `*` match one segment, `**` (last only) any number. "
     "Fix the pattern at the position shown."},
    {Code::kDuplicateRouteShape, "duplicate-route-shape", Severity::kError,
     "two routes of the same shape, such as /a/{x} and /a/{y}",
     "Two routes of one shape match the same paths and neither is more specific, so one of "
     "them could never apply. Merge them."},

    {Code::kInvalidTest, "invalid-test", Severity::kError, "a [[tests]] entry that cannot run",
     "A test needs a request and at least one expectation, with a valid method, header names "
     "and values. Complete or fix the entry."},

    {Code::kNonCanonicalOrigin, "non-canonical-origin", Severity::kWarning,
     "an origin not written in the canonical form browsers send",
     "Browsers send origins in lower case, without the default port. The pattern is compiled in "
     "that form, so it works, but it reads as something else. Apply the fix."},
    {Code::kNullOrigin, "null-origin", Severity::kWarning,
     "the origin \"null\", which sandboxed and file: documents share",
     "Sandboxed iframes, file: pages and some redirects send `Origin: null`, so any site can "
     "produce it with `<iframe sandbox>`. Allowing it allows everyone; remove it."},
    {Code::kInsecureOriginWithCredentials, "insecure-origin-with-credentials", Severity::kWarning,
     "an http:// origin other than loopback on a route with credentials",
     "Anyone on the network path of an http:// origin can inject script into it and use it to "
     "send credentialed requests. Allow credentials to https:// origins only."},
    {Code::kCoveredOrigin, "covered-origin", Severity::kNote,
     "an origin pattern another pattern of the same list already matches",
     "The pattern adds nothing: the pattern named in the message matches all it matches. "
     "Remove it, or narrow the other pattern if it allows more than you meant."},
    {Code::kDuplicateOrigin, "duplicate-origin", Severity::kWarning,
     "the same origin pattern twice in one list",
     "Two spellings of one canonical pattern in one list; often a merge left-over. Apply the "
     "fix, which removes the second."},
    {Code::kRegexIsPattern, "regex-is-pattern", Severity::kWarning,
     "a regex that a plain origin pattern expresses exactly",
     "Plain patterns are easier to read and review, and are matched by a hash lookup instead "
     "of a regex. Apply the fix, which writes the equivalent pattern."},
    {Code::kRegexSingleLabel, "regex-single-label", Severity::kNote,
     "a regex for one label below a domain, where a subdomain wildcard may do",
     "A regex that allows any one label below a domain is nearly `https://*.domain`, which "
     "also allows deeper subdomains. Prefer the wildcard unless deeper names must be refused."},
    {Code::kStarMixed, "star-mixed", Severity::kWarning,
     "\"*\" beside other origin patterns, which then mean nothing",
     "A list that holds `*` allows every origin; the other patterns suggest a restriction that "
     "does not exist. Remove `*` or the others."},
    {Code::kRegexLookAlike, "regex-look-alike", Severity::kWarning,
     "a regex origin that matches hosts outside the intended domain",
     "An unescaped `.` matches any character and `.*` any text, so the regex lets an attacker's "
     "look-alike domain through; the message shows one that matches. Escape the dot (`\\.`) or "
     "anchor the host."},

    {Code::kForbiddenRequestHeader, "forbidden-request-header", Severity::kWarning,
     "a request header in allow_headers that browsers never let scripts set",
     "The Fetch standard's forbidden request-header names (cookie, host, origin, proxy-*, "
     "sec-*...) are set by the browser alone and never appear in a preflight, so allowing them "
     "does nothing. Apply the fix, which removes the name."},
    {Code::kAccessControlAllowHeader, "access-control-in-allow-headers", Severity::kWarning,
     "an Access-Control-* name in allow_headers",
     "Access-Control-* headers are the server's answer, not something a script sends; listing "
     "one in allow_headers usually means it was meant for the response. Remove it."},
    {Code::kForbiddenResponseHeader, "forbidden-response-header", Severity::kWarning,
     "Set-Cookie or Set-Cookie2 in expose_headers",
     "The Fetch standard filters forbidden response-header names out of every response a "
     "script sees, whatever Access-Control-Expose-Headers says. Remove the name."},
    {Code::kLowerCaseMethod, "lower-case-method", Severity::kWarning,
     "a method other than the six browsers normalize, written in lower case",
     "Browsers upper-case only DELETE, GET, HEAD, OPTIONS, POST and PUT; any other method is "
     "sent as the script wrote it and compared case-sensitively. `patch` matches only "
     "`fetch(url, {method: \"patch\"})`; `PATCH` is what is meant. Apply the fix."},

    {Code::kMaxAgeAboveChromium, "max-age-above-chromium-cap", Severity::kWarning,
     "max_age above 7200 seconds, which Chromium caps",
     "Chromium keeps a preflight result at most 2 hours; a longer max_age is not honoured there. "
     "Use 7200 or less."},
    {Code::kMaxAgeAboveFirefox, "max-age-above-firefox-cap", Severity::kWarning,
     "max_age above 86400 seconds, which Firefox caps",
     "Firefox keeps a preflight result at most 24 hours, Chromium 2 hours. Use 7200 or less."},
    {Code::kPrivateNetworkAnyOrigin, "private-network-any-origin", Severity::kWarning,
     "private_network = true on a route whose origins are \"*\"",
     "Private Network Access asks a local device before a public site may reach it; answering "
     "yes to every origin hands the device to any web page. List the origins instead."},

    {Code::kRouteChangesNothing, "route-changes-nothing", Severity::kNote,
     "a route whose every field equals what would decide its paths without it",
     "The route sets nothing, or only values it would inherit anyway, and no less specific "
     "route would decide its paths differently. Remove it, or set what it was meant to change."},
    {Code::kUnreachableRoute, "unreachable-route", Severity::kWarning,
     "a route that more specific routes shadow for every path",
     "Every path the route matches is also matched by a more specific route, which wins, so "
     "the route never applies. Remove it or fix the other routes."},
    {Code::kSpecificRouteWidens, "specific-route-widens", Severity::kNote,
     "a more specific route that grants more than the route it overlaps",
     "A narrower path with broader access (more origins, methods or headers, credentials) is "
     "sometimes intended and sometimes a hole in a restricted area. Worth a reviewer's look."},

    {Code::kSensitiveRouteWidened, "sensitive-route-widened", Severity::kWarning,
     "a profile that widens a route marked sensitive = true",
     "A route marked sensitive should mean the same in every environment; a profile that adds "
     "origins, methods, headers or credentials to it opens the route wider than production. "
     "Narrow the profile, or drop the mark."},

    {Code::kNoTests, "no-tests", Severity::kNote, "a policy without [[tests]]",
     "Tests pin what the policy must allow and refuse, so that a later change that breaks it "
     "fails `corsc test` in CI. Add a few [[tests]] entries."},
    {Code::kTestCannotFail, "test-cannot-fail", Severity::kWarning,
     "a test whose every expectation holds whatever the policy says",
     "The test checks only what the request alone decides (the kind of a request without an "
     "Origin, a header corsc never sends for it), so it passes for any policy. Check the "
     "decision itself: allowed, reason, route or a header value."},

    {Code::kInvalidSuppression, "invalid-suppression", Severity::kWarning,
     "a corsc:ignore comment naming no code, an unknown code or an error",
     "`# corsc:ignore CORSnnn` silences lint codes (100 and above) only; an error of the "
     "language cannot be silenced. Fix the comment."},
};

}  // namespace

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "error";
}

std::string FormatCode(Code code) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "CORS%03u", static_cast<unsigned>(code));
  return buf;
}

std::optional<Code> ParseCode(std::string_view text) {
  if (text.size() < 5) return std::nullopt;
  for (size_t i = 0; i < 4; ++i) {
    char c = text[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != "CORS"[i]) return std::nullopt;
  }
  unsigned n = 0;
  for (char c : text.substr(4)) {
    if (c < '0' || c > '9' || n > 9999) return std::nullopt;
    n = n * 10 + static_cast<unsigned>(c - '0');
  }
  for (const CodeInfo& info : kCatalogue) {
    if (static_cast<unsigned>(info.code) == n) return info.code;
  }
  return std::nullopt;
}

std::span<const CodeInfo> Catalogue() { return kCatalogue; }

const CodeInfo& Info(Code code) {
  for (const CodeInfo& info : kCatalogue) {
    if (info.code == code) return info;
  }
  return kCatalogue[0];  // unreachable for a Code value defined above
}

Diagnostic MakeError(Code code, SourceRange where, std::string message) {
  Diagnostic d;
  d.code = code;
  d.severity = Severity::kError;
  d.where = std::move(where);
  d.message = std::move(message);
  return d;
}

bool HasErrors(std::span<const Diagnostic> diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

std::tuple<size_t, uint32_t, uint32_t> FileOrderKey(std::span<const std::string> files,
                                                    const SourceRange& where) {
  auto rank =
      static_cast<size_t>(std::find(files.begin(), files.end(), where.file) - files.begin());
  return {rank, where.line, where.column};
}

void SortDiagnostics(std::vector<Diagnostic>* diagnostics, std::span<const std::string> files) {
  auto key = [&](const Diagnostic& d) {
    return std::tuple_cat(FileOrderKey(files, d.where),
                          std::make_tuple(static_cast<unsigned>(d.code), std::cref(d.message)));
  };
  std::stable_sort(diagnostics->begin(), diagnostics->end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
  auto same = [](const Diagnostic& a, const Diagnostic& b) {
    return a.code == b.code && a.severity == b.severity && a.where.file == b.where.file &&
           a.where.line == b.where.line && a.where.column == b.where.column &&
           a.message == b.message;
  };
  diagnostics->erase(std::unique(diagnostics->begin(), diagnostics->end(), same),
                     diagnostics->end());
}

}  // namespace corsc
