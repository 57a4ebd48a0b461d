#include "pipeline/core/input_walk.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <map>

#include "tests/test_support.h"

namespace sohoa {
namespace {
namespace fs = std::filesystem;
using testing::ScratchDir;
using testing::WriteFile;

std::vector<std::string> Names(const InputWalk& walk) {
  std::vector<std::string> names;
  for (const InputFile& f : walk.files) names.push_back(f.relative_name);
  return names;
}

std::map<std::string, PassedOverKind> Passed(const InputWalk& walk) {
  std::map<std::string, PassedOverKind> passed;
  for (const PassedOver& p : walk.passed_over) passed[p.name] = p.kind;
  return passed;
}

TEST(InputWalkTest, TakesRegularFilesByRawNameInOrder) {
  ScratchDir dir("input_walk_names");
  WriteFile(dir / "b.png", "b");
  WriteFile(dir / "a/\xff\xfe.jpg", "x");
  WriteFile(dir / "a/line\nbreak.tif", "y");
  StatusOr<InputWalk> walk = WalkInputs(dir.path().string(), {});
  ASSERT_TRUE(walk.ok()) << walk.status().message();
  EXPECT_EQ(Names(*walk), (std::vector<std::string>{"a/line\nbreak.tif", "a/\xff\xfe.jpg", "b.png"}));
  EXPECT_TRUE(walk->passed_over.empty());
  EXPECT_EQ(walk->files[2].path, (dir / "b.png").string());
}

// Issue 25: a link back to the input made the archive ingest itself.
TEST(InputWalkTest, ArchiveReachedThroughAnyPathIsPassedOverAndNoTreeIsWalkedTwice) {
  ScratchDir dir("input_walk_links");
  const fs::path input = dir / "scans";
  WriteFile(input / "one.png", "1");
  WriteFile(input / "archive/ledger.sqlite", "ledger");
  WriteFile(input / "archive/bags/r/data/x.pdf", "pdf");
  fs::create_directory_symlink(input, input / "all");              // the whole input again
  fs::create_directory_symlink(input / "archive", dir / "alias");  // an alias path to the archive
  fs::create_directory_symlink(dir / "alias", input / "via-alias");
  InputWalkOptions options;
  options.exclude.emplace_back((dir / "alias").string(), "the archive");
  StatusOr<InputWalk> walk = WalkInputs(input.string(), options);
  ASSERT_TRUE(walk.ok()) << walk.status().message();
  EXPECT_EQ(Names(*walk), std::vector<std::string>{"one.png"});
  const auto passed = Passed(*walk);
  EXPECT_EQ(passed.at("all"), PassedOverKind::kAlreadyWalked);
  EXPECT_EQ(passed.at("archive"), PassedOverKind::kOwnOutput);
  EXPECT_EQ(passed.at("via-alias"), PassedOverKind::kOwnOutput);
  EXPECT_FALSE(PassedOverNeedsAttention(PassedOverKind::kOwnOutput));
}

TEST(InputWalkTest, ALinkedFolderIsWalkedOnceUnderItsFirstName) {
  ScratchDir dir("input_walk_once");
  WriteFile(dir / "z-real/p.png", "p");
  fs::create_directory_symlink(dir / "z-real", dir / "a-link");
  StatusOr<InputWalk> walk = WalkInputs(dir.path().string(), {});
  ASSERT_TRUE(walk.ok());
  EXPECT_EQ(Names(*walk), std::vector<std::string>{"a-link/p.png"});
  EXPECT_EQ(Passed(*walk).at("z-real"), PassedOverKind::kAlreadyWalked);
}

TEST(InputWalkTest, ReportsEveryEntryItDoesNotTakeByNameAndKind) {
  ScratchDir dir("input_walk_special");
  WriteFile(dir / "ok.png", "ok");
  ASSERT_EQ(::mkfifo((dir / "pipe").c_str(), 0600), 0);
  const int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string sock_path = (dir / "sock").string();
  ASSERT_LT(sock_path.size(), sizeof address.sun_path);
  std::strcpy(address.sun_path, sock_path.c_str());
  ASSERT_EQ(::bind(sock, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  fs::create_symlink(dir / "loop-b", dir / "loop-a");
  fs::create_symlink(dir / "loop-a", dir / "loop-b");
  fs::create_symlink(dir / "gone.png", dir / "dangling");
  fs::create_symlink("/dev/null", dir / "null");
  WriteFile(dir / "old-archive/ledger.sqlite", "x");
  WriteFile(dir / "a-bag/bagit.txt", "BagIt-Version: 1.0\n");
  StatusOr<InputWalk> walk = WalkInputs(dir.path().string(), {});
  ::close(sock);
  ASSERT_TRUE(walk.ok());
  EXPECT_EQ(Names(*walk), std::vector<std::string>{"ok.png"});
  const auto passed = Passed(*walk);
  EXPECT_EQ(passed.at("pipe"), PassedOverKind::kFifo);
  EXPECT_EQ(passed.at("sock"), PassedOverKind::kSocket);
  EXPECT_EQ(passed.at("loop-a"), PassedOverKind::kSymlinkLoop);
  EXPECT_EQ(passed.at("loop-b"), PassedOverKind::kSymlinkLoop);
  EXPECT_EQ(passed.at("dangling"), PassedOverKind::kDanglingLink);
  EXPECT_EQ(passed.at("null"), PassedOverKind::kDevice);
  EXPECT_EQ(passed.at("old-archive"), PassedOverKind::kOtherArchive);
  EXPECT_EQ(passed.at("a-bag"), PassedOverKind::kBag);
  EXPECT_EQ(passed.size(), 8u);
  for (const PassedOver& p : walk->passed_over) EXPECT_TRUE(PassedOverNeedsAttention(p.kind)) << p.name;
}

TEST(InputWalkTest, UnreadableFolderIsReported) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads every folder";
  ScratchDir dir("input_walk_unreadable");
  WriteFile(dir / "closed/x.png", "x");
  fs::permissions(dir / "closed", fs::perms::none);
  StatusOr<InputWalk> walk = WalkInputs(dir.path().string(), {});
  fs::permissions(dir / "closed", fs::perms::owner_all);
  ASSERT_TRUE(walk.ok());
  EXPECT_TRUE(walk->files.empty());
  EXPECT_EQ(Passed(*walk).at("closed"), PassedOverKind::kUnreadableFolder);
}

TEST(InputWalkTest, DepthIsBounded) {
  ScratchDir dir("input_walk_deep");
  WriteFile(dir / "1/2/3/4/x.png", "x");
  InputWalkOptions options;
  options.max_depth = 3;
  StatusOr<InputWalk> walk = WalkInputs(dir.path().string(), options);
  ASSERT_TRUE(walk.ok());
  EXPECT_TRUE(walk->files.empty());
  EXPECT_EQ(Passed(*walk).at("1/2/3"), PassedOverKind::kTooDeep);
}

TEST(InputWalkTest, InputThatIsTheArchiveOrMissingIsAConfigurationError) {
  ScratchDir dir("input_walk_errors");
  InputWalkOptions options;
  options.exclude.emplace_back(dir.path().string(), "the archive");
  EXPECT_EQ(WalkInputs(dir.path().string(), options).status().code(), StatusCode::kConfiguration);
  EXPECT_EQ(WalkInputs((dir / "missing").string(), {}).status().code(), StatusCode::kConfiguration);
}

// Issue 17: manifests are not inputs; they make the file they name a book.
TEST(InputWalkTest, BookManifestsAndBookListsDeclareBooksAndAreNotInputs) {
  ScratchDir dir("input_walk_books");
  WriteFile(dir / "a.tif", "a");
  WriteFile(dir / "a.tif.book.json", "{}");
  WriteFile(dir / "lone.pdf.book.json", "{}");
  WriteFile(dir / "so/b.tif", "b");
  WriteFile(dir / "so/c.tif", "c");
  WriteFile(dir / "so/c.tif.book.json", "{}");
  WriteFile(dir / "so/letter.png", "d");
  WriteFile(dir / "so/books.csv", "file,kind\nb.tif,khai_sinh\nc.tif,khai_tu\nmissing.tif,khai_sinh\n");
  StatusOr<InputWalk> walk = WalkInputs(dir.path().string(), {});
  ASSERT_TRUE(walk.ok()) << walk.status().message();
  EXPECT_EQ(Names(*walk), (std::vector<std::string>{"a.tif", "so/b.tif", "so/c.tif", "so/letter.png"}));
  std::map<std::string, std::pair<std::string, int>> manifests;
  for (const InputFile& f : walk->files) manifests[f.relative_name] = {f.book_manifest, f.book_manifest_line};
  EXPECT_EQ(manifests["a.tif"], std::make_pair((dir / "a.tif.book.json").string(), 0));
  EXPECT_EQ(manifests["so/b.tif"], std::make_pair((dir / "so/books.csv").string(), 2));
  // Its own .book.json wins over a row of the list.
  EXPECT_EQ(manifests["so/c.tif"], std::make_pair((dir / "so/c.tif.book.json").string(), 0));
  EXPECT_EQ(manifests["so/letter.png"].first, "");
  const auto passed = Passed(*walk);
  EXPECT_EQ(passed.at("lone.pdf.book.json"), PassedOverKind::kLoneBookManifest);
  EXPECT_EQ(passed.at("so/books.csv:4"), PassedOverKind::kLoneBookManifest);
}

// A folder holding book.json is one register book: its page images in the
// natural order of their names (page 10 after page 9), what else it holds
// named; a book.json at the top of the input makes no book of the input.
TEST(InputWalkTest, AFolderWithBookJsonIsOneBookOfItsPagesInNaturalOrder) {
  ScratchDir dir("input_walk_book_folder");
  WriteFile(dir / "ks-01-2018/book.json", "{}");
  for (const char* name : {"trang-10.jpg", "trang-9.jpg", "trang-1.jpg", "trang-02.jpg", ".DS_Store"})
    WriteFile(dir / "ks-01-2018" / name, "x");
  fs::create_directories(dir / "ks-01-2018/old");
  WriteFile(dir / "ks-01-2018/old/trang-3.jpg", "x");
  fs::create_directories(dir / "empty-book");
  WriteFile(dir / "empty-book/book.json", "{}");
  WriteFile(dir / "letter.png", "d");
  StatusOr<InputWalk> walk = WalkInputs(dir.path().string(), {});
  ASSERT_TRUE(walk.ok()) << walk.status().message();
  EXPECT_EQ(Names(*walk), (std::vector<std::string>{"ks-01-2018", "letter.png"}));
  const InputFile& book = walk->files[0];
  EXPECT_EQ(book.book_manifest, (dir / "ks-01-2018/book.json").string());
  std::vector<std::string> pages;
  for (const std::string& page : book.page_files) pages.push_back(fs::path(page).filename().string());
  EXPECT_EQ(pages, (std::vector<std::string>{"trang-1.jpg", "trang-02.jpg", "trang-9.jpg", "trang-10.jpg"}));
  const auto passed = Passed(*walk);
  EXPECT_EQ(passed.at("ks-01-2018/old"), PassedOverKind::kInBookFolder);
  EXPECT_EQ(passed.at("empty-book"), PassedOverKind::kInBookFolder);
  EXPECT_TRUE(walk->files[1].page_files.empty());
}

TEST(InputWalkTest, NaturalOrderComparesRunsOfDigitsAsNumbers) {
  EXPECT_TRUE(NaturalLess("p2.jpg", "p10.jpg"));
  EXPECT_FALSE(NaturalLess("p10.jpg", "p2.jpg"));
  EXPECT_TRUE(NaturalLess("p2.jpg", "p02.jpg"));  // equal numbers: the shorter first, a strict order
  EXPECT_TRUE(NaturalLess("a", "b"));
  EXPECT_TRUE(NaturalLess("p9", "p9a"));
  EXPECT_TRUE(NaturalLess("p99999999999999999999998", "p99999999999999999999999"));
  EXPECT_FALSE(NaturalLess("same", "same"));
}

}  // namespace
}  // namespace sohoa
