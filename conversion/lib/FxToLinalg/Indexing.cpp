//===- Indexing.cpp - Lowerings of index_select, gather, flip, roll, ... --===//
#include "fxmlir/Conversion/FxToLinalg/Lowering.h"

namespace fxmlir {

void populateIndexingLowerings(LoweringTable &table) {}

} // namespace fxmlir
