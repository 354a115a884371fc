//===- Indexing.cpp - index_select, gather, flip, roll, ... ---------------===//
#include "KernelUtils.h"

namespace fxmlir {

void registerIndexingOps(Registry &r) {}

} // namespace fxmlir
