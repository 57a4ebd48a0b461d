// What the ledger indexes about one record besides its row (issue 22): the
// bags its outputs lie in (so a bag is closed by a per-bag query, not by
// reading every record) and the persons it is about (so `sohoa find --name`
// is an index lookup). Both ledgers derive these from the record's details
// JSON with this one function whenever details are written, and once for
// the existing rows when the schema gains these tables.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sohoa {

struct RecordPerson {
  std::string name_key;    // NameSearchKey of the name field (pipeline/core/text_fold.h)
  std::string birth_date;  // YYYY-MM-DD as extracted; "" when not read
};

struct RecordIndexEntries {
  std::vector<std::string> bags;  // distinct, sorted
  std::vector<RecordPerson> persons;
};

// The persons a record is about are its name fields `ho_ten<suffix>` that have
// a birth date `ngay_sinh<suffix>` or a personal ID `so_dinh_danh<suffix>`
// beside them: the registered person, or each spouse — never the parents
// named on a birth certificate. Details that are not JSON give nothing.
RecordIndexEntries IndexEntriesOf(const std::string& details_json);

// The "value" of fields[key] in a record's details ("fields" object); "" if none.
std::string ExtractedValue(const nlohmann::json& fields, const std::string& key);

// The paths a content was seen under, oldest first (then by path), from the
// ledgers' JSON aggregate of [first_seen, path] pairs; [] for anything else.
std::vector<std::string> SourcesFromPairs(const std::string& pairs_json);

}  // namespace sohoa
