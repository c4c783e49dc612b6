// Copyright corsc developers.
//
// Resolution: language defaults, [defaults] inheritance of every field,
// origins and origins.add, profile overlays (replace, add, routes by
// shape), the catch-all route, and the command line's profile choice.

#include "resolve.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "test_util.h"

namespace corsc {
namespace {

using testing::CompileFiles;
using testing::CompileText;
using testing::Describe;
using testing::Values;
using testing::WithProfile;

std::vector<std::string> Origins(const EffectiveRoute& r) {
  std::vector<std::string> out;
  for (const OriginPattern& p : r.origins.value) out.push_back(p.canonical);
  return out;
}

const EffectiveRoute& Route(const Compilation& c, const std::string& path) {
  for (const EffectiveRoute& r : c.policy->routes) {
    if (r.path == path) return r;
  }
  if (c.policy->catch_all && path == "[defaults]") return *c.policy->catch_all;
  ADD_FAILURE() << "no route " << path;
  static const EffectiveRoute kNone;
  return kNone;
}

std::string ReadTestdata(const std::string& name) {
  std::ifstream in(testing::TestdataPath(name));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(ResolveTest, LanguageDefaults) {
  Compilation c = CompileText(
      "version = 1\n[[routes]]\npath = \"/a\"\norigins = [\"https://a.example.com\"]\n");
  ASSERT_TRUE(c.policy.has_value()) << Describe(c.diagnostics);
  const EffectiveRoute& r = Route(c, "/a");
  EXPECT_EQ(Values(r.methods.value), (std::vector<std::string>{"GET", "HEAD", "POST"}));
  EXPECT_EQ(r.methods.where.line, 0u);  // supplied by the language
  EXPECT_TRUE(r.allow_headers.value.empty());
  EXPECT_TRUE(r.expose_headers.value.empty());
  EXPECT_FALSE(r.credentials.value);
  EXPECT_FALSE(r.max_age.value.has_value());
  EXPECT_FALSE(r.private_network.value);
  EXPECT_EQ(r.preflight_status.value, 204);
  EXPECT_EQ(r.preflight_status.where.line, 0u);
  EXPECT_FALSE(c.policy->catch_all.has_value());  // [defaults] has no origins
}

constexpr char kAllFields[] = R"(version = 1
[defaults]
origins = ["https://app.example.com"]
methods = ["PUT"]
allow_headers = ["x-a"]
expose_headers = ["x-b"]
credentials = true
max_age = 0
private_network = true
preflight_status = 200

[[routes]]
path = "/inherits"

[[routes]]
path = "/overrides"
origins = ["https://other.example.com"]
methods = ["GET"]
allow_headers = []
expose_headers = ["x-c"]
credentials = false
max_age = 60
private_network = false
preflight_status = 204
)";

TEST(ResolveTest, RoutesInheritEveryField) {
  Compilation c = CompileText(kAllFields);
  ASSERT_TRUE(c.policy.has_value()) << Describe(c.diagnostics);
  const EffectiveRoute& r = Route(c, "/inherits");
  EXPECT_EQ(Origins(r), (std::vector<std::string>{"https://app.example.com"}));
  EXPECT_EQ(r.origins.where.line, 3u);
  EXPECT_EQ(Values(r.methods.value), (std::vector<std::string>{"PUT"}));
  EXPECT_EQ(r.methods.where.line, 4u);
  EXPECT_EQ(Values(r.allow_headers.value), (std::vector<std::string>{"x-a"}));
  EXPECT_EQ(Values(r.expose_headers.value), (std::vector<std::string>{"x-b"}));
  EXPECT_TRUE(r.credentials.value);
  EXPECT_EQ(r.credentials.where.line, 7u);
  EXPECT_EQ(r.max_age.value, 0u);  // 0 is a value, not "unset"
  EXPECT_EQ(r.max_age.where.line, 8u);
  EXPECT_TRUE(r.private_network.value);
  EXPECT_EQ(r.preflight_status.value, 200);
  EXPECT_EQ(r.preflight_status.where.line, 10u);
  EXPECT_EQ(r.where.line, 13u);
}

TEST(ResolveTest, RoutesOverrideEveryField) {
  Compilation c = CompileText(kAllFields);
  ASSERT_TRUE(c.policy.has_value()) << Describe(c.diagnostics);
  const EffectiveRoute& r = Route(c, "/overrides");
  EXPECT_EQ(Origins(r), (std::vector<std::string>{"https://other.example.com"}));
  EXPECT_EQ(r.origins.where.line, 17u);
  EXPECT_EQ(Values(r.methods.value), (std::vector<std::string>{"GET"}));
  EXPECT_TRUE(r.allow_headers.value.empty());
  EXPECT_EQ(r.allow_headers.where.line, 19u);
  EXPECT_EQ(Values(r.expose_headers.value), (std::vector<std::string>{"x-c"}));
  EXPECT_FALSE(r.credentials.value);
  EXPECT_EQ(r.credentials.where.line, 21u);
  EXPECT_EQ(r.max_age.value, 60u);
  EXPECT_FALSE(r.private_network.value);
  EXPECT_EQ(r.private_network.where.line, 23u);
  EXPECT_EQ(r.preflight_status.value, 204);
  EXPECT_EQ(r.preflight_status.where.line, 24u);
}

TEST(ResolveTest, CatchAllRouteFromDefaults) {
  Compilation c = CompileText(kAllFields);
  ASSERT_TRUE(c.policy.has_value());
  ASSERT_TRUE(c.policy->catch_all.has_value());
  const EffectiveRoute& d = *c.policy->catch_all;
  EXPECT_TRUE(d.catch_all);
  EXPECT_EQ(d.path, "[defaults]");
  EXPECT_EQ(d.where.line, 2u);  // the [defaults] header (D9)
  EXPECT_EQ(d.where.column, 1u);
  EXPECT_EQ(Values(d.methods.value), (std::vector<std::string>{"PUT"}));
  EXPECT_EQ(c.policy->routes.size(), 2u);
  // An empty list still makes the catch-all route: it refuses every origin.
  Compilation empty = CompileText("version = 1\n[defaults]\norigins = []\n");
  ASSERT_TRUE(empty.policy.has_value());
  ASSERT_TRUE(empty.policy->catch_all.has_value());
  EXPECT_TRUE(empty.policy->catch_all->origins.value.empty());
}

constexpr char kOrigins[] = R"(version = 1
[defaults]
origins = ["https://a.example.com"]

[[routes]]
path = "/inherit"

[[routes]]
path = "/add"
origins.add = ["https://c.example.com"]

[[routes]]
path = "/own"
origins = ["https://d.example.com"]

[profiles.dev.defaults]
origins.add = ["https://b.example.com"]

[[profiles.dev.routes]]
path = "/own"
origins.add = ["https://e.example.com"]
)";

TEST(ResolveTest, OriginsReplaceAndAdd) {
  Compilation c = CompileText(kOrigins);
  ASSERT_TRUE(c.policy.has_value()) << Describe(c.diagnostics);
  EXPECT_EQ(Origins(Route(c, "/inherit")), (std::vector<std::string>{"https://a.example.com"}));
  EXPECT_EQ(Origins(Route(c, "/add")),
            (std::vector<std::string>{"https://a.example.com", "https://c.example.com"}));
  EXPECT_EQ(Route(c, "/add").origins.where.line, 3u);  // the list it extends
  EXPECT_EQ(Origins(Route(c, "/own")), (std::vector<std::string>{"https://d.example.com"}));
}

TEST(ResolveTest, OriginsOrderWithProfile) {
  // D1's list order: the defaults' list, the profile's origins.add, the
  // route's origins.add; a route's own list is not extended by the
  // profile's defaults, only by its own overlay route.
  Compilation c = CompileText(kOrigins, WithProfile("dev"));
  ASSERT_TRUE(c.policy.has_value()) << Describe(c.diagnostics);
  EXPECT_EQ(Origins(Route(c, "/inherit")),
            (std::vector<std::string>{"https://a.example.com", "https://b.example.com"}));
  EXPECT_EQ(Origins(Route(c, "/add")),
            (std::vector<std::string>{"https://a.example.com", "https://b.example.com",
                                      "https://c.example.com"}));
  EXPECT_EQ(Origins(Route(c, "/own")),
            (std::vector<std::string>{"https://d.example.com", "https://e.example.com"}));
  EXPECT_EQ(Origins(Route(c, "[defaults]")),
            (std::vector<std::string>{"https://a.example.com", "https://b.example.com"}));
  // Every pattern keeps the place it was written.
  EXPECT_EQ(Route(c, "/add").origins.value[1].where.line, 17u);
  EXPECT_EQ(Route(c, "/add").origins.value[2].where.line, 10u);
}

TEST(ResolveTest, OriginsAddWithoutAListMakesOne) {
  // D6; and D19: origins.add alone opens no catch-all route.
  Compilation c = CompileText(R"(version = 1
[[routes]]
path = "/a"
origins.add = ["https://a.example.com"]
[[routes]]
path = "/b"
[profiles.dev.defaults]
origins.add = ["https://dev.example.com"]
)",
                              WithProfile("dev"));
  ASSERT_TRUE(c.policy.has_value()) << Describe(c.diagnostics);
  EXPECT_EQ(Origins(Route(c, "/a")),
            (std::vector<std::string>{"https://dev.example.com", "https://a.example.com"}));
  EXPECT_EQ(Origins(Route(c, "/b")), (std::vector<std::string>{"https://dev.example.com"}));
  EXPECT_EQ(Route(c, "/b").origins.where.line, 8u);
  EXPECT_FALSE(c.policy->catch_all.has_value());
}

