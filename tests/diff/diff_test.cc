// Copyright corsc developers.
//
// Diff() (corsc/diff.h) on policies whose difference is known: equivalent
// policies have none, and each field's widening and narrowing is reported,
// on the right class of paths, once.

#include "corsc/diff.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "corsc/compiler.h"

namespace corsc::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

std::shared_ptr<const CompiledTable> TableOf(const std::vector<SourceFile>& files,
                                             const std::string& profile = "") {
  CompileOptions options;
  options.profile = profile;
  Compilation c = Compile(files, options);
  std::string diagnostics;
  for (const Diagnostic& d : c.diagnostics) diagnostics += d.message + "\n";
  EXPECT_TRUE(c.ok()) << c.status.message() << "\n" << diagnostics;
  return c.table;
}

std::shared_ptr<const CompiledTable> TableOf(const std::string& text,
                                             const std::string& profile = "") {
  return TableOf(std::vector<SourceFile>{{"policy.toml", "version = 1\n" + text}}, profile);
}

DiffResult DiffOf(const std::shared_ptr<const CompiledTable>& old_table,
                  const std::shared_ptr<const CompiledTable>& new_table) {
  if (old_table == nullptr || new_table == nullptr) return {};
  Result<DiffResult> d = Diff(*old_table, *new_table);
  EXPECT_TRUE(d.ok()) << d.status().message();
  return d.ok() ? *d : DiffResult{};
}

DiffResult DiffOf(const std::string& old_text, const std::string& new_text) {
  return DiffOf(TableOf(old_text), TableOf(new_text));
}

// One line per change: "ROUTE SIGNfield VALUE", ROUTE being the route
// pattern, or "OLD -> NEW" when the paths moved ("-" for no route).
std::vector<std::string> Lines(const DiffResult& d) {
  std::vector<std::string> out;
  for (const RouteDiff& r : d.routes) {
    auto name = [](const std::string& s) { return s.empty() ? std::string("-") : s; };
    const std::string route =
        r.moved ? name(r.old_route) + " -> " + name(r.new_route) : r.new_route;
    for (const Change& c : r.changes) {
      const char* sign = c.kind == ChangeKind::kWiden    ? "+"
                         : c.kind == ChangeKind::kNarrow ? "-"
                                                         : "~";
      std::string value = c.value.empty() ? c.old_value + "->" + c.new_value : c.value;
      out.push_back(route + " " + sign + std::string(DiffFieldName(c.field)) + " " + value);
    }
  }
  return out;
}

// The change of `d` whose Lines() entry is `line`.
const Change* Find(const DiffResult& d, const std::string& line) {
  std::vector<std::string> lines = Lines(d);
  size_t i = 0;
  for (const RouteDiff& r : d.routes) {
    for (const Change& c : r.changes) {
      if (lines[i++] == line) return &c;
    }
  }
  return nullptr;
}

const char* const kBase = R"(
[defaults]
origins = ["https://app.example.com", "https://admin.example.com"]
methods = ["GET", "POST"]
allow_headers = ["content-type"]
expose_headers = ["x-request-id"]
credentials = true
max_age = 600
)";

// ---------------------------------------------------------------- no difference

TEST(DiffTest, IdenticalPoliciesHaveNoDifference) {
  DiffResult d = DiffOf(kBase, kBase);
  EXPECT_THAT(d.routes, IsEmpty());
  EXPECT_EQ(d.widenings + d.narrowings + d.other_changes, 0u);
  EXPECT_TRUE(d.same_access());
}

TEST(DiffTest, ReorderedAndReformattedPolicyHasNoDifference) {
  const std::string old_text = R"(
[defaults]
origins = ["https://app.example.com", "https://*.example.com", "http://localhost:*"]
methods = ["GET", "PUT", "POST"]
allow_headers = ["content-type", "authorization"]
expose_headers = ["x-request-id", "etag"]
credentials = true

[[routes]]
path = "/api/users/{id}"
methods = ["GET", "delete"]

[[routes]]
path = "/public/**"
origins = ["*"]
credentials = false
)";
  // Routes, list entries and keys reordered; a parameter renamed; case and
  // default ports that canonicalize away; an inline table; comments.
  const std::string new_text = R"(
[[routes]]   # public first now
path = "/public/**"
credentials = false
origins = ["*"]

[[routes]]
methods = ["DELETE", "GET"]
path = "/api/users/{user}"

