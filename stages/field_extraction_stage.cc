#include "stages/field_extraction_stage.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <mutex>
#include <optional>
#include <nlohmann/json.hpp>
#include <sstream>

#include "pipeline/doctype_catalog.h"
#include "pipeline/file_util.h"
#include "pipeline/json_output.h"
#include "stages/field_normalize.h"
#include "stages/field_text.h"

namespace sohoa {
namespace {

constexpr const char* kDocNamespace = "http://ns.sohoa.vn/xmp/1.0/";
constexpr const char* kFieldNamespace = "http://ns.sohoa.vn/xmp/fields/1.0/";
constexpr double kTitleTolerance = 0.25;

// One OCR line as the extractor sees it: the text rebuilt from the words so
// every byte maps back to a word (and its confidence).
struct Line {
  int page = 0;
  Box box;
  int height = 1;
  std::string text;
  struct Word {
    size_t begin, end;
    float confidence;
  };
  std::vector<Word> words;
  Skeleton sk;
  std::vector<size_t> starts;  // skeleton indices where a label may begin
};

std::vector<Line> CollectLines(const Document& doc) {
  std::vector<Line> lines;
  for (const Page& page : doc.pages) {
    for (const OcrLine& ocr : page.ocr.lines) {
      Line line;
      line.page = page.index;
      line.box = ocr.box;
      line.height = std::max(1, ocr.box.height());
      for (const OcrWord& w : ocr.words) {
        if (!line.text.empty()) line.text += ' ';
        line.words.push_back({line.text.size(), line.text.size() + w.text.size(), w.confidence});
        line.text += w.text;
      }
      line.sk = MakeSkeleton(line.text);
      if (line.sk.chars.empty()) continue;
      line.starts.push_back(0);
      for (size_t b = 0; b < line.text.size(); ++b) {
        const char c = line.text[b];
        if (c != ',' && c != ';' && c != '.') continue;
        auto it = std::upper_bound(line.sk.begin.begin(), line.sk.begin.end(), b);
        const size_t index = static_cast<size_t>(it - line.sk.begin.begin());
        if (index < line.sk.chars.size() && index != line.starts.back()) line.starts.push_back(index);
      }
      lines.push_back(std::move(line));
    }
  }
  return lines;
}

// A label found in a line.
struct Hit {
  const FieldSpec* field;
  size_t line;
  size_t start, end;  // skeleton indices [start, end)
  int distance;
  bool colon;
};

struct PreparedField {
  const FieldSpec* spec;
  std::vector<std::u32string> labels;
};

struct PreparedType {
  const DocTypeSpec* spec;
  std::vector<std::u32string> titles;
  std::vector<PreparedField> fields;
};

bool ColonAfter(const Line& line, size_t sk_end) {
  size_t b = line.sk.end[sk_end - 1];
  while (b < line.text.size() && line.text[b] == ' ') ++b;
  return b < line.text.size() && line.text[b] == ':';
}

// Every winning label occurrence, in reading order.
std::vector<Hit> FindLabels(const PreparedType& type, const std::vector<Line>& lines) {
  std::vector<Hit> hits;
  for (size_t li = 0; li < lines.size(); ++li) {
    const Line& line = lines[li];
    for (size_t start : line.starts) {
      std::vector<Hit> here;
      for (const PreparedField& field : type.fields) {
        Hit best{field.spec, li, start, 0, 1 << 20, false};
        for (const std::u32string& label : field.labels) {
          size_t end = start;
          const int tolerance = LabelTolerance(label.size());
          const int d = PrefixDistance(label, line.sk.chars, start, tolerance, &end);
          if (d > tolerance || end == start) continue;
          const bool colon = ColonAfter(line, end);
          if (label.size() <= 4 && !colon) continue;  // "Số" alone is too common
          const bool better = std::make_tuple(colon, end, -d) >
                              std::make_tuple(best.colon, best.end, -best.distance);
          if (better) best = Hit{field.spec, li, start, end, d, colon};
        }
        if (best.end > start) here.push_back(best);
      }
      if (here.empty()) continue;
      auto key = [](const Hit& h) { return std::make_tuple(h.colon, h.end, -h.distance); };
      const auto top = key(*std::max_element(
          here.begin(), here.end(), [&](const Hit& a, const Hit& b) { return key(a) < key(b); }));
      for (const Hit& h : here)
        if (key(h) == top) hits.push_back(h);  // fields sharing a label all keep it
    }
  }
  return hits;
}

struct Found {
  std::string raw;
  float confidence = 0;  // 0..1, lowest word confidence of the value
  size_t line = 0;
};

// Lowest confidence of the words overlapping text bytes [begin, end).
float WordConfidence(const Line& line, size_t begin, size_t end, bool* any) {
  float lowest = 100;
  for (const Line::Word& w : line.words) {
    if (w.end <= begin || w.begin >= end) continue;
    lowest = std::min(lowest, w.confidence);
    *any = true;
  }
  return lowest;
}

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == ':')) ++b;
  while (e > b && s[e - 1] == ' ') --e;
  return s.substr(b, e - b);
}

