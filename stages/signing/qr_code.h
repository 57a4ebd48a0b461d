// QR codes (ISO/IEC 18004 = TCVN 7322) through libqrencode.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/core/status.h"

namespace sohoa {

struct QrMatrix {
  int size = 0;                  // modules per side, quiet zone included
  std::vector<uint8_t> modules;  // size*size, 1 = dark, rows from the top
};

// Encodes UTF-8 `text` in byte mode, error correction level M, smallest
// version that fits, with a 4-module quiet zone. kInvalidInput when the text
// is too long for a QR code.
StatusOr<QrMatrix> EncodeQr(const std::string& text);

}  // namespace sohoa