[defaults]
expose_headers = ["ETag", "X-Request-Id"]
allow_headers = ["Authorization", "Content-Type"]
credentials = true
methods = ["POST", "get", "PUT", "GET"]
origins = [
  "HTTP://localhost:*",
  "https://*.example.com",
  "https://APP.example.com:443",
]
)";
  DiffResult d = DiffOf(old_text, new_text);
  EXPECT_THAT(Lines(d), IsEmpty());
  EXPECT_TRUE(d.same_access());
}

TEST(DiffTest, OneFileOrAFolderOfTwoIsTheSamePolicy) {
  auto one = TableOf(
      std::vector<SourceFile>{{"all.toml",
                               "version = 1\n[defaults]\norigins = [\"https://a.example.com\"]\n"
                               "[[routes]]\npath = \"/x\"\nmethods = [\"PUT\"]\n"}});
  auto two = TableOf(std::vector<SourceFile>{
      {"p/1.toml", "version = 1\n[[routes]]\npath = \"/x\"\nmethods = [\"PUT\"]\n"},
      {"p/2.toml", "version = 1\n[defaults]\norigins = [\"https://a.example.com\"]\n"}});
  EXPECT_THAT(Lines(DiffOf(one, two)), IsEmpty());
}

TEST(DiffTest, AnOriginAlreadyCoveredAddsNothing) {
  DiffResult d = DiffOf(R"(
[defaults]
origins = ["https://*.example.com", "http://*.localhost:*"]
)",
                        R"(
[defaults]
origins = ["https://*.example.com", "http://*.localhost:*", "https://a.example.com",
           "https://*.b.example.com", "http://app.localhost:*", "http://x.localhost:3000"]
)");
  EXPECT_THAT(Lines(d), IsEmpty());
}

TEST(DiffTest, ClosedRouteAndNoRouteAreTheSame) {
  // origins = [] allows nothing, like no route at all.
  DiffResult d = DiffOf(R"(
[[routes]]
path = "/a"
origins = ["https://a.example.com"]
[[routes]]
path = "/internal/**"
origins = []
)",
                        R"(
[[routes]]
path = "/a"
origins = ["https://a.example.com"]
)");
  EXPECT_THAT(Lines(d), IsEmpty());
}

// ---------------------------------------------------------------- fields

TEST(DiffTest, OriginAddedAndRemoved) {
  DiffResult d = DiffOf(kBase, R"(
[defaults]
origins = ["https://app.example.com", "https://shop.example.com"]
methods = ["GET", "POST"]
allow_headers = ["content-type"]
expose_headers = ["x-request-id"]
credentials = true
max_age = 600
)");
  EXPECT_THAT(Lines(d), ElementsAre("[defaults] -origins https://admin.example.com",
                                    "[defaults] +origins https://shop.example.com"));
  EXPECT_EQ(d.widenings, 1u);
  EXPECT_EQ(d.narrowings, 1u);
  const Change* c = Find(d, "[defaults] +origins https://shop.example.com");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->proven);
  EXPECT_EQ(c->file, "policy.toml");
  EXPECT_EQ(c->line, 4u);  // where the new origin is written (after "version" and a blank)
  EXPECT_EQ(c->column, 39u);
}

TEST(DiffTest, EveryFieldWidens) {
  DiffResult d = DiffOf(kBase, R"(
[defaults]
origins = ["https://app.example.com", "https://admin.example.com"]
methods = ["GET", "POST", "PUT"]
allow_headers = ["content-type", "x-debug"]
expose_headers = ["x-request-id", "x-total-count"]
credentials = true
max_age = 600
private_network = true
)");
  EXPECT_THAT(Lines(d), ElementsAre("[defaults] +methods PUT", "[defaults] +allow_headers x-debug",
                                    "[defaults] +expose_headers x-total-count",
                                    "[defaults] +private_network false->true"));
  EXPECT_EQ(d.widenings, 4u);
  EXPECT_EQ(d.narrowings, 0u);
}

TEST(DiffTest, EveryFieldNarrows) {
  DiffResult d = DiffOf(kBase, R"(
[defaults]
origins = ["https://app.example.com"]
methods = ["GET"]
allow_headers = []
expose_headers = []
credentials = false
max_age = 600
)");
  EXPECT_THAT(Lines(d),
              ElementsAre("[defaults] -origins https://admin.example.com",
                          "[defaults] -methods POST", "[defaults] -allow_headers content-type",
                          "[defaults] -expose_headers x-request-id",
                          "[defaults] -credentials true->false"));
  EXPECT_EQ(d.widenings, 0u);
  EXPECT_EQ(d.narrowings, 5u);
}

