#include "stages/page/tesseract_engine.h"

#include <unicode/unistr.h>

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <dlfcn.h>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <vector>

#include "stages/page/leptonica_raster.h"

namespace sohoa {
namespace fs = std::filesystem;

void EnsureTesseractSingleThreaded() {
  static std::once_flag once;
  // setenv is not thread-safe against concurrent getenv; call_once makes the
  // write happen once, and it happens before any engine exists.
  std::call_once(once, [] { setenv("OMP_THREAD_LIMIT", "1", /*overwrite=*/1); });
}

namespace {

// libgomp reads OMP_THREAD_LIMIT in its load-time constructor, i.e. before
// main() when it comes in as libtesseract's dependency, so the setenv above
// is too late for this process (measured: Recognize still ran 5 threads,
// 3.1 s wall for a page that takes 0.6 s single-threaded). What does work is
// max-active-levels = 0, which makes every parallel region inactive (a team
// of one). It is a per-thread ICV in libgomp, so it is set on the calling
// thread before each call into Tesseract. Looked up with dlsym so that a
// Tesseract built without OpenMP needs no libgomp: then it is a no-op.
void PinOpenMpToCallingThread() {
  using SetLevels = void (*)(int);
  static const SetLevels set_levels =
      reinterpret_cast<SetLevels>(dlsym(RTLD_DEFAULT, "omp_set_max_active_levels"));
  if (set_levels != nullptr) set_levels(0);  // cheap: one store per call
}

}  // namespace

std::string DefaultTessdataDir() {
  if (const char* prefix = std::getenv("TESSDATA_PREFIX"); prefix != nullptr && *prefix) {
    return prefix;
  }
  for (const char* dir : {"/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                          "/usr/share/tessdata", "/usr/local/share/tessdata"}) {
    std::error_code ec;
    if (fs::is_directory(dir, ec)) return dir;
  }
  return "/usr/share/tesseract-ocr/5/tessdata";
}

Status CheckTesseractLanguages(const std::string& tessdata_dir, const std::string& languages) {
  const std::string dir = tessdata_dir.empty() ? DefaultTessdataDir() : tessdata_dir;
  if (languages.empty()) return Status::Configuration("no Tesseract language given");
  std::stringstream ss(languages);
  std::string lang;
  while (std::getline(ss, lang, '+')) {
    if (lang.empty() || lang.find('/') != std::string::npos) {
      return Status::Configuration("bad Tesseract language list '" + languages + "'");
    }
    std::error_code ec;
    if (!fs::is_regular_file(fs::path(dir) / (lang + ".traineddata"), ec)) {
      return Status::Configuration("Tesseract language '" + lang + "' not found in " + dir +
                                   " — install tesseract-ocr-" + lang);
    }
  }
  return Status::Ok();
}

struct TesseractEngine::Impl {
  enum class Kind { kOsd, kRecognizer };
  Kind kind = Kind::kRecognizer;
  tesseract::TessBaseAPI api;
  tesseract::PageSegMode psm = tesseract::PSM_AUTO;
  double column_gap_factor = 0;
  double min_dpi = 0;

  ~Impl() { api.End(); }
};

TesseractEngine::TesseractEngine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TesseractEngine::~TesseractEngine() = default;

namespace {

// Init with our variables; Tesseract reports failures only on stderr, so the
// caller checks the language files first and we only map the return code.
Status InitApi(tesseract::TessBaseAPI& api, const std::string& dir, const std::string& languages,
               tesseract::OcrEngineMode mode, const std::map<std::string, std::string>& variables) {
  std::map<std::string, std::string> vars = variables;
  vars.emplace("debug_file", "/dev/null");
  std::vector<std::string> names, values;
  for (const auto& [name, value] : vars) {
    names.push_back(name);
    values.push_back(value);
  }
  if (api.Init(dir.c_str(), languages.c_str(), mode, nullptr, 0, &names, &values, false) != 0) {
    return Status::Configuration("Tesseract could not load '" + languages + "' from " + dir);
  }
  // Init ignores unknown names silently: check them, a typo must not pass.
  for (const auto& [name, value] : variables) {
    std::string current;
    if (!api.GetVariableAsString(name.c_str(), &current)) {
      return Status::Configuration("unknown Tesseract variable '" + name + "'");
    }
  }
  return Status::Ok();
}

std::string TakeText(char* text) {
  if (text == nullptr) return {};
  std::string out(text);
  delete[] text;
  return out;
}

bool IsBlankText(const std::string& text) {
  for (unsigned char c : text) {
    if (!(c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')) return false;
  }
  return true;
}

// Tesseract's layout analysis often reads the two header columns of a
// Decree 30 page (authority | national title) as single lines with a wide
// gap: "ỦY BAN NHÂN DÂN      CỘNG HÒA XÃ HỘI ..." (measured on generated
// pages: gaps of 2.4-7 line heights there, 0.3 for normal word spaces).
// Such lines are split at gaps wider than gap_factor x line height, and a
// run of consecutive split lines (Tesseract may put its rows in different
// blocks) is read column by column: all first segments top to bottom, then
// all second segments, and so on. Block numbers are then renumbered in
// output order (each band column is a block of its own), so they never
// decrease along the list.
// Tesseract's line box and baseline occasionally disagree with its own words
// on junk lines (a signature scribble, a seal): a word left of its line, a
// baseline above the box. The text layer sizes and places words from these,
// so make each line box cover its words and keep the baseline inside it.
void FitLinesToWords(std::vector<OcrLine>& lines) {
  for (OcrLine& line : lines) {
    for (const OcrWord& word : line.words) line.box.Cover(word.box);
    line.baseline_y =
        std::clamp(line.baseline_y, static_cast<double>(line.box.top), static_cast<double>(line.box.bottom));
  }
}

void SplitAtColumnGaps(std::vector<OcrLine>& lines, double gap_factor) {
  if (gap_factor <= 0) return;
  std::vector<OcrLine> out;
  std::vector<long> keys;  // what makes a block: Tesseract's, or band column
  out.reserve(lines.size());
  std::vector<std::vector<OcrLine>> band;  // segments of consecutive split lines
  long band_count = 0;
  auto flush = [&] {
    size_t columns = 0;
    for (const auto& segments : band) columns = std::max(columns, segments.size());
    for (size_t c = 0; c < columns; ++c) {
      for (auto& segments : band) {
        if (c >= segments.size()) continue;
        out.push_back(std::move(segments[c]));
        keys.push_back(-1 - band_count * 64 - static_cast<long>(c));
      }
    }
    if (!band.empty()) ++band_count;
    band.clear();
  };
  for (OcrLine& line : lines) {
    const int height = std::max(1, line.box.height());
    std::vector<OcrLine> segments;
    for (size_t i = 0; i < line.words.size(); ++i) {
      const bool gap = i > 0 && line.words[i].box.left - line.words[i - 1].box.right > gap_factor * height;
      if (i == 0 || gap) {
        OcrLine segment;
        segment.block = line.block;
        segment.baseline_slope = line.baseline_slope;
        segment.box = line.words[i].box;
        segment.baseline_y = line.baseline_y + line.baseline_slope * (line.words[i].box.left - line.box.left);
        segments.push_back(std::move(segment));
      }
      OcrLine& segment = segments.back();
      const Box& b = line.words[i].box;
      segment.box.left = std::min(segment.box.left, b.left);
      segment.box.right = std::max(segment.box.right, b.right);
      segment.box.top = std::min({segment.box.top, b.top, line.box.top});
      segment.box.bottom = std::max({segment.box.bottom, b.bottom, line.box.bottom});
      segment.words.push_back(std::move(line.words[i]));
    }
    if (segments.size() > 1) {
      band.push_back(std::move(segments));
      continue;
    }
    flush();
    if (segments.size() == 1) {
      segments[0].box = line.box;  // unsplit: keep Tesseract's line as is
      segments[0].baseline_y = line.baseline_y;
      out.push_back(std::move(segments[0]));
      keys.push_back(line.block);
    }
  }
  flush();
  int block = -1;
  for (size_t i = 0; i < out.size(); ++i) {
    if (i == 0 || keys[i] != keys[i - 1]) ++block;
    out[i].block = block;
  }
  lines = std::move(out);
}

// The block orientation Tesseract's layout analysis assigned, as the
// clockwise quarter turns that make the block upright (see Readability).
int TurnsToUpright(tesseract::Orientation orientation) {
  switch (orientation) {
    case tesseract::ORIENTATION_PAGE_LEFT:
      return 1;  // text up = page left: turn cw
    case tesseract::ORIENTATION_PAGE_DOWN:
      return 2;
    case tesseract::ORIENTATION_PAGE_RIGHT:
      return 3;  // text up = page right: turn ccw
    default:
      return 0;
  }
}

// Readability of the recognition `api` holds (after Recognize()).
// Which way up a line is: its block's orientation when Tesseract's layout
// analysis says the block is turned; otherwise its shape. Measured: on a
// page turned 90°, Tesseract finds the vertical lines, reads them (mean
// confidence 94, as upright) and still reports every block PAGE_UP, but the
// line boxes, in image pixels, are then much taller than wide, and the baseline,
// which runs in reading direction, points down the page (page turned 90°
// clockwise: turn 270° back) or up it (turned 270°: turn 90° back).
// Counts a recognition's words by which way up their lines are, as the
// iterator walks it: Measure below, and Recognize in the same pass that
// collects the words (one walk of the results instead of two).
// Where the iterator stands, asked once per word: ResultIterator answers
// IsAtBeginningOf by copying itself and walking back to the start of the
// line in reading order, so each question costs a walk of the line (four
// per word were 0.08 CPU s on a dense page). A block starts only where a
// line does, so the block is asked at line starts only.
struct IteratorPlace {
  bool line_start = false;
  bool block_start = false;
};

IteratorPlace PlaceOf(const tesseract::ResultIterator& it) {
  IteratorPlace place;
  place.line_start = it.IsAtBeginningOf(tesseract::RIL_TEXTLINE);
  place.block_start = place.line_start && it.IsAtBeginningOf(tesseract::RIL_BLOCK);
  return place;
}

class ReadabilityCounter {
 public:
  // Call for every word position of `it`, before skipping blank words.
  void Enter(const tesseract::ResultIterator& it, const IteratorPlace& place) {
    if (place.block_start) {
      tesseract::Orientation orientation = tesseract::ORIENTATION_PAGE_UP;
      tesseract::WritingDirection direction;
      tesseract::TextlineOrder order;
      float deskew = 0;
      it.Orientation(&orientation, &direction, &order, &deskew);
      block_turns_ = TurnsToUpright(orientation);
    }
    if (place.line_start) {
      line_turns_ = block_turns_;
      int l = 0, t = 0, r = 0, b = 0;
      // Twice as tall as wide: a turned line of a few characters or more;
      // a lone upright "1" or "l" is not counted as turned.
      if (block_turns_ == 0 && it.BoundingBox(tesseract::RIL_TEXTLINE, &l, &t, &r, &b) && b - t > 2 * (r - l)) {
        int x1 = 0, y1 = 0, x2 = 0, y2 = 0;
        const bool down = !it.Baseline(tesseract::RIL_TEXTLINE, &x1, &y1, &x2, &y2) || y2 >= y1;
        line_turns_ = down ? 3 : 1;
      }
    }
  }
  // A non-blank word at the current position.
  void CountWord() {
    ++out_.words;
    ++out_.words_by_turn[line_turns_];
  }
  Readability Finish(float mean_text_confidence) {
    out_.mean_confidence = out_.words > 0 ? mean_text_confidence : 0.0f;
    return out_;
  }
  int words() const { return out_.words; }

 private:
  Readability out_;
  int block_turns_ = 0, line_turns_ = 0;
};

Readability Measure(tesseract::TessBaseAPI& api) {
  ReadabilityCounter counter;
  std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
  if (it == nullptr || it->Empty(tesseract::RIL_WORD)) return counter.Finish(0);
  do {
    counter.Enter(*it, PlaceOf(*it));
    if (!IsBlankText(TakeText(it->GetUTF8Text(tesseract::RIL_WORD)))) counter.CountWord();
  } while (it->Next(tesseract::RIL_WORD));
  return counter.Finish(counter.words() > 0 ? static_cast<float>(api.MeanTextConf()) : 0.0f);
}
// Recognized pixels per page pixel for a page at `dpi`: down to max_dpi
// (when > 0), or up to min_dpi (when > 0). Tesseract's LSTM reads small text
// badly: measured on the corpus screenshots (x-height 6-8 px, 70-90 dpi),
// read as they are most lines came out garbled; upscaled to 200 dpi they
// read like a scan (tests/e2e/screen_capture_test.cc).
double RecognitionScale(const Raster& raster, double dpi, double min_dpi, double max_dpi) {
  if (dpi <= 0) return 1.0;
  if (max_dpi > 0 && dpi > max_dpi) return max_dpi / dpi;
  if (min_dpi > 0 && dpi < min_dpi) {
    const double pixels = static_cast<double>(raster.width) * raster.height;
    return std::max(
        1.0, std::min({min_dpi / dpi, kMaxRecognitionUpscale, std::sqrt(kMaxUpscaledPixels / pixels)}));
  }
  return 1.0;
}

// `image` scaled by `scale`: area mapping down (keeps thin strokes, fine for
// 0/255 too), linear interpolation up.
PixPtr ScalePix(Pix* image, double scale) {
  const float s = static_cast<float>(scale);
  return AdoptPix(scale < 1.0 ? pixScaleAreaMap(image, s, s) : pixScaleGrayLI(image, s, s));
}

}  // namespace

StatusOr<std::unique_ptr<TesseractEngine>> TesseractEngine::NewOrientationDetector(
    const std::string& tessdata_dir) {
  EnsureTesseractSingleThreaded();
  const std::string dir = tessdata_dir.empty() ? DefaultTessdataDir() : tessdata_dir;
  SOHOA_RETURN_IF_ERROR(CheckTesseractLanguages(dir, "osd"));
  auto impl = std::make_unique<Impl>();
  impl->kind = Impl::Kind::kOsd;
  impl->psm = tesseract::PSM_OSD_ONLY;
  SOHOA_RETURN_IF_ERROR(InitApi(impl->api, dir, "osd", tesseract::OEM_TESSERACT_ONLY, {}));
  impl->api.SetPageSegMode(tesseract::PSM_OSD_ONLY);
  return std::unique_ptr<TesseractEngine>(new TesseractEngine(std::move(impl)));
}

RecognizerConfig CropReaderConfig(const std::string& languages, const std::string& tessdata_dir) {
  RecognizerConfig config;
  config.languages = languages;
  config.tessdata_dir = tessdata_dir;
  config.page_segmentation_mode = 7;
  config.column_gap_factor = 0;
  config.min_dpi = 300;
  return config;
}

std::string ReadingKey(const std::string& text, bool figures) {
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
  icu::UnicodeString kept;
  for (int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1)) {
    const UChar32 c = u.char32At(i);
    if (figures && c == 0x2044) {  // fraction slash
      kept.append(static_cast<UChar32>('/'));
    } else if (c == '|' || c == '\'' || c == '"' || c == 0x2018 || c == 0x2019) {
      continue;
    } else if (!figures && (c == 0x201C || c == 0x201D)) {
      continue;
    } else {
      kept.append(c);
    }
  }
  std::string key;
  kept.toUTF8String(key);
  auto punctuation = [](char c) { return c == '.' || c == ',' || c == ':' || c == ';'; };
  while (!key.empty() && punctuation(key.back())) key.pop_back();
  size_t start = 0;
  while (start < key.size() && punctuation(key[start])) ++start;
  return key.substr(start);
}

StatusOr<std::unique_ptr<TesseractEngine>> TesseractEngine::NewRecognizer(const RecognizerConfig& config) {
  EnsureTesseractSingleThreaded();
  const std::string dir = config.tessdata_dir.empty() ? DefaultTessdataDir() : config.tessdata_dir;
  SOHOA_RETURN_IF_ERROR(CheckTesseractLanguages(dir, config.languages));
  if (config.page_segmentation_mode < 0 || config.page_segmentation_mode >= tesseract::PSM_COUNT ||
      config.page_segmentation_mode == tesseract::PSM_OSD_ONLY) {
    return Status::Configuration("page segmentation mode " + std::to_string(config.page_segmentation_mode) +
                                 " is not a recognition mode (use 1..13, 3 = automatic)");
  }
  auto impl = std::make_unique<Impl>();
  impl->kind = Impl::Kind::kRecognizer;
  impl->psm = static_cast<tesseract::PageSegMode>(config.page_segmentation_mode);
  impl->column_gap_factor = config.column_gap_factor;
  impl->min_dpi = config.min_dpi;
  SOHOA_RETURN_IF_ERROR(
      InitApi(impl->api, dir, config.languages, tesseract::OEM_LSTM_ONLY, config.variables));
  impl->api.SetPageSegMode(impl->psm);
  return std::unique_ptr<TesseractEngine>(new TesseractEngine(std::move(impl)));
}

StatusOr<OrientationResult> TesseractEngine::DetectOrientation(const Pix* image, int dpi) {
  if (impl_->kind != Impl::Kind::kOsd) {
    return Status::Internal("DetectOrientation called on a recognition engine");
  }
  if (image == nullptr) return Status::Internal("no image for orientation detection");
  PinOpenMpToCallingThread();
  tesseract::TessBaseAPI& api = impl_->api;
  api.SetPageSegMode(tesseract::PSM_OSD_ONLY);
  api.SetImage(const_cast<Pix*>(image));
  if (dpi > 0) api.SetSourceResolution(dpi);
  OrientationResult result;
  int orient_deg = 0;
  float orient_conf = 0, script_conf = 0;
  const char* script = nullptr;
  // False means "too few characters": a normal outcome for sparse pages.
  if (api.DetectOrientationScript(&orient_deg, &orient_conf, &script, &script_conf)) {
    result.detected = true;
    // orient_deg is the clockwise rotation the image has; undo it.
    result.correction_cw_degrees = (360 - orient_deg) % 360;
    result.confidence = orient_conf;
    result.script = script != nullptr ? script : "";
    result.script_confidence = script_conf;
  }
  api.Clear();
  return result;
}

int Readability::MajorityTurnDegrees() const {
  int best = 0;
  for (int i = 1; i < 4; ++i) {
    if (words_by_turn[i] > words_by_turn[best]) best = i;
  }
  return best * 90;
}

double Readability::UprightShare() const {
  return words > 0 ? static_cast<double>(words_by_turn[0]) / words : 0.0;
}

StatusOr<Readability> TesseractEngine::ProbeReadability(const Raster& raster, int turn_cw_degrees,
                                                        double dpi) {
  if (impl_->kind != Impl::Kind::kRecognizer) {
    return Status::Internal("ProbeReadability called on an orientation engine");
  }
  if (turn_cw_degrees % 90 != 0 || turn_cw_degrees < 0 || turn_cw_degrees >= 360) {
    return Status::InvalidInput("probe turn must be 0, 90, 180 or 270 degrees");
  }
  if (raster.width <= 0 || raster.height <= 0 || raster.pixels.size() != raster.byte_size()) {
    return Status::InvalidInput("empty or inconsistent page raster");
  }
  PinOpenMpToCallingThread();
  StatusOr<PixPtr> gray = RasterToGrayPix(raster);
  if (!gray.ok()) return gray.status();
  const double page_dpi = std::max(raster.dpi_x, raster.dpi_y);
  const double scale = RecognitionScale(raster, page_dpi, std::min(impl_->min_dpi, dpi), dpi);
  PixPtr image = std::move(*gray);
  if (scale != 1.0) {
    image = ScalePix(image.get(), scale);
    if (!image) return Status::Internal("Leptonica could not scale the page for a probe");
  }
  if (turn_cw_degrees != 0) {
    image = AdoptPix(pixRotateOrth(image.get(), turn_cw_degrees / 90));
    if (!image) return Status::Internal("Leptonica could not turn the page for a probe");
  }
  tesseract::TessBaseAPI& api = impl_->api;
  api.SetImage(image.get());
  if (page_dpi > 0) api.SetSourceResolution(static_cast<int>(std::lround(page_dpi * scale)));
  api.SetPageSegMode(impl_->psm);
  if (api.Recognize(nullptr) != 0) {
    api.Clear();
    return Status::Internal("Tesseract recognition failed");
  }
  Readability readability = Measure(api);
  api.Clear();
  return readability;
}

StatusOr<OcrResult> TesseractEngine::Recognize(const Raster& raster, double max_dpi,
                                               Readability* readability) {
  if (impl_->kind != Impl::Kind::kRecognizer) {
    return Status::Internal("Recognize called on an orientation engine");
  }
  if (raster.width <= 0 || raster.height <= 0 || raster.pixels.size() != raster.byte_size()) {
    return Status::InvalidInput("empty or inconsistent page raster");
  }
  PinOpenMpToCallingThread();
  tesseract::TessBaseAPI& api = impl_->api;
  const double dpi = std::max(raster.dpi_x, raster.dpi_y);
  // Recognized pixels per raster pixel.
  const double scale = RecognitionScale(raster, dpi, impl_->min_dpi, max_dpi);
  if (scale != 1.0 || raster.kind == PixelKind::kRgb) {
    // Colour pages are recognised in gray (the luminance Tesseract's LSTM
    // reads anyway): given RGB, Tesseract builds a 32-bit copy of the page
    // and then a copy of that (2 x 35 MB at 300 dpi A4) besides its gray,
    // which made OCR of two colour pages at once the peak of a run's memory.
    StatusOr<PixPtr> pix = RasterToGrayPix(raster);
    if (!pix.ok()) return pix.status();
    PixPtr image = std::move(*pix);
    if (scale != 1.0) {
      image = ScalePix(image.get(), scale);
      if (!image) return Status::Internal("Leptonica could not scale the page for OCR");
    }
    api.SetImage(image.get());  // Tesseract keeps its own copy
  } else {
    api.SetImage(raster.pixels.data(), raster.width, raster.height, raster.channels(),
                 static_cast<int>(raster.stride()));
  }
  if (dpi > 0) api.SetSourceResolution(static_cast<int>(std::lround(dpi * scale)));
  api.SetPageSegMode(impl_->psm);
  if (api.Recognize(nullptr) != 0) {
    api.Clear();
    return Status::Internal("Tesseract recognition failed");
  }

  const double inv = 1.0 / scale;
  auto to_page = [&](int v, int limit) {
    return std::clamp(static_cast<int>(std::lround(v * inv)), 0, limit);
  };
  OcrResult result;
  ReadabilityCounter counter;
  std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
  int block = -1;
  OcrLine* line = nullptr;
  if (it != nullptr && !it->Empty(tesseract::RIL_WORD)) {
    do {
      const IteratorPlace place = PlaceOf(*it);
      counter.Enter(*it, place);
      if (place.block_start) ++block;
      if (place.line_start) {
        if (line != nullptr && line->words.empty()) result.lines.pop_back();
        result.lines.emplace_back();
        line = &result.lines.back();
        line->block = std::max(block, 0);
        int l = 0, t = 0, r = 0, b = 0;
        if (it->BoundingBox(tesseract::RIL_TEXTLINE, &l, &t, &r, &b)) {
          line->box = {to_page(l, raster.width), to_page(t, raster.height), to_page(r, raster.width),
                       to_page(b, raster.height)};
        }
        int x1 = 0, y1 = 0, x2 = 0, y2 = 0;
        if (it->Baseline(tesseract::RIL_TEXTLINE, &x1, &y1, &x2, &y2)) {
          line->baseline_slope = x2 != x1 ? static_cast<double>(y2 - y1) / (x2 - x1) : 0.0;
          // Baseline y at the line box's left edge, in page pixels.
          const double y_at_left = y1 + line->baseline_slope * (l - x1);
          line->baseline_y = y_at_left * inv;
        } else {
          line->baseline_y = line->box.bottom;
        }
      }
      std::string text = TakeText(it->GetUTF8Text(tesseract::RIL_WORD));
      if (IsBlankText(text)) continue;
      counter.CountWord();
      if (line == nullptr) continue;
      OcrWord word;
      word.text = std::move(text);
      word.confidence = it->Confidence(tesseract::RIL_WORD);
      int l = 0, t = 0, r = 0, b = 0;
      if (it->BoundingBox(tesseract::RIL_WORD, &l, &t, &r, &b)) {
        word.box = {to_page(l, raster.width), to_page(t, raster.height), to_page(r, raster.width),
                    to_page(b, raster.height)};
      }
      line->words.push_back(std::move(word));
    } while (it->Next(tesseract::RIL_WORD));
  }
  if (line != nullptr && line->words.empty()) result.lines.pop_back();
  it.reset();
  FitLinesToWords(result.lines);
  SplitAtColumnGaps(result.lines, impl_->column_gap_factor);
  // MeanTextConf walks every word again: once, for both.
  const float mean = result.lines.empty() && counter.words() == 0 ? 0.0f : static_cast<float>(api.MeanTextConf());
  result.mean_confidence = result.lines.empty() ? 0.0f : mean;
  if (readability != nullptr) *readability = counter.Finish(mean);
  api.Clear();
  return result;
}

}  // namespace sohoa
