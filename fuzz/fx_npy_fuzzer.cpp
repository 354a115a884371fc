//===- fx_npy_fuzzer.cpp - The .npy reader --------------------------------===//
//
// Bytes in: written to a file and read with fxmlir::readNpy. It either returns a tensor whose
// element count matches its shape or throws OpError with a reason; any other exception, or a
// crash, is a bug.
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Runtime/Npy.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

static const std::string &scratchPath() {
  static const std::string path = [] {
    const char *dir = std::getenv("TMPDIR");
    return std::string(dir ? dir : "/tmp") + "/fx-npy-fuzz-" + std::to_string(getpid()) + ".npy";
  }();
  return path;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string &path = scratchPath();
  FILE *file = std::fopen(path.c_str(), "wb");
  if (!file || std::fwrite(data, 1, size, file) != size || std::fclose(file) != 0)
    std::abort();
  try {
    fxmlir::Tensor tensor = fxmlir::readNpy(path);
    if (tensor.numel() != fxmlir::numElements(tensor.shape()))
      std::abort();
  } catch (const fxmlir::OpError &) {
  }
  std::remove(path.c_str());
  return 0;
}