TEST(DiffTest, CredentialsTurnedOnWiden) {
  DiffResult d = DiffOf("[defaults]\norigins = [\"https://a.example.com\"]\n",
                        "[defaults]\norigins = [\"https://a.example.com\"]\ncredentials = true\n");
  EXPECT_THAT(Lines(d), ElementsAre("[defaults] +credentials false->true"));
  EXPECT_EQ(d.widenings, 1u);
}

TEST(DiffTest, MaxAgeAndPreflightStatusAreOtherChanges) {
  DiffResult d = DiffOf(kBase, std::string(kBase) + "preflight_status = 200\n");
  EXPECT_THAT(Lines(d), ElementsAre("[defaults] ~preflight_status 204->200"));
  d = DiffOf(kBase, R"(
[defaults]
origins = ["https://app.example.com", "https://admin.example.com"]
methods = ["GET", "POST"]
allow_headers = ["content-type"]
expose_headers = ["x-request-id"]
credentials = true
)");
  EXPECT_THAT(Lines(d), ElementsAre("[defaults] ~max_age 600->none"));
  EXPECT_EQ(d.widenings + d.narrowings, 0u);
  EXPECT_EQ(d.other_changes, 1u);
  EXPECT_TRUE(d.same_access());
}

TEST(DiffTest, MethodsAreComparedNormalized) {
  // "delete" is DELETE; "patch" is not PATCH (only the six standard
  // methods match case-insensitively).
  DiffResult d = DiffOf(
      "[defaults]\norigins = [\"https://a.example.com\"]\n"
      "methods = [\"DELETE\", \"PATCH\"]\n",
      "[defaults]\norigins = [\"https://a.example.com\"]\n"
      "methods = [\"delete\", \"patch\"]\n");
  EXPECT_THAT(Lines(d), ElementsAre("[defaults] -methods PATCH", "[defaults] +methods patch"));
}

TEST(DiffTest, StarInAListOfMethodsOrHeaders) {
  const std::string list =
      "[defaults]\norigins = [\"https://a.example.com\"]\n"
      "methods = [\"GET\"]\nallow_headers = [\"content-type\"]\n";
  const std::string star =
      "[defaults]\norigins = [\"https://a.example.com\"]\n"
      "methods = [\"*\"]\nallow_headers = [\"*\", \"x-a\"]\n";
  EXPECT_THAT(Lines(DiffOf(list, star)),
              ElementsAre("[defaults] +methods *", "[defaults] +allow_headers *"));
  EXPECT_THAT(Lines(DiffOf(star, list)),
              ElementsAre("[defaults] -methods *", "[defaults] -allow_headers *"));
  EXPECT_THAT(Lines(DiffOf(star, star)), IsEmpty());
}

// ---------------------------------------------------------------- origins

TEST(DiffTest, WildcardNewlyCoveringAnExactOriginWidens) {
  DiffResult d = DiffOf("[defaults]\norigins = [\"https://a.example.com\"]\n",
                        "[defaults]\norigins = [\"https://*.example.com\"]\n");
  EXPECT_THAT(Lines(d), ElementsAre("[defaults] +origins https://*.example.com"));
  const Change* c = Find(d, "[defaults] +origins https://*.example.com");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->proven);
  // An origin the new policy allows and the old did not (not a.example.com).
  EXPECT_EQ(c->example, "https://b.example.com");
}

TEST(DiffTest, WildcardReplacedByAnExactOriginNarrows) {
  DiffResult d = DiffOf("[defaults]\norigins = [\"https://*.example.com\"]\n",
                        "[defaults]\norigins = [\"https://a.example.com\"]\n");
  EXPECT_THAT(Lines(d), ElementsAre("[defaults] -origins https://*.example.com"));
  EXPECT_EQ(d.widenings, 0u);
  ASSERT_NE(Find(d, "[defaults] -origins https://*.example.com"), nullptr);
  EXPECT_EQ(Find(d, "[defaults] -origins https://*.example.com")->example, "https://b.example.com");
}

TEST(DiffTest, WildcardOnAShorterSuffixWidens) {
  DiffResult d = DiffOf("[defaults]\norigins = [\"https://*.shop.example.com\"]\n",
                        "[defaults]\norigins = [\"https://*.example.com\"]\n");
  EXPECT_THAT(Lines(d), ElementsAre("[defaults] +origins https://*.example.com"));
  // Not the other way round: the deeper wildcard is inside the new one.
  EXPECT_EQ(d.narrowings, 0u);
}

