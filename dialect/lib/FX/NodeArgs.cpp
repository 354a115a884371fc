//===- NodeArgs.cpp - Building node arguments -----------------------------===//
#include "fxmlir/Dialect/FX/NodeArgs.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mlir::fx;

Arg Arg::dict(std::vector<std::pair<Attribute, Arg>> entries) {
  std::vector<Arg> values;
  std::vector<Attribute> keys;
  for (auto &[k, v] : entries) {
    keys.push_back(k);
    values.push_back(std::move(v));
  }
  Arg result(Kind::Dict, std::move(values));
  result.keys = std::move(keys);
  return result;
}

Attribute mlir::fx::encodeArg(MLIRContext *context, const Arg &arg,
                              SmallVectorImpl<Value> &operands) {
  Builder b(context);
  auto encodeAll = [&](const std::vector<Arg> &elements) {
    SmallVector<Attribute> attrs;
    for (const Arg &e : elements)
      attrs.push_back(encodeArg(context, e, operands));
    return b.getArrayAttr(attrs);
  };
  switch (arg.getKind()) {
  case Arg::Kind::Value:
    operands.push_back(arg.getValue());
    return OperandRefAttr::get(context);
  case Arg::Kind::Literal:
    return arg.getLiteral();
  case Arg::Kind::Tuple:
    return TupleAttr::get(context, encodeAll(arg.getElements()));
  case Arg::Kind::List:
    return encodeAll(arg.getElements());
  case Arg::Kind::Dict:
    return DictAttr::get(context, b.getArrayAttr(arg.getKeys()), encodeAll(arg.getElements()));
  case Arg::Kind::Slice: {
    ArrayAttr parts = encodeAll(arg.getElements());
    return SliceAttr::get(context, parts[0], parts[1], parts[2]);
  }
  }
  llvm_unreachable("unknown Arg kind");
}

EncodedArgs mlir::fx::encodeArgs(MLIRContext *context, ArrayRef<Arg> args,
                                 ArrayRef<std::pair<std::string, Arg>> kwargs) {
  Builder b(context);
  EncodedArgs result;
  SmallVector<Attribute> positional, keys, values;
  for (const Arg &a : args)
    positional.push_back(encodeArg(context, a, result.operands));
  for (const auto &[name, a] : kwargs) {
    keys.push_back(b.getStringAttr(name));
    values.push_back(encodeArg(context, a, result.operands));
  }
  result.args = b.getArrayAttr(positional);
  result.kwargs = DictAttr::get(context, b.getArrayAttr(keys), b.getArrayAttr(values));
  return result;
}
