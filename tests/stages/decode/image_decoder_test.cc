// DecodeImage (libpng/libjpeg) against OpenCV's imdecode, which ingest used
// before: the same pixels for the cases scanners and phones produce (EXIF
// orientation, CMYK JPEG, palette PNG with transparency, gray PNG with tRNS),
// and damaged files refused with libpng's/libjpeg's reason.
#include "stages/decode/image_decoder.h"

#include <gtest/gtest.h>
#include <png.h>

#include <cstdio>  // jpeglib.h needs FILE first
#include <jpeglib.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

namespace sohoa {
namespace {

std::string Encode(const cv::Mat& m, const std::string& ext, std::vector<int> params = {}) {
  std::vector<uint8_t> out;
  EXPECT_TRUE(cv::imencode(ext, m, out, params));
  return std::string(out.begin(), out.end());
}

cv::Mat Pattern(int w, int h) {  // smooth and asymmetric: a wrong turn shows
  cv::Mat m(h, w, CV_8UC3);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      m.at<cv::Vec3b>(y, x) = cv::Vec3b((x * 5 + y) % 256, (y * 6 + 30) % 256, (x * 3 + y * 2 + 90) % 256);
    }
  }
  return m;
}

// DecodeImage's verdict on `bytes` (whose header must be readable).
Status DecodeStatus(const std::string& bytes, Raster* raster = nullptr) {
  StatusOr<ImageHeader> header = ReadImageHeader(bytes);
  EXPECT_TRUE(header.ok()) << header.status().ToString();
  if (!header.ok()) return header.status();
  Raster scratch;
  return DecodeImage(bytes, *header, raster != nullptr ? raster : &scratch);
}

Raster Decode(const std::string& bytes) {
  Raster r;
  const Status s = DecodeStatus(bytes, &r);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return r;
}

// Pixels that differ between our raster and OpenCV's BGR/gray Mat.
int Mismatches(const Raster& r, const cv::Mat& m) {
  if (r.width != m.cols || r.height != m.rows || r.channels() != m.channels()) return -1;
  int bad = 0;
  for (int y = 0; y < m.rows; ++y) {
    for (int x = 0; x < m.cols; ++x) {
      for (int c = 0; c < m.channels(); ++c) {
        const int theirs = m.ptr<uint8_t>(y)[x * m.channels() + (m.channels() == 3 ? 2 - c : c)];
        bad += r.row(y)[x * r.channels() + c] != theirs;
      }
    }
  }
  return bad;
}

// An "Exif\0\0" APP1 segment (little-endian TIFF) with only Orientation.
std::string ExifApp1(int orientation) {
  std::string tiff("II*\0\x08\0\0\0", 8);
  tiff += std::string("\x01\0", 2);                                    // one entry
  tiff += std::string("\x12\x01\x03\0\x01\0\0\0", 8);                  // 0x0112 SHORT x1
  tiff += std::string(1, static_cast<char>(orientation)) + std::string("\0\0\0", 3);
  tiff += std::string("\0\0\0\0", 4);                                  // no next IFD
  const std::string body = std::string("Exif\0\0", 6) + tiff;
  const size_t length = body.size() + 2;
  return std::string("\xFF\xE1", 2) + static_cast<char>(length >> 8) + static_cast<char>(length & 0xFF) + body;
}

TEST(ImageDecoderTest, JpegExifOrientationTurnsAsOpenCvDid) {
  const std::string plain = Encode(Pattern(24, 16), ".jpg", {cv::IMWRITE_JPEG_QUALITY, 95});
  for (int orientation = 1; orientation <= 8; ++orientation) {
    std::string jpeg = plain;
    jpeg.insert(2, ExifApp1(orientation));  // right after SOI
    const cv::Mat theirs = cv::imdecode(std::vector<uint8_t>(jpeg.begin(), jpeg.end()), cv::IMREAD_COLOR);
    ASSERT_EQ(theirs.cols, orientation >= 5 ? 16 : 24) << orientation;
    const Raster ours = Decode(jpeg);
    EXPECT_EQ(Mismatches(ours, theirs), 0) << "orientation " << orientation;
  }
}

TEST(ImageDecoderTest, JpegGrayAndColourArePixelForPixelOpenCvs) {
  cv::Mat gray;
  cv::extractChannel(Pattern(40, 30), gray, 1);
  for (const cv::Mat& m : {gray, Pattern(40, 30)}) {
    const std::string jpeg = Encode(m, ".jpg", {cv::IMWRITE_JPEG_QUALITY, 80});
    const cv::Mat theirs = cv::imdecode(std::vector<uint8_t>(jpeg.begin(), jpeg.end()),
                                        cv::IMREAD_ANYCOLOR | cv::IMREAD_ANYDEPTH);
    EXPECT_EQ(Mismatches(Decode(jpeg), theirs), 0) << m.channels();
  }
}

std::string CmykJpeg(int w, int h) {
  jpeg_compress_struct cinfo;
  jpeg_error_mgr err;
  cinfo.err = jpeg_std_error(&err);
  jpeg_create_compress(&cinfo);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&cinfo, &buffer, &size);
  cinfo.image_width = w;
  cinfo.image_height = h;
  cinfo.input_components = 4;
  cinfo.in_color_space = JCS_CMYK;
  jpeg_set_defaults(&cinfo);
  jpeg_start_compress(&cinfo, TRUE);
  std::vector<uint8_t> row(4 * w);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      row[4 * x] = (x * 9) % 256;
      row[4 * x + 1] = (y * 11) % 256;
      row[4 * x + 2] = 200;
      row[4 * x + 3] = (x + y) * 4 % 256;
    }
    JSAMPROW p = row.data();
    jpeg_write_scanlines(&cinfo, &p, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  std::string out(reinterpret_cast<char*>(buffer), size);
  free(buffer);
  return out;
}

