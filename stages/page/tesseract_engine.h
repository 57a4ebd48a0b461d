// TesseractEngine: the one place that talks to Tesseract (baseapi.h and its
// iterators). Orientation detection and recognition both go through it.
//
// One engine wraps one tesseract::TessBaseAPI, which is not thread-safe:
// an engine belongs to one worker, and a worker is used by one thread at a
// time (see pipeline/core/stage.h). Engines may be created concurrently.
//
// Threading: Tesseract's LSTM code opens OpenMP parallel regions of its own.
// With a worker per core that only oversubscribes the machine (several times
// slower per page; benchmarks/README.md, "Tesseract threads"). So OpenMP is
// switched off twice over:
//  - EnsureTesseractSingleThreaded() sets OMP_THREAD_LIMIT=1 in the process
//    environment once (std::call_once) before the first engine is created.
//    That covers child processes and runtimes loaded later, but libgomp,
//    loaded with libtesseract before main(), has already read its
//    environment: the setenv alone changes nothing in-process.
//  - Every engine call first sets OpenMP's max-active-levels to 0 on the
//    calling thread (a per-thread setting), so Tesseract's parallel regions
//    run with a team of one. Exporting OMP_THREAD_LIMIT=1 before starting the
//    program has the same effect and does no harm.
// Programs that link stages/page/serial_openmp.h (sohoa-engine, the tests)
// go further: libtesseract's regions never reach libgomp at all, so both
// settings above only matter in a program without it.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "pipeline/core/document.h"
#include "pipeline/core/raster.h"
#include "pipeline/core/status.h"

struct Pix;

namespace sohoa {

// Sets OMP_THREAD_LIMIT=1 once per process (idempotent, thread-safe). Called
// by the engine factories; exposed for tests and for main().
void EnsureTesseractSingleThreaded();

// The tessdata folder Tesseract uses by default: $TESSDATA_PREFIX when set
// (Tesseract 5 takes it as the tessdata folder itself), otherwise the first
// existing folder of the distribution's layouts
// (/usr/share/tesseract-ocr/5/tessdata on Debian 12).
std::string DefaultTessdataDir();

// OK when every language of `languages` ("vie", "vie+eng") has a
// <lang>.traineddata in `tessdata_dir` (empty: DefaultTessdataDir()).
// Otherwise kConfiguration, e.g. "Tesseract language 'vie' not found in
// /usr/share/tesseract-ocr/5/tessdata — install tesseract-ocr-vie".
Status CheckTesseractLanguages(const std::string& tessdata_dir, const std::string& languages);

struct RecognizerConfig {
  std::string languages = "vie";  // Tesseract language string, '+' joined
  std::string tessdata_dir;       // empty: DefaultTessdataDir()
  // tesseract::PageSegMode as an int (3 = PSM_AUTO, 6 = single block, ...),
  // so that callers need not include Tesseract headers. 0..13.
  int page_segmentation_mode = 3;
  // Passed to Init (so init-only parameters work too). "debug_file" defaults
  // to /dev/null to keep Tesseract's chatter off stderr.
  std::map<std::string, std::string> variables;
  // A line whose words are separated by a gap wider than this many line
  // heights is split there, and runs of such split lines are read column by
  // column (Tesseract joins side-by-side header columns into one line).
  // 0 = keep Tesseract's lines as they are.
  double column_gap_factor = 1.5;
  // Pages below this resolution are recognized (and probed) from a copy
  // upscaled to it, at most kMaxRecognitionUpscale times and
  // kMaxUpscaledPixels pixels; boxes come back in page pixels. 0 = never.
  double min_dpi = 0;
};

inline constexpr double kMaxRecognitionUpscale = 4.0;
inline constexpr double kMaxUpscaledPixels = 40e6;

// A second reader's configuration (stages/page/figure_reread.h,
// letter_reread.h): `languages`, each crop read as one line (PSM 7), never
// split into columns, upscaled to 300 dpi.
RecognizerConfig CropReaderConfig(const std::string& languages, const std::string& tessdata_dir);

// A word's reading as the second readers compare it: quotes and bars
// anywhere and leading or trailing punctuation (.,:;) off; with
// `figures`, U+2044 (fraction slash) as '/' and curly double quotes kept
// (FigureKey), else curly double quotes off too (LetterKey).
std::string ReadingKey(const std::string& text, bool figures);

struct OrientationResult {
  // False when Tesseract found too little text to decide (not an error).
  bool detected = false;
  // Clockwise rotation, in degrees (0, 90, 180, 270), that makes the image
  // upright. (Tesseract reports the rotation *of* the image, the "Rotate"
  // line of `tesseract --psm 0` is this value.)
  int correction_cw_degrees = 0;
  float confidence = 0;  // Tesseract's orientation confidence (15 = fairly sure)
  std::string script;    // "Latin", ...
  float script_confidence = 0;
};

// How readable a recognition was, and which way up its text lines are.
// Tesseract reads a page turned 90° on its own (it finds the vertical lines
// and reads them sideways), so a page scanned sideways can come back with
// confident words on lines that run down or up the image; a page upside
// down comes back as upright lines of low-confidence junk. Both are seen
// here. A line counts as turned when its block is (Tesseract's layout
// analysis) or when its box is more than twice as tall as wide (then its
// baseline's direction says which way Tesseract read it: it reads vertical
// lines top to bottom, so that direction is right only if the confidence is
// high; a page turned 270° reads upside down, at a low confidence).
struct Readability {
  float mean_confidence = 0;  // Tesseract's MeanTextConf, 0..100 (0: no words)
  int words = 0;              // non-blank words
  // Words per line orientation, indexed by the clockwise turn / 90 that
  // would make their line upright: [0] upright, [1] needs 90° clockwise
  // (the text reads up the page), [2] upside down (only from Tesseract's
  // block orientation), [3] needs 270° (the text reads down the page).
  int words_by_turn[4] = {0, 0, 0, 0};
  // The turn (0/90/180/270) most words need.
  int MajorityTurnDegrees() const;
  // Share of words in upright blocks (0 when there are no words).
  double UprightShare() const;
};

class TesseractEngine {
 public:
  // An engine for orientation and script detection (osd.traineddata).
  static StatusOr<std::unique_ptr<TesseractEngine>> NewOrientationDetector(const std::string& tessdata_dir);
  // An LSTM recognizer. kConfiguration for missing language data, an
  // out-of-range segmentation mode or an unknown variable name.
  static StatusOr<std::unique_ptr<TesseractEngine>> NewRecognizer(const RecognizerConfig& config);