TEST(DiffTest, PortsOfWildcards) {
  // No port -> any port: widens (an origin with a port is new).
  DiffResult d = DiffOf("[defaults]\norigins = [\"https://*.example.com\"]\n",
                        "[defaults]\norigins = [\"https://*.example.com:*\"]\n");
  EXPECT_THAT(Lines(d), ElementsAre("[defaults] +origins https://*.example.com:*"));
  ASSERT_NE(Find(d, "[defaults] +origins https://*.example.com:*"), nullptr);
  EXPECT_EQ(Find(d, "[defaults] +origins https://*.example.com:*")->example,
            "https://a.example.com:8080");
  // One port -> another port: both.
  d = DiffOf("[defaults]\norigins = [\"https://*.example.com:8443\"]\n",
             "[defaults]\norigins = [\"https://*.example.com:9443\"]\n");
  EXPECT_THAT(Lines(d), ElementsAre("[defaults] -origins https://*.example.com:8443",
                                    "[defaults] +origins https://*.example.com:9443"));
  // A host with any port against its exact origin.
  d = DiffOf("[defaults]\norigins = [\"http://localhost:3000\"]\n",
             "[defaults]\norigins = [\"http://localhost:*\"]\n");
  EXPECT_THAT(Lines(d), ElementsAre("[defaults] +origins http://localhost:*"));
  ASSERT_NE(Find(d, "[defaults] +origins http://localhost:*"), nullptr);
  EXPECT_EQ(Find(d, "[defaults] +origins http://localhost:*")->example, "http://localhost");
}

TEST(DiffTest, SchemeMatters) {
  DiffResult d =
      DiffOf("[defaults]\norigins = [\"https://*.example.com\"]\n",
             "[defaults]\norigins = [\"https://*.example.com\", \"http://*.example.com\"]\n");
  EXPECT_THAT(Lines(d), ElementsAre("[defaults] +origins http://*.example.com"));
}

TEST(DiffTest, StarAddedWidensEverything) {
  DiffResult d = DiffOf("[defaults]\norigins = [\"https://a.example.com\"]\n",
                        "[defaults]\norigins = [\"https://a.example.com\", \"*\"]\n");
  EXPECT_THAT(Lines(d), ElementsAre("[defaults] +origins *"));
  const Change* c = Find(d, "[defaults] +origins *");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->proven);
  EXPECT_FALSE(c->example.empty());

  d = DiffOf("[defaults]\norigins = [\"*\"]\n",
             "[defaults]\norigins = [\"https://a.example.com\"]\n");
  EXPECT_THAT(Lines(d), ElementsAre("[defaults] -origins *"));
  EXPECT_EQ(d.widenings, 0u);
}

TEST(DiffTest, NullIsAnOriginLikeAnother) {
  DiffResult d = DiffOf("[defaults]\norigins = [\"https://a.example.com\"]\n",
                        "[defaults]\norigins = [\"https://a.example.com\", \"null\"]\n");
  EXPECT_THAT(Lines(d), ElementsAre("[defaults] +origins null"));
  // A wildcard never covers null.
  d = DiffOf("[defaults]\norigins = [\"https://*.example.com\"]\n",
             "[defaults]\norigins = [\"https://*.example.com\", \"null\"]\n");
  EXPECT_THAT(Lines(d), ElementsAre("[defaults] +origins null"));
}

TEST(DiffTest, ChangedRegexIsAnUnprovenWideningAndNarrowing) {
  DiffResult d = DiffOf(
      "[defaults]\norigins = [{ regex = '^https://pr-[0-9]+\\.preview\\.example\\.net$' }]\n",
      "[defaults]\norigins = [{ regex = '^https://pr-[0-9a-z]+\\.preview\\.example\\.net$' }]\n");
  ASSERT_THAT(Lines(d),
              ElementsAre("[defaults] -origins ^https://pr-[0-9]+\\.preview\\.example\\.net$",
                          "[defaults] +origins ^https://pr-[0-9a-z]+\\.preview\\.example\\.net$"));
  for (const Change& c : d.routes[0].changes) {
    EXPECT_TRUE(c.regex);
    EXPECT_FALSE(c.proven);
    EXPECT_THAT(c.note, ::testing::HasSubstr("unproven"));
  }
  EXPECT_EQ(d.widenings, 1u);  // review gates count it
}

TEST(DiffTest, SameRegexIsNoDifference) {
  const std::string p =
      "[defaults]\norigins = [{ regex = '^https://pr-[0-9]+\\.example\\.net$' }]\n";
  EXPECT_THAT(Lines(DiffOf(p, p)), IsEmpty());
}

