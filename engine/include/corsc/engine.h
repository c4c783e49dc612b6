// Copyright corsc developers.
//
// Engine: the current decision table of a running server, replaceable at
// run time.
//
// Readers (request threads) never wait for a publisher and take no lock:
// each reader thread owns a Reader, which pins the current table for the
// duration of one decision (or of a Snapshot) through a hazard pointer of
// its own. Publish() swaps the table in one atomic store; the old table is
// freed once no reader still holds it, by a later Publish(), by Reclaim(),
// or by the Engine's destructor. Publishers serialize among themselves.
//
// Example:
//   Engine engine(initial_table);
//   // each worker thread, once:
//   Engine::Reader reader = engine.NewReader();
//   // per request:
//   reader.Evaluate(request, [&](const Decision& d) { ...set d.headers... });
//   // or, to decide several requests on one table:
//   { Engine::Snapshot s = reader.Acquire(); s->Evaluate(a); s->Evaluate(b); }
//   // on a control thread, whenever the policy changes:
//   engine.Publish(new_table);

#ifndef CORSC_ENGINE_H_
#define CORSC_ENGINE_H_

#include <atomic>
#include <memory>

#include "corsc/decision.h"
#include "corsc/request.h"
#include "corsc/table.h"

namespace corsc {

class Engine {
 public:
  class Reader;
  class Snapshot;

  // REQUIRES: initial != nullptr (checked in every build: a null table
  // aborts with a message here rather than crash a request thread later).
  explicit Engine(std::shared_ptr<const CompiledTable> initial);
  // REQUIRES: every Reader and Snapshot of this Engine has been destroyed
  // (asserted in debug builds).
  ~Engine();

  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Makes `next` the table that new decisions use. Decisions already under
  // way finish with the table they started with. REQUIRES: next != nullptr
  // (checked in every build, as for the constructor).
  void Publish(std::shared_ptr<const CompiledTable> next);

  // The current table. Takes the publishers' lock: for control paths, not
  // for the request path.
  std::shared_ptr<const CompiledTable> current() const;

  // Frees the retired tables no reader holds any more. Publish() does this
  // too; call it to release memory early.
  void Reclaim();

  // Registers a reader. Call once per worker thread (it takes the
  // publishers' lock and may allocate); use the Reader for every request of
  // that thread. A Reader must not outlive its Engine.
  Reader NewReader();

  // Number of published tables not yet freed (for tests and monitoring).
  size_t retired_count() const;

 private:
  struct Rep;
  std::unique_ptr<Rep> rep_;
};

// Pins one table while it is in use. Obtain from Reader::Acquire(); do not
// hold it across long waits (the table it pins cannot be freed meanwhile).
// End it before its Reader (debug builds stop otherwise; release builds
// keep that Reader's slot out of reuse, so the misuse costs a slot, not a
// freed table) and before its Engine.
class Engine::Snapshot {
 public:
  Snapshot(Snapshot&& other) noexcept;
  Snapshot& operator=(Snapshot&&) = delete;
  Snapshot(const Snapshot&) = delete;
  ~Snapshot();

  const CompiledTable& operator*() const { return *table_; }
  const CompiledTable* operator->() const { return table_; }

 private:
  friend class Engine::Reader;
  Snapshot(std::atomic<const CompiledTable*>* slot, const CompiledTable* table)
      : slot_(slot), table_(table) {}

  std::atomic<const CompiledTable*>* slot_;
  const CompiledTable* table_;
};

// One reader thread's handle. Not thread-safe: use each Reader from one
// thread at a time, and hold at most one Snapshot of it at a time (so do
// not call Evaluate or Acquire from inside an Evaluate callback of the same
// Reader). Debug builds assert both.
class Engine::Reader {
 public:
  Reader(Reader&& other) noexcept;
  Reader& operator=(Reader&&) = delete;
  Reader(const Reader&) = delete;
  ~Reader();

  // Pins the current table. No lock, no allocation, never waits.
  Snapshot Acquire() noexcept;

  // Decides `request` and calls use(decision) while the table is pinned:
  // the Decision points into the table, so use it inside `use`.
  //
  // Example:
  //   reader.Evaluate(request, [&](const Decision& d) {
  //     for (const HeaderField& h : d.headers) response.Set(h.name, h.value);
  //   });
  template <typename F>
  void Evaluate(const Request& request, F&& use) {
    Snapshot s = Acquire();
    use(s->Evaluate(request));
  }

 private:
  friend class Engine;
  explicit Reader(Engine::Rep* engine, std::atomic<const CompiledTable*>* slot)
      : engine_(engine), slot_(slot) {}

  Engine::Rep* engine_;
  std::atomic<const CompiledTable*>* slot_;
};

}  // namespace corsc

#endif  // CORSC_ENGINE_H_
