#include "stages/signing/signing_provenance_stage.h"

#include <chrono>

#include "stages/pdf/pdf_metadata.h"

namespace sohoa {
namespace {

constexpr char kPrefix[] = "sohoapaper";
constexpr char kNamespace[] = "https://sohoa.example/ns/paper-conversion/1.0/";

class ProvenanceWorker : public DocumentWorker {
 public:
  explicit ProvenanceWorker(const PaperProvenanceOptions& o) : o_(o) {}
  Status Process(Document& document) override {
    const int64_t now = o_.deterministic ? o_.deterministic_unix_time
                                         : std::chrono::duration_cast<std::chrono::seconds>(
                                               std::chrono::system_clock::now().time_since_epoch())
                                               .count();
    const int64_t scanned = o_.deterministic || document.mtime_ns <= 0 ? now : document.mtime_ns / 1000000000;
    auto set = [&](const std::string& name, const std::string& value) {
      if (!value.empty()) document.metadata[std::string("xmp:") + kPrefix + ":" + name] = value;
    };
    document.metadata[std::string("xmp:ns:") + kPrefix] = kNamespace;
    set("ConvertedFromPaper", "True");
    set("ScannedAt", XmpDate(scanned, o_.utc_offset_minutes));
    set("ConvertedAt", XmpDate(now, o_.utc_offset_minutes));
    set("ConvertedBy", o_.converted_by);
    set("ConvertingOrganisation", o_.organisation);
    set("LegalBasis", "Nghị định 137/2024/NĐ-CP");
    return Status::Ok();
  }

 private:
  const PaperProvenanceOptions o_;
};

class ProvenanceStage : public DocumentStage {
 public:
  explicit ProvenanceStage(const PaperProvenanceOptions& o) : o_(o) {}
  std::string Name() const override { return "provenance"; }
  StatusOr<std::unique_ptr<DocumentWorker>> NewWorker() const override {
    return std::unique_ptr<DocumentWorker>(new ProvenanceWorker(o_));
  }

 private:
  const PaperProvenanceOptions o_;
};

}  // namespace

std::unique_ptr<DocumentStage> NewPaperProvenanceStage(const PaperProvenanceOptions& options) {
  return std::make_unique<ProvenanceStage>(options);
}

}  // namespace sohoa
