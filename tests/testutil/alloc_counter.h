// Copyright corsc developers.
//
// Counts the allocations of the binary that links alloc_counter.cc: it
// replaces the global operator new and new[] (every form) with versions
// that count, then call malloc. Link it as an object file (the CMake
// target corsc_alloc_counter), never from a static archive, or the
// replacement may not be picked up.
//
//   const uint64_t before = corsc::testutil::Allocations();
//   ... code that must not allocate ...
//   EXPECT_EQ(corsc::testutil::Allocations() - before, 0u);

#ifndef CORSC_TESTS_TESTUTIL_ALLOC_COUNTER_H_
#define CORSC_TESTS_TESTUTIL_ALLOC_COUNTER_H_

#include <cstdint>

namespace corsc::testutil {

// Calls to operator new and new[], in every thread, since the process began.
uint64_t Allocations();

}  // namespace corsc::testutil

#endif  // CORSC_TESTS_TESTUTIL_ALLOC_COUNTER_H_
