// Copyright corsc developers.
//
// Engine: publishing tables while readers decide. No test here depends on
// timing: threads run until a flag says the publisher is done, and every
// check is about values (which table answered, what was freed).

#include "corsc/engine.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "corsc/table.h"
#include "test_util.h"

namespace corsc::testing {
namespace {

// Table number `n`: a preflight to "/" answers Access-Control-Max-Age: n.
std::shared_ptr<const CompiledTable> Numbered(uint32_t n) {
  SpecBuilder b;
  RouteSpec& r = b.CatchAll(b.Set({"https://app.example.com", "https://*.example.com"}));
  r.methods = {"GET", "PUT"};
  r.max_age = n;
  return b.Table();
}

class PreflightRequest {
 public:
  PreflightRequest() {
    r_.H("Origin", "https://a.example.com").H("Access-Control-Request-Method", "PUT");
  }
  const Request& request() { return r_.request(); }

 private:
  TestRequest r_{"OPTIONS", "/"};
};

uint32_t MaxAge(const Decision& d) {
  std::optional<std::string_view> v = d.headers.Find("Access-Control-Max-Age");
  if (!v) return UINT32_MAX;
  return static_cast<uint32_t>(std::stoul(std::string(*v)));
}

TEST(Engine, ReadersSeeThePublishedTable) {
  Engine engine(Numbered(1));
  Engine::Reader reader = engine.NewReader();
  PreflightRequest req;
  uint32_t seen = 0;
  reader.Evaluate(req.request(), [&](const Decision& d) { seen = MaxAge(d); });
  EXPECT_EQ(seen, 1u);
  auto two = Numbered(2);
  engine.Publish(two);
  EXPECT_EQ(engine.current(), two);
  reader.Evaluate(req.request(), [&](const Decision& d) { seen = MaxAge(d); });
  EXPECT_EQ(seen, 2u);
  // Nobody held table 1: it was freed by Publish itself.
  EXPECT_EQ(engine.retired_count(), 0u);
}

TEST(Engine, ASnapshotPinsItsTable) {
  std::weak_ptr<const CompiledTable> weak_one;
  Engine engine([&] {
    auto one = Numbered(1);
    weak_one = one;
    return one;
  }());
  Engine::Reader reader = engine.NewReader();
  PreflightRequest req;
  {
    Engine::Snapshot snapshot = reader.Acquire();
    engine.Publish(Numbered(2));
    engine.Publish(Numbered(3));
    // Table 1 is pinned; table 2 was never pinned and is gone.
    EXPECT_EQ(engine.retired_count(), 1u);
    EXPECT_FALSE(weak_one.expired());
    EXPECT_EQ(MaxAge(snapshot->Evaluate(req.request())), 1u);
    // Moving the snapshot keeps the pin.
    Engine::Snapshot moved = std::move(snapshot);
    engine.Reclaim();
    EXPECT_FALSE(weak_one.expired());
    EXPECT_EQ(MaxAge((*moved).Evaluate(req.request())), 1u);
  }
  EXPECT_EQ(engine.retired_count(), 1u);  // freed only by a reclaim
  engine.Reclaim();
  EXPECT_EQ(engine.retired_count(), 0u);
  EXPECT_TRUE(weak_one.expired());
  uint32_t seen = 0;
  reader.Evaluate(req.request(), [&](const Decision& d) { seen = MaxAge(d); });
  EXPECT_EQ(seen, 3u);
}

// Misuse that the header names. A null table stops at the call in every
// build. The rest stop in debug builds; in release builds a Reader ended
// before its Snapshot keeps its slot out of reuse, so that no other Reader
// can have its pin cleared by the stale Snapshot (which would let a
// Publish free a table in use).
TEST(EngineDeathTest, NullTableStopsAtTheCall) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(Engine engine(nullptr), "Engine::Engine: the table is null");
  Engine engine(Numbered(1));
  EXPECT_DEATH(engine.Publish(nullptr), "Engine::Publish: the table is null");
}

TEST(EngineDeathTest, ASnapshotThatOutlivesItsReaderUnpinsNoOtherReader) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEBUG_DEATH(
      {
        std::weak_ptr<const CompiledTable> weak_two;
        Engine engine([&] {
          auto two = Numbered(2);
          weak_two = two;
          return two;
        }());
        std::optional<Engine::Reader> first(engine.NewReader());
        std::optional<Engine::Snapshot> stale(first->Acquire());
        first.reset();  // the misuse: its Snapshot is still alive
        Engine::Reader second = engine.NewReader();
        Engine::Snapshot pinned = second.Acquire();
        stale.reset();
        engine.Publish(Numbered(3));
        // `second` still pins table 2.
        EXPECT_FALSE(weak_two.expired());
        PreflightRequest req;
        EXPECT_EQ(MaxAge(pinned->Evaluate(req.request())), 2u);
      },
      "Reader destroyed while one of its Snapshots is alive");
}

