// Copyright corsc developers.

#include "corsc/diagnostic.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <tuple>

namespace corsc {
namespace {

// The catalogue. docs/lint-rules.md explains every entry; keep the two in
// step (a test checks that every code is documented there).
constexpr CodeInfo kCatalogue[] = {
    {Code::kTomlSyntax, "toml-syntax", Severity::kError,
     "the file is not valid TOML"},
    {Code::kUnknownKey, "unknown-key", Severity::kError,
     "a key the policy language does not define"},
    {Code::kWrongType, "wrong-type", Severity::kError,
     "a value of the wrong type"},
    {Code::kBadVersion, "bad-version", Severity::kError,
     "`version` is missing or is not 1"},
    {Code::kDuplicateDefaults, "duplicate-defaults", Severity::kError,
     "[defaults] (or a profile's defaults) appears in two files"},
    {Code::kUnknownProfile, "unknown-profile", Severity::kError,
     "a test names a profile that no file defines"},
    {Code::kPolicyTooLarge, "policy-too-large", Severity::kError,
     "the routes hold more origin patterns, inherited ones counted, than the compiler's bound"},

    {Code::kMalformedOrigin, "malformed-origin", Severity::kError,
     "an origin with a path, query, fragment, user info, bad port or bad host"},
    {Code::kWildcardNotLeftmost, "wildcard-not-leftmost", Severity::kError,
     "a wildcard that is not the whole leftmost host label"},
    {Code::kWildcardAbovePublicSuffix, "wildcard-above-public-suffix", Severity::kError,
     "a wildcard directly above a public suffix, such as https://*.co.uk"},
    {Code::kStarWithCredentials, "star-with-credentials", Severity::kError,
     "origins \"*\" together with credentials = true"},
    {Code::kRegexRejected, "regex-rejected", Severity::kError,
     "a regex origin that RE2 does not accept"},
    {Code::kNonAsciiHost, "non-ascii-host", Severity::kError,
     "an internationalised host not written in its punycode form"},
    {Code::kRouteWithoutOrigins, "route-without-origins", Severity::kError,
     "a route that neither sets origins nor inherits any from [defaults]"},
    {Code::kOriginUnfitForProduction, "origin-unfit-for-production", Severity::kError,
     "an http://, localhost, private-network or null origin in the production profile"},

    {Code::kForbiddenMethod, "forbidden-method", Severity::kError,
     "CONNECT, TRACE or TRACK, which browsers never send"},
    {Code::kInvalidMethod, "invalid-method", Severity::kError,
     "a method that is not an HTTP token"},
    {Code::kInvalidHeaderName, "invalid-header-name", Severity::kError,
     "a header name that is not an HTTP token"},
    {Code::kExposeStarWithCredentials, "expose-star-with-credentials", Severity::kError,
     "expose_headers \"*\" together with credentials = true"},

    {Code::kMaxAgeOutOfRange, "max-age-out-of-range", Severity::kError,
     "max_age below 0 or above 2147483647"},
    {Code::kBadPreflightStatus, "bad-preflight-status", Severity::kError,
     "preflight_status other than 200 or 204"},

    {Code::kMalformedPath, "malformed-path", Severity::kError,
     "a route path that is not a valid pattern"},
    {Code::kDuplicateRouteShape, "duplicate-route-shape", Severity::kError,
     "two routes of the same shape, such as /a/{x} and /a/{y}"},

    {Code::kInvalidTest, "invalid-test", Severity::kError,
     "a [[tests]] entry that cannot run"},

    {Code::kNonCanonicalOrigin, "non-canonical-origin", Severity::kWarning,
     "an origin not written in the canonical form browsers send"},
    {Code::kNullOrigin, "null-origin", Severity::kWarning,
     "the origin \"null\", which sandboxed and file: documents share"},
    {Code::kStarMixed, "star-mixed", Severity::kWarning,
     "\"*\" beside other origin patterns, which then mean nothing"},

    {Code::kMaxAgeAboveChromium, "max-age-above-chromium-cap", Severity::kWarning,
     "max_age above 7200 seconds, which Chromium caps"},
    {Code::kMaxAgeAboveFirefox, "max-age-above-firefox-cap", Severity::kWarning,
     "max_age above 86400 seconds, which Firefox caps"},
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

bool HasErrors(std::span<const Diagnostic> diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

void SortDiagnostics(std::vector<Diagnostic>* diagnostics,
                     std::span<const std::string> files) {
  auto file_rank = [&](const std::string& file) {
    auto it = std::find(files.begin(), files.end(), file);
    return static_cast<size_t>(it - files.begin());
  };
  auto key = [&](const Diagnostic& d) {
    return std::make_tuple(file_rank(d.where.file), d.where.line, d.where.column,
                           static_cast<unsigned>(d.code), std::cref(d.message));
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
