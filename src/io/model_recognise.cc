// What a file that is not an nnfit model looks like (see model_recognise.h).
#include "io/model_recognise.h"

#include <algorithm>

namespace nnfit::io {
namespace {

constexpr std::string_view kJsonBlank = " \t\r\n";
constexpr std::string_view kMarker = "\"nnfit-model\"";
// How every file nnfit writes begins (the header's keys are sorted, "architecture" first).
constexpr std::string_view kOpening = "{\n  \"architecture\"";

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Control bytes other than tab, CR, LF (and any NUL) in the first 4 KB: not text.
bool looks_binary(std::string_view text) {
  const std::string_view head = text.substr(0, 4096);
  const auto control = std::count_if(head.begin(), head.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 && u != '\t' && u != '\r' && u != '\n';
  });
  return head.find('\0') != std::string_view::npos || control * 20 > static_cast<long>(head.size());
}

// The first line, cut to 60 characters.
std::string first_line(std::string_view text) {
  std::string_view line = text.substr(0, text.find_first_of("\r\n"));
  std::string out(line.substr(0, 60));
  if (line.size() > 60) out += "...";
  return out;
}

std::string json_kind(const nlohmann::json& j) {
  if (!j.is_object()) return std::string("a JSON ") + j.type_name() + ", not an object";
  const auto format = j.find("format");
  if (format == j.end()) return "JSON without \"format\": \"nnfit-model\"";
  return "JSON with \"format\": " + format->dump();
}

}  // namespace

std::string unrecognised_model(std::string_view text, const nlohmann::json* parsed) {
  if (parsed != nullptr) {
    return parsed->is_object() && parsed->value("format", nlohmann::json()) == "nnfit-model"
               ? ""
               : json_kind(*parsed);
  }
  if (text.find_first_not_of(kJsonBlank) == std::string_view::npos) {
    return text.empty() ? "an empty file" : "a file of blank space";
  }
  if (starts_with(text,
                  "\x7f"
                  "ELF"))
    return "an executable (ELF)";
  if (starts_with(text, "#!")) return "a script, first line '" + first_line(text) + "'";
  if (looks_binary(text)) return "binary data";
  const std::string_view body = text.substr(text.find_first_not_of(kJsonBlank));
  if (body[0] == '{' || body[0] == '[') {
    if (starts_with(text, kOpening) || text.find(kMarker) != std::string_view::npos) return "";
    return "JSON-like text that does not parse and has no \"format\": \"nnfit-model\"";
  }
  const std::string_view line = body.substr(0, body.find_first_of("\r\n"));
  const bool delimited = line.find_first_of(",;\t|") != std::string_view::npos;
  return (delimited ? "CSV text, first line '" : "text, first line '") + first_line(body) + "'";
}

}  // namespace nnfit::io
