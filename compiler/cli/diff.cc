// Copyright corsc developers.
//
// corsc diff OLD NEW: the difference in access between two policies or
// compiled tables (cli.md; docs/diff.md for the rules). This file loads
// both sides and prints; corsc/diff.h compares.

#include "corsc/diff.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "decision_output.h"
#include "sources.h"
#include "text.h"

namespace corsc::cli {
namespace {

// A table begins with its magic number, 0xc6021fe652fafbf2 stored
// little-endian (docs/table_format.md, "File header").
constexpr std::string_view kTableMagic("\xf2\xfb\xfa\x52\xe6\x1f\x02\xc6", 8);

enum class InputKind {
  kPolicy,   // a folder, or a file that is not a table: TOML
  kTable,    // starts with the table magic (or a prefix of it: truncated)
  kNeither,  // binary bytes without the magic: not TOML, not a table
};

// What a file holds, from its first bytes.
InputKind Classify(std::string_view bytes) {
  const std::string_view head = bytes.substr(0, 4096);
  if (head.empty()) return InputKind::kPolicy;
  if (kTableMagic.starts_with(head.substr(0, kTableMagic.size()))) return InputKind::kTable;
  // TOML allows no NUL byte anywhere.
  if (head.find('\0') != std::string_view::npos) return InputKind::kNeither;
  return InputKind::kPolicy;
}

// One side of the comparison, loaded.
struct Side {
  std::string path;
  std::shared_ptr<const CompiledTable> table;  // null when it could not be loaded
  int status = kExitOk;                        // why not: 1 policy errors, 2 usage or I/O
  bool is_table = false;                       // a compiled table, not a policy
  std::vector<std::string> profiles;           // the profiles a policy defines
};

Side FromCompilation(Side side, std::optional<Compilation> c) {
  if (c) {
    side.table = c->table;
    side.profiles = std::move(c->profiles);
  }
  return side;
}

// Loads one side: a table as it is, a policy compiled with the profile of
// the command line (or as its base policy when it does not define that
// profile: RunDiff checks that one side does). A file (or a pipe) is read
// once, then classified from its bytes. Prints what went wrong.
Side LoadSide(const std::string& path, const DiffArgs& args) {
  Side side;
  side.path = path;
  PolicyOptions options = args.policy;
  options.paths = {path};
  options.undefined_profile_is_base = true;
  std::error_code ec;
  // Folders, and paths that do not exist: ReadSources() says what is wrong.
  if (std::filesystem::is_directory(path, ec) || !std::filesystem::exists(path, ec)) {
    return FromCompilation(std::move(side), LoadPolicy(options, /*lint=*/false, &side.status));
  }
  side.status = kExitUsage;
  std::string bytes;
  if (Status s = ReadFileAtMost(path, kMaxTableFileBytes, &bytes); !s.ok()) {
    PrintError(s.message());
    return side;
  }
  switch (Classify(bytes)) {
    case InputKind::kTable:
      side.is_table = true;
      side.table = OpenTable(path, bytes);
      if (side.table != nullptr) side.status = kExitOk;
      return side;
    case InputKind::kNeither:
      PrintError(path + ": neither a policy (TOML) nor a corsc table");
      return side;
    case InputKind::kPolicy:
      break;
  }
  if (bytes.size() > kMaxPolicyFileBytes) {
    PrintError("cannot read \"" + path + "\": larger than " +
               std::to_string(kMaxPolicyFileBytes >> 20) + " MiB");
    return side;
  }
  std::vector<SourceFile> sources;
  sources.push_back(SourceFile{path, std::move(bytes)});
  std::optional<Compilation> c =
      CompilePolicy(std::move(sources), options, /*lint=*/false, &side.status);
  return FromCompilation(std::move(side), std::move(c));
}

// "p.toml: profile "dev"", "t.table: a table compiled with no profile",
// "p.toml: its base policy, as it does not define profile "dev" (it
// defines prod)".
std::string DescribeProfile(const Side& side, const std::string& asked) {
  const std::string profile(side.table->profile());
  const std::string named = profile.empty() ? "no profile" : "profile " + Quote(profile);
  if (side.is_table) return side.path + ": a table compiled with " + named;
  if (profile.empty() && !asked.empty()) {
    return side.path + ": its base policy, as it does not define profile " + Quote(asked) +
           " (it defines " + text::Join(side.profiles) + ")";
  }
  return side.path + ": " + named;
}

std::string Summary(const DiffResult& d) {
  if (d.same_access()) {
    std::string s = "no difference in access";
    if (d.other_changes > 0) s += ", " + Plural(d.other_changes, "other change");
    return s;
  }
  return Plural(d.widenings, "widening") + ", " + Plural(d.narrowings, "narrowing") + ", " +
         Plural(d.other_changes, "other change");
}

std::string RouteName(const std::string& pattern) {
  return pattern.empty() ? "no route" : "route " + pattern;
}

// "route /a/{id}", or, when the paths changed route,
// "paths like /a/b: route /a/** -> route /a/{id}".
std::string Heading(const RouteDiff& r) {
  if (!r.moved) {
    std::string s = RouteName(r.new_route);
    if (r.old_route != r.new_route) s += " (was " + r.old_route + ")";
    return s;
  }
  const std::string paths =
      r.example_path == "*" ? "paths not starting with /" : "paths like " + r.example_path;
  return paths + ": " + RouteName(r.old_route) + " -> " + RouteName(r.new_route);
}

std::string Location(const Change& c) {
  return c.line == 0 ? "" : FormatLocation(c.file, c.line, c.column);
}

std::string ChangeLine(const Change& c) {
  std::string line =
      IsScalar(c.field) ? c.old_value + " -> " + c.new_value : (c.regex ? "regex " : "") + c.value;
  std::vector<std::string> notes;
  if (!c.example.empty()) {
    notes.push_back(std::string(c.kind == ChangeKind::kWiden ? "newly allows" : "now refuses") +
                    " e.g. " + c.example);
  }
  if (!c.note.empty()) notes.push_back(c.note);
  if (c.field == DiffField::kOrigins || c.field == DiffField::kRoute) {
    if (std::string where = Location(c); !where.empty()) notes.push_back(where);
  }
  for (size_t i = 0; i < notes.size(); ++i) line += (i == 0 ? "  (" : "; ") + notes[i];
  if (!notes.empty()) line += ")";
  return line;
}

void PrintText(const DiffResult& d, bool color) {
  for (const RouteDiff& r : d.routes) {
    std::cout << Heading(r) << '\n';
    for (const Change& c : r.changes) {
      const char sign = c.kind == ChangeKind::kWiden    ? '+'
                        : c.kind == ChangeKind::kNarrow ? '-'
                                                        : '~';
      const char* on = !color                          ? ""
                       : c.kind == ChangeKind::kWiden  ? "\x1b[32m"
                       : c.kind == ChangeKind::kNarrow ? "\x1b[31m"
                                                       : "\x1b[33m";
      std::string field(DiffFieldName(c.field));
      field.resize(std::max<size_t>(field.size(), 16), ' ');
      std::cout << "  " << on << sign << ' ' << field << ' ' << ChangeLine(c)
                << (color ? "\x1b[0m" : "") << '\n';
    }
  }
  std::cout << Summary(d) << '\n';
}

nlohmann::ordered_json OrNull(const std::string& s) {
  return s.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s);
}

// A scalar as JSON: booleans and numbers as such, "none" as null.
nlohmann::ordered_json ScalarJson(DiffField field, const std::string& v) {
  if (v.empty() || v == "none") return nullptr;
  if (field == DiffField::kCredentials || field == DiffField::kPrivateNetwork) {
    return v == "true";
  }
  return std::stoull(v);
}

void PrintJson(const DiffResult& d, const DiffArgs& args) {
  nlohmann::ordered_json changes = nlohmann::ordered_json::array();
  for (const RouteDiff& r : d.routes) {
    for (const Change& c : r.changes) {
      const bool scalar = IsScalar(c.field);
      nlohmann::ordered_json j;
      j["route"] = OrNull(r.new_route.empty() ? r.old_route : r.new_route);
      j["old_route"] = OrNull(r.old_route);
      j["new_route"] = OrNull(r.new_route);
      j["moved"] = r.moved;
      j["path"] = r.example_path;
      j["field"] = DiffFieldName(c.field);
      j["kind"] = ChangeKindName(c.kind);
      j["value"] = scalar ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(c.value);
      j["regex"] = c.regex;
      j["old"] = scalar ? ScalarJson(c.field, c.old_value) : nullptr;
      j["new"] = scalar ? ScalarJson(c.field, c.new_value) : nullptr;
      j["example"] = OrNull(c.example);
      j["proven"] = c.proven;
      j["note"] = OrNull(c.note);
      if (c.line == 0) {
        j["location"] = nullptr;
      } else {
        j["location"] = {{"file", c.file}, {"line", c.line}, {"column", c.column}};
      }
      changes.push_back(std::move(j));
    }
  }
  nlohmann::ordered_json out;
  out["old"] = args.old_path;
  out["new"] = args.new_path;
  out["changes"] = std::move(changes);
  out["counts"] = {{"widen", d.widenings}, {"narrow", d.narrowings}, {"change", d.other_changes}};
  std::cout << DumpLine(out) << '\n';
}

}  // namespace

