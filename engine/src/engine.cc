// Copyright corsc developers.
//
// Engine: run-time table swap with hazard pointers.
//
// The current table is an atomic raw pointer; its owning shared_ptr is
// kept by the Engine. Each Reader owns a hazard slot, a cache-line-padded
// atomic pointer that no other reader writes, so readers never share a
// written cache line.
//
// Reader (Acquire), lock-free, no allocation:
//   t = current
//   loop: slot = t (seq_cst); t2 = current (seq_cst); if t2 == t stop; t = t2
// The snapshot's destructor clears the slot.
//
// Publisher (Publish), serialized by a mutex that readers never touch:
//   exchange current with the new table (seq_cst); move the old owner to the
//   retired list; then reclaim: read every slot (seq_cst) and drop each
//   retired table that no slot names.
//
// Why this is safe: all the stores and loads above are seq_cst, so they
// fall in one total order. If a reader's re-load of `current` comes after
// the publisher's exchange, it sees the new table and retries; otherwise
// the reader's slot store came before the exchange, hence before the
// publisher's scan, which then sees the slot and keeps the table. Either
// way a table that a reader goes on to use is never freed under it. (The
// retried loop can only repeat while publishers keep publishing: readers
// never wait for anything.)
//
// Readers register once (NewReader) under the mutex; slots are kept in a
// list with stable addresses and reused after their Reader is destroyed.

#include "corsc/engine.h"

#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <new>
#include <unordered_set>
#include <utility>
#include <vector>

namespace corsc {

namespace {

// 64 bytes is the cache line of x86-64 and most ARM cores; the padding
// keeps two readers' slots off one line (no false sharing).
constexpr size_t kCacheLine = 64;

struct alignas(kCacheLine) HazardSlot {
  std::atomic<const CompiledTable*> hazard{nullptr};
};

}  // namespace

struct Engine::Rep {
  std::atomic<const CompiledTable*> current{nullptr};

  mutable std::mutex mu;
  // Guarded by mu.
  std::shared_ptr<const CompiledTable> owner;  // owns *current
  std::vector<std::shared_ptr<const CompiledTable>> retired;
  std::vector<std::unique_ptr<HazardSlot>> slots;
  std::vector<HazardSlot*> free_slots;

  // REQUIRES: mu held.
  void ReclaimLocked() {
    if (retired.empty()) return;
    std::unordered_set<const CompiledTable*> in_use;
    for (const std::unique_ptr<HazardSlot>& s : slots) {
      if (const CompiledTable* t = s->hazard.load(std::memory_order_seq_cst)) in_use.insert(t);
    }
    std::vector<std::shared_ptr<const CompiledTable>> keep;
    for (std::shared_ptr<const CompiledTable>& t : retired) {
      if (in_use.count(t.get()) != 0) keep.push_back(std::move(t));
    }
    // Tables not kept are released here, with the lock held: a table's
    // destructor only frees memory.
    retired = std::move(keep);
  }
};

namespace {

// A null table would crash a request thread on its next decision, far from
// the mistake: stop at the call that makes it, in every build. Both callers
// are on control paths, so the check costs nothing that matters.
void CheckTable(const std::shared_ptr<const CompiledTable>& table, const char* where) {
  if (table != nullptr) return;
  std::fprintf(stderr, "corsc: %s: the table is null (a table that failed to load?)\n", where);
  std::abort();
}

}  // namespace

Engine::Engine(std::shared_ptr<const CompiledTable> initial) : rep_(std::make_unique<Rep>()) {
  CheckTable(initial, "Engine::Engine");
  rep_->current.store(initial.get(), std::memory_order_seq_cst);
  rep_->owner = std::move(initial);
}

Engine::~Engine() {
  // A Reader alive now would write to freed memory when it is destroyed.
  assert(rep_->free_slots.size() == rep_->slots.size() &&
         "Engine destroyed while one of its Readers is alive");
}

void Engine::Publish(std::shared_ptr<const CompiledTable> next) {
  CheckTable(next, "Engine::Publish");
  std::lock_guard<std::mutex> lock(rep_->mu);
  rep_->current.exchange(next.get(), std::memory_order_seq_cst);
  rep_->retired.push_back(std::exchange(rep_->owner, std::move(next)));
  rep_->ReclaimLocked();
}

std::shared_ptr<const CompiledTable> Engine::current() const {
  std::lock_guard<std::mutex> lock(rep_->mu);
  return rep_->owner;
}

void Engine::Reclaim() {
  std::lock_guard<std::mutex> lock(rep_->mu);
  rep_->ReclaimLocked();
}

size_t Engine::retired_count() const {
  std::lock_guard<std::mutex> lock(rep_->mu);
  return rep_->retired.size();
}

Engine::Reader Engine::NewReader() {
  std::lock_guard<std::mutex> lock(rep_->mu);
  HazardSlot* slot;
  if (!rep_->free_slots.empty()) {
    slot = rep_->free_slots.back();
    rep_->free_slots.pop_back();
  } else {
    rep_->slots.push_back(std::make_unique<HazardSlot>());
    slot = rep_->slots.back().get();
  }
  return Reader(rep_.get(), &slot->hazard);
}

// HazardSlot is standard-layout with `hazard` first, so a pointer to the
// member is a pointer to the slot.
static_assert(std::is_standard_layout_v<HazardSlot>);

Engine::Reader::Reader(Reader&& other) noexcept
    : engine_(std::exchange(other.engine_, nullptr)), slot_(std::exchange(other.slot_, nullptr)) {}

Engine::Reader::~Reader() {
  if (engine_ == nullptr) return;
  auto* slot = reinterpret_cast<HazardSlot*>(slot_);
  std::lock_guard<std::mutex> lock(engine_->mu);
  if (slot->hazard.load(std::memory_order_seq_cst) != nullptr) {
    // A Snapshot of this Reader outlives it. Given to another Reader, the
    // slot would be cleared under that Reader's own Snapshot when the stale
    // one ends, and a Publish could then free a table in use. The slot is
    // kept out of reuse instead (it stays pinned until that Snapshot ends),
    // and debug builds stop here.
    assert(false && "Reader destroyed while one of its Snapshots is alive");
    return;
  }
  engine_->free_slots.push_back(slot);
}

Engine::Snapshot Engine::Reader::Acquire() noexcept {
  // A second Snapshot (or an Evaluate inside an Evaluate callback) would
  // overwrite the first one's hazard, and its end would unpin the first.
  assert(slot_->load(std::memory_order_relaxed) == nullptr &&
         "a Reader holds one Snapshot at a time");
  const CompiledTable* t = engine_->current.load(std::memory_order_seq_cst);
  while (true) {
    slot_->store(t, std::memory_order_seq_cst);
    const CompiledTable* again = engine_->current.load(std::memory_order_seq_cst);
    if (again == t) break;
    t = again;
  }
  return Snapshot(slot_, t);
}

Engine::Snapshot::Snapshot(Snapshot&& other) noexcept
    : slot_(std::exchange(other.slot_, nullptr)), table_(std::exchange(other.table_, nullptr)) {}

Engine::Snapshot::~Snapshot() {
  if (slot_ != nullptr) slot_->store(nullptr, std::memory_order_release);
}

}  // namespace corsc