TEST(ResolveTest, ProfileDefaultsOriginsMakeTheCatchAll) {
  Compilation c = CompileText(R"(version = 1
[defaults]
methods = ["GET"]
[profiles.dev.defaults]
origins = ["http://localhost:*"]
)",
                              WithProfile("dev"));
  ASSERT_TRUE(c.policy.has_value()) << Describe(c.diagnostics);
  ASSERT_TRUE(c.policy->catch_all.has_value());
  EXPECT_EQ(c.policy->catch_all->where.line, 4u);  // the profile's header
  EXPECT_EQ(Origins(*c.policy->catch_all), (std::vector<std::string>{"http://localhost:*"}));
  EXPECT_FALSE(CompileText(R"(version = 1
[defaults]
methods = ["GET"]
[profiles.dev.defaults]
origins = ["http://localhost:*"]
)")
                   .policy->catch_all.has_value());
}

constexpr char kProfiles[] = R"(version = 1
[defaults]
origins = ["https://app.example.com"]
methods = ["GET"]
max_age = 600

[[routes]]
path = "/users/{id}"
methods = ["GET", "PUT"]
credentials = true

[[routes]]
path = "/plain"

[profiles.staging.defaults]
methods = ["GET", "POST"]
max_age = 5

[[profiles.staging.routes]]
path = "/users/{user}"
credentials = false

