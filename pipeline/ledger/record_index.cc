#include "pipeline/ledger/record_index.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "pipeline/core/archive_layout.h"
#include "pipeline/core/text_fold.h"

namespace sohoa {
namespace {

constexpr const char* kNamePrefix = "ho_ten";

}  // namespace

std::string ExtractedValue(const nlohmann::json& fields, const std::string& key) {
  auto it = fields.find(key);
  if (it == fields.end() || !it->is_object()) return "";
  auto value = it->find("value");
  return value != it->end() && value->is_string() ? value->get<std::string>() : "";
}

RecordIndexEntries IndexEntriesOf(const std::string& details_json) {
  RecordIndexEntries entries;
  const nlohmann::json details = nlohmann::json::parse(details_json, nullptr, false);
  if (!details.is_object()) return entries;
  std::set<std::string> bags;
  if (auto outputs = details.find("outputs"); outputs != details.end() && outputs->is_object()) {
    for (const auto& [role, out] : outputs->items()) {
      if (!out.is_object() || !out.contains("path") || !out["path"].is_string()) continue;
      std::string bag, relative;
      if (SplitArchivePath(out["path"].get<std::string>(), &bag, &relative)) bags.insert(bag);
    }
  }
  entries.bags.assign(bags.begin(), bags.end());
  auto fields = details.find("fields");
  if (fields == details.end() || !fields->is_object()) return entries;
  for (const auto& [key, field] : fields->items()) {
    if (key.rfind(kNamePrefix, 0) != 0) continue;
    const std::string suffix = key.substr(std::string(kNamePrefix).size());
    if (!suffix.empty() && suffix[0] != '_') continue;  // "ho_tenx" is no name field of ours
    if (!fields->contains("ngay_sinh" + suffix) && !fields->contains("so_dinh_danh" + suffix)) continue;
    RecordPerson person{NameSearchKey(ExtractedValue(*fields, key)),
                        ExtractedValue(*fields, "ngay_sinh" + suffix)};
    if (!person.name_key.empty()) entries.persons.push_back(std::move(person));
  }
  return entries;
}

std::vector<std::string> SourcesFromPairs(const std::string& pairs_json) {
  const nlohmann::json pairs = nlohmann::json::parse(pairs_json, nullptr, false);
  std::vector<std::pair<std::string, std::string>> seen;
  if (pairs.is_array()) {
    for (const nlohmann::json& p : pairs) {
      if (p.is_array() && p.size() == 2 && p[0].is_string() && p[1].is_string())
        seen.emplace_back(p[0].get<std::string>(), p[1].get<std::string>());
    }
  }
  std::sort(seen.begin(), seen.end());
  std::vector<std::string> paths;
  for (auto& [first_seen, path] : seen) paths.push_back(std::move(path));
  return paths;
}

}  // namespace sohoa
