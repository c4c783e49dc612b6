// Copyright corsc developers.
//
// Diagnostics: what the compiler and the linter say about a policy.
//
// Every finding has a stable code (CORS001...), a severity, a message that
// quotes the offending value, one source location and, where the fix is
// mechanical, a replacement. The catalogue (docs/lint-rules.md) documents
// every code; Catalogue() is its machine-readable form.

#ifndef CORSC_DIAGNOSTIC_H_
#define CORSC_DIAGNOSTIC_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace corsc {

enum class Severity : uint8_t { kError = 0, kWarning = 1, kNote = 2 };
std::string_view SeverityName(Severity s);  // "error", "warning", "note"

// NOTE: printed as CORSnnn and documented in docs/lint-rules.md. Users
// write these numbers in CI configuration and inline comments: never
// renumber or reuse a value. Codes below 100 are errors the spec defines
// (a policy with one does not compile); 100 and above are lint findings.
enum class Code : uint16_t {
  // Files and syntax.
  kTomlSyntax = 1,         // the file is not valid TOML
  kUnknownKey = 2,         // a key the language does not define
  kWrongType = 3,          // a value of the wrong type
  kBadVersion = 4,         // `version` missing or not 1
  kDuplicateDefaults = 5,  // [defaults] (or a profile's) in two files
  kUnknownProfile = 6,     // a [[tests]] entry names an undefined profile
  kPolicyTooLarge = 7,     // routes x inherited origins beyond the compiler's bound

  // Origins.
  kMalformedOrigin = 10,            // path, query, userinfo, bad port, trailing dot...
  kWildcardNotLeftmost = 11,        // "*" must be the whole leftmost label
  kWildcardAbovePublicSuffix = 12,  // https://*.co.uk
  kStarWithCredentials = 13,        // origins "*" and credentials = true
  kRegexRejected = 14,              // RE2 refuses the expression
  kNonAsciiHost = 15,               // write the punycode form
  kRouteWithoutOrigins = 16,        // neither the route nor [defaults] gives any
  kOriginUnfitForProduction = 17,   // http://, localhost, private IPs, null

  // Methods and headers.
  kForbiddenMethod = 20,            // CONNECT, TRACE, TRACK
  kInvalidMethod = 21,              // not an HTTP token
  kInvalidHeaderName = 22,          // not an HTTP token
  kExposeStarWithCredentials = 23,  // expose_headers "*" with credentials

  // Values.
  kMaxAgeOutOfRange = 30,    // negative, or beyond 2^31-1
  kBadPreflightStatus = 31,  // not 200 or 204

  // Routes.
  kMalformedPath = 40,        // see corsc/path_pattern.h
  kDuplicateRouteShape = 41,  // /a/{x} and /a/{y}

  // Tests.
  kInvalidTest = 50,  // a [[tests]] entry that cannot run

  // Lint: origins.
  kNonCanonicalOrigin = 100,             // upper case, default port, leading zeros (fix)
  kNullOrigin = 101,                     // "null" listed
  kInsecureOriginWithCredentials = 102,  // http:// (not loopback) with credentials
  kCoveredOrigin = 103,                  // another pattern of the list already matches it
  kDuplicateOrigin = 104,                // the same pattern twice in one list (fix)
  kRegexIsPattern = 105,                 // a regex a plain pattern says exactly (fix)
  kRegexSingleLabel = 106,               // a regex for one label below a domain
  kStarMixed = 107,                      // "*" beside other patterns
  kRegexLookAlike = 108,                 // a regex that matches look-alike hosts

  // Lint: methods and headers.
  kForbiddenRequestHeader = 110,    // allow_headers: a name scripts may not set (fix)
  kAccessControlAllowHeader = 111,  // allow_headers: an Access-Control-* name (fix)
  kForbiddenResponseHeader = 112,   // expose_headers: Set-Cookie (fix)
  kLowerCaseMethod = 113,           // "patch": browsers send it as written (fix)

  // Lint: values.
  kMaxAgeAboveChromium = 120,      // above 7200 s, Chromium's cap
  kMaxAgeAboveFirefox = 121,       // above 86400 s, Firefox's cap
  kPrivateNetworkAnyOrigin = 122,  // private_network = true with origins "*"

  // Lint: routes.
  kRouteChangesNothing = 130,  // a route equal to what would decide without it
  kUnreachableRoute = 131,     // more specific routes take every path it matches
  kSpecificRouteWidens = 132,  // a more specific route grants more than the one it overlaps

  // Lint: profiles.
  kSensitiveRouteWidened = 140,  // a profile widens a route marked sensitive

  // Lint: tests.
  kNoTests = 150,         // the policy has no [[tests]]
  kTestCannotFail = 151,  // a test whose every expectation holds for any policy

  // Lint: the linter's own comments.
  kInvalidSuppression = 190,  // "# corsc:ignore" naming no code, an unknown one or an error
};

// "CORS013".
std::string FormatCode(Code code);
// Parses "CORS013" (or "cors013"); nullopt when not a known code.
std::optional<Code> ParseCode(std::string_view text);

// One entry of the catalogue: what docs/lint-rules.md and SARIF's rule
// metadata say about a code.
struct CodeInfo {
  Code code;
  std::string_view name;     // "star-with-credentials": a stable slug
  Severity severity;         // the default severity
  std::string_view summary;  // one line: what it catches
  std::string_view help;     // a few sentences: why it matters, how to fix it
};
std::span<const CodeInfo> Catalogue();
const CodeInfo& Info(Code code);

// A place in a policy file. Lines and columns are 1-based; column counts
// bytes; 0 means unknown.
struct SourceRange {
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;
  uint32_t length = 0;  // bytes on that line to underline; 0 = a caret only
};

// A mechanical fix: replace `where` (line, column, length) by `replacement`.
struct FixIt {
  SourceRange where;
  std::string replacement;
};

struct Diagnostic {
  Code code = Code::kTomlSyntax;
  Severity severity = Severity::kError;
  SourceRange where;
  // Lower case, no trailing period, offending value quoted:
  // "wildcard directly above the public suffix \"com\" in \"https://*.com\"".
  std::string message;
  std::optional<FixIt> fix;
  // Other places that explain this one ("credentials set here").
  struct Note {
    SourceRange where;
    std::string message;
  };
  std::vector<Note> notes;
};

bool HasErrors(std::span<const Diagnostic> diagnostics);

// Sorts by file order (the order of `files`, then line and column), then
// code and message; removes exact duplicates.
void SortDiagnostics(std::vector<Diagnostic>* diagnostics, std::span<const std::string> files);

}  // namespace corsc

#endif  // CORSC_DIAGNOSTIC_H_
