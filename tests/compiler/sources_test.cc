// Copyright corsc developers.
//
// ReadSources: files as given, folders as their sorted *.toml files, and
// errors that name the path.

#include "sources.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <thread>

#include "corsc/compiler.h"
#include "corsc_test.h"

namespace corsc {
namespace {

namespace fs = std::filesystem;

class SourcesTest : public ::testing::Test {
 protected:
  void SetUp() override { root_ = testing::MakeTempDir(); }
  void TearDown() override { fs::remove_all(root_); }

  std::string Write(const std::string& relative, const std::string& text) {
    const std::string p = (root_ / relative).string();
    testing::Spit(p, text);
    return p;
  }

  fs::path root_;
};

std::vector<std::string> Paths(const std::vector<SourceFile>& files) {
  std::vector<std::string> out;
  for (const SourceFile& f : files) out.push_back(f.path);
  return out;
}

TEST_F(SourcesTest, FilesAsGivenInOrder) {
  std::string b = Write("b.toml", "version = 1\n");
  std::string a = Write("a.policy", "version = 1 # a\n");  // any name, when named
  Result<std::vector<SourceFile>> r = ReadSources(std::vector<std::string>{b, a});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Paths(*r), (std::vector<std::string>{b, a}));
  EXPECT_EQ((*r)[1].text, "version = 1 # a\n");
}

TEST_F(SourcesTest, FolderIsItsTomlFilesRecursivelySorted) {
  Write("p/z.toml", "version = 1\n");
  Write("p/a/2.toml", "version = 1\n");
  Write("p/a/10.toml", "version = 1\n");
  Write("p/b.toml", "version = 1\n");
  Write("p/notes.txt", "not a policy");
  Write("p/c.toml.bak", "not a policy");
  Result<std::vector<SourceFile>> r = ReadSources(std::vector<std::string>{(root_ / "p").string()});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const std::string p = (root_ / "p").string();
  EXPECT_EQ(Paths(*r), (std::vector<std::string>{p + "/a/10.toml", p + "/a/2.toml", p + "/b.toml",
                                                 p + "/z.toml"}));
}

TEST_F(SourcesTest, APathNamedTwiceIsReadOnce) {
  std::string a = Write("p/a.toml", "version = 1\n");
  Result<std::vector<SourceFile>> r =
      ReadSources(std::vector<std::string>{(root_ / "p").string(), a});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->size(), 1u);
}

TEST_F(SourcesTest, MissingPathIsAnIOErrorNamingIt) {
  std::string missing = (root_ / "missing.toml").string();
  Result<std::vector<SourceFile>> r = ReadSources(std::vector<std::string>{missing});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kIOError);
  EXPECT_NE(r.status().message().find(missing), std::string::npos) << r.status().message();
}

TEST_F(SourcesTest, FolderWithoutTomlIsAnError) {
  Write("empty/readme.md", "x");
  Result<std::vector<SourceFile>> r =
      ReadSources(std::vector<std::string>{(root_ / "empty").string()});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no *.toml"), std::string::npos) << r.status().message();
}

// Reading `path` fails with an IOError whose message holds `says`.
void ExpectIOError(const std::string& path, const std::string& says) {
  Result<std::vector<SourceFile>> r = ReadSources(std::vector<std::string>{path});
  ASSERT_FALSE(r.ok()) << path;
  EXPECT_EQ(r.status().code(), Status::Code::kIOError) << path;
  EXPECT_NE(r.status().message().find(says), std::string::npos) << r.status().message();
}

TEST_F(SourcesTest, UnreadableFileIsAnIOError) {
  std::string f = Write("secret.toml", "version = 1\n");
  fs::permissions(f, fs::perms::none);
  std::ifstream probe(f);
  if (probe.good()) GTEST_SKIP() << "running with privileges that read any file";
  ExpectIOError(f, f);
}

TEST_F(SourcesTest, ReadErrorIsAnIOError) {
  // A file that opens but cannot be read, even by root: /proc/self/mem at
  // offset 0 is unmapped memory, and read() fails with EIO.
  if (!fs::exists("/proc/self/mem")) GTEST_SKIP() << "no /proc here";
  ExpectIOError("/proc/self/mem", "\"/proc/self/mem\": read error");
}

TEST_F(SourcesTest, EndlessFileIsRefusedPastTheLimit) {
  // A device with no size and no end: read up to 64 MiB, then refused,
  // instead of filling memory.
  if (!fs::exists("/dev/zero")) GTEST_SKIP() << "no /dev/zero here";
  ExpectIOError("/dev/zero", "larger than 64 MiB");
}

