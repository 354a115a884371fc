//===- GraphEditing.h - torch.fx's graph-surgery API on the fx dialect -*- C++ -*-===//
//
// What torch.fx users do with `graph.nodes`, `inserting_before`, `replace_all_uses_with`,
// `erase_node`, `update_arg` and `update_kwarg`, in terms of MLIR ops:
//
//   GraphOp graph = module.getForward();
//   for (Operation &op : llvm::make_early_inc_range(graph.getBodyBlock()))   // graph.nodes
//     if (auto call = dyn_cast<CallFunctionOp>(op); call && call.getTarget() == "torch.relu") {
//       OpBuilder b(call);                                                    // inserting_before
//       Value gelu = createCallFunction(b, graph, call.getType(), "torch.nn.functional.gelu",
//                                       getArgs(call));
//       call.getResult().replaceAllUsesWith(gelu);                            // replace_all_uses_with
//       (void)eraseNode(call);                                                // erase_node
//     }
//
// Arguments are read and written as `Arg` trees (NodeArgs.h): values and literals, nested.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_DIALECT_FX_GRAPHEDITING_H
#define FXMLIR_DIALECT_FX_GRAPHEDITING_H

#include "fxmlir/Dialect/FX/FXOps.h"

#include "mlir/IR/Builders.h"

namespace mlir::fx {

/// A node's positional arguments / keyword arguments as Arg trees.
std::vector<Arg> getArgs(Operation *node);
std::vector<std::pair<std::string, Arg>> getKwargs(Operation *node);

/// Replaces all arguments of a call node (operands and literal attributes together).
void setArgs(Operation *node, ArrayRef<Arg> args,
             ArrayRef<std::pair<std::string, Arg>> kwargs);
/// torch.fx's `node.update_arg(i, arg)` and `node.update_kwarg(key, arg)`.
LogicalResult updateArg(Operation *node, unsigned index, const Arg &arg);
void updateKwarg(Operation *node, StringRef key, const Arg &arg);

/// torch.fx's `erase_node`: fails with torch.fx's message if the node still has users.
LogicalResult eraseNode(Operation *node);

/// A name not yet used in `graph`, derived from `candidate` as torch.fx names nodes.
std::string uniqueNodeName(GraphOp graph, StringRef candidate);

/// New nodes, named after their target and made unique in `graph` (`add`, `add_1`, ...).
Value createCallFunction(OpBuilder &b, GraphOp graph, Type type, StringRef target,
                         ArrayRef<Arg> args, ArrayRef<std::pair<std::string, Arg>> kwargs = {});
Value createCallMethod(OpBuilder &b, GraphOp graph, Type type, StringRef target,
                       ArrayRef<Arg> args, ArrayRef<std::pair<std::string, Arg>> kwargs = {});
Value createCallModule(OpBuilder &b, GraphOp graph, Type type, StringRef target,
                       ArrayRef<Arg> args, ArrayRef<std::pair<std::string, Arg>> kwargs = {});
Value createGetAttr(OpBuilder &b, GraphOp graph, Type type, StringRef target);

/// Replaces every use of `value` by the literal `literal` in its users' arguments (how a value
/// known at compile time, such as a static size, is folded into its users).
void replaceAllUsesWithLiteral(Value value, Attribute literal);
/// Replaces every use of `value` by the argument tree `replacement` (values, literals, tuples)
/// in its users' arguments: how a node that stood for a tuple is replaced by its elements.
void replaceAllUsesWithArg(Value value, const Arg &replacement);

/// Decodes a literal tree into an Arg, taking values from `operands` (advancing `next`).
Arg decodeArg(Attribute literal, ValueRange operands, unsigned &next);

} // namespace mlir::fx

#endif
