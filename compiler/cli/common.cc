// Copyright corsc developers.

#include "common.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>

#include "sources.h"

namespace corsc::cli {
namespace {

std::string Errno(std::string_view what, const std::string& path) {
  return std::string(what) + " " + path + ": " + std::strerror(errno);
}

}  // namespace

void PrintError(std::string_view message) { std::cerr << "corsc: error: " << message << '\n'; }

bool WantColor(std::string_view mode, std::FILE* stream) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string_view(term) == "dumb") return false;
  return isatty(fileno(stream)) == 1;
}

std::optional<Compilation> LoadPolicy(const PolicyOptions& options, bool lint, int* status,
                                      std::vector<SourceFile>* sources_out) {
  Result<std::vector<SourceFile>> sources = ReadSources(options.paths);
  if (!sources.ok()) {
    PrintError(sources.status().message());
    *status = kExitUsage;
    return std::nullopt;
  }
  return CompilePolicy(std::move(*sources), options, lint, status, sources_out);
}

std::optional<Compilation> CompilePolicy(std::vector<SourceFile> sources,
                                         const PolicyOptions& options, bool lint, int* status,
                                         std::vector<SourceFile>* sources_out) {
  CompileOptions copts;
  copts.profile = options.profile;
  copts.prod_profile = options.prod;
  copts.undefined_profile_is_base = options.undefined_profile_is_base;
  copts.strategy = options.strategy;
  copts.lint = lint;
  Compilation c = Compile(sources, copts);
  std::cerr << RenderText(c.diagnostics, sources, WantColor(options.color, stderr));
  if (sources_out != nullptr) *sources_out = std::move(sources);
  if (!c.status.ok()) {
    PrintError(c.status.message());
    *status = kExitUsage;
    return std::nullopt;
  }
  if (HasErrors(c.diagnostics) || c.table == nullptr) {
    *status = kExitPolicyFailed;
    return std::nullopt;
  }
  *status = kExitOk;
  return c;
}

std::shared_ptr<const CompiledTable> LoadTable(const std::string& path) {
  std::string bytes;
  if (Status s = ReadFileAtMost(path, kMaxTableFileBytes, &bytes); !s.ok()) {
    PrintError(s.message());
    return nullptr;
  }
  return OpenTable(path, bytes);
}

std::shared_ptr<const CompiledTable> OpenTable(const std::string& path, std::string_view bytes) {
  Result<std::shared_ptr<const CompiledTable>> table = CompiledTable::Open(bytes);
  if (!table.ok()) {
    PrintError(path + ": " + table.status().ToString());
    return nullptr;
  }
  return *table;
}

Status WriteFileAtomically(const std::string& path, std::string_view contents) {
  // rename() would put a regular file in place of a device or a FIFO (run
  // as root, `-o /dev/null` would replace /dev/null), so only a regular
  // file, or a link to one, is replaced: anything else is refused before
  // a temporary file exists. A path that does not exist yet (or a link
  // that leads nowhere) is created, as before.
  struct stat st;
  if (stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    return Status::IOError("cannot write " + Quote(path) + ": " +
                           (S_ISDIR(st.st_mode) ? "a folder" : "not a regular file"));
  }
  // The temporary file lives beside `path` so that rename() stays within
  // one file system and is atomic.
  std::string tmp = path + ".tmp-XXXXXX";
  int fd = mkstemp(tmp.data());
  if (fd < 0) return Status::IOError(Errno("cannot create a file beside", path));
  auto fail = [&](std::string_view what) {
    Status s = Status::IOError(Errno(what, path));
    close(fd);
    unlink(tmp.c_str());
    return s;
  };
  // mkstemp creates the file 0600; give it the usual 0666 & ~umask.
  mode_t mask = umask(0);
  umask(mask);
  if (fchmod(fd, 0666 & ~mask) != 0) return fail("cannot set the mode of");
  size_t done = 0;
  while (done < contents.size()) {
    ssize_t n = write(fd, contents.data() + done, contents.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write");
    }
    done += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0) return fail("cannot flush");
  if (close(fd) != 0) {
    Status s = Status::IOError(Errno("cannot close", path));
    unlink(tmp.c_str());
    return s;
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    Status s = Status::IOError(Errno("cannot replace", path));
    unlink(tmp.c_str());
    return s;
  }
  return Status::Ok();
}

std::string FormatLocation(std::string_view file, uint32_t line, uint32_t column) {
  std::string s(file.empty() ? "?" : file);
  s += ':';
  s += std::to_string(line);
  s += ':';
  s += std::to_string(column);
  return s;
}

std::string Quote(std::string_view s) {
  std::string q = "\"";
  q += s;
  q += '"';
  return q;
}

std::string Plural(uint64_t n, std::string_view noun) {
  std::string s = std::to_string(n) + " " + std::string(noun);
  if (n != 1) s += noun.back() == 'x' ? "es" : "s";
  return s;
}

}  // namespace corsc::cli