// Does the line start with what looks like a label ("Quê quán:")? Then it
// is not the continuation of a value.
bool LooksLikeLabelLine(const Line& line, const std::vector<Hit>& hits, size_t index) {
  for (const Hit& h : hits)
    if (h.line == index && h.start == 0) return true;
  const size_t colon = line.text.find(':');
  if (colon == std::string::npos || colon > 60) return false;
  int words = 1;
  for (size_t i = 0; i < colon; ++i) words += line.text[i] == ' ';
  return words <= 7;
}

std::optional<Found> ReadValue(const Hit& hit, const std::vector<Line>& lines,
                               const std::vector<Hit>& hits) {
  const Line& line = lines[hit.line];
  size_t begin = line.sk.end[hit.end - 1];
  while (begin < line.text.size() && (line.text[begin] == ' ' || line.text[begin] == ':')) ++begin;
  size_t end = line.text.size();
  for (const Hit& other : hits) {
    if (other.line == hit.line && other.start > hit.start) {
      end = std::min(end, line.sk.begin[other.start]);
    }
  }
  Found found;
  found.line = hit.line;
  bool any = false;
  float confidence = 100;
  if (begin < end) {
    found.raw = Trim(line.text.substr(begin, end - begin));
    confidence = WordConfidence(line, begin, end, &any);
  }
  size_t last = hit.line;
  auto continues = [&](size_t next) {
    if (next >= lines.size()) return false;
    const Line& a = lines[last];
    const Line& b = lines[next];
    if (a.page != b.page || LooksLikeLabelLine(b, hits, next)) return false;
    const int gap = b.box.top - a.box.bottom;
    return gap < 2 * a.height && std::abs(b.box.left - line.box.left) < 3 * a.height;
  };
  if (found.raw.empty() && continues(hit.line + 1)) {  // "Nơi sinh:" then the value below
    last = hit.line + 1;
    found.raw = Trim(lines[last].text);
    confidence = WordConfidence(lines[last], 0, lines[last].text.size(), &any);
  }
  if (hit.field->multiline) {
    while (end == line.text.size() && continues(last + 1)) {
      ++last;
      found.raw += " " + Trim(lines[last].text);
      confidence = std::min(confidence, WordConfidence(lines[last], 0, lines[last].text.size(), &any));
    }
  }
  if (found.raw.empty() || !any) return std::nullopt;
  found.confidence = confidence / 100.0f;
  return found;
}

// The Decree 30 "Place, ngày D tháng M năm YYYY" line: the first line of the
// first page whose text holds a worded date.
std::optional<Found> ReadDatedLine(const std::vector<Line>& lines) {
  for (size_t i = 0; i < lines.size(); ++i) {
    const Line& line = lines[i];
    if (line.page != lines.front().page) break;
    const std::string folded = Fold(line.text);
    if (folded.find("thang") == std::string::npos || folded.find("nam") == std::string::npos) continue;
    const size_t at = folded.find("ngay");
    if (at == std::string::npos) continue;
    if (!NormalizeDate(line.text).ok()) continue;
    bool any = false;
    Found found{line.text, WordConfidence(line, 0, line.text.size(), &any) / 100.0f, i};
    if (any) return found;
  }
  return std::nullopt;
}

std::string Today(const std::string& fixed) {
  if (!fixed.empty()) return fixed;
  const time_t now = std::time(nullptr) + 7 * 3600;
  struct tm t;
  gmtime_r(&now, &t);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday);
  return buf;
}

