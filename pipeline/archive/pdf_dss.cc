#include "pipeline/archive/pdf_dss.h"

#include <cctype>
#include <cstdint>
#include <optional>

namespace sohoa {
namespace {

constexpr size_t kMaxEntries = 10000;
constexpr size_t kMaxStreamBytes = 10 * 1024 * 1024;

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0 || c == '\0'; }
bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

void SkipSpace(const std::string& s, size_t* i) {
  while (*i < s.size() && IsSpace(s[*i])) ++*i;
}

std::optional<uint64_t> ReadNumber(const std::string& s, size_t* i) {
  SkipSpace(s, i);
  if (*i >= s.size() || !IsDigit(s[*i])) return std::nullopt;
  uint64_t v = 0;
  while (*i < s.size() && IsDigit(s[*i])) {
    v = v * 10 + static_cast<uint64_t>(s[*i] - '0');
    if (v > (1ull << 40)) return std::nullopt;
    ++*i;
  }
  return v;
}

struct Ref {
  uint64_t number = 0, generation = 0;
};

// "N G R" at *i (after spaces); *i moves past it on success only.
std::optional<Ref> ReadRef(const std::string& s, size_t* i) {
  size_t j = *i;
  const auto n = ReadNumber(s, &j);
  const auto g = n ? ReadNumber(s, &j) : std::nullopt;
  if (!g) return std::nullopt;
  SkipSpace(s, &j);
  if (j >= s.size() || s[j] != 'R') return std::nullopt;
  *i = j + 1;
  return Ref{*n, *g};
}

// The newest "N G obj" (incremental updates append newer versions): the
// position just past "obj", or npos.
size_t FindObject(const std::string& pdf, Ref ref) {
  const std::string head = std::to_string(ref.number) + " " + std::to_string(ref.generation) + " obj";
  for (size_t at = pdf.rfind(head); at != std::string::npos;
       at = at == 0 ? std::string::npos : pdf.rfind(head, at - 1)) {
    if (at == 0 || !IsDigit(pdf[at - 1])) return at + head.size();
  }
  return std::string::npos;
}

// The object body from `start` to its "endobj" (or the file's end).
std::string Body(const std::string& pdf, size_t start) {
  const size_t end = pdf.find("endobj", start);
  return pdf.substr(start, (end == std::string::npos ? pdf.size() : end) - start);
}

// Where the value of `key` starts in a dictionary's text (the key followed by
// a delimiter, so /Length is not /Length1), or npos.
size_t FindKey(const std::string& dict, const std::string& key) {
  for (size_t at = dict.find(key); at != std::string::npos; at = dict.find(key, at + 1)) {
    const size_t after = at + key.size();
    if (after >= dict.size() || IsSpace(dict[after]) ||
        std::string("[(</").find(dict[after]) != std::string::npos)
      return after;
  }
  return std::string::npos;
}

std::optional<uint64_t> ResolveInteger(const std::string& pdf, const std::string& dict, size_t at) {
  size_t i = at;
  if (const auto ref = ReadRef(dict, &i)) {
    const size_t obj = FindObject(pdf, *ref);
    if (obj == std::string::npos) return std::nullopt;
    size_t k = obj;
    return ReadNumber(pdf, &k);
  }
  return ReadNumber(dict, &i);
}

// The bytes of the stream object `ref`, or why not.
std::optional<std::string> ReadStream(const std::string& pdf, Ref ref, std::string* why) {
  const size_t obj = FindObject(pdf, ref);
  if (obj == std::string::npos) {
    *why = "object " + std::to_string(ref.number) + " not found (inside an object stream?)";
    return std::nullopt;
  }
  const size_t stream = pdf.find("stream", obj);
  const size_t endobj = pdf.find("endobj", obj);
  if (stream == std::string::npos || (endobj != std::string::npos && endobj < stream)) {
    *why = "object " + std::to_string(ref.number) + " is not a stream";
    return std::nullopt;
  }
  const std::string dict = pdf.substr(obj, stream - obj);
  if (FindKey(dict, "/Filter") != std::string::npos) {
    *why = "object " + std::to_string(ref.number) + " is a filtered stream (not read)";
    return std::nullopt;
  }
  const size_t length_at = FindKey(dict, "/Length");
  const auto length = length_at == std::string::npos ? std::nullopt : ResolveInteger(pdf, dict, length_at);
  size_t data = stream + 6;
  if (data < pdf.size() && pdf[data] == '\r') ++data;
  if (data < pdf.size() && pdf[data] == '\n') ++data;
  if (!length || *length > kMaxStreamBytes || *length > pdf.size() - data) {
    *why = "object " + std::to_string(ref.number) + " has no usable /Length";
    return std::nullopt;
  }
  return pdf.substr(data, *length);
}

// The references of the array value at `at` in `dict`: inline "[...]" or "N G R" of an array object.
std::vector<Ref> ArrayRefs(const std::string& pdf, const std::string& dict, size_t at) {
  std::string text = dict;
  size_t i = at;
  if (const auto ref = ReadRef(dict, &i)) {
    const size_t obj = FindObject(pdf, *ref);
    if (obj == std::string::npos) return {};
    text = Body(pdf, obj);
    i = 0;
  } else {
    i = at;
  }
  SkipSpace(text, &i);
  if (i >= text.size() || text[i] != '[') return {};
  ++i;
  std::vector<Ref> refs;
  while (refs.size() < kMaxEntries) {
    const auto ref = ReadRef(text, &i);
    if (!ref) break;
    refs.push_back(*ref);
  }
  return refs;
}

}  // namespace

DssContents ReadDss(const std::string& pdf) {
  DssContents out;
  std::optional<Ref> dss;
  static const std::string kKey = "/DSS";
  for (size_t at = pdf.find(kKey); at != std::string::npos; at = pdf.find(kKey, at + 1)) {
    size_t i = at + kKey.size();
    if (const auto ref = ReadRef(pdf, &i)) dss = ref;  // the last one is the newest catalog's
  }
  if (!dss) return out;
  const size_t obj = FindObject(pdf, *dss);
  if (obj == std::string::npos) {
    out.unreadable.push_back("the DSS object " + std::to_string(dss->number) + " was not found");
    return out;
  }
  out.present = true;
  out.offset = obj;
  const std::string dict = Body(pdf, obj);
  const std::pair<const char*, std::vector<std::string>*> arrays[] = {
      {"/Certs", &out.certs}, {"/OCSPs", &out.ocsps}, {"/CRLs", &out.crls}};
  for (const auto& [key, into] : arrays) {
    const size_t at = FindKey(dict, key);
    if (at == std::string::npos) continue;
    for (const Ref& ref : ArrayRefs(pdf, dict, at)) {
      std::string why;
      if (auto bytes = ReadStream(pdf, ref, &why))
        into->push_back(std::move(*bytes));
      else
        out.unreadable.push_back(std::string("DSS ") + key + ": " + why);
    }
  }
  return out;
}

}  // namespace sohoa
