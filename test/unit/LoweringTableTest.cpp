//===- LoweringTableTest.cpp - Registry entries name lowerings that exist -===//
#include "fxmlir/Conversion/FxToLinalg/Lowering.h"
#include "fxmlir/Ops/Registry.h"

#include <gtest/gtest.h>

#include <set>

using namespace fxmlir;

// The registry (no MLIR) names lowerings; the conversion defines them. Both sides must agree:
// a name without a lowering would make an op silently uncompilable, a lowering no entry names
// is dead code.
TEST(LoweringTable, EveryNameResolvesAndEveryLoweringIsNamed) {
  const LoweringTable &table = LoweringTable::get();
  std::set<std::string> named;
  for (const auto &op : Registry::get().ops()) {
    if (op->lowering.empty())
      continue;
    named.insert(op->lowering);
    EXPECT_NE(table.lookup(op->lowering), nullptr)
        << op->schema.name << " names lowering '" << op->lowering << "', which does not exist";
  }
  for (const std::string &name : table.names())
    EXPECT_TRUE(named.count(name)) << "lowering '" << name << "' is named by no registry entry";
}