TEST(DiffTest, ExactOriginCoveredByAnOldRegex) {
  const std::string old_text =
      "[defaults]\norigins = [{ regex = '^https://[a-z]+\\.example\\.com$' }]\n";
  DiffResult d = DiffOf(old_text,
                        "[defaults]\norigins = [{ regex = '^https://[a-z]+\\.example\\.com$' }, "
                        "\"https://shop.example.com\", \"https://shop-2.example.com\"]\n");
  // shop matches the regex; shop-2 does not (a hyphen).
  EXPECT_THAT(Lines(d), ElementsAre("[defaults] +origins https://shop-2.example.com"));
}

TEST(DiffTest, ExactOriginCoveredByARegexTooBigForOneRegexSet) {
  // The regex fits in the memory budget alone, but not as an RE2::Set: it
  // is then run alone, as the engine runs it.
  const std::string regex = "{ regex = 'https://\\pL{63}\\.\\pL{63}\\.\\pL{63}\\.example\\.com' }";
  const std::string label(63, 'a');
  const std::string origin = "https://" + label + "." + label + "." + label + ".example.com";
  DiffResult d = DiffOf(
      "[defaults]\norigins = [" + regex + "]\n",
      "[defaults]\norigins = [" + regex + ", \"" + origin + "\", \"https://b.example.com\"]\n");
  EXPECT_THAT(Lines(d), ElementsAre("[defaults] +origins https://b.example.com"));
}

TEST(DiffTest, WildcardAnOldRegexMayCoverIsUnproven) {
  DiffResult d = DiffOf("[defaults]\norigins = [{ regex = '^https://.+\\.example\\.com$' }]\n",
                        "[defaults]\norigins = [{ regex = '^https://.+\\.example\\.com$' }, "
                        "\"https://*.example.com\"]\n");
  EXPECT_THAT(Lines(d), ElementsAre("[defaults] +origins https://*.example.com"));
  const Change* c = Find(d, "[defaults] +origins https://*.example.com");
  ASSERT_NE(c, nullptr);
  EXPECT_FALSE(c->proven);
  EXPECT_EQ(c->example, "");
  // When the regex refuses one of the wildcard's origins, it is proven.
  d = DiffOf("[defaults]\norigins = [{ regex = '^https://[a-m]\\.example\\.com$' }]\n",
             "[defaults]\norigins = [\"https://*.example.com\"]\n");
  c = Find(d, "[defaults] +origins https://*.example.com");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->proven);
  EXPECT_EQ(c->example, "https://x.example.com");
}

TEST(DiffTest, WildcardOverExactOriginsThatNameTheShortLabelsIsProven) {
  // No regex: an exact list that does not cover the wildcard refuses some
  // origin below it, even when it names every short label diff tries first.
  const std::string old_text =
      "[defaults]\norigins = [\"https://a.example.com\", \"https://b.example.com\", "
      "\"https://c.example.com\", \"https://x.example.com\", \"https://y.example.com\", "
      "\"https://z.example.com\", \"https://a.b.example.com\"]\n";
  DiffResult d = DiffOf(old_text, "[defaults]\norigins = [\"https://*.example.com\"]\n");
  const Change* c = Find(d, "[defaults] +origins https://*.example.com");
  ASSERT_NE(c, nullptr) << ::testing::PrintToString(Lines(d));
  EXPECT_TRUE(c->proven);
  EXPECT_EQ(c->example, "https://unlisted.example.com");
}

// ---------------------------------------------------------------- routes

TEST(DiffTest, NewRouteOpensPaths) {
  DiffResult d = DiffOf(R"(
[[routes]]
path = "/a"
origins = ["https://a.example.com"]
)",
                        R"(
[[routes]]
path = "/a"
origins = ["https://a.example.com"]
[[routes]]
path = "/b/{id}"
origins = ["https://b.example.com"]
)");
  ASSERT_THAT(Lines(d), ElementsAre("- -> /b/{id} +route /b/{id}"));
  EXPECT_EQ(d.routes[0].example_path, "/b/*");
  EXPECT_EQ(d.widenings, 1u);
}

TEST(DiffTest, RemovedRouteCloses) {
  DiffResult d = DiffOf(R"(
[[routes]]
path = "/a"
origins = ["https://a.example.com"]
[[routes]]
path = "/b/**"
origins = ["https://b.example.com"]
)",
                        R"(
[[routes]]
path = "/a"
origins = ["https://a.example.com"]
)");
  EXPECT_THAT(Lines(d), ElementsAre("/b/** -> - -route /b/**"));
  EXPECT_EQ(d.narrowings, 1u);
  EXPECT_EQ(d.widenings, 0u);
}

