// The keying station's routes (issue 18) against a real archive and the
// real server on loopback: code lists, crops of a page, drafts per operator
// (kept, private to their author, audited without values, gone on confirm),
// and a register entry's facts for entry mode.
#include "cli/review/code_lists.h"
#include "pipeline/core/book.h"
#include "tests/cli/review/review_fixture.h"
#include "tests/support/register_books.h"

namespace sohoa {
namespace {

class KeyingApiTest : public ReviewFixture {
 protected:
  static void SetUpTestSuite() { MakeMasterArchive({"t03_khai_tu_packbits.tif"}); }

  void SetUp() override {
    ReviewFixture::SetUp();
    auto drafts = OpenDraftStore(DraftStorePath(archive_));
    ASSERT_TRUE(drafts.ok()) << drafts.status().ToString();
    drafts_ = std::move(*drafts);
    auto lists = cli::CodeListsJson("");
    ASSERT_TRUE(lists.ok()) << lists.status().ToString();
    cli::ReviewServerOptions options;
    options.drafts = drafts_.get();
    options.code_lists_json = *lists;
    StartServer(options);
  }

  std::string FirstSha(const Login& who) {
    const std::vector<json> items = Queue(who);
    EXPECT_FALSE(items.empty());
    return items.empty() ? "" : items[0]["sha256"].get<std::string>();
  }

  std::unique_ptr<DraftStore> drafts_;
};

TEST_F(KeyingApiTest, CodeListsHoldEveryCommuneAsAChainAndTheOtherLists) {
  auto anonymous = Client().Get("/api/codelists");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  Login lan = LogIn("lan");
  auto res = Get(lan, "/api/codelists");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  const json lists = json::parse(res->body);
  EXPECT_EQ(lists["provinces"].size(), 63u);
  EXPECT_GT(lists["districts"].size(), 690u);
  EXPECT_EQ(lists["communes"].size(), 10047u);  // domain.md: 10,047 communes
  // "xã Tiền Phong" lies in "huyện Mê Linh" of "thành phố Hà Nội".
  bool found = false;
  for (const json& c : lists["communes"]) {
    if (c[0] != "xã Tiền Phong") continue;
    const json& district = lists["districts"][c[1].get<int>()];
    if (district[0] == "huyện Mê Linh" && lists["provinces"][district[1].get<int>()] == "thành phố Hà Nội")
      found = true;
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(lists["ethnic_groups"].size(), 54u);
  EXPECT_EQ(lists["ethnic_groups"][0][0], "Kinh");
  EXPECT_EQ(lists["nationalities"][0][0], "Việt Nam");
  EXPECT_FALSE(lists["institutions"].empty());
}

TEST_F(KeyingApiTest, ARegionOfAPageIsRenderedBoundedAndClamped) {
  Login lan = LogIn("lan");
  const std::string sha = FirstSha(lan);
  const std::string base = "/api/documents/" + sha + "/pages/1/region.png";
  auto crop = Get(lan, base + "?x=100&y=200&w=800&h=50");
  ASSERT_TRUE(crop);
  ASSERT_EQ(crop->status, 200);
  EXPECT_EQ(crop->body.compare(0, 8, "\x89PNG\r\n\x1a\n"), 0);
  // PNG IHDR: width and height, big-endian, at bytes 16 and 20.
  auto be32 = [&](const std::string& png, size_t at) {
    return (static_cast<uint32_t>(static_cast<unsigned char>(png[at])) << 24) |
           (static_cast<uint32_t>(static_cast<unsigned char>(png[at + 1])) << 16) |
           (static_cast<uint32_t>(static_cast<unsigned char>(png[at + 2])) << 8) |
           static_cast<uint32_t>(static_cast<unsigned char>(png[at + 3]));
  };
  EXPECT_LE(be32(crop->body, 16), 1600u);
  EXPECT_GT(be32(crop->body, 16), 10 * be32(crop->body, 20));  // a wide strip, as asked
  // The whole page asked for is still at most 1600 px a side; nonsense is clamped or refused.
  auto whole = Get(lan, base + "?x=0&y=0&w=1000&h=1000");
  ASSERT_TRUE(whole);
  ASSERT_EQ(whole->status, 200);
  EXPECT_LE(std::max(be32(whole->body, 16), be32(whole->body, 20)), 1600u);
  auto outside = Get(lan, base + "?x=1000&y=1000&w=999999999&h=5");
  ASSERT_TRUE(outside);
  EXPECT_EQ(outside->status, 422);
  auto no_page = Get(lan, "/api/documents/" + sha + "/pages/9/region.png?x=0&y=0&w=100&h=100");
  ASSERT_TRUE(no_page);
  EXPECT_EQ(no_page->status, 422);
}

TEST_F(KeyingApiTest, DraftsComeBackToTheirAuthorOnlyAreAuditedWithoutValuesAndGoOnConfirm) {
  Login lan = LogIn("lan");
  Login minh = LogIn("minh");
  const std::string sha = FirstSha(lan);
  const std::string path = "/api/documents/" + sha + "/draft";
  auto none = Get(lan, path);
  ASSERT_TRUE(none);
  ASSERT_EQ(none->status, 200);
  EXPECT_TRUE(json::parse(none->body)["draft"].is_null());

  auto doc = Get(lan, "/api/documents/" + sha);
  ASSERT_TRUE(doc && doc->status == 200);
  const json form = json::parse(doc->body);
  json fields = FormValues(form);
  fields["ho_ten"] = "TRẦN THỊ NHÁP";
  for (int i = 0; i < 3; ++i) {  // saved while typing: one audit entry, not three
    auto saved = Post(lan, path, {{"doc_type", form["doc_type"]}, {"fields", fields}});
    ASSERT_TRUE(saved);
    ASSERT_EQ(saved->status, 200) << saved->body;
  }
  auto back = Get(lan, path);
  ASSERT_TRUE(back);
  const json draft = json::parse(back->body)["draft"];
  ASSERT_TRUE(draft.is_object());
  EXPECT_EQ(draft["fields"]["ho_ten"], "TRẦN THỊ NHÁP");
  EXPECT_EQ(draft["doc_type"], form["doc_type"]);
  auto other = Get(minh, path);  // another operator's draft is theirs alone
  ASSERT_TRUE(other);
  EXPECT_TRUE(json::parse(other->body)["draft"].is_null());

  // Bounded: too many fields, or a value too long, is refused and nothing changes.
  json many = json::object();
  for (size_t i = 0; i <= kMaxDraftFields; ++i) many["f" + std::to_string(i)] = "x";
  auto refused = Post(lan, path, {{"doc_type", form["doc_type"]}, {"fields", many}});
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 422);
  auto long_value = Post(
      lan, path,
      {{"doc_type", form["doc_type"]}, {"fields", {{"ho_ten", std::string(kMaxDraftValueBytes + 1, 'A')}}}});
  ASSERT_TRUE(long_value);
  EXPECT_EQ(long_value->status, 422);
  auto bad = Post(lan, path, {{"doc_type", "khai_sinh"}, {"fields", "not an object"}});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);