[[profiles.staging.routes]]
path = "/debug/**"
origins = ["https://debug.example.com"]
)";

TEST(ResolveTest, ProfileOverlay) {
  Compilation base = CompileText(kProfiles);
  ASSERT_TRUE(base.policy.has_value()) << Describe(base.diagnostics);
  EXPECT_EQ(base.policy->routes.size(), 2u);
  EXPECT_TRUE(base.policy->profile.empty());

  Compilation c = CompileText(kProfiles, WithProfile("staging"));
  ASSERT_TRUE(c.policy.has_value()) << Describe(c.diagnostics);
  EXPECT_EQ(c.policy->profile, "staging");
  ASSERT_EQ(c.policy->routes.size(), 3u);
  // The overlay route changes the base route of its shape (D10) and only
  // the fields it gives; the route keeps its own path.
  const EffectiveRoute& users = c.policy->routes[0];
  EXPECT_EQ(users.path, "/users/{id}");
  EXPECT_EQ(users.where.line, 8u);
  EXPECT_FALSE(users.credentials.value);
  EXPECT_EQ(users.credentials.where.line, 21u);
  EXPECT_EQ(Values(users.methods.value), (std::vector<std::string>{"GET", "PUT"}));
  EXPECT_EQ(users.max_age.value, 5u);  // not set by the route: from the profile's defaults
  // A route that sets nothing takes the profile's defaults.
  const EffectiveRoute& plain = c.policy->routes[1];
  EXPECT_EQ(Values(plain.methods.value), (std::vector<std::string>{"GET", "POST"}));
  EXPECT_EQ(plain.max_age.value, 5u);
  EXPECT_EQ(plain.max_age.where.line, 17u);
  // A new shape is a new route.
  const EffectiveRoute& debug = c.policy->routes[2];
  EXPECT_EQ(debug.path, "/debug/**");
  EXPECT_EQ(Origins(debug), (std::vector<std::string>{"https://debug.example.com"}));
  EXPECT_EQ(Values(debug.methods.value), (std::vector<std::string>{"GET", "POST"}));
  // The catch-all route sees the profile's defaults too.
  EXPECT_EQ(c.policy->catch_all->max_age.value, 5u);
}