TEST(DiffTest, RemovedRouteFallsBackToTheCatchAll) {
  DiffResult d = DiffOf(R"(
[defaults]
origins = ["https://a.example.com"]
[[routes]]
path = "/b"
origins = ["https://a.example.com", "https://b.example.com"]
)",
                        "[defaults]\norigins = [\"https://a.example.com\"]\n");
  EXPECT_THAT(Lines(d), ElementsAre("/b -> [defaults] -origins https://b.example.com"));
}

TEST(DiffTest, MoreSpecificRouteTakesPathsFromAnOldOne) {
  DiffResult d = DiffOf(R"(
[[routes]]
path = "/api/**"
origins = ["https://a.example.com"]
)",
                        R"(
[[routes]]
path = "/api/**"
origins = ["https://a.example.com"]
[[routes]]
path = "/api/admin/{id}"
origins = ["https://a.example.com", "https://ops.example.com"]
methods = ["DELETE"]
)");
  EXPECT_THAT(Lines(d),
              UnorderedElementsAre("/api/** -> /api/admin/{id} +origins https://ops.example.com",
                                   "/api/** -> /api/admin/{id} -methods GET",
                                   "/api/** -> /api/admin/{id} -methods HEAD",
                                   "/api/** -> /api/admin/{id} -methods POST",
                                   "/api/** -> /api/admin/{id} +methods DELETE"));
  ASSERT_EQ(d.routes.size(), 1u);
  EXPECT_EQ(d.routes[0].example_path, "/api/admin/*");
}

TEST(DiffTest, OverlapOfTwoPatternsIsItsOwnClass) {
  // /a/b/c is matched by both /a/{x}/c (old and new) and /a/b/{y} (new
  // only, and more specific). Only that path moves from a route to a route;
  // /a/b/<other> gains a route.
  const std::string old_text = R"(
[[routes]]
path = "/a/{x}/c"
origins = ["https://a.example.com", "https://b.example.com"]
)";
  DiffResult d = DiffOf(old_text, old_text + R"(
[[routes]]
path = "/a/b/{y}"
origins = ["https://a.example.com"]
)");
  EXPECT_THAT(Lines(d),
              UnorderedElementsAre("- -> /a/b/{y} +route /a/b/{y}",
                                   "/a/{x}/c -> /a/b/{y} -origins https://b.example.com"));
  for (const RouteDiff& r : d.routes) {
    if (!r.old_route.empty()) {
      EXPECT_EQ(r.example_path, "/a/b/c");
    }
  }
}

TEST(DiffTest, GlobstarMatchesZeroSegments) {
  // /files/** covers /files itself; the new exact route takes just that.
  const std::string old_text =
      "[[routes]]\npath = \"/files/**\"\norigins = [\"https://a.example.com\"]\n";
  DiffResult d = DiffOf(old_text, old_text + "[[routes]]\npath = \"/files\"\norigins = [\"*\"]\n");
  ASSERT_THAT(Lines(d), ElementsAre("/files/** -> /files +origins *"));
  EXPECT_EQ(d.routes[0].example_path, "/files");
}

TEST(DiffTest, GlobstarBesideARouteThatEndsOpensTheLongerPaths) {
  // After /files, /files ends and only /files/** goes on: /files/<more> is
  // a class of its own, which the new route opens.
  const std::string old_text = "[[routes]]\npath = \"/files\"\norigins = [\"https://a.example.com\"]\n";
  DiffResult d =
      DiffOf(old_text, old_text + "[[routes]]\npath = \"/files/**\"\norigins = [\"*\"]\n");
  ASSERT_THAT(Lines(d), ElementsAre("- -> /files/** +route /files/**"));
  EXPECT_EQ(d.routes[0].example_path, "/files/*");
  EXPECT_EQ(d.widenings, 1u);
}

TEST(DiffTest, GlobstarBesideARouteThatEndsWidensWhenEdited) {
  // /admin is open and /admin/** is closed; opening /admin/** widens
  // /admin/<more> (and /admin itself stays with the more specific /admin).
  const std::string head =
      "[[routes]]\npath = \"/admin\"\norigins = [\"https://a.example.com\"]\n"
      "[[routes]]\npath = \"/admin/**\"\n";
  DiffResult d = DiffOf(head + "origins = []\n", head + "origins = [\"*\"]\n");
  ASSERT_THAT(Lines(d), ElementsAre("/admin/** +route /admin/**"));
  EXPECT_EQ(d.routes[0].example_path, "/admin/*");
}

