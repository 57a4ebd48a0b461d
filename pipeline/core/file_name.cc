#include "pipeline/core/file_name.h"

#include <iconv.h>

#include <array>
#include <cerrno>
#include <map>
#include <vector>

#include "pipeline/core/text_safety.h"

namespace sohoa {
namespace {

// The Vietnamese vowels, one row per base letter, tones in the order none,
// grave (huyền), acute (sắc), hook (hỏi), tilde (ngã), dot below (nặng).
enum Tone { kNone, kGrave, kAcute, kHook, kTilde, kDot };
enum Row { kA, kABreve, kACirc, kE, kECirc, kI, kO, kOCirc, kOHorn, kU, kUHorn, kY, kRows };
constexpr std::array<const char*, kRows> kLower = {"aàáảãạ", "ăằắẳẵặ", "âầấẩẫậ", "eèéẻẽẹ",
                                                   "êềếểễệ", "iìíỉĩị", "oòóỏõọ", "ôồốổỗộ",
                                                   "ơờớởỡợ", "uùúủũụ", "ưừứửữự", "yỳýỷỹỵ"};
constexpr std::array<const char*, kRows> kUpper = {"AÀÁẢÃẠ", "ĂẰẮẲẴẶ", "ÂẦẤẨẪẬ", "EÈÉẺẼẸ",
                                                   "ÊỀẾỂỄỆ", "IÌÍỈĨỊ", "OÒÓỎÕỌ", "ÔỒỐỔỖỘ",
                                                   "ƠỜỚỞỠỢ", "UÙÚỦŨỤ", "ƯỪỨỬỮỰ", "YỲÝỶỸỴ"};

// Splits well-formed UTF-8 into its characters.
std::vector<std::string> Characters(std::string_view utf8) {
  std::vector<std::string> out;
  for (size_t i = 0; i < utf8.size();) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    const size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    out.emplace_back(utf8.substr(i, n));
    i += n;
  }
  return out;
}

std::string Letter(Row row, Tone tone, bool upper) {
  return Characters((upper ? kUpper : kLower)[row])[tone];
}

// Every Vietnamese letter that is not ASCII, with its vowel row and tone
// (đ, Đ: kRows, kNone).
struct LetterInfo {
  Row row;
  Tone tone;
};
const std::map<std::string, LetterInfo>& VietnameseLetters() {
  static const std::map<std::string, LetterInfo> letters = [] {
    std::map<std::string, LetterInfo> m = {{"đ", {kRows, kNone}}, {"Đ", {kRows, kNone}}};
    for (const auto* rows : {&kLower, &kUpper}) {
      for (int row = 0; row < kRows; ++row) {
        const std::vector<std::string> toned = Characters((*rows)[row]);
        for (size_t tone = 0; tone < toned.size(); ++tone) {
          if (toned[tone].size() > 1) m[toned[tone]] = {static_cast<Row>(row), static_cast<Tone>(tone)};
        }
      }
    }
    return m;
  }();
  return letters;
}

std::optional<Row> VowelRow(char c) {
  switch (c | 0x20) {
    case 'a':
      return kA;
    case 'e':
      return kE;
    case 'i':
      return kI;
    case 'o':
      return kO;
    case 'u':
      return kU;
    case 'y':
      return kY;
    default:
      return std::nullopt;
  }
}

// Whether a plain vowel can precede a vowel of `row` in one syllable (hoà,
// xoăn, xuân, tiên, yêu): never after a or e, and not "oâ" or "iô". CP1258
// reads VNI's "aê" (ă) as "aê", which this tells apart.
bool PlausibleVowelPair(char plain, Row row) {
  switch (plain | 0x20) {
    case 'a':
    case 'e':
      return false;
    case 'o':
      return row == kA || row == kABreve || row == kE;
    case 'i':
    case 'y':
      return row == kECirc;
    default:
      return true;
  }
}

// How plausible `utf8` is as Vietnamese: the number of non-ASCII Vietnamese
// letters, less 10 for each word with two toned vowels (a syllable carries
// one tone: "Nguyờịn" is what TCVN3 makes of CP1258 bytes) and for each
// impossible vowel pair. -1 when it holds any other non-ASCII character:
// then it is not this encoding's text.
int VietnameseScore(std::string_view utf8) {
  int score = 0, tones_in_word = 0;
  char previous = 0;  // the ASCII letter just before, or 0
  for (const std::string& c : Characters(utf8)) {
    if (c.size() == 1) {
      const bool letter = (c[0] | 0x20) >= 'a' && (c[0] | 0x20) <= 'z';
      if (!letter) tones_in_word = 0;
      previous = letter ? c[0] : 0;
      continue;
    }
    auto it = VietnameseLetters().find(c);
    if (it == VietnameseLetters().end()) return -1;
    ++score;
    if (it->second.tone != kNone && ++tones_in_word == 2) score -= 10;
    if (previous != 0 && VowelRow(previous) && it->second.row != kRows &&
        !PlausibleVowelPair(previous, it->second.row)) {
      score -= 10;
    }
    previous = 0;
  }
  return score;
}

// glibc's converters (CP1258 and TCVN 5712, whose VN1 table holds TCVN3's
// letters at the same bytes) compose a base letter and a following tone mark
// into the precomposed letter.
std::optional<std::string> Iconv(const char* from, std::string_view bytes) {
  iconv_t cd = iconv_open("UTF-8", from);
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string in(bytes), out(bytes.size() * 4 + 16, '\0');
  char* in_ptr = in.data();
  char* out_ptr = out.data();
  size_t in_left = in.size(), out_left = out.size();
  size_t rc = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
  if (rc != static_cast<size_t>(-1)) rc = iconv(cd, nullptr, nullptr, &out_ptr, &out_left);  // flush
  iconv_close(cd);
  if (rc == static_cast<size_t>(-1) || in_left != 0) return std::nullopt;
  out.resize(out.size() - out_left);
  return out;
}

// VNI (the VNI Windows fonts): a vowel is an ASCII letter followed by a mark
// byte for its tone and, where it has one, its circumflex or breve; ơ, ư, đ
// and the toned i, y-dot are single bytes. Lower-case marks are listed;
// upper-case ones are the same byte minus 0x20.
struct VniMark {
  unsigned char byte;
  int shape;  // 0 tone only, 1 circumflex, 2 breve
  Tone tone;
};
constexpr VniMark kVniMarks[] = {{0xF9, 0, kAcute}, {0xF8, 0, kGrave}, {0xFB, 0, kHook},  {0xF5, 0, kTilde},
                                 {0xEF, 0, kDot},   {0xE2, 1, kNone},  {0xE1, 1, kAcute}, {0xE0, 1, kGrave},
                                 {0xE5, 1, kHook},  {0xE3, 1, kTilde}, {0xE4, 1, kDot},   {0xEA, 2, kNone},
                                 {0xE9, 2, kAcute}, {0xE8, 2, kGrave}, {0xFA, 2, kHook},  {0xFC, 2, kTilde},
                                 {0xEB, 2, kDot}};

const VniMark* FindVniMark(unsigned char b) {
  for (const VniMark& m : kVniMarks)
    if (m.byte == b || m.byte - 0x20 == b) return &m;
  return nullptr;
}

struct VniSingle {
  unsigned char byte;
  Row row;  // kRows for đ
  Tone tone;
};
constexpr VniSingle kVniSingles[] = {{0xF4, kOHorn, kNone}, {0xF6, kUHorn, kNone}, {0xF1, kRows, kNone},
                                     {0xED, kI, kAcute},    {0xEC, kI, kGrave},    {0xE6, kI, kHook},
                                     {0xF3, kI, kTilde},    {0xF2, kI, kDot},      {0xEE, kY, kDot}};

// Applies a mark to a vowel row; nullopt when that vowel cannot carry it.
std::optional<Row> Shaped(Row row, int shape) {
  if (shape == 0) return row;
  if (shape == 1 && row == kA) return kACirc;
  if (shape == 1 && row == kE) return kECirc;
  if (shape == 1 && row == kO) return kOCirc;
  if (shape == 2 && row == kA) return kABreve;
  return std::nullopt;
}

std::optional<std::string> DecodeVni(std::string_view bytes) {
  std::string out;
  for (size_t i = 0; i < bytes.size(); ++i) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    std::optional<Row> row;
    bool upper = false;
    Tone tone = kNone;
    if (b < 0x80) {
      row = VowelRow(static_cast<char>(b));
      if (!row) {
        out += static_cast<char>(b);
        continue;
      }
      upper = b < 'a';
    } else {
      const VniSingle* single = nullptr;
      for (const VniSingle& s : kVniSingles)
        if (s.byte == b || s.byte - 0x20 == b) single = &s;
      if (single == nullptr) return std::nullopt;  // a mark with no vowel, or not VNI
      upper = b < 0xE0;
      if (single->row == kRows) {
        out += upper ? "Đ" : "đ";
        continue;
      }
      row = single->row;
      tone = single->tone;
    }
    bool marked = b >= 0x80;
    if (i + 1 < bytes.size() && tone == kNone) {
      if (const VniMark* mark = FindVniMark(static_cast<unsigned char>(bytes[i + 1]))) {
        const std::optional<Row> shaped = Shaped(*row, mark->shape);
        if (!shaped || (b >= 0x80 && mark->shape != 0)) return std::nullopt;
        row = shaped;
        tone = mark->tone;
        marked = true;
        ++i;
      }
    }
    out += marked ? Letter(*row, tone, upper) : std::string(1, static_cast<char>(b));
  }
  return out;
}

}  // namespace

bool IsVietnameseLetter(std::string_view character) {
  if (character.size() == 1) {
    const char c = character[0];
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
  return VietnameseLetters().count(std::string(character)) > 0;
}

std::string DisplayName(std::string_view raw) {
  return IsValidUtf8(raw) ? std::string(raw) : EscapeForLog(raw);
}

std::string HexOfBytes(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0xF];
  }
  return out;
}

std::optional<std::string> BytesFromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi << 4 | lo);
  }
  return out;
}

std::optional<LegacyNameGuess> GuessLegacyVietnameseName(std::string_view raw) {
  if (IsValidUtf8(raw)) return std::nullopt;
  std::optional<LegacyNameGuess> best;
  int best_letters = 0;
  auto consider = [&](const char* encoding, std::optional<std::string> text) {
    if (!text) return;
    const int letters = VietnameseScore(*text);
    if (letters > best_letters) {
      best_letters = letters;
      best = LegacyNameGuess{encoding, std::move(*text)};
    }
  };
  consider("CP1258", Iconv("CP1258", raw));
  consider("TCVN3", Iconv("TCVN5712-1", raw));
  consider("VNI", DecodeVni(raw));
  return best;
}

}  // namespace sohoa
