// The eight orientations TIFF's Orientation tag and EXIF's share (1 upright;
// 2..4 mirrored or turned half; 5..8 turned a quarter, width and height
// swapped): where the pixel (x, y) of the upright image lies in the stored
// one, `w` × `h`. Both decoders use it (tiff_decoder.cc, image_decoder.cc); it
// is the mapping OpenCV's imdecode applied to EXIF, so turned photos of pages
// come out as they always did.
#pragma once

namespace sohoa {

inline void StoredPosition(int orientation, int w, int h, int x, int y, int* sx, int* sy) {
  switch (orientation) {
    case 2: *sx = w - 1 - x; *sy = y; break;
    case 3: *sx = w - 1 - x; *sy = h - 1 - y; break;
    case 4: *sx = x; *sy = h - 1 - y; break;
    case 5: *sx = y; *sy = x; break;
    case 6: *sx = y; *sy = h - 1 - x; break;
    case 7: *sx = w - 1 - y; *sy = h - 1 - x; break;
    case 8: *sx = w - 1 - y; *sy = x; break;
    default: *sx = x; *sy = y; break;
  }
}

}  // namespace sohoa