TEST(ResolveTest, ProfilesAcrossFiles) {
  std::vector<SourceFile> files = {
      {"a.toml", "version = 1\n[defaults]\norigins = [\"https://a.example.com\"]\n"},
      {"b.toml", "version = 1\n[profiles.dev.defaults]\norigins.add = [\"http://localhost:*\"]\n"},
      {"c.toml", "version = 1\n[[profiles.qa.routes]]\npath = \"/qa\"\n"},
  };
  Compilation c = CompileFiles(files, WithProfile("dev"));
  ASSERT_TRUE(c.policy.has_value()) << Describe(c.diagnostics);
  EXPECT_EQ(c.profiles, (std::vector<std::string>{"dev", "qa"}));
  EXPECT_EQ(Origins(*c.policy->catch_all),
            (std::vector<std::string>{"https://a.example.com", "http://localhost:*"}));
  EXPECT_EQ(c.policy->catch_all->origins.value[1].where.file, "b.toml");
  EXPECT_EQ(c.policy->files, (std::vector<std::string>{"a.toml", "b.toml", "c.toml"}));
}

TEST(ResolveTest, UnknownProfileIsAUsageError) {
  Compilation c = CompileText(kProfiles, WithProfile("stagin"));
  EXPECT_EQ(c.status.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(c.status.message(),
            "profile \"stagin\" is not defined by any policy file (defined: staging)");
  EXPECT_FALSE(c.policy.has_value());
  EXPECT_FALSE(HasErrors(c.diagnostics));
  EXPECT_EQ(c.profiles, (std::vector<std::string>{"staging"}));
}

TEST(ResolveTest, UnknownProfileWithASyntaxErrorIsAPolicyError) {
  // The profile may be defined in the file that could not be read: the
  // syntax error comes first (exit 1, not 2).
  std::vector<SourceFile> files = {{"a.toml", "version = 1\n"}, {"b.toml", "version = \n"}};
  Compilation c = CompileFiles(files, WithProfile("dev"));
  EXPECT_TRUE(c.status.ok()) << c.status.ToString();
  EXPECT_TRUE(HasErrors(c.diagnostics));
}

TEST(ResolveTest, AbsentProductionProfileIsTheBasePolicy) {
  Compilation c = CompileText(kProfiles, WithProfile("prod"));
  EXPECT_NE(c.status.code(), Status::Code::kInvalidArgument) << c.status.ToString();
  ASSERT_TRUE(c.policy.has_value()) << Describe(c.diagnostics);
  EXPECT_EQ(c.policy->profile, "prod");
  EXPECT_EQ(c.policy->routes.size(), 2u);
  ASSERT_TRUE(c.spec.has_value());
  EXPECT_EQ(c.spec->profile, "prod");
}

TEST(ResolveTest, PolicyNameFromTheFirstFileThatSetsOne) {
  std::vector<SourceFile> files = {{"a.toml", "version = 1\n"},
                                   {"b.toml", "version = 1\nname = \"second\"\n"},
                                   {"c.toml", "version = 1\nname = \"third\"\n"}};
  Compilation c = CompileFiles(files);
  ASSERT_TRUE(c.policy.has_value());
  EXPECT_EQ(c.policy->name, "second");
}

TEST(ResolveTest, SpecExampleWithAndWithoutDev) {
  const std::string text = ReadTestdata("valid/10-spec-example.toml");
  Compilation base = CompileText(text);
  ASSERT_TRUE(base.policy.has_value()) << Describe(base.diagnostics);
  EXPECT_EQ(base.policy->name, "storefront-api");
  EXPECT_EQ(base.profiles, (std::vector<std::string>{"dev", "prod"}));
  ASSERT_EQ(base.policy->routes.size(), 3u);
  const EffectiveRoute& users = Route(base, "/api/v1/users/{id}");
  EXPECT_EQ(Values(users.methods.value), (std::vector<std::string>{"GET", "PUT", "DELETE"}));
  EXPECT_EQ(Origins(users),
            (std::vector<std::string>{"https://app.example.com", "https://*.example.com",
                                      R"(^https://pr-[0-9]+\.preview\.example\.net$)"}));
  EXPECT_TRUE(users.credentials.value);
  EXPECT_EQ(users.max_age.value, 600u);
  EXPECT_EQ(Values(users.allow_headers.value),
            (std::vector<std::string>{"content-type", "authorization"}));
  const EffectiveRoute& pub = Route(base, "/public/**");
  EXPECT_EQ(Origins(pub), (std::vector<std::string>{"*"}));
  EXPECT_FALSE(pub.credentials.value);
  EXPECT_EQ(Values(pub.expose_headers.value), (std::vector<std::string>{"x-request-id"}));
  EXPECT_TRUE(Route(base, "/internal/**").origins.value.empty());
  EXPECT_EQ(Route(base, "/internal/**").origins.where.line, 32u);
  EXPECT_EQ(base.policy->tests.size(), 2u);

  Compilation dev = CompileText(text, WithProfile("dev"));
  ASSERT_TRUE(dev.policy.has_value()) << Describe(dev.diagnostics);
  EXPECT_EQ(Origins(Route(dev, "/api/v1/users/{id}")).size(), 5u);
  EXPECT_EQ(Origins(Route(dev, "/api/v1/users/{id}"))[3], "http://localhost:*");
  EXPECT_EQ(Origins(Route(dev, "/public/**")), (std::vector<std::string>{"*"}));
  EXPECT_TRUE(Route(dev, "/internal/**").origins.value.empty());

  // prod is defined and empty: the base policy, which is fit for production.
  Compilation prod = CompileText(text, WithProfile("prod"));
  EXPECT_FALSE(HasErrors(prod.diagnostics)) << Describe(prod.diagnostics);
  // dev's origins are not: compiled as the production profile, they fail.
  CompileOptions o = WithProfile("dev");
  o.prod_profile = "dev";
  Compilation dev_as_prod = CompileText(text, o);
  EXPECT_EQ(testing::WithCode(dev_as_prod, Code::kOriginUnfitForProduction).size(), 2u)
      << Describe(dev_as_prod.diagnostics);
}

}  // namespace
}  // namespace corsc
