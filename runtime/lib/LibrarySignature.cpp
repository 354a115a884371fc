//===- LibrarySignature.cpp - The trailer of libraries from fx-compile ----===//
#include "fxmlir/Runtime/LibrarySignature.h"
#include "fxmlir/Runtime/Tensor.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <vector>

namespace fxmlir {

static const char kMagic[8] = {'F', 'X', 'L', 'I', 'B', 0, 0, 1};
static constexpr size_t kTrailerSize = 24;

static void putLittleEndian(char *out, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    out[i] = (char)(v >> (8 * i));
}

static uint64_t getLittleEndian(const char *in) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i)
    v |= (uint64_t)(unsigned char)in[i] << (8 * i);
  return v;
}

/// Hashes the next `size` bytes of `in`, 8 at a time: each step (h ^ word) * odd is a
/// bijection of h, so any one changed word changes the result; a final mix spreads the bits.
static uint64_t hashImage(std::istream &in, uint64_t size, const std::string &path) {
  const uint64_t kPrime = 0x9E3779B97F4A7C15ull;
  uint64_t h = 0xCBF29CE484222325ull ^ size;
  std::vector<char> chunk(1 << 20);
  for (uint64_t left = size; left > 0;) {
    size_t n = (size_t)std::min<uint64_t>(left, chunk.size());
    if (!in.read(chunk.data(), (std::streamsize)n))
      throw OpError("cannot read '" + path + "': " + std::strerror(errno));
    std::memset(chunk.data() + n, 0, (8 - n % 8) % 8); // the last word, zero-padded
    for (size_t i = 0; i < n; i += 8)
      h = (h ^ getLittleEndian(chunk.data() + i)) * kPrime;
    left -= n;
  }
  h ^= h >> 32;
  h *= kPrime;
  return h ^ (h >> 29);
}

static uint64_t fileSize(std::ifstream &in) {
  in.seekg(0, std::ios::end);
  uint64_t size = (uint64_t)in.tellg();
  in.seekg(0);
  return size;
}

void signLibrary(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw OpError("cannot read '" + path + "': " + std::strerror(errno));
  uint64_t size = fileSize(in);
  char trailer[kTrailerSize];
  std::memcpy(trailer, kMagic, 8);
  putLittleEndian(trailer + 8, size);
  putLittleEndian(trailer + 16, hashImage(in, size, path));
  in.close();
  std::ofstream out(path, std::ios::binary | std::ios::app);
  if (!out.write(trailer, kTrailerSize) || !out.flush())
    throw OpError("cannot write '" + path + "': " + std::strerror(errno));
}

void checkLibrarySignature(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw OpError("cannot load '" + path + "': " + std::strerror(errno));
  uint64_t size = fileSize(in);
  char trailer[kTrailerSize];
  if (size < kTrailerSize || !in.seekg((std::streamoff)(size - kTrailerSize)) ||
      !in.read(trailer, kTrailerSize) || std::memcmp(trailer, kMagic, 8) != 0)
    throw OpError("'" + path +
                  "' is not a library from fx-compile (no fx-compile trailer at "
                  "its end; a library that was cut short loses it too)");
  uint64_t imageSize = getLittleEndian(trailer + 8);
  if (imageSize != size - kTrailerSize)
    throw OpError("'" + path + "' is corrupted: its trailer gives " + std::to_string(imageSize) +
                  " bytes of library, the file holds " + std::to_string(size - kTrailerSize));
  in.seekg(0);
  if (hashImage(in, imageSize, path) != getLittleEndian(trailer + 16))
    throw OpError("'" + path +
                  "' is corrupted: checksum mismatch (the library changed after "
                  "fx-compile wrote it)");
}

} // namespace fxmlir
