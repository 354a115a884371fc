//===- Values.h - Runtime values <-> IR --------------------------*- C++ -*-===//
//
// The bridge between the runtime's values (fxmlir::PyValue, fxmlir::Tensor: what kernels
// compute on) and the IR (literal trees, element types, elements attributes): the interpreter
// reads node arguments and weights through it, the tracer and the passes write values back as
// IR. It is its own library so that none of them needs another for it.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_BRIDGE_VALUES_H
#define FXMLIR_BRIDGE_VALUES_H

#include "fxmlir/Dialect/FX/FXOps.h"
#include "fxmlir/Ops/Registry.h"
#include "fxmlir/Runtime/PyValue.h"

namespace mlir::fx {

/// A literal tree's leaf (int, float, bool, str, None, dtype, device, ...) as a Python value;
/// throws fxmlir::OpError on what it cannot represent.
fxmlir::PyValue scalarLiteral(Attribute literal);

/// Decodes a literal tree into values of kind `V`, taking operand markers from `operands`
/// (advancing `next`): the one walk over literal trees. `make` builds the containers
/// (`tuple`, `list` from element vectors, `slice` from its three parts, `dict` from keys and
/// values), so that each level decides what a container holding run-time values is (the
/// interpreter: a Python value; fx-to-linalg: a sequence of lowered values). Leaves become
/// `V(scalarLiteral(...))`.
template <typename V, typename Containers>
V decodeLiteral(Attribute literal, ArrayRef<V> operands, unsigned &next, const Containers &make) {
  if (isa<OperandRefAttr>(literal))
    return operands[next++];
  auto all = [&](ArrayRef<Attribute> elements) {
    std::vector<V> items;
    for (Attribute e : elements)
      items.push_back(decodeLiteral(e, operands, next, make));
    return items;
  };
  if (auto s = dyn_cast<SliceAttr>(literal))
    return make.slice(all({s.getStart(), s.getStop(), s.getStep()}));
  if (auto t = dyn_cast<TupleAttr>(literal))
    return make.tuple(all(t.getElements().getValue()));
  if (auto a = dyn_cast<ArrayAttr>(literal))
    return make.list(all(a.getValue()));
  if (auto d = dyn_cast<DictAttr>(literal)) {
    std::vector<V> keys = all(d.getKeys().getValue());
    return make.dict(std::move(keys), all(d.getValues().getValue()));
  }
  return V(scalarLiteral(literal));
}

/// Literal trees <-> Python values. `literalToPyValue` is decodeLiteral into Python values
/// (throws fxmlir::OpError on what it cannot represent); `pyValueToLiteral` returns null for
/// tensors and other values without a literal form.
fxmlir::PyValue literalToPyValue(Attribute literal, ArrayRef<fxmlir::PyValue> operands,
                                 unsigned &next);
Attribute pyValueToLiteral(MLIRContext *context, const fxmlir::PyValue &value);

/// A call node's positional and keyword arguments, decoded (decodeLiteral) with operand markers
/// taken from `operands` (the values of the node's operands, in order).
template <typename V>
struct NodeArguments {
  std::vector<V> args;
  std::vector<std::pair<std::string, V>> kwargs;
};
template <typename V, typename Containers>
NodeArguments<V> decodeNodeArguments(NodeOpInterface node, ArrayRef<V> operands,
                                     const Containers &make) {
  NodeArguments<V> call;
  unsigned next = 0;
  for (Attribute a : node.getNodeArgs())
    call.args.push_back(decodeLiteral(a, operands, next, make));
  if (auto d = dyn_cast_or_null<DictAttr>(node.getNodeKwargs()))
    for (auto [k, v] : llvm::zip(d.getKeys(), d.getValues()))
      call.kwargs.emplace_back(cast<StringAttr>(k).str(), decodeLiteral(v, operands, next, make));
  return call;
}

/// The arguments as Python values (the interpreter, constant folding).
using CallArguments = NodeArguments<fxmlir::PyValue>;
CallArguments callArguments(NodeOpInterface node, ArrayRef<fxmlir::PyValue> operands);

/// A submodule's hyper-parameters bound to its type's constructor signature (defaults filled in);
/// throws fxmlir::OpError naming an unknown or missing one.
fxmlir::BoundArgs bindHyperparameters(SubmoduleOp module, const fxmlir::ModuleInfo &info);

/// The fx dialect type of a runtime value: tensor<...> for tensors, !fx.int for ints, ...
Type typeOfPyValue(MLIRContext *context, const fxmlir::PyValue &value);
/// The MLIR element type of a dtype.
Type elementTypeOf(MLIRContext *context, fxmlir::DType dtype);
/// Maps a tensor element type to a torch dtype; false for types the runtime lacks.
bool dtypeFromElementType(Type type, fxmlir::DType &dtype);

/// A tensor's values as a dense_resource attribute (blob named `key`).
ElementsAttr tensorToElementsAttr(MLIRContext *context, const fxmlir::Tensor &tensor,
                                  StringRef key);
/// The values of a parameter, buffer or constant declaration (dense or dense_resource).
FailureOr<fxmlir::Tensor> tensorFromDeclaration(Operation *decl);

} // namespace mlir::fx

#endif
