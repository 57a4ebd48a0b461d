#include "stages/pdf/pdf_metadata.h"

#include <openssl/sha.h>

#include <cstdio>
#include <ctime>
#include <set>

#include "pipeline/core/text_safety.h"

namespace sohoa {
namespace {

const std::set<std::string>& ReservedPrefixes() {
  static const std::set<std::string> kReserved = {"dc",           "xmp", "pdf", "pdfaid",        "xmpMM",
                                                  "rdf",          "x",   "xml", "pdfaExtension", "pdfaSchema",
                                                  "pdfaProperty", "ns"};
  return kReserved;
}

bool IsXmlName(const std::string& name) {
  if (name.empty()) return false;
  auto start_ok = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  if (!start_ok(name[0])) return false;
  for (char c : name) {
    if (!start_ok(c) && !(c >= '0' && c <= '9') && c != '-' && c != '.') return false;
  }
  return true;
}

// Escapes text for element content and attribute values. Characters XML 1.0
// forbids (controls, U+FFFE/U+FFFF, broken UTF-8) become U+FFFD first: a value
// from OCR, a register or a person never makes the packet ill-formed.
std::string Escape(const std::string& text) {
  const std::string safe = XmlSafeText(text);
  std::string out;
  out.reserve(safe.size());
  for (char c : safe) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

struct BrokenDown {
  int year, month, day, hour, minute, second;
};

BrokenDown Local(int64_t unix_seconds, int utc_offset_minutes) {
  time_t shifted = static_cast<time_t>(unix_seconds + int64_t{utc_offset_minutes} * 60);
  struct tm tm_utc;
  gmtime_r(&shifted, &tm_utc);
  return {tm_utc.tm_year + 1900, tm_utc.tm_mon + 1, tm_utc.tm_mday,
          tm_utc.tm_hour,        tm_utc.tm_min,     tm_utc.tm_sec};
}

}  // namespace

std::string PdfDate(int64_t unix_seconds, int utc_offset_minutes) {
  BrokenDown t = Local(unix_seconds, utc_offset_minutes);
  const int off = utc_offset_minutes < 0 ? -utc_offset_minutes : utc_offset_minutes;
  char buf[64];
  std::snprintf(buf, sizeof buf, "D:%04d%02d%02d%02d%02d%02d%c%02d'%02d'", t.year, t.month, t.day, t.hour,
                t.minute, t.second, utc_offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}

std::string XmpDate(int64_t unix_seconds, int utc_offset_minutes) {
  BrokenDown t = Local(unix_seconds, utc_offset_minutes);
  const int off = utc_offset_minutes < 0 ? -utc_offset_minutes : utc_offset_minutes;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", t.year, t.month, t.day, t.hour,
                t.minute, t.second, utc_offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}

std::string UuidFromSeed(const std::string& seed) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(seed.data()), seed.size(), digest);
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0f) | 0x50);  // version 5 style
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3f) | 0x80);  // RFC 4122 variant
  static const char kHex[] = "0123456789abcdef";
  std::string out = "uuid:";
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

StatusOr<std::vector<XmpProperty>> ExtraXmpPropertiesFromMetadata(
    const std::map<std::string, std::string>& metadata) {
  std::map<std::string, std::string> namespaces;
  for (const auto& [key, value] : metadata) {
    if (key.rfind("xmp:ns:", 0) == 0) namespaces[key.substr(7)] = value;
  }
  std::vector<XmpProperty> out;
  for (const auto& [key, value] : metadata) {
    if (key.rfind("xmp:", 0) != 0 || key.rfind("xmp:ns:", 0) == 0) continue;
    const std::string rest = key.substr(4);
    const size_t colon = rest.find(':');
    if (colon == std::string::npos) {
      return Status::InvalidInput("metadata key '" + key + "' is not xmp:<prefix>:<name>");
    }
    XmpProperty property{rest.substr(0, colon), "", rest.substr(colon + 1), value};
    auto ns = namespaces.find(property.prefix);
    if (ns == namespaces.end() || ns->second.empty()) {
      return Status::InvalidInput("metadata key '" + key +
                                  "' has no namespace: add 'xmp:ns:" + property.prefix + "'");
    }
    property.ns_uri = ns->second;
    out.push_back(std::move(property));
  }
  return out;
}

