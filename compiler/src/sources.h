// Copyright corsc developers.
//
// Reading files, for ReadSources() and for the command line (tables,
// policies given to `corsc diff`): one bounded reader.

#ifndef CORSC_COMPILER_SOURCES_H_
#define CORSC_COMPILER_SOURCES_H_

#include <cstdint>
#include <string>

#include "corsc/status.h"

namespace corsc {

// Policies are small; a larger file is a mistake (or an attack) and is not
// read into memory. 64 MiB holds a million origins.
inline constexpr uintmax_t kMaxPolicyFileBytes = uintmax_t{64} << 20;

// Reads the file at `path` (a regular file, a pipe or a device: anything
// but a folder) into *out. It is read in chunks and refused as soon as it
// passes `max_bytes`, so an endless source (/dev/zero) costs that much and
// one read block at most (D46). Failures are IOErrors that name the path
// and say why.
Status ReadFileAtMost(const std::string& path, uintmax_t max_bytes, std::string* out);

}  // namespace corsc

#endif  // CORSC_COMPILER_SOURCES_H_
