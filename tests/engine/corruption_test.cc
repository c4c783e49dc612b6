// Copyright corsc developers.
//
// Damaged tables: every truncation and every single-byte change of a small
// but complete table must be refused; a newer format version is
// NotSupported; and tables damaged *with a recomputed checksum* (what an
// attacker or a buggy writer could produce) are either refused or safe to
// evaluate. These tests run under ASan and UBSan in CI, which turns "safe"
// into "no invalid read, no undefined behaviour".

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "corsc/table.h"
#include "table_format.h"
#include "test_util.h"

namespace corsc::testing {
namespace {

// Routes (literal, param, "**", catch-all), exact, host-any-port,
// subdomain and regex origins, "*" and [] sets, allowed headers.
std::string SmallTable() {
  SpecBuilder b = Storefront();
  RouteSpec& dev =
      b.Route("/dev/{x}/y", b.Set({"http://localhost:*", "https://*.b.test:8443", "https://a.test",
                                   "regex:^https://r[0-9]\\.test$"}));
  dev.allow_headers = {"*"};
  dev.methods = {"*"};
  Result<std::string> bytes = BuildTable(b.spec());
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? *bytes : std::string();
}

// Requests that reach every part of a table.
class Requests {
 public:
  Requests() {
    const char* origins[] = {"https://app.example.com",
                             "https://a.example.com",
                             "https://pr-1.preview.example.net",
                             "http://localhost:3000",
                             "https://x.b.test:8443",
                             "https://a.test",
                             "https://r1.test",
                             "https://evil.test",
                             "null",
                             ""};
    const char* paths[] = {
        "/", "/api/v1/users/42", "/public/x/y", "/internal", "/dev/1/y", "/dev//y", "x"};
    for (const char* origin : origins) {
      for (const char* path : paths) {
        auto& actual = Add("GET", path);
        actual.H("Origin", origin);
        auto& preflight = Add("OPTIONS", path);
        preflight.H("Origin", origin)
            .H("Access-Control-Request-Method", "PUT")
            .H("Access-Control-Request-Headers", "content-type, x-y")
            .H("Access-Control-Request-Private-Network", "true");
      }
    }
    Add("GET", "/api/v1/users/1");
  }

  // Evaluates every request; returns a digest so the work is not elided.
  size_t EvaluateAll(const CompiledTable& table) {
    size_t digest = 0;
    for (auto& r : requests_) {
      const Decision d = table.Evaluate(r->request());
      digest += d.headers.size() + static_cast<size_t>(d.reason) + d.route + d.origin_rule;
      for (const HeaderField& h : d.headers) digest += h.name.size() + h.value.size();
    }
    return digest;
  }