TEST(ImageDecoderTest, CmykJpegBecomesRgbAsOpenCvDid) {
  const std::string jpeg = CmykJpeg(32, 20);
  const cv::Mat theirs = cv::imdecode(std::vector<uint8_t>(jpeg.begin(), jpeg.end()),
                                      cv::IMREAD_ANYCOLOR | cv::IMREAD_ANYDEPTH);
  ASSERT_EQ(theirs.channels(), 3);
  const Raster ours = Decode(jpeg);
  EXPECT_EQ(ours.kind, PixelKind::kRgb);
  EXPECT_EQ(Mismatches(ours, theirs), 0);
}

void AppendToString(png_structp png, png_bytep data, size_t length) {
  static_cast<std::string*>(png_get_io_ptr(png))->append(reinterpret_cast<char*>(data), length);
}

// A PNG written with libpng: `rows` of packed samples of `color_type`.
std::string WritePng(int w, int h, int color_type, int depth, const std::vector<uint8_t>& samples,
                     const std::vector<png_color>& palette = {}, const std::vector<png_byte>& trns = {},
                     const png_color_16* trns_color = nullptr) {
  std::string out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  png_set_write_fn(png, &out, &AppendToString, nullptr);
  png_set_IHDR(png, info, w, h, depth, color_type, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  if (!palette.empty()) png_set_PLTE(png, info, palette.data(), static_cast<int>(palette.size()));
  if (!trns.empty() || trns_color != nullptr) {
    png_set_tRNS(png, info, trns.empty() ? nullptr : trns.data(), static_cast<int>(trns.size()), trns_color);
  }
  png_write_info(png, info);
  const size_t stride = samples.size() / h;
  for (int y = 0; y < h; ++y) png_write_row(png, samples.data() + stride * y);
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

TEST(ImageDecoderTest, PalettePngTransparencyIsCompositedOnWhite) {
  const std::vector<png_color> palette = {{255, 0, 0}, {0, 128, 0}, {0, 0, 255}, {10, 20, 30}};
  const std::string png = WritePng(4, 1, PNG_COLOR_TYPE_PALETTE, 8, {0, 1, 2, 3}, palette, {0, 255, 128});
  const Raster r = Decode(png);
  ASSERT_EQ(r.kind, PixelKind::kRgb);
  // Transparent red -> white; opaque green; half blue; entry 3 beyond tRNS: opaque.
  EXPECT_EQ(std::vector<uint8_t>(r.pixels.begin(), r.pixels.end()),
            (std::vector<uint8_t>{255, 255, 255, 0, 128, 0, 127, 127, 255, 10, 20, 30}));
}

TEST(ImageDecoderTest, GrayPngTransparentColourIsIgnoredAsOpenCvDid) {
  png_color_16 transparent{};
  transparent.gray = 3;  // 2-bit gray: white is transparent
  // 2-bit samples 0 1 2 3, packed in one byte.
  const std::string png = WritePng(4, 1, PNG_COLOR_TYPE_GRAY, 2, {0x1B}, {}, {}, &transparent);
  const cv::Mat theirs = cv::imdecode(std::vector<uint8_t>(png.begin(), png.end()), cv::IMREAD_UNCHANGED);
  ASSERT_EQ(theirs.channels(), 1);
  const Raster r = Decode(png);
  EXPECT_EQ(r.kind, PixelKind::kGray);
  EXPECT_EQ(Mismatches(r, theirs), 0);
  EXPECT_EQ(std::vector<uint8_t>(r.pixels.begin(), r.pixels.end()), (std::vector<uint8_t>{0, 85, 170, 255}));
}

TEST(ImageDecoderTest, Png16BitRgbWithAlphaRoundsThenComposites) {
  // One pixel: R 65535, G 32896 (128.0 after rounding), B 0, alpha 65535 (opaque).
  const std::vector<uint8_t> be = {0xFF, 0xFF, 0x80, 0x80, 0x00, 0x00, 0xFF, 0xFF};
  const Raster r = Decode(WritePng(1, 1, PNG_COLOR_TYPE_RGB_ALPHA, 16, be));
  EXPECT_EQ(std::vector<uint8_t>(r.pixels.begin(), r.pixels.end()), (std::vector<uint8_t>{255, 128, 0}));
}

TEST(ImageDecoderTest, DamagedPngIsRefusedWithLibpngsReason) {
  std::string png = Encode(Pattern(40, 30), ".png");
  png[29] ^= 0x5A;  // IHDR's CRC
  const Status s = DecodeStatus(png);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(s.message().rfind("cannot decode the PNG data (damaged or truncated file): ", 0), 0u) << s.message();
  EXPECT_NE(s.message().find("CRC"), std::string::npos) << s.message();
}

TEST(ImageDecoderTest, DamagedJpegIsFoundInTheSameDecode) {
  std::string jpeg = Encode(Pattern(200, 150), ".jpg", {cv::IMWRITE_JPEG_QUALITY, 90});
  for (size_t i = jpeg.size() / 2; i < jpeg.size() / 2 + 400; ++i) jpeg[i] = static_cast<char>(i * 37);
  const Status s = DecodeStatus(jpeg);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(s.message().rfind("damaged JPEG data: Corrupt JPEG data", 0), 0u) << s.message();
}

}  // namespace
}  // namespace sohoa