int RunDiff(const DiffArgs& args) {
  // args.fail_on is "" or "widen": the command line accepts nothing else.
  // Both sides, so that one run shows every diagnostic of both.
  const Side old_side = LoadSide(args.old_path, args);
  const Side new_side = LoadSide(args.new_path, args);
  if (old_side.table == nullptr || new_side.table == nullptr) {
    return std::max(old_side.status, new_side.status);  // a usage or I/O error (2) first
  }

  // The profile (D44): a change may add it, so a policy that does not
  // define it is compared as its base policy, but one side must have it.
  // Sides compiled with different profiles differ by the profile too.
  const std::string& asked = args.policy.profile;
  const std::string_view old_profile = old_side.table->profile();
  const std::string_view new_profile = new_side.table->profile();
  if (!asked.empty() && asked != args.policy.prod && old_profile != asked &&
      new_profile != asked) {
    PrintError("profile " + Quote(asked) + " is on neither side: " +
               DescribeProfile(old_side, asked) + "; " + DescribeProfile(new_side, asked));
    return kExitUsage;
  }
  if (old_profile != new_profile) {
    std::cerr << "corsc: warning: the two sides have different profiles: "
              << DescribeProfile(old_side, asked) << "; " << DescribeProfile(new_side, asked)
              << ". The difference includes what the profile changes.\n";
  }

  Result<DiffResult> d = Diff(*old_side.table, *new_side.table);
  if (!d.ok()) {
    PrintError(d.status().message());
    return kExitUsage;
  }
  if (args.json) {
    PrintJson(*d, args);
  } else {
    PrintText(*d, WantColor(args.policy.color, stdout));
  }
  if (args.fail_on == "widen" && d->widenings > 0) return kExitPolicyFailed;
  return kExitOk;
}

}  // namespace corsc::cli
