// Copyright corsc developers.
//
// Status and Result<T>: how corsc reports failures that are not policy
// mistakes (those are Diagnostics, see compiler/include/corsc/diagnostic.h).
// A Status is OK or carries a code and a message that says what failed and
// where ("table: section 3 out of bounds"). No corsc function throws across
// its public interface.

#ifndef CORSC_STATUS_H_
#define CORSC_STATUS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace corsc {

class [[nodiscard]] Status {
 public:
  enum class Code : uint8_t {
    kOk = 0,
    kInvalidArgument = 1,  // the caller passed something unusable
    kCorruption = 2,       // bytes that are not a valid table
    kNotSupported = 3,     // a table of a format version this build does not read
                           // (newer, or an older one: recompile)
    kIOError = 4,          // a file could not be read or written
  };

  // Creates an OK status.
  Status() = default;

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string_view msg) {
    return Status(Code::kInvalidArgument, msg);
  }
  static Status Corruption(std::string_view msg) { return Status(Code::kCorruption, msg); }
  static Status NotSupported(std::string_view msg) { return Status(Code::kNotSupported, msg); }
  static Status IOError(std::string_view msg) { return Status(Code::kIOError, msg); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // "corruption: bad magic number", or "ok".
  std::string ToString() const;

 private:
  Status(Code code, std::string_view msg) : code_(code), message_(msg) {}

  Code code_ = Code::kOk;
  std::string message_;
};

// Result<T> holds a T or a non-OK Status.
//
// Example:
//   Result<std::shared_ptr<const CompiledTable>> table = CompiledTable::Open(bytes);
//   if (!table.ok()) return table.status();
//   Decision d = (*table)->Evaluate(request);
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    // REQUIRES: !status.ok(). An OK status without a value is a bug; keep
    // the invariant "ok() == has value" by turning it into an error.
    if (std::get<Status>(v_).ok()) {
      v_ = Status::InvalidArgument("Result constructed from an OK status");
    }
  }

  bool ok() const { return std::holds_alternative<T>(v_); }

  // The failure; Status::Ok() when a value is held.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }

  // REQUIRES: ok().
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace corsc

#endif  // CORSC_STATUS_H_