StatusOr<std::string> BuildXmp(const XmpFields& f) {
  // Group the extras by prefix, checking them before writing anything.
  std::map<std::string, std::pair<std::string, std::vector<const XmpProperty*>>> schemas;
  for (const XmpProperty& p : f.extra) {
    if (ReservedPrefixes().count(p.prefix)) {
      return Status::InvalidInput("XMP prefix '" + p.prefix + "' is reserved (property " + p.name + ")");
    }
    if (!IsXmlName(p.prefix) || !IsXmlName(p.name)) {
      return Status::InvalidInput("XMP property '" + p.prefix + ":" + p.name + "' is not a valid XML name");
    }
    if (p.ns_uri.empty()) {
      return Status::InvalidInput("XMP property '" + p.prefix + ":" + p.name + "' has no namespace URI");
    }
    auto& schema = schemas[p.prefix];
    if (!schema.first.empty() && schema.first != p.ns_uri) {
      return Status::InvalidInput("XMP prefix '" + p.prefix + "' bound to two namespaces");
    }
    schema.first = p.ns_uri;
    schema.second.push_back(&p);
  }

  std::string x;
  x += "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n";
  x += "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n";
  x += "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n";

  x += "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n";
  x += "<pdfaid:part>" + std::to_string(f.pdfa_part) + "</pdfaid:part>\n";
  x += "<pdfaid:conformance>" + Escape(f.pdfa_conformance) + "</pdfaid:conformance>\n";
  x += "</rdf:Description>\n";

  x += "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n";
  x += "<dc:format>application/pdf</dc:format>\n";
  x += "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" + Escape(f.title) +
       "</rdf:li></rdf:Alt></dc:title>\n";
  x += "</rdf:Description>\n";

  x += "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n";
  x += "<xmp:CreateDate>" + Escape(f.create_date) + "</xmp:CreateDate>\n";
  x += "<xmp:ModifyDate>" + Escape(f.modify_date) + "</xmp:ModifyDate>\n";
  x += "<xmp:MetadataDate>" + Escape(f.modify_date) + "</xmp:MetadataDate>\n";
  x += "<xmp:CreatorTool>" + Escape(f.creator_tool) + "</xmp:CreatorTool>\n";
  x += "</rdf:Description>\n";

  x += "<rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n";
  x += "<pdf:Producer>" + Escape(f.producer) + "</pdf:Producer>\n";
  x += "</rdf:Description>\n";

  x += "<rdf:Description rdf:about=\"\" xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\">\n";
  x += "<xmpMM:DocumentID>" + Escape(f.document_id) + "</xmpMM:DocumentID>\n";
  x += "<xmpMM:InstanceID>" + Escape(f.instance_id) + "</xmpMM:InstanceID>\n";
  x += "</rdf:Description>\n";

  if (!schemas.empty()) {
    // PDF/A: every schema outside the predefined ones must be described.
    x += "<rdf:Description rdf:about=\"\""
         " xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\""
         " xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\""
         " xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n";
    x += "<pdfaExtension:schemas><rdf:Bag>\n";
    for (const auto& [prefix, schema] : schemas) {
      x += "<rdf:li rdf:parseType=\"Resource\">\n";
      x += "<pdfaSchema:schema>" + Escape(prefix) + " properties</pdfaSchema:schema>\n";
      x += "<pdfaSchema:namespaceURI>" + Escape(schema.first) + "</pdfaSchema:namespaceURI>\n";
      x += "<pdfaSchema:prefix>" + Escape(prefix) + "</pdfaSchema:prefix>\n";
      x += "<pdfaSchema:property><rdf:Seq>\n";
      std::set<std::string> described;
      for (const XmpProperty* p : schema.second) {
        if (!described.insert(p->name).second) continue;
        x += "<rdf:li rdf:parseType=\"Resource\">";
        x += "<pdfaProperty:name>" + Escape(p->name) + "</pdfaProperty:name>";
        x += "<pdfaProperty:valueType>Text</pdfaProperty:valueType>";
        x += "<pdfaProperty:category>external</pdfaProperty:category>";
        x += "<pdfaProperty:description>" + Escape(p->name) + "</pdfaProperty:description>";
        x += "</rdf:li>\n";
      }
      x += "</rdf:Seq></pdfaSchema:property>\n";
      x += "</rdf:li>\n";
    }
    x += "</rdf:Bag></pdfaExtension:schemas>\n";
    x += "</rdf:Description>\n";

    for (const auto& [prefix, schema] : schemas) {
      x += "<rdf:Description rdf:about=\"\" xmlns:" + prefix + "=\"" + Escape(schema.first) + "\">\n";
      for (const XmpProperty* p : schema.second) {
        x += "<" + prefix + ":" + p->name + ">" + Escape(p->value) + "</" + prefix + ":" + p->name + ">\n";
      }
      x += "</rdf:Description>\n";
    }
  }

  x += "</rdf:RDF>\n";
  x += "</x:xmpmeta>\n";
  // Room for an in-place edit by tools that want it (XMP spec recommends padding).
  for (int i = 0; i < 8; ++i) x += std::string(99, ' ') + "\n";
  x += "<?xpacket end=\"w\"?>";
  return x;
}

}  // namespace sohoa
