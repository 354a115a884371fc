//===- LoweringTable.cpp - Lowerings by name ------------------------------===//
#include "fxmlir/Conversion/FxToLinalg/Lowering.h"

#include "llvm/Support/ErrorHandling.h"

namespace fxmlir {

const LoweringTable &LoweringTable::get() {
  static const LoweringTable *table = [] {
    auto *t = new LoweringTable();
    populateElementwiseLowerings(*t);
    populateLinearAlgebraLowerings(*t);
    populateConvolutionAndPoolingLowerings(*t);
    populateNormalizationLowerings(*t);
    populateShapeLowerings(*t);
    populateReductionAndCreationLowerings(*t);
    populateIndexingLowerings(*t);
    return t;
  }();
  return *table;
}

void LoweringTable::add(const std::string &name, Lowering lowering) {
  if (!byName.emplace(name, std::move(lowering)).second)
    llvm::report_fatal_error(llvm::Twine("lowering '") + name + "' is registered twice");
}

const Lowering *LoweringTable::lookup(const std::string &name) const {
  auto it = byName.find(name);
  return it == byName.end() ? nullptr : &it->second;
}

std::vector<std::string> LoweringTable::names() const {
  std::vector<std::string> out;
  for (const auto &entry : byName)
    out.push_back(entry.first);
  return out;
}

} // namespace fxmlir
