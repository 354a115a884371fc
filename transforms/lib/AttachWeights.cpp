//===- AttachWeights.cpp - fx-attach-weights ------------------------------===//
//
// Maps a raw weights file (the importer's fast path) and points each dense_resource blob the
// module references into it, without copying.
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Transforms/Passes.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>

namespace mlir::fx {
#define GEN_PASS_DEF_FXATTACHWEIGHTS
#include "fxmlir/Transforms/Passes.h.inc"
} // namespace mlir::fx

using namespace mlir;

namespace {
/// The trailer: "FXWEIGHTS1 " and the index's offset in 20 digits, then a newline.
constexpr size_t trailerSize = 32;

struct WeightEntry {
  StringRef key;
  uint64_t offset, size, align;
};

/// The index of a weights file, or a message saying what is wrong with it.
static FailureOr<std::vector<WeightEntry>> readIndex(StringRef bytes, std::string &error) {
  StringRef trailer = bytes.size() >= trailerSize ? bytes.take_back(trailerSize) : "";
  uint64_t indexStart;
  if (!trailer.consume_front("FXWEIGHTS1 ") || trailer.trim().getAsInteger(10, indexStart) ||
      indexStart > bytes.size() - trailerSize) {
    error = "not a weights file written by fx-import-torch (no FXWEIGHTS1 trailer)";
    return failure();
  }
  std::vector<WeightEntry> entries;
  StringRef index = bytes.slice(indexStart, bytes.size() - trailerSize);
  while (!index.empty()) {
    auto [line, rest] = index.split('\n');
    index = rest;
    SmallVector<StringRef, 4> fields;
    line.split(fields, '\t');
    WeightEntry e;
    if (fields.size() != 4 || fields[1].getAsInteger(10, e.offset) ||
        fields[2].getAsInteger(10, e.size) || fields[3].getAsInteger(10, e.align) ||
        e.offset + e.size > indexStart || e.align == 0 ||
        (e.align & (e.align - 1)) != 0 || e.offset % e.align != 0) {
      error = "malformed index entry '" + line.str() + "'";
      return failure();
    }
    e.key = fields[0];
    entries.push_back(e);
  }
  return entries;
}

struct AttachWeights : mlir::fx::impl::FxAttachWeightsBase<AttachWeights> {
  using Base::Base;

  void runOnOperation() override {
    auto buffer = llvm::MemoryBuffer::getFile(file, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
    if (!buffer) {
      getOperation().emitError("cannot read weights file '")
          << file << "': " << buffer.getError().message();
      return signalPassFailure();
    }
    // Every blob keeps the mapping alive; it goes when the last blob does.
    std::shared_ptr<llvm::MemoryBuffer> data(std::move(*buffer));
    StringRef bytes = data->getBuffer();
    std::string error;
    FailureOr<std::vector<WeightEntry>> entries = readIndex(bytes, error);
    if (failed(entries)) {
      getOperation().emitError("weights file '") << file << "': " << error;
      return signalPassFailure();
    }
    DialectResourceBlobManager &blobs =
        DenseResourceElementsHandle::getManagerInterface(&getContext()).getBlobManager();
    for (const WeightEntry &e : *entries) {
      if (!blobs.lookup(e.key))
        continue; // not referenced by this module
      ArrayRef<char> blob(bytes.data() + e.offset, e.size);
      blobs.update(e.key, UnmanagedAsmResourceBlob::allocateWithAlign(
                              blob, e.align, [data](void *, size_t, size_t) {}));
    }
  }
};
} // namespace
