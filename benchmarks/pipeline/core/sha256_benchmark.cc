// Cost of the content identity: SHA-256 (OpenSSL) over input-sized buffers,
// as the admit step hashes every input file and the archive step every
// output. Sizes: a G4 bilevel page (~60 KB), a JPEG colour page (~600 KB),
// a 300-dpi colour TIFF page uncompressed (~26 MB). Throughput is reported
// in bytes/s; compare with the ~1-2 s of OCR per page.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "pipeline/core/sha256.h"

namespace sohoa {
namespace {

void BM_Sha256(benchmark::State& state) {
  const size_t size = static_cast<size_t>(state.range(0));
  std::vector<uint8_t> data(size);
  uint32_t x = 2463534242u;  // xorshift: incompressible, deterministic
  for (auto& b : data) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    b = static_cast<uint8_t>(x);
  }
  for (auto _ : state) {
    Sha256 hasher;
    hasher.Update(data.data(), data.size());
    benchmark::DoNotOptimize(hasher.HexDigest());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(size));
}
BENCHMARK(BM_Sha256)->Arg(60 << 10)->Arg(600 << 10)->Arg(26 << 20)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sohoa
