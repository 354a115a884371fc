//===- FXTypes.cpp - Types of the fx dialect ------------------------------===//
// The type classes are generated and registered in FXDialect.cpp; nothing here needs custom
// code yet. This file keeps the one-file-per-concept layout.
#include "fxmlir/Dialect/FX/FXTypes.h"
