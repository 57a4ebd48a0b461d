#include "stages/signing/qr_code.h"

#include <qrencode.h>

#include <cerrno>
#include <cstring>

namespace sohoa {

StatusOr<QrMatrix> EncodeQr(const std::string& text) {
  constexpr int kQuiet = 4;
  QRcode* code = QRcode_encodeData(static_cast<int>(text.size()),
                                   reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M);
  if (code == nullptr) {
    return Status::InvalidInput("cannot encode a QR code of " + std::to_string(text.size()) +
                                " bytes: " + std::strerror(errno));
  }
  QrMatrix matrix;
  matrix.size = code->width + 2 * kQuiet;
  matrix.modules.assign(static_cast<size_t>(matrix.size) * matrix.size, 0);
  for (int y = 0; y < code->width; ++y) {
    for (int x = 0; x < code->width; ++x) {
      // Bit 0 of each libqrencode byte: 1 = dark module.
      matrix.modules[static_cast<size_t>(y + kQuiet) * matrix.size + x + kQuiet] =
          code->data[y * code->width + x] & 1;
    }
  }
  QRcode_free(code);
  return matrix;
}

}  // namespace sohoa