  StatusOr<std::vector<AuditEntry>> audit = accounts_->AuditLog(AuditQuery{});
  ASSERT_TRUE(audit.ok());
  int saved = 0, restored = 0;
  for (const AuditEntry& e : *audit) {
    saved += e.action == "draft_saved" && e.target == sha && e.user == "lan";
    restored += e.action == "draft_restored" && e.target == sha && e.user == "lan";
    EXPECT_EQ(e.detail.find("NHÁP"), std::string::npos);
  }
  EXPECT_EQ(saved, 1);
  EXPECT_EQ(restored, 1);
  EXPECT_EQ(log_.str().find("NHÁP"), std::string::npos);

  // Confirmed: the draft is gone.
  auto confirmed = Post(lan, "/api/documents/" + sha + "/confirm",
                        {{"version", form["version"]},
                         {"doc_type", form["doc_type"]},
                         {"fields", FormValues(form)},
                         {"record_id", form["record_id"]}});
  ASSERT_TRUE(confirmed);
  ASSERT_EQ(confirmed->status, 200) << confirmed->body;
  auto after = drafts_->Load("lan", sha);
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(after->has_value());
  // A save that arrives late (the browser's last keystrokes) keeps nothing.
  auto late = Post(lan, path, {{"doc_type", form["doc_type"]}, {"fields", fields}});
  ASSERT_TRUE(late);
  EXPECT_EQ(late->status, 409);
  after = drafts_->Load("lan", sha);
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(after->has_value());
}

// A register entry recorded with the places its fields are written at:
// the document JSON gives entry mode its book, number and places.
TEST_F(KeyingApiTest, AnEntryTellsItsBookNumberAndWhereItsFieldsAreWritten) {
  testing::TestBook book;
  book.sha256 = std::string(64, 'b');
  testing::TestEntry e;
  e.position = 4;
  e.entry_no = "4";
  e.page_no = "4";
  e.scan_page = 4;
  e.handwritten = true;
  e.status = "review";
  e.reason = "handwritten: key it in";
  book.entries.push_back(e);
  testing::RecordBook(*ledger_, &book);
  // The test helper writes no places: add them as the book splitter does.
  auto record = ledger_->Find(book.entries[0].sha256);
  ASSERT_TRUE(record.ok() && record->has_value());
  LedgerRecord r = **record;
  json details = json::parse(r.details_json);
  details["metadata"]["field_places"] = "ho_ten@1:84,212,830,31;bad@x";
  r.details_json = details.dump();
  ASSERT_TRUE(ledger_->RecordOutcome(r).ok());

  Login lan = LogIn("lan");
  auto res = Get(lan, "/api/documents/" + book.entries[0].sha256);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json entry = json::parse(res->body)["entry"];
  ASSERT_TRUE(entry.is_object());
  EXPECT_EQ(entry["register_kind"], "khai_sinh");
  EXPECT_EQ(entry["book_no"], "01/2018");
  EXPECT_EQ(entry["entry_no"], "4");
  EXPECT_EQ(entry["position"], 4);
  EXPECT_TRUE(entry["handwritten"].get<bool>());
  ASSERT_EQ(entry["field_places"].size(), 1u);
  EXPECT_EQ(entry["field_places"]["ho_ten"]["page"], 1);
  EXPECT_DOUBLE_EQ(entry["field_places"]["ho_ten"]["y"].get<double>(), 0.212);
  // A document that is no entry has none.
  auto plain = Get(lan, "/api/documents/" + FirstSha(lan));
  ASSERT_TRUE(plain);
  EXPECT_FALSE(json::parse(plain->body).contains("entry"));
}

}  // namespace
}  // namespace sohoa