TEST(EngineDeathTest, OneSnapshotPerReaderAndNoReaderPastItsEngineInDebugBuilds) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEBUG_DEATH(
      {
        Engine engine(Numbered(1));
        Engine::Reader reader = engine.NewReader();
        Engine::Snapshot a = reader.Acquire();
        Engine::Snapshot b = reader.Acquire();
      },
      "a Reader holds one Snapshot at a time");
  EXPECT_DEBUG_DEATH(
      {
        Engine engine(Numbered(1));
        Engine::Reader reader = engine.NewReader();
        PreflightRequest req;
        reader.Evaluate(req.request(), [&](const Decision&) {
          reader.Evaluate(req.request(), [](const Decision&) {});
        });
      },
      "a Reader holds one Snapshot at a time");
#ifndef NDEBUG
  EXPECT_DEATH(
      {
        auto engine = std::make_unique<Engine>(Numbered(1));
        Engine::Reader reader = engine->NewReader();
        engine.reset();
        std::abort();  // not reached: the assert stops first
      },
      "Engine destroyed while one of its Readers is alive");
#endif
}

TEST(Engine, ReaderSlotsAreReusedAndMovable) {
  Engine engine(Numbered(1));
  PreflightRequest req;
  for (int i = 0; i < 100; ++i) {
    Engine::Reader r = engine.NewReader();
    Engine::Reader moved = std::move(r);
    uint32_t seen = 0;
    moved.Evaluate(req.request(), [&](const Decision& d) { seen = MaxAge(d); });
    EXPECT_EQ(seen, 1u);
  }
  // A snapshot held by one reader does not hold back another one's view.
  Engine::Reader a = engine.NewReader();
  Engine::Reader b = engine.NewReader();
  Engine::Snapshot pinned = a.Acquire();
  engine.Publish(Numbered(2));
  uint32_t seen = 0;
  b.Evaluate(req.request(), [&](const Decision& d) { seen = MaxAge(d); });
  EXPECT_EQ(seen, 2u);
  EXPECT_EQ(MaxAge(pinned->Evaluate(req.request())), 1u);
}

TEST(Engine, ConcurrentReadersAndPublisher) {
  constexpr uint32_t kTables = 400;
  constexpr int kReaders = 3;
  // Built up front, so the publisher publishes as fast as it can.
  std::vector<std::shared_ptr<const CompiledTable>> tables;
  std::vector<std::weak_ptr<const CompiledTable>> weak;
  for (uint32_t n = 1; n <= kTables; ++n) {
    tables.push_back(Numbered(n));
    weak.push_back(tables.back());
  }

  Engine engine(tables[0]);
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  std::vector<uint64_t> decisions(kReaders, 0);
  for (int t = 0; t < kReaders; ++t) {
    readers.emplace_back([&, t] {
      Engine::Reader reader = engine.NewReader();
      PreflightRequest req;
      uint32_t last = 0;
      auto check = [&](const Decision& d) {
        const uint32_t n = MaxAge(d);
        // An answer of a published table, and never an older one than
        // this reader saw before (one atomic, read by one thread).
        if (n < 1 || n > kTables || n < last || !d.allowed) failures.fetch_add(1);
        last = n;
        ++decisions[t];
      };
      // Run at least a while after the last publish, whatever the
      // scheduling.
      bool finished = false;
      for (uint64_t i = 0; !finished || i < 2000; ++i) {
        if (i % 3 == 0) {
          Engine::Snapshot s = reader.Acquire();
          check(s->Evaluate(req.request()));
          check(s->Evaluate(req.request()));
        } else {
          reader.Evaluate(req.request(), check);
        }
        if (!finished && done.load()) {
          finished = true;
          i = 0;
        }
      }
      if (last != kTables) failures.fetch_add(1);
    });
  }
  std::thread publisher([&] {
    for (uint32_t n = 1; n < kTables; ++n) engine.Publish(tables[n]);
    done = true;
  });
  publisher.join();
  for (std::thread& t : readers) t.join();
  EXPECT_EQ(failures.load(), 0);

  // Let go of our own references: the engine holds the retired ones.
  tables.clear();
  engine.Reclaim();
  EXPECT_EQ(engine.retired_count(), 0u);
  for (uint32_t n = 0; n + 1 < kTables; ++n) {
    EXPECT_TRUE(weak[n].expired()) << "table " << n + 1 << " was never freed";
  }
  EXPECT_FALSE(weak[kTables - 1].expired());  // the current one
  for (int t = 0; t < kReaders; ++t) EXPECT_GE(decisions[t], 2000u);
}

}  // namespace
}  // namespace corsc::testing