TEST_F(SourcesTest, DanglingTomlLinkInAFolderIsAnIOError) {
  // A *.toml in a folder that cannot be read is reported as when named
  // alone, not left out of the policy without a word.
  Write("p/a.toml", "version = 1\n");
  fs::create_symlink(root_ / "nowhere.toml", root_ / "p" / "b.toml");
  const std::string b = (root_ / "p" / "b.toml").string();
  ExpectIOError((root_ / "p").string(), "cannot read \"" + b + "\": No such file or directory");
  ExpectIOError(b, "cannot read \"" + b + "\": No such file or directory");
}

TEST_F(SourcesTest, FolderWalkSkipsLinksToFolders) {
  // D24: a link to a folder is not followed, even when named *.toml, so a
  // link cycle cannot make the walk endless.
  Write("p/a.toml", "version = 1\n");
  Write("elsewhere/x.toml", "version = 1\n");
  fs::create_directory_symlink(root_ / "elsewhere", root_ / "p" / "more.toml");
  fs::create_directory_symlink(root_ / "p", root_ / "p" / "loop");
  Result<std::vector<SourceFile>> r = ReadSources(std::vector<std::string>{(root_ / "p").string()});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Paths(*r), (std::vector<std::string>{(root_ / "p" / "a.toml").string()}));
}

// The peak resident memory of this process so far, in bytes.
uint64_t PeakResidentBytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<uint64_t>(usage.ru_maxrss) * 1024;  // KiB on Linux
}

TEST_F(SourcesTest, EndlessFileCostsTheLimitNotTwice) {
  // D46: an endless source costs the limit and one read block, not the
  // limit and a copy of it into a buffer twice as large. (CTest runs each
  // test in a process of its own, so the peak before is small.)
  if (!fs::exists("/dev/zero")) GTEST_SKIP() << "no /dev/zero here";
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer keeps freed blocks in quarantine, resident: the
  // buffers the reader outgrew still count, whatever the reader does.
  GTEST_SKIP() << "peak memory is not the reader's under AddressSanitizer";
#endif
  const uint64_t before = PeakResidentBytes();
  ExpectIOError("/dev/zero", "larger than 64 MiB");
  EXPECT_LT(PeakResidentBytes() - before, kMaxPolicyFileBytes + kMaxPolicyFileBytes / 8);
}

TEST_F(SourcesTest, ReadFileAtMostTakesTheLimitExactly) {
  // A regular file (its size known beforehand) and a pipe (read to its
  // end): the limit is accepted, one byte more is refused.
  std::string out;
  EXPECT_TRUE(ReadFileAtMost(Write("ten", "0123456789"), 10, &out).ok());
  EXPECT_EQ(out, "0123456789");
  Status s = ReadFileAtMost(Write("eleven", "0123456789a"), 10, &out);
  EXPECT_EQ(s.code(), Status::Code::kIOError) << s.ToString();
  const std::string fifo = (root_ / "fifo").string();
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  for (const std::string text : {"0123456789", "0123456789a"}) {
    std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << text; });
    out.clear();
    s = ReadFileAtMost(fifo, 10, &out);
    writer.join();
    if (text.size() == 10) {
      EXPECT_TRUE(s.ok()) << s.ToString();
      EXPECT_EQ(out, text);
    } else {
      EXPECT_NE(s.message().find("larger than"), std::string::npos) << s.ToString();
    }
  }
}

TEST_F(SourcesTest, NoPathIsAnError) { EXPECT_FALSE(ReadSources({}).ok()); }

// The library's side of the same mistake: no file used to compile to a
// table without routes, silently giving no request any CORS header.
TEST_F(SourcesTest, CompilingNoFileIsAnError) {
  Compilation c = Compile(std::span<const SourceFile>(), {});
  EXPECT_EQ(c.status.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(c.status.message().find("no policy file"), std::string::npos) << c.status.ToString();
  EXPECT_TRUE(c.diagnostics.empty());
  EXPECT_EQ(c.table, nullptr);
  EXPECT_FALSE(c.ok());
}

TEST_F(SourcesTest, CompiledTogetherInTheOrderRead) {
  Write("p/00-base.toml", "version = 1\n[defaults]\norigins = [\"https://a.example.com\"]\n");
  Write("p/10-more.toml", "version = 1\n[defaults]\norigins = []\n");
  Result<std::vector<SourceFile>> r = ReadSources(std::vector<std::string>{(root_ / "p").string()});
  ASSERT_TRUE(r.ok());
  Compilation c = Compile(*r, {});
  ASSERT_EQ(c.diagnostics.size(), 1u);
  EXPECT_EQ(c.diagnostics[0].code, Code::kDuplicateDefaults);
  EXPECT_EQ(c.diagnostics[0].where.file, (root_ / "p" / "10-more.toml").string());
}

}  // namespace
}  // namespace corsc