std::string Percent(double v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

bool StartsUpper(const std::string& word) {
  return !word.empty() && UpperNfc(word.substr(0, std::min<size_t>(word.size(), 4))).substr(0, 1) ==
                              word.substr(0, 1) &&
         Fold(word.substr(0, 1)) != word.substr(0, 1);
}

// Place names recur on a Decree 30 document (the commune in the header, the
// date line and the place of registration), and
// OCR rarely misreads the same diacritic every time. Each capitalised word
// of the document votes, by its folded form, for its spelling; a value's
// word is replaced by the spelling at least two other readings agree on and
// that outvotes its own. Case follows the word being replaced.
class SpellingVotes {
 public:
  explicit SpellingVotes(const std::vector<Line>& lines) {
    for (const Line& line : lines) {
      for (const Line::Word& w : line.words) {
        const std::string word = Clean(line.text.substr(w.begin, w.end - w.begin));
        if (word.size() < 2 || !StartsUpper(word)) continue;
        ++votes_[Fold(word)][UpperNfc(word)];
      }
    }
  }

  std::string Correct(const std::string& value) const {
    std::string out;
    size_t b = 0;
    while (b <= value.size()) {
      size_t e = value.find(' ', b);
      if (e == std::string::npos) e = value.size();
      std::string token = value.substr(b, e - b);
      out += (out.empty() && b == 0 ? "" : " ") + CorrectToken(token);
      b = e + 1;
    }
    return out;
  }

 private:
  static std::string Clean(const std::string& w) {
    size_t e = w.size();
    while (e > 0 && (w[e - 1] == ',' || w[e - 1] == '.' || w[e - 1] == ';' || w[e - 1] == ':')) --e;
    return w.substr(0, e);
  }

  std::string CorrectToken(const std::string& token) const {
    const std::string word = Clean(token);
    if (word.size() < 2 || !StartsUpper(word)) return token;
    auto it = votes_.find(Fold(word));
    if (it == votes_.end()) return token;
    const std::string mine = UpperNfc(word);
    int own = 0;
    std::string best;
    int best_votes = 0;
    for (const auto& [spelling, n] : it->second) {
      if (spelling == mine) own = n;
      if (n > best_votes) {
        best_votes = n;
        best = spelling;
      }
    }
    if (best == mine || best_votes < 2 || best_votes <= own) return token;
    // Keep the token's case: all capitals, or capitalised.
    std::string replacement = best;
    if (mine != word) {
      const std::string lower = Nfc(LowerNfc(best));
      const size_t first = Utf8Length(lower);
      replacement = UpperNfc(lower.substr(0, first)) + lower.substr(first);
    }
    return replacement + token.substr(word.size());
  }

  static size_t Utf8Length(const std::string& s) {  // bytes of the first code point
    if (s.empty()) return 0;
    const unsigned char c = static_cast<unsigned char>(s[0]);
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  }

  std::map<std::string, std::map<std::string, int>> votes_;
};

class FieldExtractionWorker final : public DocumentWorker {
 public:
  FieldExtractionWorker(const std::vector<PreparedType>* types, const FieldExtractionOptions* options)
      : types_(types), options_(options) {}

  Status Process(Document& doc) override {
    const std::vector<Line> lines = CollectLines(doc);
    std::vector<std::string> reasons;
    const PreparedType* type = Classify(lines);
    nlohmann::json out = {{"sha256", doc.sha256}, {"source", doc.relative_path}};
    doc.fields.clear();
    if (type == nullptr) {
      reasons.push_back(lines.empty()
                            ? "fields: no text to extract from (type the data in by hand)"
                            : "fields: unknown document type (no known title found)");
      doc.metadata["doc_type"] = "";
      doc.metadata["result_code"] = "";
      doc.metadata["holder_id"] = "";
      out["doc_type"] = nullptr;
      out["code"] = nullptr;
    } else {
      Extract(*type, lines, doc, &reasons);
      const DocTypeSpec& spec = *type->spec;
      out["doc_type"] = spec.key;
      out["doc_type_name"] = spec.name;
      out["type_code"] = spec.type_code;
      out["type_code_is_placeholder"] = true;
      out["code"] = doc.metadata["result_code"];
      out["holder_id"] = doc.metadata["holder_id"];
    }
    nlohmann::json fields = nlohmann::json::object();
    for (const auto& [key, f] : doc.fields) {
      nlohmann::json j = {{"value", f.value}, {"confidence", std::round(f.confidence * 1000) / 1000}};
      if (!f.problem.empty()) j["problem"] = f.problem;
      fields[key] = j;
    }
    out["fields"] = fields;
    out["review_reasons"] = reasons;
    doc.review_reasons.insert(doc.review_reasons.end(), reasons.begin(), reasons.end());
    return WriteSidecar(doc, DumpJson(out, 1) + "\n");
  }

 private:
  const PreparedType* Classify(const std::vector<Line>& lines) const {
    for (int pass = 0; pass < 2; ++pass) {
      const PreparedType* best = nullptr;
      double best_score = kTitleTolerance;
      for (const PreparedType& type : *types_) {
        for (const std::u32string& title : type.titles) {
          const int tolerance = static_cast<int>(title.size() * kTitleTolerance);
          for (const Line& line : lines) {
            if (pass == 0 && line.page != lines.front().page) break;
            for (size_t start = 0; start < line.sk.chars.size(); ++start) {
              const int d = PrefixDistance(title, line.sk.chars, start, tolerance, nullptr);
              if (d > tolerance) continue;
              const double score = static_cast<double>(d) / title.size();
              if (score < best_score || (best == nullptr && score <= best_score)) {
                best_score = score;
                best = &type;
              }
            }
          }
        }
      }
      if (best != nullptr) return best;
    }
    return nullptr;
  }

  void Extract(const PreparedType& type, const std::vector<Line>& lines, Document& doc,
               std::vector<std::string>* reasons) const {
    const DocTypeSpec& spec = *type.spec;
    const std::vector<Hit> hits = FindLabels(type, lines);
    std::map<std::string, size_t> line_of;
    std::map<std::string, Found> raw;
    // Fields with after_field depend on another's line: resolve in passes.
    for (int pass = 0; pass < 3; ++pass) {
      for (const FieldSpec& f : spec.fields) {
        if (raw.count(f.key)) continue;
        size_t min_line = 0;
        if (!f.after_field.empty()) {
          auto it = line_of.find(f.after_field);
          if (it == line_of.end()) continue;
          min_line = it->second + 1;
        }
        for (const std::string& how : f.locate) {
          std::optional<Found> found;
          if (how == "label") {
            for (const Hit& h : hits) {
              if (h.field != &f || h.line < min_line) continue;
              found = ReadValue(h, lines, hits);
              if (found) break;
            }
          } else if (how == "dated_line") {
            found = ReadDatedLine(lines);
          }
          if (found) {
            raw[f.key] = *found;
            line_of[f.key] = found->line;
            break;
          }
        }
      }
    }

    const std::string today = Today(options_->today);
    const SpellingVotes votes(lines);
    for (const FieldSpec& f : spec.fields) {
      auto it = raw.find(f.key);
      if (it == raw.end()) continue;
      std::string raw_value = it->second.raw;
      // Places only: given names share folded forms (Đinh, Đình, Định are
      // all names), place names of one document do not.
      if (f.normalizer == "place") {
        raw_value = votes.Correct(raw_value);
      }
      Normalized n = NormalizeField(f.normalizer, raw_value);
      FieldValue value;
      value.value = n.value;
      value.confidence = it->second.confidence;
      if (!n.ok()) {
        value.problem = n.problem;
        value.value = Nfc(it->second.raw);
        value.confidence *= 0.3f;
      }
      doc.fields[f.key] = value;
    }
    // Validation with the other fields as context.
    for (const FieldSpec& f : spec.fields) {
      auto it = doc.fields.find(f.key);
      if (it == doc.fields.end() || !it->second.problem.empty()) continue;
      FieldValue& v = it->second;
      ValidationContext context;
      context.today = today;
      context.sex = f.sex.empty() ? Value(doc, f.sex_field) : f.sex;
      context.birth_date = Value(doc, f.birth_date_field);
      bool unverified = false;
      std::string problem = ValidateField(f.validator, v.value, context, &unverified);
      const std::string before = Value(doc, f.not_before_field);
      const std::string after = Value(doc, f.not_after_field);
      if (problem.empty() && !before.empty() && v.value < before)
        problem = v.value + " is before " + f.not_before_field + " " + before;
      if (problem.empty() && !after.empty() && v.value > after)
        problem = v.value + " is after " + f.not_after_field + " " + after;
      if (problem.empty() && f.key == spec.validity.until_field && spec.validity.months > 0) {
        std::optional<std::string> expected =
            AddMonths(Value(doc, spec.validity.from_field), spec.validity.months);
        if (expected && *expected != v.value) {
          problem = "valid until " + v.value + " but " + spec.validity.from_field + " + " +
                    std::to_string(spec.validity.months) + " months is " + *expected;
        }
      }
      if (!problem.empty()) {
        v.problem = problem;
        v.confidence *= 0.3f;
      } else if (unverified) {
        v.confidence *= 0.9f;
      }
    }

    for (const FieldSpec& f : spec.fields) {
      auto it = doc.fields.find(f.key);
      if (it == doc.fields.end()) {
        if (f.required) {
          const std::string label = f.labels.empty() ? f.key : f.labels.front();
          reasons->push_back("fields: required field " + f.key + " (" + label + ") not found");
        }
        continue;
      }
      const FieldValue& v = it->second;
      if (!v.problem.empty()) {
        reasons->push_back("fields: " + f.key + ": " + v.problem);
      } else if (v.confidence < options_->review_confidence) {
        reasons->push_back("fields: " + f.key + " '" + v.value + "' read with confidence " +
                           Percent(v.confidence) + " < " + Percent(options_->review_confidence));
      }
    }

    auto holder = doc.fields.find(spec.holder_field);
    const std::string holder_id =
        holder != doc.fields.end() && holder->second.problem.empty() ? holder->second.value : "";
    const std::string code = holder_id + options_->code_separator + spec.type_code;
    doc.metadata["doc_type"] = spec.key;
    doc.metadata["doc_type_code"] = spec.type_code;
    doc.metadata["holder_id"] = holder_id;
    doc.metadata["result_code"] = code;
    doc.metadata["xmp:ns:sohoa"] = kDocNamespace;
    doc.metadata["xmp:sohoa:DocumentType"] = spec.key;
    doc.metadata["xmp:sohoa:DocumentTypeCode"] = spec.type_code;
    doc.metadata["xmp:sohoa:ResultCode"] = code;
    doc.metadata["xmp:sohoa:HolderId"] = holder_id;
    doc.metadata["xmp:ns:sohoaf"] = kFieldNamespace;
    for (const auto& [key, v] : doc.fields) doc.metadata["xmp:sohoaf:" + key] = v.value;
  }

  static std::string Value(const Document& doc, const std::string& key) {
    if (key.empty()) return "";
    auto it = doc.fields.find(key);
    return it == doc.fields.end() || !it->second.problem.empty() ? "" : it->second.value;
  }

  Status WriteSidecar(Document& doc, const std::string& bytes) const {
    if (doc.staging_dir.empty()) return Status::Ok();  // nowhere to stage (tests of Extract)
    SOHOA_RETURN_IF_ERROR(MakeDirectories(doc.staging_dir));
    const std::string path = doc.staging_dir + "/" + doc.sha256 + ".fields.json";
    SOHOA_RETURN_IF_ERROR(WriteFileAtomically(path, bytes));
    for (OutputFile& o : doc.outputs) {
      if (o.role == "fields") {
        o.staged_path = path;
        return Status::Ok();
      }
    }
    OutputFile file;
    file.role = "fields";
    file.staged_path = path;
    doc.outputs.push_back(file);
    return Status::Ok();
  }

  const std::vector<PreparedType>* types_;
  const FieldExtractionOptions* options_;
};

class FieldExtractionStage final : public DocumentStage {
 public:
  explicit FieldExtractionStage(FieldExtractionOptions options) : options_(std::move(options)) {}
  std::string Name() const override { return "fields"; }

  StatusOr<std::unique_ptr<DocumentWorker>> NewWorker() const override {
    SOHOA_RETURN_IF_ERROR(Prepare());
    return std::unique_ptr<DocumentWorker>(
        std::make_unique<FieldExtractionWorker>(&types_, &options_));
  }

 private:
  // Loads the catalog once, before the run (workers are made before it
  // starts, one at a time per the graph's contract; the once_flag makes that
  // safe even if not).
  Status Prepare() const {
    std::call_once(once_, [this] {
      if (options_.review_confidence < 0 || options_.review_confidence > 1) {
        prepared_ = Status::Configuration("review confidence must be between 0 and 1");
        return;
      }
      if (!options_.today.empty() && !IsIsoDate(options_.today)) {
        prepared_ = Status::Configuration("'today' must be YYYY-MM-DD");
        return;
      }
      StatusOr<DocTypeCatalog> catalog = DocTypeCatalog::Load(
          options_.doctypes_dir.empty() ? DefaultDocTypesDir() : options_.doctypes_dir);
      if (!catalog.ok()) {
        prepared_ = catalog.status();
        return;
      }
      catalog_ = std::move(*catalog);
      for (const DocTypeSpec& spec : catalog_.types()) {
        PreparedType type{&spec, {}, {}};
        for (const std::string& t : spec.title_words) type.titles.push_back(SkeletonOf(t));
        for (const FieldSpec& f : spec.fields) {
          PreparedField field{&f, {}};
          for (const std::string& l : f.labels) field.labels.push_back(SkeletonOf(l));
          type.fields.push_back(std::move(field));
        }
        types_.push_back(std::move(type));
      }
    });
    return prepared_;
  }

  FieldExtractionOptions options_;
  mutable std::once_flag once_;
  mutable Status prepared_;
  mutable DocTypeCatalog catalog_;
  mutable std::vector<PreparedType> types_;
};

}  // namespace

std::unique_ptr<DocumentStage> NewFieldExtractionStage(const FieldExtractionOptions& options) {
  return std::make_unique<FieldExtractionStage>(options);
}

}  // namespace sohoa
