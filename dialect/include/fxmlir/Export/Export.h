//===- Export.h - fx graphs in torch.fx's own formats -----------*- C++ -*-===//
//
// Prints an fx.graph the way torch.fx shows a Graph to its users: `print(gm.graph)`,
// `gm.code`, and FxGraphDrawer's Graphviz picture.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_EXPORT_EXPORT_H
#define FXMLIR_EXPORT_EXPORT_H

#include "fxmlir/Dialect/FX/FXOps.h"

namespace mlir::fx {

/// Which PyTorch's `print(gm.graph)` to reproduce: 2.x writes `[num_users=N]`, 1.13 `[#users=N]`.
enum class GraphTextStyle { Torch2, Torch1 };

/// `print(gm.graph)`.
void printGraphText(GraphOp graph, raw_ostream &os, GraphTextStyle style = GraphTextStyle::Torch2);

/// The discardable attribute that marks a call_function of a `torch.fx.wrap`ped function
/// (torch.fx's `meta["is_wrapped"]`).
inline constexpr llvm::StringLiteral kWrappedAttrName = "fx.wrapped";

/// The discardable attribute holding a node's Python type annotation as torch.fx prints it
/// (`node.type`, e.g. "torch.Tensor" for `def forward(self, x: Tensor)`).
inline constexpr llvm::StringLiteral kTypeAnnotationAttrName = "fx.type";

/// The node's type annotation, or "" when it has none.
StringRef getTypeAnnotation(Operation *node);

/// `gm.code`: the Python source torch.fx generates for the graph.
void printPythonCode(GraphOp graph, raw_ostream &os);

/// A Graphviz digraph of the graph, drawn as torch.fx's FxGraphDrawer draws it.
void printDot(GraphOp graph, raw_ostream &os);

/// Registers `--fx-to-graph-text`, `--fx-to-python` and `--fx-to-dot` with mlir-translate.
void registerFxTranslations();

/// torch.fx's `len(node.users)`: the number of distinct nodes that use `op`'s result.
unsigned countUsers(Operation *op);

} // namespace mlir::fx

#endif
