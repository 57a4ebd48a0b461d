// Field extraction on the generated scans: every document of the test
// preset goes through the real page stages (ingest, orient, deskew, OCR) and
// then the extraction stage; the fields are compared with the generator's
// ground truth (truth.json "fields"). Also the stage's own contract (review
// reasons, fields.json, XMP entries) on those real documents.
#include "stages/fields/field_extraction_stage.h"

#include <gtest/gtest.h>

#include <cstdio>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "build_paths.h"
#include "pipeline/core/doctype_catalog.h"
#include "stages/decode/ingest_stage.h"
#include "stages/page/deskew_stage.h"
#include "stages/page/figure_reread.h"
#include "stages/page/ocr_stage.h"
#include "stages/page/orient_stage.h"
#include "tests/test_support.h"

namespace sohoa {
namespace {

using testing::SamplesDir;

struct Sample {
  std::string file, doc_type;
  bool clean = true;  // every page clean
  nlohmann::json fields;
};

std::vector<Sample> LoadTruth() {
  std::ifstream in(SamplesDir() / "truth.json");
  EXPECT_TRUE(in) << "missing " << SamplesDir() / "truth.json";
  std::vector<Sample> out;
  if (!in) return out;
  nlohmann::json root = nlohmann::json::parse(in);
  for (const auto& entry : root) {
    Sample s{entry["file"], entry["doc_type"], true, entry["fields"]};
    for (const auto& p : entry["page_details"]) s.clean = s.clean && p["clean"].get<bool>();
    out.push_back(s);
  }
  return out;
}

// Reads a scan through the real page stages, as `sohoa run` does.
class Reader {
 public:
  Reader() {
    probe_ = NewIngestProbeStage(IngestOptions{});
    page_stages_.push_back(NewIngestDecodeStage(IngestOptions{}));
    page_stages_.push_back(NewOrientStage());
    page_stages_.push_back(NewDeskewStage());
    page_stages_.push_back(NewOcrStage());
    auto w = probe_->NewWorker();
    EXPECT_TRUE(w.ok()) << w.status().ToString();
    probe_worker_ = std::move(*w);
    for (auto& stage : page_stages_) {
      auto pw = stage->NewWorker();
      EXPECT_TRUE(pw.ok()) << pw.status().ToString();
      page_workers_.push_back(std::move(*pw));
    }
  }
  Document Read(const std::string& path) {
    Document doc;
    doc.source_path = path;
    doc.relative_path = std::filesystem::path(path).filename().string();
    doc.sha256 = std::string(64, 'a');
    EXPECT_TRUE(probe_worker_->Process(doc).ok());
    for (Page& page : doc.pages) {
      for (auto& w : page_workers_) {
        Status s = w->Process(doc, page);
        EXPECT_TRUE(s.ok()) << path << ": " << s.ToString();
        if (!s.ok()) break;
      }
      page.raster = Raster();  // free the pixels
    }
    return doc;
  }

