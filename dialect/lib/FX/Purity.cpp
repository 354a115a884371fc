//===- Purity.cpp - Which nodes have side effects -------------------------===//
#include "fxmlir/Dialect/FX/Purity.h"

#include "llvm/ADT/StringSet.h"

using namespace mlir;

bool mlir::fx::isImpureCall(llvm::StringRef opcode, llvm::StringRef target) {
  // torch.fx's _side_effectful_functions, plus the obvious Python-level effects.
  static const llvm::StringSet<> impureFunctions = {
      "torch._assert", "torch._assert_async", "torch.ops.aten._assert_async.msg",
      "torch.ops.aten.sym_constrain_range.default", "torch.manual_seed", "print",
      "builtins.print", "operator.setitem", "operator.delitem", "_operator.setitem",
      "torch.cuda.synchronize", "torch._C._set_grad_enabled"};
  if (opcode == "call_function")
    return impureFunctions.contains(target);
  if (opcode == "call_method")
    return target.size() > 1 && target.ends_with("_") && !target.ends_with("__");
  return false;
}