TEST(DiffTest, PatternWidenedToAGlobstar) {
  // /u/{id} -> /u/{id}/**: the paths below /u/<id> gain a route, and the
  // reverse change loses it.
  const std::string a = "[[routes]]\npath = \"/u/{id}\"\norigins = [\"https://a.example.com\"]\n";
  const std::string b =
      "[[routes]]\npath = \"/u/{id}/**\"\norigins = [\"https://a.example.com\"]\n";
  DiffResult d = DiffOf(a, b);
  EXPECT_EQ(d.widenings, 1u);
  EXPECT_THAT(Lines(d), ::testing::Contains("- -> /u/{id}/** +route /u/{id}/**"));
  DiffResult back = DiffOf(b, a);
  EXPECT_EQ(back.narrowings, 1u);
  EXPECT_THAT(Lines(back), ::testing::Contains("/u/{id}/** -> - -route /u/{id}/**"));
}

TEST(DiffTest, TrailingSlashIsAnotherPath) {
  const std::string old_text = "[[routes]]\npath = \"/a\"\norigins = [\"https://a.example.com\"]\n";
  DiffResult d = DiffOf(
      old_text, old_text + "[[routes]]\npath = \"/a/\"\norigins = [\"https://a.example.com\"]\n");
  ASSERT_THAT(Lines(d), ElementsAre("- -> /a/ +route /a/"));
  EXPECT_EQ(d.routes[0].example_path, "/a/");
}

TEST(DiffTest, CatchAllAddedWidensUnroutedPaths) {
  DiffResult d = DiffOf("[[routes]]\npath = \"/**\"\norigins = [\"https://a.example.com\"]\n",
                        "[defaults]\norigins = [\"https://a.example.com\"]\n"
                        "[[routes]]\npath = \"/**\"\n");
  // Every path starting with "/" is routed by /** in both; the others
  // (OPTIONS *) reach the new catch-all route only.
  ASSERT_THAT(Lines(d), ElementsAre("- -> [defaults] +route [defaults]"));
  EXPECT_EQ(d.routes[0].example_path, "*");
}

TEST(DiffTest, RenamedParameterIsTheSameRoute) {
  DiffResult d =
      DiffOf("[[routes]]\npath = \"/u/{id}\"\norigins = [\"https://a.example.com\"]\n",
             "[[routes]]\npath = \"/u/{user}\"\norigins = [\"https://b.example.com\"]\n");
  ASSERT_EQ(d.routes.size(), 1u);
  EXPECT_FALSE(d.routes[0].moved);
  EXPECT_EQ(d.routes[0].old_route, "/u/{id}");
  EXPECT_EQ(d.routes[0].new_route, "/u/{user}");
}

TEST(DiffTest, InheritedChangeIsReportedOnEveryRoute) {
  DiffResult d = DiffOf(R"(
[defaults]
origins = ["https://a.example.com"]
[[routes]]
path = "/x"
methods = ["PUT"]
)",
                        R"(
[defaults]
origins = ["https://a.example.com", "https://b.example.com"]
[[routes]]
path = "/x"
methods = ["PUT"]
)");
  EXPECT_THAT(Lines(d), ElementsAre("/x +origins https://b.example.com",
                                    "[defaults] +origins https://b.example.com"));
}

// ---------------------------------------------------------------- profiles, tables

TEST(DiffTest, ProfileOverlayWidens) {
  const std::string text = R"(
[defaults]
origins = ["https://app.example.com"]
[[routes]]
path = "/api/**"
methods = ["GET", "PUT"]
[profiles.dev.defaults]
origins.add = ["http://localhost:*"]
[[profiles.dev.routes]]
path = "/api/**"
private_network = true
)";
  DiffResult d = DiffOf(TableOf(text), TableOf(text, "dev"));
  EXPECT_THAT(Lines(d), ElementsAre("/api/** +origins http://localhost:*",
                                    "/api/** +private_network false->true",
                                    "[defaults] +origins http://localhost:*"));
  // The absent production profile is the base policy.
  EXPECT_THAT(Lines(DiffOf(TableOf(text), TableOf(text, "prod"))), IsEmpty());
}