 private:
  std::unique_ptr<DocumentStage> probe_;
  std::unique_ptr<DocumentWorker> probe_worker_;
  std::vector<std::unique_ptr<PageStage>> page_stages_;
  std::vector<std::unique_ptr<PageWorker>> page_workers_;
};

// OCR once for the whole suite (it is the slow part).
struct ReadSamples {
  std::vector<Sample> truth;
  std::vector<Document> docs;
};

const ReadSamples& Samples() {
  static ReadSamples* read = [] {
    auto* r = new ReadSamples;
    r->truth = LoadTruth();
    Reader reader;
    for (const Sample& s : r->truth) r->docs.push_back(reader.Read((SamplesDir() / s.file).string()));
    return r;
  }();
  return *read;
}

FieldExtractionOptions Options(const std::string& staging = "") {
  FieldExtractionOptions o;
  o.doctypes_dir = std::string(SOHOA_SOURCE_DIR) + "/schemas/doctypes";
  o.today = "2025-07-01";
  return o;
}

Document Extract(Document doc, const FieldExtractionOptions& options = Options()) {
  auto stage = NewFieldExtractionStage(options);
  auto worker = stage->NewWorker();
  EXPECT_TRUE(worker.ok()) << worker.status().ToString();
  EXPECT_TRUE((*worker)->Process(doc).ok());
  return doc;
}

struct Tally {
  int fields = 0, right = 0;
  double Accuracy() const { return fields ? static_cast<double>(right) / fields : 0; }
};

// Compares the fields the type defines with the truth; prints mismatches.
Tally Compare(const Sample& truth, const Document& doc, const DocTypeCatalog& catalog) {
  Tally t;
  const DocTypeSpec* type = catalog.Find(truth.doc_type);
  if (type == nullptr) return t;
  for (const FieldSpec& f : type->fields) {
    if (!truth.fields.contains(f.key)) continue;
    ++t.fields;
    const std::string expected = truth.fields[f.key];
    auto it = doc.fields.find(f.key);
    const std::string got = it == doc.fields.end() ? "<missing>" : it->second.value;
    if (got == expected) {
      ++t.right;
    } else {
      std::cout << "  " << truth.file << " " << f.key << ": expected '" << expected << "' got '" << got << "'"
                << (it != doc.fields.end() ? " conf " + std::to_string(it->second.confidence) : "") << "\n";
    }
  }
  return t;
}

TEST(FieldExtractionStageTest, ClassifiesEveryGeneratedDocument) {
  const ReadSamples& s = Samples();
  ASSERT_FALSE(s.docs.empty());
  std::set<std::string> types_seen;
  for (size_t i = 0; i < s.docs.size(); ++i) {
    Document doc = Extract(s.docs[i]);
    EXPECT_EQ(doc.metadata["doc_type"], s.truth[i].doc_type) << s.truth[i].file;
    types_seen.insert(doc.metadata["doc_type"]);
  }
  EXPECT_EQ(types_seen.size(), 4u) << "the test preset has all four types";
}

TEST(FieldExtractionStageTest, FieldsMatchGroundTruthPerType) {
  const ReadSamples& s = Samples();
  StatusOr<DocTypeCatalog> catalog = DocTypeCatalog::Load(Options().doctypes_dir);
  ASSERT_TRUE(catalog.ok());
  std::map<std::string, Tally> per_type;
  Tally clean, unreviewed, all;
  int reviewed = 0;
  for (size_t i = 0; i < s.docs.size(); ++i) {
    Document doc = Extract(s.docs[i]);
    Tally t = Compare(s.truth[i], doc, *catalog);
    per_type[s.truth[i].doc_type].fields += t.fields;
    per_type[s.truth[i].doc_type].right += t.right;
    all.fields += t.fields;
    all.right += t.right;
    if (s.truth[i].clean) {
      clean.fields += t.fields;
      clean.right += t.right;
    }
    if (doc.review_reasons.empty()) {
      unreviewed.fields += t.fields;
      unreviewed.right += t.right;
    } else {
      ++reviewed;
      for (const std::string& r : doc.review_reasons)
        std::cout << "  review " << s.truth[i].file << ": " << r << "\n";
    }
    // The result code is the holder's ID and the (placeholder) type code.
    if (doc.review_reasons.empty()) {
      EXPECT_EQ(doc.metadata["result_code"], s.truth[i].fields["code"].get<std::string>()) << s.truth[i].file;
    }
  }
  for (const auto& [type, t] : per_type) {
    std::cout << type << ": " << t.right << "/" << t.fields << " fields exact\n";
    EXPECT_GE(t.Accuracy(), 0.80) << type;
  }
  std::cout << "all: " << all.right << "/" << all.fields << "; clean scans: " << clean.right << "/"
            << clean.fields << "; documents not in review: " << unreviewed.right << "/" << unreviewed.fields
            << "; review " << reviewed << "/" << s.docs.size() << "\n";
  EXPECT_GE(clean.Accuracy(), 0.95);
  if (unreviewed.fields > 0) EXPECT_GE(unreviewed.Accuracy(), 0.99);
}

TEST(FieldExtractionStageTest, WritesFieldsJsonAndXmpEntries) {
  const ReadSamples& s = Samples();
  ASSERT_FALSE(s.docs.empty());
  testing::ScratchDir dir("fields");
  Document doc = s.docs.front();
  doc.staging_dir = dir.path().string();
  doc = Extract(doc);
  const OutputFile* out = doc.FindOutput("fields");
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(out->staged_path, doc.staging_dir + "/" + doc.sha256 + ".fields.json");
  nlohmann::json j = nlohmann::json::parse(testing::ReadFile(out->staged_path));
  EXPECT_EQ(j["doc_type"], s.truth.front().doc_type);
  EXPECT_EQ(j["code"], doc.metadata["result_code"]);
  EXPECT_EQ(j["fields"]["so"]["value"], s.truth.front().fields["so"]);
  EXPECT_FALSE(std::filesystem::exists(out->staged_path + ".part"));
  EXPECT_EQ(doc.metadata["xmp:ns:sohoa"], "http://ns.sohoa.vn/xmp/1.0/");
  EXPECT_EQ(doc.metadata["xmp:sohoa:ResultCode"], doc.metadata["result_code"]);
  EXPECT_EQ(doc.metadata["xmp:sohoaf:so"], doc.fields["so"].value);
}

TEST(FieldExtractionStageTest, UnknownTypeGoesToReviewNotGuessed) {
  Document doc;
  doc.sha256 = std::string(64, 'b');
  Page page;
  OcrLine line;
  line.box = {100, 100, 900, 140};
  line.words = {{"BIÊN", {100, 100, 200, 140}, 95},
                {"BẢN", {210, 100, 300, 140}, 95},
                {"HỌP", {310, 100, 400, 140}, 95}};
  page.ocr.lines.push_back(line);
  doc.pages.push_back(page);
  doc = Extract(doc);
  EXPECT_EQ(doc.metadata["doc_type"], "");
  EXPECT_TRUE(doc.fields.empty());
  ASSERT_EQ(doc.review_reasons.size(), 1u);
  EXPECT_NE(doc.review_reasons[0].find("unknown document type"), std::string::npos);
}

// A birth certificate typed as OCR lines, with damaged labels and a wrong
// ID: every doubt becomes a reason.
Document TypedBirthCertificate(const std::string& id, const std::string& sex, float confidence = 93) {
  const std::vector<std::string> texts = {"GIAY KHAl SINH",
                                          "Sô: 15, Quyen số: 01/2021",
                                          "Họ chữ đệm tên: nguyễn văn an",
                                          "Ngày, tháng, năm sinh: O3/02/2021",
                                          "Giói tính: " + sex,
                                          "Số định danh cá nhân: " + id,
                                          "Nơi đăng ký: Ủy ban nhân dân xã Xuân Thành,",
                                          "huyện Nghi Xuân, tỉnh Hà Tĩnh",
                                          "Ngày đăng ký: ngày 05 tháng 3 năm 2021"};
  Document doc;
  doc.sha256 = std::string(64, 'c');
  Page page;
  int y = 100;
  for (const std::string& t : texts) {
    OcrLine line;
    line.box = {100, y, 1500, y + 40};
    int x = 100;
    size_t b = 0;
    while (b <= t.size()) {
      size_t e = t.find(' ', b);
      if (e == std::string::npos) e = t.size();
      line.words.push_back({t.substr(b, e - b), {x, y, x + 80, y + 40}, confidence});
      x += 90;
      b = e + 1;
    }
    page.ocr.lines.push_back(line);
    y += 60;
  }
  doc.pages.push_back(page);
  return doc;
}

// The OCR stage reads letters twice only where this says a type could be
// found (issue 19): it must say yes wherever the stage finds one.
TEST(FieldExtractionStageTest, TitleTestSaysYesWhereTheStageFindsAType) {
  const auto has_title = NewTitleTest(Options());
  const Document typed = TypedBirthCertificate("042221004455", "Nam");
  EXPECT_EQ(Extract(typed).metadata["doc_type"], "khai_sinh");
  EXPECT_TRUE(has_title(typed.pages[0].ocr));  // "GIAY KHAl SINH": damaged, within tolerance

  OcrResult prose;
  OcrLine line;
  for (const char* w : {"BIÊN", "BẢN", "HỌP"}) line.words.push_back({w, {100, 100, 200, 140}, 95});
  prose.lines.push_back(line);
  EXPECT_FALSE(has_title(prose));
  // The title's words inside a sentence are not a title (nor for the stage).
  line.words.clear();
  for (const char* w : {"Ủy", "ban", "nhân", "dân", "xã", "có", "trách", "nhiệm", "cấp", "trích", "lục", "khai",
                        "sinh", "cho", "người", "yêu", "cầu", "theo", "quy", "định"}) {
    line.words.push_back({w, {100, 100, 200, 140}, 95});
  }
  prose.lines = {line};
  EXPECT_FALSE(has_title(prose));
  Document doc;
  doc.sha256 = std::string(64, 'd');
  Page page;
  page.ocr = prose;
  doc.pages.push_back(page);
  EXPECT_EQ(Extract(doc).metadata["doc_type"], "");
}

// The OCR stage leaves the header above the title read once: the finder
// must give the topmost title line, and none for prose.
TEST(FieldExtractionStageTest, TitleFinderGivesTheTopmostTitleLine) {
  const auto find = NewTitleFinder(Options());
  Document typed = TypedBirthCertificate("042221004455", "Nam");
  OcrResult& ocr = typed.pages[0].ocr;
  ASSERT_FALSE(ocr.lines.empty());
  EXPECT_EQ(find(ocr), 0);  // "GIAY KHAl SINH", first and topmost
  // Reading order is not page order: a copy of the title further down,
  // listed first, is not the topmost.
  OcrLine lower = ocr.lines[0];
  lower.box.top += 2000;
  lower.box.bottom += 2000;
  ocr.lines.insert(ocr.lines.begin(), lower);
  EXPECT_EQ(find(ocr), 1);
  OcrResult prose;
  OcrLine line;
  for (const char* w : {"BIÊN", "BẢN", "HỌP"}) line.words.push_back({w, {100, 100, 200, 140}, 95});
  prose.lines.push_back(line);
  EXPECT_EQ(find(prose), -1);
  // A title split at the header's column gap, another column's line between
  // its halves in reading order: the title stands at its left half's line.
  OcrResult split;
  auto add = [&split](const std::vector<const char*>& words, Box box) {
    OcrLine l;
    l.box = box;
    for (const char* w : words) l.words.push_back({w, box, 95});
    split.lines.push_back(l);
  };
  add({"ỦY", "BAN", "NHÂN", "DÂN"}, {100, 60, 500, 100});
  add({"GIẤY", "XÁC"}, {600, 220, 770, 260});
  add({"CỘNG", "HÒA", "XÃ", "HỘI", "CHỦ", "NGHĨA", "VIỆT", "NAM"}, {900, 60, 1900, 100});
  add({"NHẬN", "TÌNH", "TRẠNG", "HÔN", "NHÂN"}, {800, 224, 1300, 264});
  EXPECT_EQ(find(split), 1);
}

TEST(FieldExtractionStageTest, ToleratesDamagedLabelsAndJoinsWrappedPlaces) {
  Document doc = Extract(TypedBirthCertificate("042221004455", "Nam"));
  EXPECT_EQ(doc.metadata["doc_type"], "khai_sinh");
  EXPECT_EQ(doc.fields["so"].value, "15");
  EXPECT_EQ(doc.fields["quyen_so"].value, "01/2021");
  EXPECT_EQ(doc.fields["ho_ten"].value, "NGUYỄN VĂN AN");
  EXPECT_EQ(doc.fields["ngay_sinh"].value, "2021-02-03");
  EXPECT_EQ(doc.fields["gioi_tinh"].value, "Nam");
  EXPECT_EQ(doc.fields["so_dinh_danh"].value, "042221004455");
  EXPECT_EQ(doc.fields["noi_dang_ky"].value, "Ủy ban nhân dân xã Xuân Thành, huyện Nghi Xuân, tỉnh Hà Tĩnh");
  EXPECT_EQ(doc.fields["ngay_dang_ky"].value, "2021-03-05");
  EXPECT_EQ(doc.metadata["result_code"], "042221004455.GKS");
  EXPECT_NEAR(doc.fields["so"].confidence, 0.93, 1e-3);
  EXPECT_TRUE(doc.review_reasons.empty()) << doc.review_reasons.front();
}

TEST(FieldExtractionStageTest, IdContradictingSexGoesToReviewWithEmptyHolder) {
  Document doc = Extract(TypedBirthCertificate("042221004455", "Nữ"));
  ASSERT_FALSE(doc.review_reasons.empty());
  EXPECT_NE(doc.review_reasons[0].find("so_dinh_danh"), std::string::npos) << doc.review_reasons[0];
  EXPECT_EQ(doc.metadata["holder_id"], "");
  EXPECT_EQ(doc.metadata["result_code"], ".GKS");
}

// Dates, IDs, numbers and checked names need half of review_confidence
// (0.95 -> 0.475); a place the gazetteer does not confirm needs all of it.
TEST(FieldExtractionStageTest, LowConfidenceGoesToReviewAndSeparatorIsConfigurable) {
  FieldExtractionOptions o = Options();
  o.review_confidence = 0.95;
  o.code_separator = "-";
  Document doc = Extract(TypedBirthCertificate("042221004455", "Nam", 45), o);
  EXPECT_EQ(doc.metadata["result_code"], "042221004455-GKS");
  ASSERT_FALSE(doc.review_reasons.empty());
  EXPECT_NE(doc.review_reasons[0].find(" < 0.475"), std::string::npos) << doc.review_reasons[0];
  EXPECT_TRUE(Extract(TypedBirthCertificate("042221004455", "Nam", 48), o).review_reasons.empty());
}

// "read with confidence A < B" must be true as printed: a threshold just
// above the confidence once printed "0.93 < 0.93" (both rounded to 2 places).
TEST(FieldExtractionStageTest, PrintedConfidenceIsBelowPrintedThreshold) {
  for (double review_confidence : {0.95, 0.931, 0.9300001}) {
    FieldExtractionOptions o = Options();
    o.review_confidence = review_confidence;
    const double threshold = review_confidence / 2;  // a closed form's bar
    Document doc = Extract(TypedBirthCertificate("042221004455", "Nam", 46.5), o);
    bool seen = false;
    for (const std::string& reason : doc.review_reasons) {
      const size_t at = reason.find(" read with confidence ");
      if (at == std::string::npos) continue;
      seen = true;
      double shown_value = 0, shown_threshold = 0;
      ASSERT_EQ(
          std::sscanf(reason.c_str() + at, " read with confidence %lf < %lf", &shown_value, &shown_threshold),
          2)
          << reason;
      EXPECT_LT(shown_value, shown_threshold) << reason;
      EXPECT_GE(shown_threshold, threshold) << reason;
      EXPECT_LT(shown_threshold - threshold, 1e-6) << reason;
    }
    EXPECT_TRUE(seen) << threshold;
  }
}

// OCR lines placed on a page: each word 80 px wide at (x, y), confidence 93
// unless given.
struct PlacedLine {
  std::string text;
  int x, y;
  float confidence = 93;
};
Document PlacedDocument(const std::vector<PlacedLine>& placed) {
  Document doc;
  doc.sha256 = std::string(64, 'd');
  Page page;
  for (const PlacedLine& p : placed) {
    OcrLine line;
    int x = p.x;
    size_t b = 0;
    while (b <= p.text.size()) {
      size_t e = p.text.find(' ', b);
      if (e == std::string::npos) e = p.text.size();
      line.words.push_back({p.text.substr(b, e - b), {x, p.y, x + 80, p.y + 40}, p.confidence});
      x += 90;
      b = e + 1;
    }
    line.box = {p.x, p.y, x - 10, p.y + 40};
    page.ocr.lines.push_back(line);
  }
  doc.pages.push_back(page);
  return doc;
}

// Issue 14, tuning seeds 1-5: a speck after "Sinh ngày:" read as "ˆ" (or
// after "Giới tính:" as "l") was taken for the value, and the value on the
// next line was never read. A one-character word under a third of its
// line's typical word height is a speck, dropped wherever it is; a letter
// as tall as its neighbours ("Trạm Y tế") is not. And one letter alone
// after a label is no value, whatever its size.
TEST(FieldExtractionStageTest, ASpeckReadAsALetterIsNoValue) {
  auto death_extract = [](bool speck_sized) {
    Document placed =
        PlacedDocument({{"TRÍCH LỤC KHAI TỬ", 600, 100},
                        {"Số: 171/TLKT", 100, 200},
                        {"Họ và tên: ˆ LƯƠNG THU ÁNH", 100, 260},
                        {"Sinh ngày: ˆ", 100, 380},
                        {"ngày 23 tháng 5 năm 1947", 200, 430},
                        {"Nơi chết: Trạm Y tế xã Xuân Thành, huyện Nghi Xuân, tỉnh Hà Tĩnh", 100, 500},
                        {"Giới tính: l", 100, 560},
                        {"Nữ", 200, 610},
                        {"Quốc tịch:", 100, 680},
                        {"ì", 420, 680},  // read as a line of its own beside the label
                        {"Việt Nam", 200, 730}});
    if (speck_sized) {
      for (int line : {2, 3}) {
        for (OcrWord& word : placed.pages[0].ocr.lines[line].words) {
          if (word.text == "ˆ") word.box.right = word.box.left + 6, word.box.bottom = word.box.top + 8;
        }
      }
    }
    return Extract(placed);
  };
  Document doc = death_extract(true);
  EXPECT_EQ(doc.fields["ho_ten"].value, "LƯƠNG THU ÁNH");
  EXPECT_EQ(doc.fields["ngay_sinh"].value, "1947-05-23");
  EXPECT_EQ(doc.fields["noi_chet"].value, "Trạm Y tế xã Xuân Thành, huyện Nghi Xuân, tỉnh Hà Tĩnh");
  EXPECT_EQ(doc.fields["gioi_tinh"].value, "Nữ");
  EXPECT_EQ(doc.fields["quoc_tich"].value, "Việt Nam");
  // The same mark the size of a letter: inside a value it stays (a person
  // sees it), alone after a label it is no value.
  Document letter_sized = death_extract(false);
  EXPECT_NE(letter_sized.fields["ho_ten"].value, "LƯƠNG THU ÁNH");
  EXPECT_EQ(letter_sized.fields["ngay_sinh"].value, "1947-05-23");
}

// Tuning seed 5, t025 (typewritten table): the nationality's cell read
// "Việt Nam : :", the colons at 0.00, and the value went to a person at
// 0.00; a speck before a date likewise. Specks at a value's ends are no
// part of it; inside it they stay and count.
TEST(FieldExtractionStageTest, SpecksAtAValuesEndsAreNoPartOfIt) {
  auto birth = [](const std::string& nationality_line) {
    Document placed = PlacedDocument({{"GIẤY KHAI SINH", 600, 100},
                                      {"Số: 15, Quyển số: 01/2021", 100, 200},
                                      {"Họ và tên: NGUYỄN VĂN AN", 100, 260},
                                      {"Sinh ngày: ` 03/02/2021", 100, 320},
                                      {"Giới tính: Nam", 100, 380},
                                      {nationality_line, 100, 440},
                                      {"Ngày đăng ký: 05/03/2021", 100, 560}});
    for (OcrLine& line : placed.pages[0].ocr.lines)
      for (OcrWord& word : line.words)
        if (word.text == ":" || word.text == "`" || word.text == "-") word.confidence = 0;
    return Extract(placed);
  };
  const Document ends = birth("Quốc tịch: Việt Nam : :");
  EXPECT_EQ(ends.fields.at("quoc_tich").value, "Việt Nam");
  EXPECT_GT(ends.fields.at("quoc_tich").confidence, 0.9f);
  EXPECT_EQ(ends.fields.at("ngay_sinh").value, "2021-02-03");
  EXPECT_GT(ends.fields.at("ngay_sinh").confidence, 0.9f);
  for (const std::string& reason : ends.review_reasons) {
    EXPECT_EQ(reason.find("quoc_tich"), std::string::npos) << reason;
    EXPECT_EQ(reason.find("ngay_sinh"), std::string::npos) << reason;
  }
  const Document inside = birth("Quốc tịch: Việt - Nam");
  EXPECT_LT(inside.fields.at("quoc_tich").confidence, 0.1f);
}

// Issue 14: a label followed by its event word ("Nơi đăng ký khai sinh:")
// leaked "khai sinh:" into the value and was archived as right; the
// registration date label of another form version was read as the birth
// date's.
TEST(FieldExtractionStageTest, LabelWordingsOfOtherFormVersions) {
  Document doc = Extract(PlacedDocument(
      {{"GIẤY KHAI SINH", 600, 100},
       {"Số: 15/KS, Quyển số: 01/2021", 100, 200},
       {"Họ và tên: NGUYỄN VĂN AN", 100, 260},
       {"Sinh ngày: ngày 3 tháng 2 năm 2021", 100, 320},
       {"Giới tính: Nam", 100, 380},
       {"Số định danh cá nhân: 042221004455", 100, 440},
       {"Nơi đăng ký khai sinh: Ủy ban nhân dân xã Xuân Thành, huyện Nghi Xuân, tỉnh Hà Tĩnh", 100, 500},
       {"Ngày, tháng, năm đăng ký: 05/03/2021", 100, 560}}));
  EXPECT_EQ(doc.metadata["doc_type"], "khai_sinh");
  EXPECT_EQ(doc.fields["so"].value, "15");
  EXPECT_EQ(doc.fields["noi_dang_ky"].value, "Ủy ban nhân dân xã Xuân Thành, huyện Nghi Xuân, tỉnh Hà Tĩnh");
  EXPECT_EQ(doc.fields["ngay_sinh"].value, "2021-02-03");
  EXPECT_EQ(doc.fields["ngay_dang_ky"].value, "2021-03-05");
  EXPECT_TRUE(doc.review_reasons.empty()) << doc.review_reasons.front();
  // A seal's mark between a table's label and its colon (tuning seed 6: the
  // mother's name read "TRẦN", the rest taken for a label) is no value.
  Document marked = Extract(PlacedDocument({{"GIẤY KHAI SINH", 600, 100},
                                            {"Số: 15/KS, Quyển số: 01/2021", 100, 200},
                                            {"Họ và tên: NGUYỄN VĂN AN", 100, 260},
                                            {"Giới tính: Nam", 100, 380},
                                            {"Họ, chữ đệm, tên người mẹ ': TRẦN 'THỊ DIỆP", 100, 440}}));
  EXPECT_EQ(marked.fields["ho_ten_me"].value, "TRẦN THỊ DIỆP");
}

// Form versions join the name label's parts with "và" ("Họ, chữ đệm và
// tên người mẹ"): the holder's label "Họ, chữ đệm và tên" is a prefix of
// the parents', and each line must still go to its own field.
TEST(FieldExtractionStageTest, ParentsLabelsWithVaAreNotTheHoldersName) {
  Document doc = Extract(PlacedDocument(
      {{"GIẤY KHAI SINH", 600, 100},
       {"Số: 79, Quyển số: 02/2018", 100, 200},
       {"Họ, chữ đệm và tên: Trần Văn Long", 100, 260},
       {"Ngày sinh: 07/05/2018", 100, 320},
       {"Giới tính: Nam", 100, 380},
       {"Họ, chữ đệm và tên người mẹ: Huỳnh Thị Linh", 100, 440},
       {"Năm sinh: 1990; Dân tộc: Khmer; Quốc tịch: Việt Nam", 100, 500},
       {"Họ, chữ đệm và tên người cha: Trần Hữu Bình", 100, 560},
       {"Nơi đăng ký: Ủy ban nhân dân xã Hải Ba, huyện Hải Lăng, tỉnh Quảng Trị", 100, 620},
       {"Ngày đăng ký khai sinh: 28/05/2018", 100, 680}}));
  EXPECT_EQ(doc.metadata["doc_type"], "khai_sinh");
  EXPECT_EQ(doc.fields["ho_ten"].value, "TRẦN VĂN LONG");
  EXPECT_EQ(doc.fields["ho_ten_me"].value, "HUỲNH THỊ LINH");
  EXPECT_EQ(doc.fields["ho_ten_cha"].value, "TRẦN HỮU BÌNH");
}

// Values under their label, and in the table cell to the right of it; a
// date in words that wraps onto the next line.
TEST(FieldExtractionStageTest, ValuesOnTheNextLineInTableCellsAndWrappedDates) {
  Document doc = Extract(PlacedDocument({{"TRÍCH LỤC KHAI TỬ", 600, 100},
                                         {"Số: 7/TLKT", 100, 200},
                                         {"Quyển số: 01/2022", 900, 200},
                                         {"Họ, chữ đệm, tên:", 100, 260},
                                         {"Lê Thị Hoa", 200, 310},
                                         {"Ngày, tháng, năm sinh", 100, 380},
                                         {"ngày mười hai tháng ba năm một nghìn chín trăm", 800, 380},
                                         {"bốn mươi", 800, 430},
                                         {"Giới tính", 100, 500},
                                         {"Nữ", 800, 500},
                                         {"Dân tộc", 100, 560},
                                         {"Kinh", 800, 560},
                                         {"Đã chết vào lúc: 10 giờ 05 phút, ngày 02/01/2022", 100, 620},
                                         {"Nơi đăng ký", 100, 680},
                                         {"Ủy ban nhân dân xã Xuân Thành, huyện Nghi Xuân,", 800, 680},
                                         {"tỉnh Hà Tĩnh", 800, 730},
                                         {"Ngày đăng ký", 100, 800},
                                         {"05/01/2022", 800, 800}}));
  EXPECT_EQ(doc.metadata["doc_type"], "khai_tu");
  EXPECT_EQ(doc.fields["so"].value, "7");
  EXPECT_EQ(doc.fields["ho_ten"].value, "LÊ THỊ HOA");
  EXPECT_EQ(doc.fields["ngay_sinh"].value, "1940-03-12");
  EXPECT_EQ(doc.fields["gioi_tinh"].value, "Nữ");
  EXPECT_EQ(doc.fields["dan_toc"].value, "Kinh");
  EXPECT_EQ(doc.fields["ngay_chet"].value, "2022-01-02");
  EXPECT_EQ(doc.fields["noi_dang_ky"].value, "Ủy ban nhân dân xã Xuân Thành, huyện Nghi Xuân, tỉnh Hà Tĩnh");
  EXPECT_EQ(doc.fields["ngay_dang_ky"].value, "2022-01-05");
}

// Issue 14, typewritten tables: OCR reads the colon of "Số:" as ';' and
// leaves a '.' or ',' after a label whose value is in the next cell. The
// glued mark closes the label (so "Số" was not found at all), and
// punctuation alone is no value (the wife's name was archived as ".").
TEST(FieldExtractionStageTest, PunctuationGluedToALabelIsNeitherLabelNorValue) {
  Document doc = Extract(PlacedDocument({{"GIẤY CHỨNG NHẬN KẾT HÔN", 600, 100},
                                         {"Số; 129/KH", 100, 200},
                                         {"Quyển số: 02/2018", 900, 200},
                                         {"Họ, chữ đệm, tên chồng", 100, 260},
                                         {"VŨ HỮU HÙNG", 800, 260},
                                         {"Họ, chữ đệm, tên vợ.", 100, 320},
                                         {"PHAN HỒNG TRANG", 800, 320},
                                         {"Ngày, tháng, năm sinh ,", 100, 380},
                                         {"25/01/1994", 800, 380}}));
  EXPECT_EQ(doc.metadata["doc_type"], "ket_hon");
  EXPECT_EQ(doc.fields["so"].value, "129");
  EXPECT_EQ(doc.fields["ho_ten_chong"].value, "VŨ HỮU HÙNG");
  EXPECT_EQ(doc.fields["ho_ten_vo"].value, "PHAN HỒNG TRANG");
  EXPECT_EQ(doc.fields["ngay_sinh_vo"].value, "1994-01-25");
}

// Issue 14: the bar follows what else vouches for a value. A date or a
// personal ID (strict validators, cross-checks) read at 0.65 is archived;
// a date, an ID or a checked name read below half of review_confidence
// (0.40) goes to a person; at 0.45 it is vouched for (the bar chosen from
// measured precision on the tuning layouts: field_extraction_stage.cc,
// kClosedFormShare).
TEST(FieldExtractionStageTest, ClosedFormValuesAndCheckedNamesNeedHalfTheReviewConfidence) {
  auto birth = [](float date_confidence) {
    return Extract(PlacedDocument(
        {{"GIẤY KHAI SINH", 600, 100},
         {"Số: 15, Quyển số: 01/2021", 100, 200},
         {"Họ và tên: NGUYỄN VĂN AN", 100, 260, date_confidence},
         {"Sinh ngày: 03/02/2021", 100, 320, date_confidence},
         {"Giới tính: Nam", 100, 380},
         {"Số định danh cá nhân: 042221004455", 100, 440, date_confidence},
         {"Nơi đăng ký: Ủy ban nhân dân xã Xuân Thành, huyện Nghi Xuân, tỉnh Hà Tĩnh", 100, 500},
         {"Ngày đăng ký: 05/03/2021", 100, 560}}));
  };
  auto reasons_about = [](const Document& doc, const std::string& key) {
    return std::count_if(doc.review_reasons.begin(), doc.review_reasons.end(),
                         [&](const std::string& r) { return r.find("fields: " + key + " ") == 0; });
  };
  const Document sure_enough = birth(45);
  EXPECT_EQ(sure_enough.fields.at("ngay_sinh").value, "2021-02-03");
  EXPECT_EQ(reasons_about(sure_enough, "ngay_sinh"), 0);
  EXPECT_EQ(reasons_about(sure_enough, "so_dinh_danh"), 0);
  EXPECT_EQ(reasons_about(sure_enough, "ho_ten"), 0);
  const Document unsure = birth(35);
  EXPECT_EQ(reasons_about(unsure, "ngay_sinh"), 1);
  EXPECT_EQ(reasons_about(unsure, "so_dinh_danh"), 1);
  EXPECT_EQ(reasons_about(unsure, "ho_ten"), 1);
}

// A year in words that ends its line on a round word is read as written,
// and a person's to confirm when its last words may have gone to the next
// line: "năm hai nghìn" may be 2024 (held-back seed 59 archived "2000" at
// 0.96: its line reached the margin, "không trăm hai mươi tư" below). When
// the line stops well short of the margin and the next line opens on
// another label, the year is whole (tuning seeds 17 and 20).
TEST(FieldExtractionStageTest, AYearInWordsEndingOnARoundWordIsAPersonsToConfirmWhenItMayGoOn) {
  // The date's line starting at `x` (the widest line ends at 1530), and
  // what the line below it says.
  auto birth = [](const std::string& date, int x, const std::string& below) {
    return Extract(PlacedDocument(
        {{"GIẤY KHAI SINH", 600, 100},
         {"Số: 15, Quyển số: 01/2021", 100, 200},
         {"Họ và tên: NGUYỄN VĂN AN", 100, 260},
         {"Sinh ngày: " + date, x, 320},
         {below, 100, 380},
         {"Số định danh cá nhân: 042200004455", 100, 440},
         {"Nơi đăng ký: Ủy ban nhân dân xã Xuân Thành, huyện Nghi Xuân, tỉnh Hà Tĩnh", 100, 500},
         {"Ngày đăng ký: 05/03/2021", 100, 560}}));
  };
  auto held_as_round = [](const Document& doc) {
    return std::any_of(doc.review_reasons.begin(), doc.review_reasons.end(), [](const std::string& r) {
      return r.find("ngay_sinh") != std::string::npos && r.find("round word (2000)") != std::string::npos;
    });
  };
  // Ending at the margin: the rest may have wrapped away.
  const Document at_margin = birth("ngày ba tháng hai năm hai nghìn", 730, "Giới tính: Nam");
  EXPECT_EQ(at_margin.fields.at("ngay_sinh").value, "2000-02-03");
  EXPECT_TRUE(held_as_round(at_margin)) << ::testing::PrintToString(at_margin.review_reasons);
  // Room to spare, but the line below is no label: it may be the year's
  // end, damaged (tuning seed 1: "tănmườtm" under "năm hai nghìn không").
  // (A legible end is joined to the year: ValuesOnTheNextLineInTableCellsAndWrappedDates.)
  const Document goes_on = birth("ngày ba tháng hai năm hai nghìn", 100, "tănmườtm");
  EXPECT_TRUE(held_as_round(goes_on)) << ::testing::PrintToString(goes_on.review_reasons);
  // Room to spare and the next field's label below: the year is 2000.
  const Document whole_2000 = birth("ngày ba tháng hai năm hai nghìn", 100, "Giới tính: Nam");
  EXPECT_EQ(whole_2000.fields.at("ngay_sinh").value, "2000-02-03");
  EXPECT_EQ(whole_2000.fields.at("ngay_sinh").problem, "");
  EXPECT_FALSE(held_as_round(whole_2000)) << ::testing::PrintToString(whole_2000.review_reasons);
  // A label the type does not ask for is a label all the same (tuning seed
  // 3: a marriage certificate's "Dân tộc: Kinh" under the wife's birth
  // date); lower case before a colon is not one.
  const Document other_label = birth("ngày ba tháng hai năm hai nghìn", 100, "Quê quán: Hà Tĩnh");
  EXPECT_FALSE(held_as_round(other_label)) << ::testing::PrintToString(other_label.review_reasons);
  const Document lower_case = birth("ngày ba tháng hai năm hai nghìn", 100, "không trăm: mười");
  EXPECT_TRUE(held_as_round(lower_case)) << ::testing::PrintToString(lower_case.review_reasons);
  const Document whole = birth("ngày ba tháng hai năm hai nghìn không trăm hai mươi", 100, "Giới tính: Nam");
  EXPECT_EQ(whole.fields.at("ngay_sinh").value, "2020-02-03");
  EXPECT_EQ(whole.fields.at("ngay_sinh").problem, "");
}

// A place the gazetteer confirms counts at the gazetteer's confidence only
// when printed as a place is: "…, Hà Tĩnh" without "tỉnh" is not vouched
// for beyond what OCR read.
TEST(FieldExtractionStageTest, AGazetteerPlaceWithoutItsProvincesTypeWordIsNotVouchedFor) {
  auto birth = [](const std::string& province) {
    std::vector<PlacedLine> lines = {
        {"GIẤY KHAI SINH", 600, 100},
        {"Số: 15, Quyển số: 01/2021", 100, 200},
        {"Họ và tên: NGUYỄN VĂN AN", 100, 260},
        {"Sinh ngày: 03/02/2021", 100, 320},
        {"Giới tính: Nam", 100, 380},
        {"Số định danh cá nhân: 042321004455", 100, 440},
        {"Nơi đăng ký: Ủy ban nhân dân xã Tiền Phong, huyện Mê Linh, " + province, 100, 500, 70},
        {"Ngày đăng ký: 05/03/2021", 100, 560}};
    return Extract(PlacedDocument(lines));
  };
  EXPECT_FLOAT_EQ(birth("thành phố Hà Nội").fields.at("noi_dang_ky").confidence, 0.97f);
  const Document untyped = birth("Hà Nội");
  EXPECT_LT(untyped.fields.at("noi_dang_ky").confidence, 0.80f);
  EXPECT_TRUE(std::any_of(untyped.review_reasons.begin(), untyped.review_reasons.end(),
                          [](const std::string& r) { return r.find("noi_dang_ky") != std::string::npos; }))
      << ::testing::PrintToString(untyped.review_reasons);
}

// A birth certificate placed line by line, its book number as given.
Document BirthCertificate(const std::string& book) {
  return PlacedDocument(
      {{"GIẤY KHAI SINH", 600, 100},
       {"Số: 15, Quyển số: " + book, 100, 200},
       {"Họ và tên: NGUYỄN VĂN AN", 100, 260},
       {"Sinh ngày: 03/02/2021", 100, 320},
       {"Giới tính: Nam", 100, 380},
       {"Số định danh cá nhân: 042221004455", 100, 440},
       {"Nơi đăng ký: Ủy ban nhân dân xã Xuân Thành, huyện Nghi Xuân, tỉnh Hà Tĩnh", 100, 500},
       {"Ngày đăng ký: 05/03/2021", 100, 560}});
}

// The word `taken` of `doc` as the figure re-reader leaves a dispute: the
// other reading beside it, the taken one's own confidence kept, capped.
Document Disputed(Document doc, const std::string& taken, const std::string& other, float taken_confidence) {
  for (OcrLine& line : doc.pages[0].ocr.lines)
    for (OcrWord& word : line.words)
      if (word.text == taken) {
        word.other_reading = other;
        word.taken_confidence = taken_confidence;
        word.taken_from_second_reader = true;
        word.confidence = FigureRereadOptions{}.disagreement_confidence;
      }
  return doc;
}

// Figures two readers disputed (stages/page/figure_reread.h) are held at
// 0.50. On the tuning layouts the other reading was most often no value of
// the field at all (`vie` reading a typewritten 0 as 9: a year 29xx): then
// the value counts at the confidence its own reader gave it; a rival the
// field allows keeps the dispute a person's, as does a taken reading its
// reader was unsure of.
TEST(FieldExtractionStageTest, ADisputeWhoseOtherReadingIsNoPossibleValueIsSettled) {
  auto birth = [](const std::string& other, float taken_confidence) {
    return Extract(Disputed(BirthCertificate("01/2021"), "05/03/2021", other, taken_confidence));
  };
  auto reasons_about = [](const Document& doc, const std::string& key) {
    return std::count_if(doc.review_reasons.begin(), doc.review_reasons.end(),
                         [&](const std::string& r) { return r.find("fields: " + key + " ") == 0; });
  };
  const Document no_rival = birth("05/03/2921", 88);
  EXPECT_EQ(no_rival.fields.at("ngay_dang_ky").value, "2021-03-05");
  EXPECT_NEAR(no_rival.fields.at("ngay_dang_ky").confidence, 0.88, 1e-6);
  EXPECT_EQ(reasons_about(no_rival, "ngay_dang_ky"), 0);
  const Document rival = birth("05/08/2021", 88);
  EXPECT_EQ(rival.fields.at("ngay_dang_ky").other_readings, std::vector<std::string>{"2021-08-05"});
  EXPECT_EQ(reasons_about(rival, "ngay_dang_ky"), 1);
  EXPECT_EQ(reasons_about(birth("05/03/2921", 35), "ngay_dang_ky"), 1);
  // The other reading's month 13 is impossible, its day 09 is not.
  EXPECT_EQ(reasons_about(birth("09/13/2021", 88), "ngay_dang_ky"), 1);
}

// The other way round (tuning: a book year 2921 taken, 2021 the other
// reader's): the one possible reading is put in, and left to a person.
TEST(FieldExtractionStageTest, AnImpossibleDisputedReadingGivesWayButIsNotVouchedFor) {
  const Document out = Extract(Disputed(BirthCertificate("01/2921"), "01/2921", "01/2021", 90));
  const FieldValue& v = out.fields.at("quyen_so");
  EXPECT_EQ(v.value, "01/2021");
  EXPECT_EQ(v.corrected_from, "01/2921");
  EXPECT_EQ(v.other_readings, std::vector<std::string>{"01/2921"});
  EXPECT_LE(v.confidence, 0.5f);
  EXPECT_TRUE(std::any_of(out.review_reasons.begin(), out.review_reasons.end(),
                          [](const std::string& r) { return r.find("fields: quyen_so ") == 0; }));
}

// Free text has nothing but OCR's confidence to vouch for it, and that
// does not tell right from wrong: the sample batch archived "Bố sung hồ sơ"
// (for "Bổ sung") read at 0.962. At 0.96 a purpose goes to a person —
// unless it is one of the standard purposes but for its diacritics, case
// or spaces (schemas/lexicons/purposes.txt): then it is written as the
// list spells it, recorded, and vouched for (the tuning layouts sent right
// purposes and causes of death read at 0.96 to a person, 22 of 72 review
// documents for that alone).
TEST(FieldExtractionStageTest, FreeTextReadAt96GoesToAPersonUnlessAStandardPhrase) {
  auto certificate = [](const std::string& purpose, float confidence = 96) {
    return Extract(PlacedDocument({{"Số: 315/UBND-XNTTHN", 100, 100},
                                   {"GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", 600, 200},
                                   {"Họ, chữ đệm, tên: TRẦN THỊ MAI", 100, 300},
                                   {"Ngày, tháng, năm sinh: 04/05/1990", 100, 360},
                                   {"Giới tính: Nữ", 100, 420},
                                   {"Tình trạng hôn nhân: Chưa đăng ký kết hôn với ai.", 100, 480, 99},
                                   {"Mục đích sử dụng: " + purpose, 100, 540, confidence},
                                   {"Giấy này có giá trị sử dụng đến ngày: 05/09/2021", 100, 600}}));
  };
  auto about_purpose = [](const Document& doc) {
    return std::any_of(doc.review_reasons.begin(), doc.review_reasons.end(),
                       [](const std::string& r) { return r.find("fields: muc_dich ") == 0; });
  };
  Document unlisted = certificate("Bố sung hồ sơ xin học bổng");
  EXPECT_EQ(unlisted.metadata["doc_type"], "tinh_trang_hon_nhan");
  EXPECT_TRUE(about_purpose(unlisted)) << ::testing::PrintToString(unlisted.review_reasons);
  Document listed = certificate("Bố sung hồ sơ xin việc làm");
  EXPECT_FALSE(about_purpose(listed)) << ::testing::PrintToString(listed.review_reasons);
  EXPECT_EQ(listed.fields.at("muc_dich").value, "Bổ sung hồ sơ xin việc làm");
  EXPECT_EQ(listed.fields.at("muc_dich").corrected_from, "Bố sung hồ sơ xin việc làm");
  // A listed phrase is one of a short closed list, held to the closed
  // forms' bar (0.40) like an ethnic group: read at 0.68 it is vouched for
  // (tuning seeds 1-7: 101 of 101 matched phrases right, two read at 0.67
  // and 0.79 went to a person for that alone); below the bar it still goes
  // to a person.
  EXPECT_FALSE(about_purpose(certificate("Bổ sung hồ sơ xin việc Làm", 68)));
  EXPECT_TRUE(about_purpose(certificate("Bổ sung hồ sơ xin việc Làm", 35)));
}

// A cause of death read "Suytim" at 0.90 (tuning layouts): one of the
// standard causes but for a space, so written as the list has it.
TEST(FieldExtractionStageTest, ACauseOfDeathInTheListIsVouchedFor) {
  Document doc = Extract(PlacedDocument({{"TRÍCH LỤC KHAI TỬ", 600, 100},
                                         {"Số: 12, Quyển số: 01/2021", 100, 200},
                                         {"Họ, chữ đệm, tên: NGUYỄN VĂN AN", 100, 260},
                                         {"Giới tính: Nam", 100, 320},
                                         {"Dân tộc: Kinh", 100, 380},
                                         {"Nguyên nhân chết: Suytim", 100, 440, 90}}));
  EXPECT_EQ(doc.metadata["doc_type"], "khai_tu");
  EXPECT_EQ(doc.fields.at("nguyen_nhan_chet").value, "Suy tim");
  EXPECT_EQ(doc.fields.at("nguyen_nhan_chet").corrected_from, "Suytim");
  for (const std::string& r : doc.review_reasons) EXPECT_EQ(r.find("nguyen_nhan_chet"), std::string::npos) << r;
}

// Tuning layouts: "HÃNG" for HẰNG read at 0.90 (both readers agreeing) in
// a marital status's name — vouched for by its phrasing, the surname
// checked — and in a holder's name at 0.91. Both go to a person now; the
// name read right does not.
TEST(FieldExtractionStageTest, ANameMisreadInADiacriticGoesToAPersonWhereverItIs) {
  auto certificate = [](const std::string& name, const std::string& spouse) {
    return Extract(PlacedDocument({{"Số: 315/UBND-XNTTHN", 100, 100},
                                   {"GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", 600, 200},
                                   {"Họ, chữ đệm, tên: " + name, 100, 300, 91},
                                   {"Ngày, tháng, năm sinh: 04/05/1990", 100, 360},
                                   {"Giới tính: Nữ", 100, 420},
                                   {"Tình trạng hôn nhân: Đang có vợ/chồng là " + spouse + ".", 100, 480, 90},
                                   {"Mục đích sử dụng: Làm thủ tục mua bán nhà đất", 100, 540, 99},
                                   {"Giấy này có giá trị sử dụng đến ngày: 05/09/2021", 100, 600}}));
  };
  auto about = [](const Document& doc, const std::string& key) {
    const std::string head = "fields: " + key;
    return std::any_of(doc.review_reasons.begin(), doc.review_reasons.end(), [&](const std::string& r) {
      return r.rfind(head, 0) == 0 && r.size() > head.size() && (r[head.size()] == ' ' || r[head.size()] == ':');
    });
  };
  const Document misread = certificate("PHAN THỊ HÃNG", "HỒ THU HỒNG HÃNG");
  EXPECT_EQ(misread.metadata.at("doc_type"), "tinh_trang_hon_nhan");
  EXPECT_TRUE(about(misread, "ho_ten")) << ::testing::PrintToString(misread.review_reasons);
  EXPECT_TRUE(about(misread, "tinh_trang")) << ::testing::PrintToString(misread.review_reasons);
  const Document right = certificate("PHAN THỊ HẰNG", "HỒ THU HỒNG HẰNG");
  EXPECT_FALSE(about(right, "ho_ten")) << ::testing::PrintToString(right.review_reasons);
  EXPECT_FALSE(about(right, "tinh_trang")) << ::testing::PrintToString(right.review_reasons);
}

// The word `text` of `doc` as the letter re-reader leaves it
// (stages/page/letter_reread.h): at `confidence`, with the second reader's
// reading `other` when it dissented.
Document Reread(Document doc, const std::string& text, float confidence, const std::string& other = "") {
  for (OcrLine& line : doc.pages[0].ocr.lines)
    for (OcrWord& word : line.words)
      if (word.text == text) {
        word.confidence = confidence;
        word.other_reading = other;
      }
  return doc;
}

// The commonest sole reason a document went to a person on the tuning
// layouts was a right name below the names' 0.80 bar for its surname alone
// (NGUYỄN read at 0.65, the second reader reading "NGUYÊN"). The surname is
// a closed form: held to the closed forms' bar, the other words to the
// name's (stages/fields/name_confidence.h; both 0.40 since they were chosen
// again from measured precision).
TEST(FieldExtractionStageTest, ANamesSurnameIsHeldToTheClosedFormsBar) {
  auto certificate = [](const std::string& name) {
    return PlacedDocument({{"GIẤY KHAI SINH", 600, 100},
                           {"Số: 15, Quyển số: 01/2021", 100, 200},
                           {"Họ và tên: " + name, 100, 260},
                           {"Sinh ngày: 03/02/2021", 100, 320},
                           {"Giới tính: Nữ", 100, 380},
                           {"Số định danh cá nhân: 042321004455", 100, 440},
                           {"Nơi đăng ký: Ủy ban nhân dân xã Xuân Thành, huyện Nghi Xuân, tỉnh Hà Tĩnh", 100, 500},
                           {"Ngày đăng ký: 05/03/2021", 100, 560}});
  };
  auto about_name = [](const Document& doc) {
    return std::count_if(doc.review_reasons.begin(), doc.review_reasons.end(),
                         [](const std::string& r) { return r.rfind("fields: ho_ten ", 0) == 0; });
  };
  const Document passes = Extract(Reread(certificate("NGUYỄN BẢO NGỌC"), "NGUYỄN", 65, "NGUYÊN"));
  EXPECT_EQ(passes.fields.at("ho_ten").value, "NGUYỄN BẢO NGỌC");
  EXPECT_NEAR(passes.fields.at("ho_ten").confidence, 0.93, 1e-6);
  EXPECT_TRUE(passes.review_reasons.empty()) << ::testing::PrintToString(passes.review_reasons);
  // Held, with the reason a person reads: a surname below 0.40; a given
  // name below 0.40, a real syllable (as a wrong diacritic makes one) the
  // second reader read otherwise; another surname read by the second
  // reader, however sure the first (a dispute between two real names).
  for (const Document& held : {Extract(Reread(certificate("NGUYỄN BẢO NGỌC"), "NGUYỄN", 35)),
                               Extract(Reread(certificate("PHAN BẢO DŨNG"), "DŨNG", 35, "DỰNG")),
                               Extract(Reread(certificate("VÕ THỊ NGỌC"), "VÕ", 90, "VŨ"))}) {
    ASSERT_EQ(about_name(held), 1) << ::testing::PrintToString(held.review_reasons);
    EXPECT_NE(held.review_reasons.front().find("< 0.40"), std::string::npos) << held.review_reasons.front();
  }
}

// Issue 14: an optional field whose label is on the page but whose value
// was not read was archived as if the form had no such field.
TEST(FieldExtractionStageTest, OptionalFieldWithItsLabelButNoValueGoesToReview) {
  Document doc = Extract(PlacedDocument(
      {{"GIẤY KHAI SINH", 600, 100},
       {"Số: 15, Quyển số: 01/2021", 100, 200},
       {"Họ và tên: NGUYỄN VĂN AN", 100, 260},
       {"Sinh ngày: 03/02/2021", 100, 320},
       {"Giới tính: Nam", 100, 380},
       {"Nơi sinh:", 100, 440},
       {"Nơi đăng ký: Ủy ban nhân dân xã Xuân Thành, huyện Nghi Xuân, tỉnh Hà Tĩnh", 100, 560},
       {"Ngày đăng ký: 05/03/2021", 100, 620}}));
  EXPECT_EQ(doc.metadata["doc_type"], "khai_sinh");
  EXPECT_EQ(doc.fields.count("noi_sinh"), 0u);
  const bool named = std::any_of(doc.review_reasons.begin(), doc.review_reasons.end(), [](const std::string& r) {
    return r.find("noi_sinh") != std::string::npos && r.find("label found, no value read") != std::string::npos;
  });
  EXPECT_TRUE(named) << (doc.review_reasons.empty() ? "no reason" : doc.review_reasons.front());
}

// Issue 14, on a tuning layout: the date line's month was misread ("tháng
// Z7"), and the birth date's labelled line was taken for the registration
// date (passing the gate at 0.96). A labelled line is never the date line.
TEST(FieldExtractionStageTest, TheBirthDateLineIsNotThePlaceAndDateLine) {
  Document doc = Extract(PlacedDocument({{"Số: 47/UBND-XNTTHN", 100, 100},
                                         {"Ea Kao, ngày 02 tháng Z7 năm 2023", 900, 160},
                                         {"GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", 600, 220},
                                         {"Họ, chữ đệm, tên: NGÔ ĐÌNH LỰC", 100, 300},
                                         {"Ngày, tháng, năm sinh: 25/08/1999", 100, 360},
                                         {"Giới tính: Nam", 100, 420},
                                         {"Tình trạng hôn nhân: Chưa đăng ký kết hôn với ai.", 100, 480},
                                         {"Giấy này có giá trị sử dụng đến ngày: 02/01/2024", 100, 540}}));
  EXPECT_EQ(doc.metadata["doc_type"], "tinh_trang_hon_nhan");
  EXPECT_EQ(doc.fields.count("ngay_dang_ky"), 0u) << doc.fields["ngay_dang_ky"].value;
  EXPECT_EQ(doc.fields["ngay_sinh"].value, "1999-08-25");
  // A speck read as a colon before the place is no label.
  Document speck = Extract(PlacedDocument({{"Số: 159/UBND-XNTTHN", 100, 100},
                                           {": Tam Hiệp, ngày 25 tháng 10 năm 2021", 900, 160},
                                           {"GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", 600, 220},
                                           {"Họ, chữ đệm và tên: Trịnh Thu Ngọc", 100, 300},
                                           {"Ngày, tháng, năm sinh: 25/08/1999", 100, 360},
                                           {"Giới tính: Nữ", 100, 420},
                                           {"Tình trạng hôn nhân: Chưa đăng ký kết hôn với ai.", 100, 480}}));
  EXPECT_EQ(speck.fields["ngay_dang_ky"].value, "2021-10-25");
  // A table's label has no colon (tuning seed 4): "Ngày," is a label's
  // first word, never the date line's.
  Document table = Extract(PlacedDocument({{"Số: 154/UBND-XNTTHN", 100, 100},
                                           {"Phước Kiển, ngày 17 tháng 62 năm 2021", 900, 160},
                                           {"GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", 600, 220},
                                           {"Họ, chữ đệm, tên NGUYỄN QUANG HÙNG", 100, 300},
                                           {"Ngày, tháng, năm sinh 22/11/1998", 100, 360},
                                           {"Giới tính Nam", 100, 420},
                                           {"Tình trạng hôn nhân Chưa đăng ký kết hôn với ai.", 100, 480}}));
  EXPECT_EQ(table.metadata["doc_type"], "tinh_trang_hon_nhan");
  EXPECT_EQ(table.fields.count("ngay_dang_ky"), 0u) << table.fields["ngay_dang_ky"].value;
}

// Issue 14, typewritten tables of the tuning layouts: the place of birth's
// cell ends with its province; the next row's value (Quê quán, whose label
// was lost) was joined to it. And a form that shows most of its optional
// fields but not one (here the father's row) goes to a person.
TEST(FieldExtractionStageTest, APlaceEndsAtItsProvinceAndALostOptionalRowIsReviewed) {
  Document doc = Extract(PlacedDocument(
      {{"GIẤY KHAI SINH", 600, 100},
       {"Số: 29/KS, Quyển số: 01/2021", 100, 200},
       {"Họ, chữ đệm, tên: NGUYỄN VĂN AN", 100, 260},
       {"Ngày, tháng, năm sinh: 03/02/2021", 100, 320},
       {"Giới tính: Nam", 100, 380},
       {"Dân tộc: Kinh", 100, 440},
       {"Quốc tịch: Việt Nam", 100, 500},
       {"Nơi sinh: Bệnh viện Đa khoa tỉnh Bến Tre", 100, 560},
       {"xã Tam Hiệp, huyện Châu Thành, tỉnh Bến Tre", 400, 620},
       {"Số định danh cá nhân: 083221004455", 100, 680},
       {"Họ, chữ đệm, tên người mẹ: TRẦN THỊ MAI", 100, 740},
       {"Nơi đăng ký: Ủy ban nhân dân xã Tam Hiệp, huyện Châu Thành, tỉnh Bến Tre", 100, 800},
       {"Ngày đăng ký: 05/03/2021", 100, 860}}));
  EXPECT_EQ(doc.metadata["doc_type"], "khai_sinh");
  EXPECT_EQ(doc.fields["noi_sinh"].value, "Bệnh viện Đa khoa tỉnh Bến Tre");
  std::vector<std::string> about_father;
  for (const std::string& r : doc.review_reasons)
    if (r.find("ho_ten_cha") != std::string::npos) about_father.push_back(r);
  ASSERT_EQ(about_father.size(), 1u) << ::testing::PrintToString(doc.review_reasons);
  EXPECT_NE(about_father[0].find("neither label nor value found"), std::string::npos);
  EXPECT_EQ(doc.review_reasons.size(), 1u) << ::testing::PrintToString(doc.review_reasons);
}

// Issue 14: pages of legal prose were typed as death extracts with eight
// "required field not found" reasons each.
TEST(FieldExtractionStageTest, ProseThatNamesATypeIsUnknownWithOneReason) {
  Document prose = Extract(
      PlacedDocument({{"Điều 4. Thẩm quyền cấp trích lục khai tử cho người yêu cầu", 100, 100},
                      {"Ủy ban nhân dân cấp xã nơi đã đăng ký khai tử cấp bản sao trích lục", 100, 160},
                      {"theo quy định của Luật Hộ tịch và Nghị định số 123/2015/NĐ-CP.", 100, 220}}));
  EXPECT_EQ(prose.metadata["doc_type"], "");
  ASSERT_EQ(prose.review_reasons.size(), 1u);
  EXPECT_NE(prose.review_reasons[0].find("unknown document type"), std::string::npos);
  Document title_only = Extract(
      PlacedDocument({{"TRÍCH LỤC KHAI TỬ", 600, 100},
                      {"Hướng dẫn ghi trích lục: ghi đầy đủ, không viết tắt, không tẩy xóa.", 100, 200},
                      {"Mục 1 ghi theo giấy báo tử; mục 2 ghi theo sổ hộ tịch.", 100, 260}}));
  EXPECT_EQ(title_only.metadata["doc_type"], "");
  ASSERT_EQ(title_only.review_reasons.size(), 1u) << title_only.review_reasons[1];
  EXPECT_NE(title_only.review_reasons[0].find("unknown document type"), std::string::npos);
  EXPECT_TRUE(title_only.fields.empty());
}

// Numbers keep their symbol on paper; the number printed in the header and
// in the body must agree.
TEST(FieldExtractionStageTest, NumberWithSymbolAndNumberPrintedTwice) {
  std::vector<PlacedLine> lines = {{"Số: 315/UBND-XNTTHN", 100, 100},
                                   {"GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", 600, 200},
                                   {"Họ, chữ đệm, tên: TRẦN THỊ MAI", 100, 300},
                                   {"Ngày, tháng, năm sinh: 04/05/1990", 100, 360},
                                   {"Giới tính: Nữ", 100, 420},
                                   {"Tình trạng hôn nhân: Chưa đăng ký kết hôn với ai.", 100, 480},
                                   {"Giấy này có giá trị sử dụng đến ngày: 05/09/2021", 100, 540}};
  Document one = Extract(PlacedDocument(lines));
  EXPECT_EQ(one.metadata["doc_type"], "tinh_trang_hon_nhan");
  EXPECT_EQ(one.fields["so"].value, "315");
  EXPECT_TRUE(one.fields["so"].problem.empty()) << one.fields["so"].problem;
  lines.push_back({"Số: 316/UBND-XNTTHN", 100, 600});
  Document twice = Extract(PlacedDocument(lines));
  EXPECT_NE(twice.fields["so"].problem.find("315 / 316"), std::string::npos) << twice.fields["so"].problem;
  // The printing not taken is a reading to choose from (a person, or the
  // register: pipeline/inventory/register_settle.h).
  const FieldValue& so = twice.fields["so"];
  EXPECT_EQ(so.other_readings, std::vector<std::string>{so.value == "315" ? "316" : "315"});
  EXPECT_EQ(one.fields["so"].other_readings, std::vector<std::string>{});
}

// The first three digits of the ID are the province where the birth was
// registered: a misread digit there passed every other check.
TEST(FieldExtractionStageTest, IdProvinceContradictingTheRegistrationPlaceGoesToReview) {
  Document doc = Extract(TypedBirthCertificate("040221004455", "Nam"));
  EXPECT_NE(doc.fields["so_dinh_danh"].problem.find("Hà Tĩnh (042)"), std::string::npos)
      << doc.fields["so_dinh_danh"].problem;
  EXPECT_EQ(doc.metadata["holder_id"], "");
}

TEST(FieldExtractionStageTest, BadCatalogStopsTheRunBeforeItStarts) {
  FieldExtractionOptions o = Options();
  o.doctypes_dir = "/nonexistent/doctypes";
  auto worker = NewFieldExtractionStage(o)->NewWorker();
  ASSERT_FALSE(worker.ok());
  EXPECT_EQ(worker.status().code(), StatusCode::kConfiguration);
}

// Issue 14: a centred title that runs across a two-column header's gap came
// back from Tesseract as two lines in two blocks, other lines between them
// ("GIẤY XÁC" … "NHẬN TÌNH TRẠNG HÔN NHÂN"): every marital-status
// certificate of one tuning layout was left without a type.
TEST(FieldExtractionStageTest, ATitleSplitAtAColumnGapIsStillTheTitle) {
  const std::vector<PlacedLine> lines = {{"ỦY BAN NHÂN DÂN", 100, 60},
                                         {"Số: 154/UBND-XNTTHN", 100, 130},
                                         {"GIẤY XÁC", 600, 220},
                                         {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 900, 60},
                                         {"Phước Kiển, ngày 17 tháng 02 năm 2021", 900, 130},
                                         {"NHẬN TÌNH TRẠNG HÔN NHÂN", 800, 222},
                                         {"Họ, chữ đệm, tên: TRẦN THỊ MAI", 100, 300},
                                         {"Ngày, tháng, năm sinh: 04/05/1990", 100, 360},
                                         {"Giới tính: Nữ", 100, 420},
                                         {"Tình trạng hôn nhân: Chưa đăng ký kết hôn với ai.", 100, 480},
                                         {"Giấy này có giá trị sử dụng đến ngày: 05/09/2021", 100, 540}};
  Document doc = Extract(PlacedDocument(lines));
  EXPECT_EQ(doc.metadata["doc_type"], "tinh_trang_hon_nhan");
  EXPECT_EQ(doc.fields["tinh_trang"].value, "Chưa đăng ký kết hôn với ai.");
  EXPECT_TRUE(NewTitleTest(Options())(PlacedDocument(lines).pages[0].ocr));
  // The same pieces a row apart are two lines of prose, not a title.
  std::vector<PlacedLine> apart = lines;
  apart[5].y = 300;
  apart[6].y = 600;
  EXPECT_EQ(Extract(PlacedDocument(apart)).metadata["doc_type"], "");
  EXPECT_FALSE(NewTitleTest(Options())(PlacedDocument(apart).pages[0].ocr));
}

// Issue 14: labels that wrap in their table cell. Apart, "Họ, chữ đệm, tên
// người" matched the mother's label at distance 2 ("mẹ" missing), so the
// father's name was never found; "Giấy này có giá trị sử" matched nothing.
TEST(FieldExtractionStageTest, LabelsThatWrapInTheirCellAreJoined) {
  Document birth = Extract(PlacedDocument({{"GIẤY KHAI SINH", 600, 100},
                                           {"Số: 15/KS", 100, 160},
                                           {"Quyển số: 01/2021", 900, 160},
                                           {"Họ, chữ đệm, tên", 100, 220},
                                           {"NGUYỄN VĂN AN", 1000, 220},
                                           {"Ngày, tháng, năm sinh", 100, 280},
                                           {"03/02/2021", 1000, 280},
                                           {"Giới tính", 100, 340},
                                           {"Nam", 1000, 340},
                                           {"Họ, chữ đệm, tên người", 100, 400},
                                           {"LÊ THỊ HOA", 1000, 400},
                                           {"mẹ", 100, 445},
                                           {"Họ, chữ đệm, tên người", 100, 520},
                                           {"NGUYỄN VĂN BÌNH", 1000, 520},
                                           {"cha", 100, 565},
                                           {"Ngày đăng ký", 100, 640},
                                           {"05/03/2021", 1000, 640}}));
  EXPECT_EQ(birth.metadata["doc_type"], "khai_sinh");
  EXPECT_EQ(birth.fields["ho_ten"].value, "NGUYỄN VĂN AN");
  EXPECT_EQ(birth.fields["ho_ten_me"].value, "LÊ THỊ HOA");
  EXPECT_EQ(birth.fields["ho_ten_cha"].value, "NGUYỄN VĂN BÌNH")
      << ::testing::PrintToString(birth.review_reasons);
  EXPECT_EQ(birth.fields["ngay_dang_ky"].value, "2021-03-05");

  Document status = Extract(PlacedDocument({{"GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", 600, 100},
                                            {"Số: 154/UBND-XNTTHN", 100, 160},
                                            {"Họ, chữ đệm, tên", 100, 220},
                                            {"TRẦN THỊ MAI", 1000, 220},
                                            {"Ngày, tháng, năm sinh", 100, 280},
                                            {"04/05/1990", 1000, 280},
                                            {"Tình trạng hôn nhân", 100, 340},
                                            {"Chưa đăng ký kết hôn với ai.", 1000, 340},
                                            {"Giấy này có giá trị sử", 100, 400},
                                            {"05/09/2021", 1000, 400},
                                            {"dụng đến ngày", 100, 445}}));
  EXPECT_EQ(status.metadata["doc_type"], "tinh_trang_hon_nhan");
  EXPECT_EQ(status.fields["co_gia_tri_den"].value, "2021-09-05");
  EXPECT_EQ(status.fields["tinh_trang"].value, "Chưa đăng ký kết hôn với ai.");
}

// A place's last word wrapped under its line is no label's start, even when
// with the labelled row under it it reads like one: "Minh" over "Ngày đăng
// ký: …" was "Sinh ngày" at one edit, joined, and the place lost "Minh"
// (tuning seed 1).
TEST(FieldExtractionStageTest, ALineThatStartsWithItsOwnLabelIsNoLabelsTail) {
  Document doc = Extract(PlacedDocument(
      {{"GIẤY KHAI SINH", 600, 100},
       {"Số: 15/KS, Quyển số: 01/2020", 100, 200},
       {"Họ, chữ đệm, tên: NGUYỄN VĂN AN", 100, 260},
       {"Ngày, tháng, năm sinh: 03/12/2020", 100, 320},
       {"Giới tính: Nam", 100, 380},
       {"Dân tộc: Kinh", 800, 380},
       {"Quốc tịch: Việt Nam", 1400, 380},
       {"Nơi sinh: Bệnh viện Đa khoa tỉnh Bến Tre", 100, 440},
       {"Số định danh cá nhân: 083220004455", 100, 500},
       {"Họ, chữ đệm, tên người mẹ: LÊ THỊ HOA", 100, 560},
       {"Họ, chữ đệm, tên người cha: NGUYỄN VĂN BÌNH", 100, 620},
       {"Nơi đăng ký: Ủy ban nhân dân xã Phước Kiển, huyện Nhà Bè, thành phố Hồ Chí", 100, 680},
       {"Minh", 100, 740},
       {"Ngày đăng ký: 10/12/2020", 100, 800}}));
  EXPECT_EQ(doc.metadata["doc_type"], "khai_sinh");
  EXPECT_EQ(doc.fields["noi_dang_ky"].value,
            "Ủy ban nhân dân xã Phước Kiển, huyện Nhà Bè, thành phố Hồ Chí Minh");
  EXPECT_EQ(doc.fields["ngay_dang_ky"].value, "2020-12-10");
}

// A place's last word with a speck read as a colon after it ("Nội:") looks
// like a label, but it completes the place's province: it is the place's
// (tuning seed 7: "… thành phố Hà" was sent to a person as naming no
// province). A word that completes no province stays another field's.
TEST(FieldExtractionStageTest, AWrappedProvinceWithASpeckForAColonEndsItsPlace) {
  std::vector<PlacedLine> lines = {
      {"GIẤY KHAI SINH", 600, 100},
      {"Số: 15/KS, Quyển số: 01/2019", 100, 200},
      {"Họ, chữ đệm, tên: NGUYỄN VĂN AN", 100, 260},
      {"Ngày, tháng, năm sinh: 03/10/2019", 100, 320},
      {"Giới tính: Nam", 100, 380},
      {"Dân tộc: Kinh", 800, 380},
      {"Quốc tịch: Việt Nam", 1400, 380},
      {"Nơi sinh: Bệnh viện Đa khoa thành phố Hà Nội", 100, 440},
      {"Số định danh cá nhân: 001219004455", 100, 500},
      {"Họ, chữ đệm, tên người mẹ: LÊ THỊ HOA", 100, 560},
      {"Họ, chữ đệm, tên người cha: NGUYỄN VĂN BÌNH", 100, 620},
      {"Nơi đăng ký: Ủy ban nhân dân xã Yên Thường, huyện Gia Lâm, thành phố Hà", 100, 680},
      {"Nội:", 100, 740},
      {"Ngày đăng ký: 29/10/2019", 100, 800}};
  Document doc = Extract(PlacedDocument(lines));
  EXPECT_EQ(doc.fields["noi_dang_ky"].value,
            "Ủy ban nhân dân xã Yên Thường, huyện Gia Lâm, thành phố Hà Nội");
  EXPECT_EQ(doc.fields["ngay_dang_ky"].value, "2019-10-29");
  lines[12].text = "Quê:";
  Document other = Extract(PlacedDocument(lines));
  EXPECT_EQ(other.fields["noi_dang_ky"].value.find("Quê"), std::string::npos)
      << other.fields["noi_dang_ky"].value;
}

// Issue 14: a place read on its label's line ("Nơi đăng ký | Ủy ban …") that
// wraps in its table cell goes on under its own start, not the label's: it
// was cut at "huyện Tân" and sent to a person as naming no province.
TEST(FieldExtractionStageTest, APlaceThatWrapsInItsCellGoesOnUnderItsStart) {
  Document doc = Extract(PlacedDocument({{"TRÍCH LỤC KHAI TỬ", 600, 100},
                                         {"Số: 7/TLKT", 100, 200},
                                         {"Họ, chữ đệm, tên: Lê Thị Hoa", 100, 260},
                                         {"Đã chết vào lúc: 10 giờ 05 phút, ngày 02/01/2022", 100, 320},
                                         {"Nơi đăng ký Ủy ban nhân dân xã Nghĩa Đồng, huyện Tân", 100, 380},
                                         {"Kỳ, tỉnh Nghệ An", 460, 425},
                                         {"Ngày đăng ký", 100, 500},
                                         {"05/01/2022", 800, 500}}));
  EXPECT_EQ(doc.metadata["doc_type"], "khai_tu");
  EXPECT_EQ(doc.fields["noi_dang_ky"].value, "Ủy ban nhân dân xã Nghĩa Đồng, huyện Tân Kỳ, tỉnh Nghệ An");
  EXPECT_EQ(doc.fields["ngay_dang_ky"].value, "2022-01-05");

  // Label and value in cells of their own, the cell's second line read
  // first; the table's next row is another field's, even when the place
  // above it was misread and names no province.
  Document birth = Extract(PlacedDocument({{"GIẤY KHAI SINH", 600, 100},
                                           {"Số: 15/KS", 100, 160},
                                           {"Họ, chữ đệm, tên", 100, 220},
                                           {"NGUYỄN VĂN AN", 800, 220},
                                           {"Nơi sinh", 100, 280},
                                           {"Bệnh viện Đa khoa tỉnh", 800, 280},
                                           {"Quê quán", 100, 330},
                                           {"xã Cẩm Bình, huyện Cẩm Xuyên, tỉnh Hà Tĩnh", 800, 330},
                                           {"Nơi đăng ký", 100, 400},
                                           {"Kỳ, tỉnh Nghệ An", 800, 445},
                                           {"Ủy ban nhân dân xã Nghĩa Đồng, huyện Tân", 800, 400},
                                           {"Ngày đăng ký", 100, 520},
                                           {"05/03/2021", 800, 520}}));
  EXPECT_EQ(birth.metadata["doc_type"], "khai_sinh");
  EXPECT_EQ(birth.fields["noi_dang_ky"].value, "Ủy ban nhân dân xã Nghĩa Đồng, huyện Tân Kỳ, tỉnh Nghệ An");
  EXPECT_EQ(birth.fields["noi_sinh"].value.find("Cẩm"), std::string::npos) << birth.fields["noi_sinh"].value;
  EXPECT_FALSE(birth.fields["noi_sinh"].problem.empty());

  // The rest of the place on the same row, split off at a wide gap (a
  // dotted layout of tuning seed 4: "… xã Nghĩa" | "huyện Bù Đăng, …").
  std::vector<PlacedLine> split = {{"TRÍCH LỤC KHAI TỬ", 600, 100},
                                   {"Số: 7/TLKT", 100, 200},
                                   {"Họ, chữ đệm, tên: Lê Thị Hoa", 100, 260},
                                   {"Đã chết vào lúc: 10 giờ 05 phút, ngày 02/01/2022", 100, 320},
                                   {"Nơi đăng ký: Ủy ban nhân dân xã Nghĩa", 100, 380},
                                   {"huyện Bù Đăng, tỉnh Bình Phước", 960, 380},
                                   {"Ngày đăng ký: 05/01/2022", 100, 440}};
  Document row = Extract(PlacedDocument(split));
  // (The comma between the units, lost with the split, is put back.)
  EXPECT_EQ(row.fields["noi_dang_ky"].value, "Ủy ban nhân dân xã Nghĩa, huyện Bù Đăng, tỉnh Bình Phước");
  // Another field's label to the right is not the place's.
  split[5].text = "Ngày đăng ký: 05/01/2022";
  split.pop_back();
  Document labelled = Extract(PlacedDocument(split));
  EXPECT_EQ(labelled.fields["noi_dang_ky"].value, "Ủy ban nhân dân xã Nghĩa");
  EXPECT_EQ(labelled.fields["ngay_dang_ky"].value, "2022-01-05");
}

// Issue 14: a seal over the label column is read between label and value;
// a place named by its institution starts there ("Ủy ban nhân dân …").
TEST(FieldExtractionStageTest, WhatASealLeavesBeforeAnInstitutionIsNotThePlace) {
  std::vector<PlacedLine> lines = {
      {"TRÍCH LỤC KHAI TỬ", 600, 100},
      {"Số: 7/TLKT", 100, 200},
      {"Họ, chữ đệm, tên: Lê Thị Hoa", 100, 260},
      {"Đã chết vào lúc: 10 giờ 05 phút, ngày 02/01/2022", 100, 320},
      {"Nơi chết: xị * ): Bệnh viện Đa khoa tỉnh Nghệ An", 100, 380},
      {"Nơi đăng ký NO _. Ủy ban nhân dân xã Xuân Thành, huyện Nghi Xuân, tỉnh Hà Tĩnh", 100, 440},
      {"Ngày đăng ký: 05/01/2022", 100, 500}};
  Document doc = Extract(PlacedDocument(lines));
  EXPECT_EQ(doc.fields["noi_dang_ky"].value, "Ủy ban nhân dân xã Xuân Thành, huyện Nghi Xuân, tỉnh Hà Tĩnh");
  EXPECT_EQ(doc.fields["noi_chet"].value, "Bệnh viện Đa khoa tỉnh Nghệ An");
  // Five words before it: not a seal's marks, the place is left as read.
  lines[4].text = "Nơi chết: tại khoa hồi sức của Bệnh viện Đa khoa tỉnh Nghệ An";
  Document far = Extract(PlacedDocument(lines));
  EXPECT_EQ(far.fields["noi_chet"].value, "tại khoa hồi sức của Bệnh viện Đa khoa tỉnh Nghệ An");
  // A hospital ward before it, set off by a comma, is part of the place.
  lines[4].text = "Nơi chết: Khoa Hồi sức, Bệnh viện Đa khoa tỉnh Nghệ An";
  Document ward = Extract(PlacedDocument(lines));
  EXPECT_EQ(ward.fields["noi_chet"].value, "Khoa Hồi sức, Bệnh viện Đa khoa tỉnh Nghệ An");
}

// Issue 14: a parent not on record is printed "(không có thông tin)": the
// form says so in so many words, and such a birth certificate went to a
// person only because the father's name was empty.
TEST(FieldExtractionStageTest, AParentPrintedAsNotOnRecordIsNoDoubt) {
  std::vector<PlacedLine> lines = {
      {"GIẤY KHAI SINH", 600, 100},
      {"Số: 15/KS, Quyển số: 01/2021", 100, 200},
      {"Họ và tên: NGUYỄN VĂN AN", 100, 260},
      {"Sinh ngày: ngày 3 tháng 2 năm 2021", 100, 320},
      {"Giới tính: Nam", 100, 380},
      {"Dân tộc: Kinh", 800, 380},
      {"Quốc tịch: Việt Nam", 1400, 380},
      {"Số định danh cá nhân: 042221004455", 100, 440},
      {"Họ và tên mẹ: NGUYỄN THỊ HOA", 100, 500},
      {"Họ và tên cha: (không có thông tin)", 100, 560},
      {"Nơi đăng ký khai sinh: Ủy ban nhân dân xã Xuân Thành, huyện Nghi Xuân, tỉnh Hà Tĩnh", 100, 620},
      {"Ngày, tháng, năm đăng ký: 05/03/2021", 100, 680},
      {"Nơi sinh: Trạm Y tế xã Xuân Thành, huyện Nghi Xuân, tỉnh Hà Tĩnh", 100, 740}};
  Document doc = Extract(PlacedDocument(lines));
  ASSERT_EQ(doc.metadata["doc_type"], "khai_sinh");
  ASSERT_EQ(doc.fields.count("ho_ten_cha"), 1u);
  EXPECT_EQ(doc.fields["ho_ten_cha"].value, "");
  EXPECT_EQ(doc.fields["ho_ten_me"].value, "NGUYỄN THỊ HOA");
  EXPECT_TRUE(doc.review_reasons.empty()) << ::testing::PrintToString(doc.review_reasons);
  // Read in part, or read unsurely, it is a person's to confirm.
  lines[9].text = "Họ và tên cha: (không có thông";
  Document cut = Extract(PlacedDocument(lines));
  ASSERT_EQ(cut.review_reasons.size(), 1u) << cut.review_reasons[1];
  EXPECT_NE(cut.review_reasons[0].find("ho_ten_cha"), std::string::npos) << cut.review_reasons[0];
  lines[9].text = "Họ và tên cha: (không có thông tin)";
  lines[9].confidence = 30;
  Document unsure = Extract(PlacedDocument(lines));
  ASSERT_EQ(unsure.review_reasons.size(), 1u) << unsure.review_reasons[1];
  EXPECT_NE(unsure.review_reasons[0].find("ho_ten_cha"), std::string::npos) << unsure.review_reasons[0];
}

// A year misread into an impossible age (schemas: age_at) is a person's,
// however sure Tesseract was: a wife born in 1909 marrying in 2019.
TEST(FieldExtractionStageTest, ASpouseOfAnImpossibleAgeGoesToAPerson) {
  std::vector<PlacedLine> lines = {
      {"GIẤY CHỨNG NHẬN KẾT HÔN", 600, 100},
      {"Số: 12/KH, Quyển số: 01/2019", 100, 200},
      {"Họ, chữ đệm, tên chồng: TRẦN VĂN BÌNH", 100, 260},
      {"Ngày, tháng, năm sinh: 14/03/1990", 100, 320},
      {"Dân tộc: Kinh", 100, 380},
      {"Quốc tịch: Việt Nam", 800, 380},
      {"Số định danh cá nhân: 042090004455", 100, 440},
      {"Họ, chữ đệm, tên vợ: NGUYỄN THỊ HOA", 100, 500},
      {"Ngày, tháng, năm sinh: 26/12/1996", 100, 560},
      {"Dân tộc: Kinh", 100, 620},
      {"Quốc tịch: Việt Nam", 800, 620},
      {"Số định danh cá nhân: 042196004466", 100, 680},
      {"Nơi đăng ký: Ủy ban nhân dân xã Xuân Thành, huyện Nghi Xuân, tỉnh Hà Tĩnh", 100, 740},
      {"Ngày đăng ký: 14/08/2019", 100, 800}};
  Document doc = Extract(PlacedDocument(lines));
  ASSERT_EQ(doc.metadata["doc_type"], "ket_hon");
  EXPECT_EQ(doc.fields["ngay_sinh_vo"].value, "1996-12-26");
  EXPECT_TRUE(doc.fields["ngay_sinh_vo"].problem.empty()) << doc.fields["ngay_sinh_vo"].problem;
  lines[8].text = "Ngày, tháng, năm sinh: 26/12/1909";
  Document misread = Extract(PlacedDocument(lines));
  EXPECT_EQ(misread.fields["ngay_sinh_vo"].value, "1909-12-26");
  EXPECT_NE(misread.fields["ngay_sinh_vo"].problem.find("makes the holder 109"), std::string::npos)
      << misread.fields["ngay_sinh_vo"].problem;
  bool reason = false;
  for (const std::string& r : misread.review_reasons) reason |= r.find("ngay_sinh_vo") != std::string::npos;
  EXPECT_TRUE(reason) << ::testing::PrintToString(misread.review_reasons);
}

// A validity's end read unsurely is vouched for by the registration date it
// is six months after (read on the dated line, a reading of its own); a
// date that is not six months after it stays a problem, and an unsure
// registration date vouches for nothing.
TEST(FieldExtractionStageTest, AValidityEndSixMonthsAfterASureStartIsSure) {
  std::vector<PlacedLine> lines = {{"Xuân Thành, ngày 02 tháng 02 năm 2019", 1200, 80},
                                   {"GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", 600, 160},
                                   {"Số: 154/UBND-XNTTHN", 100, 220},
                                   {"Họ, chữ đệm, tên: TRẦN THỊ MAI", 100, 280},
                                   {"Ngày, tháng, năm sinh: 04/05/1990", 100, 340},
                                   {"Giới tính: Nữ", 100, 400},
                                   {"Tình trạng hôn nhân: Chưa đăng ký kết hôn với ai.", 100, 460},
                                   {"Giấy này có giá trị sử dụng đến ngày: 02/08/2019", 100, 520, 20}};
  auto reasons_for = [](const Document& d, const std::string& key) {
    std::string out;
    for (const std::string& r : d.review_reasons)
      if (r.find(key) != std::string::npos) out += r + "\n";
    return out;
  };
  Document sure = Extract(PlacedDocument(lines));
  ASSERT_EQ(sure.metadata["doc_type"], "tinh_trang_hon_nhan");
  EXPECT_EQ(sure.fields["ngay_dang_ky"].value, "2019-02-02");
  EXPECT_EQ(sure.fields["co_gia_tri_den"].value, "2019-08-02");
  EXPECT_EQ(reasons_for(sure, "co_gia_tri_den"), "");
  lines[0].confidence = 20;  // the start unsure too: nothing vouches
  EXPECT_NE(reasons_for(Extract(PlacedDocument(lines)), "co_gia_tri_den"), "");
  lines[0].confidence = 93;
  lines[7].text = "Giấy này có giá trị sử dụng đến ngày: 02/07/2019";  // five months: a problem
  EXPECT_NE(reasons_for(Extract(PlacedDocument(lines)), "co_gia_tri_den"), "");
}

}  // namespace
}  // namespace sohoa
