//===- InitAllPasses.h - Every FX-MLIR pass and pipeline ---------*- C++ -*-===//
//
// What fx-opt registers, as mlir/InitAllPasses.h does upstream: the passes of each level
// (graph transforms, conversion, codegen per target) and the two lowering pipelines.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_INITALLPASSES_H
#define FXMLIR_INITALLPASSES_H

#include "fxmlir/Codegen/CPU/Passes.h"
#include "fxmlir/Codegen/CPU/Pipeline.h"
#include "fxmlir/Codegen/Common/Passes.h"
#include "fxmlir/Codegen/GPU/Passes.h"
#include "fxmlir/Codegen/GPU/Pipeline.h"
#include "fxmlir/Conversion/Passes.h"
#include "fxmlir/Transforms/Passes.h"

namespace mlir::fx {

/// Registers every fx pass and pipeline with the global registry (for textual pipelines).
inline void registerAllFxPasses() {
  registerFxTransformsPasses();
  registerFxConversionPasses();
  registerFxCodegenCommonPasses();
  registerFxCodegenCPUPasses();
  registerFxCodegenGPUPasses();
  registerLowerToCpuPipeline();
  registerLowerToCudaPipeline();
}

} // namespace mlir::fx

#endif
