// Copyright corsc developers.
//
// The raw policy: what one file says, key by key, with the place every key
// and value was written. load.cc builds it from TOML (checking keys and
// types); check.cc validates and normalizes the values in place (origin
// patterns, methods, header names, ranges, paths); resolve.cc merges the
// files and applies the profile and inheritance into a ResolvedPolicy.
//
// Nothing here is interpreted yet: a field that a table does not write is
// absent (std::nullopt), not defaulted.

#ifndef CORSC_COMPILER_AST_H_
#define CORSC_COMPILER_AST_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "corsc/diagnostic.h"
#include "corsc/policy.h"

namespace corsc::ast {

// A string value as written.
struct StringValue {
  std::string value;
  // The token, quotes included. `length` is 0 when it spans lines.
  SourceRange where;
  // True when the bytes right after the opening quote are `value` itself
  // (a one-line string without escapes): then a byte offset into `value`
  // is a column offset in the file.
  bool verbatim = false;

  // The bytes [offset, offset + length) of the value; the whole token when
  // the string is not verbatim.
  SourceRange Part(size_t offset, size_t length) const {
    if (!verbatim) return where;
    SourceRange r = where;
    r.column = where.column + 1 + static_cast<uint32_t>(offset);
    r.length = static_cast<uint32_t>(length);
    return r;
  }
  // The contents between the quotes (for fix-its); the whole token when
  // the string is not verbatim.
  SourceRange Contents() const { return Part(0, value.size()); }
};

// A scalar field: its value, its key and its value's place.
template <typename T>
struct Scalar {
  T value{};
  SourceRange key;
  SourceRange where;
};

// One entry of an origin list: a string, or a { regex = "..." } table.
struct OriginEntry {
  StringValue text;  // the string, or the regex
  bool regex = false;
  SourceRange where;  // the string, or the table
  // Set by check.cc when the entry is a valid pattern.
  std::optional<OriginPattern> pattern;
};

struct OriginList {
  SourceRange key;  // `origins`, or `add` of `origins.add`
  std::vector<OriginEntry> entries;
};

struct StringList {
  SourceRange key;
  std::vector<StringValue> items;
  // Set by check.cc: the valid items, normalized and deduplicated (see
  // EffectiveRoute in corsc/policy.h), each with its place.
  std::vector<Sourced<std::string>> normalized;
};

// The fields of [defaults], a route, or a profile's overlay of either.
struct Fields {
  // `origins = [...]`. A value of the wrong type leaves an empty list, so
  // that the route still counts as having set its origins.
  std::optional<OriginList> origins;
  std::optional<OriginList> origins_add;  // `origins.add = [...]`
  std::optional<StringList> methods;
  std::optional<StringList> allow_headers;
  std::optional<StringList> expose_headers;
  std::optional<Scalar<bool>> credentials;
  std::optional<Scalar<bool>> private_network;
  // Cleared by check.cc when out of range.
  std::optional<Scalar<int64_t>> max_age;
  std::optional<Scalar<int64_t>> preflight_status;
};

struct Route {
  SourceRange header;  // the [[routes]] header, or the inline table
  std::optional<StringValue> path;
  // Set by check.cc when the path is a valid pattern: PathShape().
  std::optional<std::string> shape;
  // `sensitive = true` (base [[routes]] only): the linter warns when a
  // profile widens the route (CORS140).
  std::optional<Scalar<bool>> sensitive;
  Fields fields;

  // Where diagnostics about the whole route point: its path, else its
  // header.
  const SourceRange& where() const { return path ? path->where : header; }
};

struct Defaults {
  SourceRange header;  // the [defaults] header (or the `defaults` key)
  Fields fields;
};

struct Profile {
  std::string name;
  SourceRange where;  // the profile's key
  std::optional<Defaults> defaults;
  std::vector<Route> routes;
};

struct Test {
  PolicyTest test;
  std::optional<StringValue> profile;  // the `profile` value, for CORS006
};

struct File {
  size_t index = 0;  // in compile order
  std::string path;
  std::optional<StringValue> name;
  std::optional<Defaults> defaults;
  std::vector<Route> routes;      // in file order
  std::vector<Profile> profiles;  // in file order
  std::vector<Test> tests;        // in file order
};

}  // namespace corsc::ast

#endif  // CORSC_COMPILER_AST_H_