  ~TesseractEngine();
  TesseractEngine(const TesseractEngine&) = delete;
  TesseractEngine& operator=(const TesseractEngine&) = delete;

  // Orientation of an 8 bpp gray (or 1 bpp) image at `dpi` pixels per inch.
  // Only for engines from NewOrientationDetector().
  StatusOr<OrientationResult> DetectOrientation(const Pix* image, int dpi);

  // Recognizes `raster` (bilevel and gray are passed as 8-bit gray, RGB as
  // 24-bit, without copying). If max_dpi > 0 and the raster's resolution is
  // above it, a downscaled copy is recognized instead, and below the
  // config's min_dpi an upscaled one; every box and baseline is scaled
  // back, so the result is always in `raster` pixels.
  // Text is Tesseract's UTF-8 as is (the caller normalizes); empty and
  // whitespace-only words are dropped, and lines left without words too.
  // Lines are then split at column gaps (RecognizerConfig::column_gap_factor).
  // Only for engines from NewRecognizer().
  // When `readability` is given it is filled from the same recognition.
  StatusOr<OcrResult> Recognize(const Raster& raster, double max_dpi, Readability* readability = nullptr);

  // A cheaper question than Recognize: how readable would `raster` be if
  // turned clockwise by `turn_cw_degrees` (0/90/180/270)? Recognizes a gray
  // copy reduced to at most `dpi` (0: full resolution) and turned, and
  // returns only its readability. kInvalidInput for another angle or an
  // inconsistent raster. Only for engines from NewRecognizer().
  StatusOr<Readability> ProbeReadability(const Raster& raster, int turn_cw_degrees, double dpi);

 private:
  struct Impl;
  explicit TesseractEngine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// An engine made on first use. A worker's second readers (the figure
// reader, the page-number reader) are needed only on some pages — figures
// read with doubt, register-book pages — and each costs a model load
// (~0.2 s CPU, measured with perf on a dense page: three loads per worker
// were 14% of a one-page run) whether used or not. The caller checks the
// language data when the worker is made (CheckTesseractLanguages), so
// configuration errors still stop a run before its first page.
class LazyEngine {
 public:
  using Factory = std::function<StatusOr<std::unique_ptr<TesseractEngine>>()>;
  explicit LazyEngine(Factory factory) : factory_(std::move(factory)) {}
  // The engine, made now if not yet; the factory's error if that fails.
  StatusOr<TesseractEngine*> Get() {
    if (!engine_) {
      StatusOr<std::unique_ptr<TesseractEngine>> made = factory_();
      if (!made.ok()) return made.status();
      engine_ = std::move(*made);
    }
    return engine_.get();
  }
  bool made() const { return engine_ != nullptr; }

 private:
  Factory factory_;
  std::unique_ptr<TesseractEngine> engine_;
};

}  // namespace sohoa