 private:
  TestRequest& Add(const char* method, const char* path) {
    requests_.push_back(std::make_unique<TestRequest>(method, path));
    return *requests_.back();
  }
  std::vector<std::unique_ptr<TestRequest>> requests_;
};

void SetChecksum(std::string* bytes) {
  const uint64_t sum = table_format::FileChecksum(*bytes);
  std::memcpy(bytes->data() + table_format::kChecksumOffset, &sum, sizeof(sum));
}

TEST(Corruption, TheSmallTableIsValid) {
  const std::string bytes = SmallTable();
  ASSERT_FALSE(bytes.empty());
  auto table = CompiledTable::Open(bytes);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_GT((*table)->stats().regex_origins, 0u);
  EXPECT_GT((*table)->stats().wildcard_origins, 0u);
  Requests requests;
  EXPECT_GT(requests.EvaluateAll(**table), 0u);
}

TEST(Corruption, EveryTruncationIsRefused) {
  const std::string bytes = SmallTable();
  for (size_t n = 0; n < bytes.size(); ++n) {
    auto table = CompiledTable::Open(std::string_view(bytes).substr(0, n));
    ASSERT_FALSE(table.ok()) << "accepted a table cut to " << n << " bytes";
    EXPECT_EQ(table.status().code(), Status::Code::kCorruption) << n;
  }
  // A table with bytes appended is refused too.
  auto longer = CompiledTable::Open(bytes + std::string(8, '\0'));
  EXPECT_FALSE(longer.ok());
}

TEST(Corruption, EverySingleByteChangeIsRefused) {
  const std::string bytes = SmallTable();
  std::string damaged = bytes;
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (uint8_t mask : {0x01, 0x80, 0xFF}) {
      damaged[i] = static_cast<char>(bytes[i] ^ mask);
      auto table = CompiledTable::Open(damaged);
      ASSERT_FALSE(table.ok()) << "accepted byte " << i << " ^ " << int{mask};
    }
    damaged[i] = bytes[i];
  }
}

TEST(Corruption, MessagesSayWhatFailed) {
  const std::string bytes = SmallTable();
  auto open = [](const std::string& b) { return CompiledTable::Open(b).status(); };

  EXPECT_EQ(open("").message(), "table: too short to be a corsc table (0 bytes)");
  std::string bad_magic = bytes;
  bad_magic[0] ^= 1;
  EXPECT_EQ(open(bad_magic).message(), "table: bad magic number (not a corsc table)");
  EXPECT_NE(open(bytes.substr(0, bytes.size() - 8)).message().find("(truncated)"),
            std::string::npos);
  std::string flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x10;
  EXPECT_EQ(open(flipped).message(), "table: checksum mismatch");

  // A section that claims more records than the file holds, with the
  // checksum made right again.
  std::string long_section = bytes;
  const size_t routes_entry = sizeof(table_format::FileHeader) +
                              (static_cast<size_t>(table_format::SectionId::kRoutes) - 1) *
                                  sizeof(table_format::SectionEntry);
  table_format::SectionEntry e;
  std::memcpy(&e, long_section.data() + routes_entry, sizeof(e));
  e.count += 1000;
  std::memcpy(long_section.data() + routes_entry, &e, sizeof(e));
  SetChecksum(&long_section);
  Status st = open(long_section);
  EXPECT_EQ(st.code(), Status::Code::kCorruption);
  EXPECT_EQ(st.message(), "table: section 'routes' extends past the end of the file");
}

// The directory entry of section `id`.
table_format::SectionEntry Entry(const std::string& bytes, table_format::SectionId id) {
  table_format::SectionEntry e;
  std::memcpy(&e,
              bytes.data() + sizeof(table_format::FileHeader) +
                  (static_cast<size_t>(id) - 1) * sizeof(table_format::SectionEntry),
              sizeof(e));
  return e;
}

// A key whose control byte no longer is its hash's H2, or whose text no
// longer hashes to where it lies, is refused: a table written with other
// hash functions would load and then match nothing.
TEST(Corruption, KeysAwayFromTheirHashAreRefused) {
  using table_format::SectionId;
  const std::string bytes = SmallTable();
  table_format::MetaRecord meta;
  std::memcpy(&meta, bytes.data() + Entry(bytes, SectionId::kMeta).offset, sizeof(meta));
  const size_t control = Entry(bytes, SectionId::kHashControl).offset;
  auto open = [](const std::string& b) { return CompiledTable::Open(b).status(); };

  // Each occupied slot of the wildcard-key table, its H2 changed.
  size_t keys = 0;
  for (uint32_t i = 0; i < meta.wild_suffix_index.group_count * table_format::kGroupWidth; ++i) {
    const size_t at = control + meta.wild_suffix_index.first_control + i;
    const uint8_t c = static_cast<uint8_t>(bytes[at]);
    if (c == table_format::kEmptyControl) continue;
    std::string damaged = bytes;
    damaged[at] = static_cast<char>((c + 1) & 0x7f);
    SetChecksum(&damaged);
    const Status st = open(damaged);
    EXPECT_EQ(st.code(), Status::Code::kCorruption);
    EXPECT_EQ(st.message(), "table: wild_suffixes[" + std::to_string(i) +
                                "] is not where the hash of its key puts it");
    ++keys;
  }
  EXPECT_GT(keys, 0u);

  // An exact origin's text changed, its length kept: "https://a.test" ->
  // "https://b.test".
  const size_t text = bytes.find("https://a.test");
  ASSERT_NE(text, std::string::npos);
  std::string damaged = bytes;
  damaged[text + 8] = 'b';
  SetChecksum(&damaged);
  const Status st = open(damaged);
  EXPECT_EQ(st.code(), Status::Code::kCorruption);
  EXPECT_NE(st.message().find("is not where the hash of its text puts it"), std::string::npos)
      << st.message();
}

TEST(Corruption, OtherVersionsAreNotSupported) {
  const std::string bytes = SmallTable();
  auto with_version = [&](uint32_t version, bool fix_checksum) {
    std::string b = bytes;
    std::memcpy(b.data() + offsetof(table_format::FileHeader, format_version), &version,
                sizeof(version));
    if (fix_checksum) SetChecksum(&b);
    return CompiledTable::Open(b).status();
  };
  for (bool fix : {false, true}) {
    const Status st = with_version(3, fix);
    EXPECT_EQ(st.code(), Status::Code::kNotSupported);
    EXPECT_EQ(st.message(),
              "table: format version 3 is newer than this build of corsc reads (version 2)");
    // Version 1 hashed its keys otherwise: refused, not misread.
    const Status old = with_version(1, fix);
    EXPECT_EQ(old.code(), Status::Code::kNotSupported);
    EXPECT_EQ(old.message(),
              "table: format version 1 is older than this build of corsc reads (version 2): "
              "compile the policy again");
    EXPECT_EQ(with_version(0xffffffff, fix).code(), Status::Code::kNotSupported);
    EXPECT_EQ(with_version(0, fix).code(), Status::Code::kCorruption);
  }
}

// Every byte set to a few other values, with a valid checksum: each such
// table is refused or, if the verifier cannot tell it from a real one,
// evaluated without harm.
TEST(Corruption, CraftedSingleByteChangesAreRefusedOrSafe) {
  const std::string bytes = SmallTable();
  Requests requests;
  std::string damaged = bytes;
  size_t accepted = 0;
  for (size_t i = table_format::kChecksumOffset + 8; i < bytes.size(); ++i) {
    const uint8_t orig = static_cast<uint8_t>(bytes[i]);
    for (uint8_t v :
         {uint8_t(0), uint8_t(0xff), uint8_t(orig + 1), uint8_t(orig - 1), uint8_t(orig ^ 0x80)}) {
      if (v == orig) continue;
      damaged[i] = static_cast<char>(v);
      SetChecksum(&damaged);
      auto table = CompiledTable::Open(damaged);
      // The rest of the header (section count, flags, reserved words) has
      // one valid value: no change there passes.
      EXPECT_TRUE(i >= sizeof(table_format::FileHeader) || !table.ok())
          << "byte " << i << " set to " << int{v};
      if (table.ok()) {
        ++accepted;
        requests.EvaluateAll(**table);
        // Whatever it holds, it describes itself without harm.
        (void)(*table)->Describe();
      } else {
        EXPECT_NE(table.status().message(), "table: checksum mismatch");
      }
    }
    damaged[i] = bytes[i];
  }
  std::printf("crafted single-byte changes accepted (and evaluated safely): %zu\n", accepted);
}

TEST(Corruption, CraftedRandomDamageIsRefusedOrSafe) {
  const std::string bytes = SmallTable();
  Requests requests;
  std::mt19937_64 rng(20240611);
  size_t accepted = 0;
  for (int iteration = 0; iteration < 3000; ++iteration) {
    std::string damaged = bytes;
    const int changes = 1 + static_cast<int>(rng() % 6);
    for (int c = 0; c < changes; ++c) {
      const size_t at = table_format::kChecksumOffset + 8 +
                        rng() % (bytes.size() - table_format::kChecksumOffset - 8);
      if (rng() % 2 == 0) {
        damaged[at] = static_cast<char>(rng());
      } else {
        // A plausible small integer in a 32-bit field.
        const uint32_t v = static_cast<uint32_t>(rng() % 64);
        const size_t field = at & ~size_t{3};
        if (field + 4 <= damaged.size()) std::memcpy(damaged.data() + field, &v, 4);
      }
    }
    SetChecksum(&damaged);
    auto table = CompiledTable::Open(damaged);
    if (table.ok()) {
      ++accepted;
      requests.EvaluateAll(**table);
      (void)(*table)->Describe();
    }
  }
  std::printf("crafted random damages accepted (and evaluated safely): %zu\n", accepted);
}

TEST(Corruption, GarbageIsRefused) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 2000; ++i) {
    std::string garbage(rng() % 2048, '\0');
    for (char& c : garbage) c = static_cast<char>(rng());
    if (i % 2 == 0 && garbage.size() >= sizeof(table_format::FileHeader)) {
      // Past the cheap checks: right magic, version, size and checksum.
      table_format::FileHeader h{};
      h.magic = table_format::kMagic;
      h.format_version = table_format::kFormatVersion;
      h.header_size = sizeof(h);
      h.file_size = garbage.size();
      h.section_count = table_format::kSectionCount;
      std::memcpy(garbage.data(), &h, sizeof(h));
      SetChecksum(&garbage);
    }
    auto table = CompiledTable::Open(garbage);
    EXPECT_FALSE(table.ok()) << i;
  }
}

}  // namespace
}  // namespace corsc::testing