TEST(DiffTest, TablesAndPoliciesGiveTheSameDiff) {
  auto old_table = TableOf(kBase);
  auto new_table = TableOf(R"(
[defaults]
origins = ["https://*.example.com"]
methods = ["GET"]
credentials = true
[[routes]]
path = "/p/**"
origins = ["*"]
credentials = false
)");
  ASSERT_NE(old_table, nullptr);
  ASSERT_NE(new_table, nullptr);
  // Through the bytes, as corsc compile writes them and corsc diff reads them.
  Result<std::shared_ptr<const CompiledTable>> old_again = CompiledTable::Open(old_table->bytes());
  Result<std::shared_ptr<const CompiledTable>> new_again = CompiledTable::Open(new_table->bytes());
  ASSERT_TRUE(old_again.ok()) << old_again.status().ToString();
  ASSERT_TRUE(new_again.ok()) << new_again.status().ToString();
  const std::vector<std::string> direct = Lines(DiffOf(old_table, new_table));
  EXPECT_THAT(direct, Not(IsEmpty()));
  EXPECT_EQ(Lines(DiffOf(*old_again, *new_again)), direct);
  EXPECT_EQ(Lines(DiffOf(*old_again, new_table)), direct);
  // And through the TableSpec overload.
  Result<DiffResult> from_specs = Diff(old_table->Describe(), new_table->Describe());
  ASSERT_TRUE(from_specs.ok()) << from_specs.status().message();
  EXPECT_EQ(Lines(*from_specs), direct);
}

TEST(DiffTest, DiffIsSymmetric) {
  // Swapping the sides swaps widenings and narrowings.
  auto a = TableOf(kBase);
  auto b = TableOf(R"(
[defaults]
origins = ["https://*.example.com", "http://localhost:*"]
methods = ["GET", "DELETE"]
expose_headers = ["*"]
max_age = 60
[[routes]]
path = "/p/{id}"
origins = []
)");
  DiffResult ab = DiffOf(a, b);
  DiffResult ba = DiffOf(b, a);
  EXPECT_EQ(ab.widenings, ba.narrowings);
  EXPECT_EQ(ab.narrowings, ba.widenings);
  EXPECT_EQ(ab.other_changes, ba.other_changes);
  EXPECT_GT(ab.widenings, 0u);
  EXPECT_GT(ab.narrowings, 0u);
}

TEST(DiffTest, LongOriginListsAndManyRoutes) {
  // Lists are indexed and compared once per pair of lists, so this is
  // quick; compared pattern by pattern and route by route, it was not.
  auto policy = [](const std::string& extra_origin) {
    std::string s = "[defaults]\norigins = [" + extra_origin;
    for (int i = 0; i < 20000; ++i) {
      s += "\"https://o" + std::to_string(i) + ".example" + std::to_string(i % 50) + ".com\",\n";
    }
    s += "]\n";
    for (int i = 0; i < 500; ++i) s += "[[routes]]\npath = \"/r" + std::to_string(i) + "/{id}\"\n";
    return s;
  };
  DiffResult d = DiffOf(policy(""), policy("\"https://*.example7.com\", "));
  EXPECT_EQ(d.widenings, 501u);  // 500 routes and the catch-all
  EXPECT_EQ(d.narrowings, 0u);
  ASSERT_FALSE(d.routes.empty());
  ASSERT_EQ(d.routes[0].changes.size(), 1u);
  EXPECT_EQ(d.routes[0].changes[0].value, "https://*.example7.com");
  EXPECT_EQ(d.routes[0].changes[0].example, "https://a.example7.com");
}

TEST(DiffTest, TooManyPathClassesIsAnError) {
  auto t = TableOf(R"(
[defaults]
origins = ["https://a.example.com"]
[[routes]]
path = "/a/b/c"
[[routes]]
path = "/d/{e}/f"
)");
  ASSERT_NE(t, nullptr);
  DiffOptions options;
  options.max_path_classes = 3;
  Result<DiffResult> d = Diff(*t, *t, options);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(Diff(*t, *t).ok());
}

TEST(DiffTest, Names) {
  EXPECT_EQ(ChangeKindName(ChangeKind::kWiden), "widen");
  EXPECT_EQ(ChangeKindName(ChangeKind::kNarrow), "narrow");
  EXPECT_EQ(ChangeKindName(ChangeKind::kChange), "change");
  EXPECT_EQ(DiffFieldName(DiffField::kAllowHeaders), "allow_headers");
  EXPECT_EQ(DiffFieldName(DiffField::kPreflightStatus), "preflight_status");
}

}  // namespace
}  // namespace corsc::testing
