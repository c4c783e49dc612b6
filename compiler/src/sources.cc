// Copyright corsc developers.
//
// Stage 0, ReadSources: the paths on the command line to policy texts.
//
// A file is read as given, whatever its name. A folder stands for every
// regular file named *.toml below it (and every *.toml link that leads
// nowhere, so that reading it fails), at any depth, in sorted path order
// (byte order of the path, so the order does not depend on the locale or
// the file system). Folders are not followed through symbolic links, so a
// link cycle cannot make the walk endless. A path named twice (or a file
// inside a folder that is also given) is read once, at its first place.
// Every failure is an IOError that names the path.

#include "sources.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <system_error>

#include "corsc/compiler.h"

namespace corsc {
namespace {

namespace fs = std::filesystem;

// The *.toml files below `dir`, sorted.
Result<std::vector<std::string>> ListFolder(const std::string& dir) {
  std::vector<std::string> found;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec);
  if (ec) {
    return Status::IOError("cannot read folder \"" + dir + "\": " + ec.message());
  }
  for (fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) {
      return Status::IOError("cannot read folder \"" + dir + "\": " + ec.message());
    }
    const fs::directory_entry& entry = *it;
    if (entry.path().extension() != ".toml") continue;
    // status() follows a symbolic link. A link to a folder is left out
    // (D24), but a *.toml whose type cannot be known (a dangling link, a
    // link loop) is kept: the reader then reports it as it reports any
    // unreadable file, rather than the policy silently losing a file.
    std::error_code type_ec;
    const fs::file_status st = entry.status(type_ec);
    if (type_ec || fs::is_regular_file(st)) found.push_back(entry.path().string());
  }
  if (ec) {
    return Status::IOError("cannot read folder \"" + dir + "\": " + ec.message());
  }
  std::sort(found.begin(), found.end());
  if (found.empty()) {
    return Status::IOError("folder \"" + dir + "\" holds no *.toml file");
  }
  return found;
}

}  // namespace

Status ReadFileAtMost(const std::string& path, uintmax_t max_bytes, std::string* out) {
  const std::string quoted = "\"" + path + "\"";
  auto too_large = [&] {
    return Status::IOError("cannot read " + quoted + ": larger than " +
                           std::to_string(max_bytes >> 20) + " MiB");
  };
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    return Status::IOError("cannot read " + quoted + ": a folder, not a file");
  }
  const uintmax_t size = fs::file_size(path, ec);
  if (!ec && size > max_bytes) return too_large();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("cannot read " + quoted + ": " + std::strerror(errno));
  // Read in chunks and stop one byte past the limit: a path may name a
  // pipe or a device with no size and no end, which must not fill memory.
  // The buffer is grown by hand, never past `bound`: left to itself a
  // string doubles, and one more chunk at the limit made /dev/zero cost
  // twice the limit (a copy of it into a buffer twice as large). Once
  // doubling would pass half the bound the buffer goes straight to the
  // bound, so a copy (old and new buffer both held) never holds more than
  // the bound either; the chunk on the stack is the one read block more.
  const size_t bound = static_cast<size_t>(std::min<uintmax_t>(max_bytes, SIZE_MAX - 1)) + 1;
  auto grow_to = [bound](size_t want) { return want > bound / 2 ? bound : want; };
  std::string data;
  // A regular file says its size: one buffer of that size, no copy.
  if (!ec) data.reserve(grow_to(static_cast<size_t>(size)));
  char chunk[1 << 16];
  while (data.size() < bound) {
    in.read(chunk, static_cast<std::streamsize>(std::min(sizeof chunk, bound - data.size())));
    const size_t n = static_cast<size_t>(in.gcount());
    if (n == 0) break;
    if (data.size() + n > data.capacity()) {
      data.reserve(grow_to(std::max(data.size() + n, 2 * data.capacity())));
    }
    data.append(chunk, n);
  }
  if (data.size() > max_bytes) return too_large();
  if (in.bad()) return Status::IOError("cannot read " + quoted + ": read error");
  *out = std::move(data);
  return Status::Ok();
}

Result<std::vector<SourceFile>> ReadSources(std::span<const std::string> paths) {
  if (paths.empty()) return Status::InvalidArgument("no policy file given");
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st)) {
      return Status::IOError("cannot read \"" + path + "\": " +
                             (ec ? ec.message() : std::string("no such file or directory")));
    }
    if (fs::is_directory(st)) {
      Result<std::vector<std::string>> listed = ListFolder(path);
      if (!listed.ok()) return listed.status();
      files.insert(files.end(), listed->begin(), listed->end());
    } else {
      files.push_back(path);
    }
  }

  std::vector<SourceFile> sources;
  std::set<std::string> seen;
  for (const std::string& path : files) {
    if (!seen.insert(fs::path(path).lexically_normal().string()).second) continue;
    SourceFile source;
    source.path = path;
    Status s = ReadFileAtMost(path, kMaxPolicyFileBytes, &source.text);
    if (!s.ok()) return s;
    sources.push_back(std::move(source));
  }
  return sources;
}

}  // namespace corsc
