//===- NodeArgs.h - Building node arguments from values and literals --*- C++ -*-===//
//
// torch.fx's `create_arg`: a node argument is an SSA value, a literal, or a tuple/list/dict/slice
// of arguments. `encodeArgs` turns such trees into what the call ops store: the operands in
// order of appearance, and literal trees with `#fx.operand` markers where the values stand.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_DIALECT_FX_NODEARGS_H
#define FXMLIR_DIALECT_FX_NODEARGS_H

#include "fxmlir/Dialect/FX/FXAttrs.h"

#include "mlir/IR/Value.h"

#include <string>
#include <utility>
#include <vector>

namespace mlir::fx {

class Arg {
public:
  enum class Kind { Value, Literal, Tuple, List, Dict, Slice };

  Arg(Value value) : kind(Kind::Value), value(value) {}
  Arg(Attribute literal) : kind(Kind::Literal), literal(literal) {}

  static Arg tuple(std::vector<Arg> elements) { return Arg(Kind::Tuple, std::move(elements)); }
  static Arg list(std::vector<Arg> elements) { return Arg(Kind::List, std::move(elements)); }
  /// Keys are literals (torch.fx: "Keys for dictionaries ... cannot contain a Node").
  static Arg dict(std::vector<std::pair<Attribute, Arg>> entries);
  static Arg slice(Arg start, Arg stop, Arg step) {
    return Arg(Kind::Slice, {std::move(start), std::move(stop), std::move(step)});
  }

  Kind getKind() const { return kind; }
  Value getValue() const { return value; }
  Attribute getLiteral() const { return literal; }
  const std::vector<Arg> &getElements() const { return elements; }
  const std::vector<Attribute> &getKeys() const { return keys; }

private:
  Arg(Kind kind, std::vector<Arg> elements) : kind(kind), elements(std::move(elements)) {}

  Kind kind;
  Value value;
  Attribute literal;
  std::vector<Arg> elements;
  std::vector<Attribute> keys; // Dict only, parallel to elements
};

struct EncodedArgs {
  SmallVector<Value> operands;
  ArrayAttr args;
  DictAttr kwargs;
};

/// Encodes positional and keyword arguments for fx.call_function/call_method/call_module.
EncodedArgs encodeArgs(MLIRContext *context, ArrayRef<Arg> args,
                       ArrayRef<std::pair<std::string, Arg>> kwargs = {});

/// Encodes one argument (e.g. fx.output's returned structure), appending values to `operands`.
Attribute encodeArg(MLIRContext *context, const Arg &arg, SmallVectorImpl<Value> &operands);

} // namespace mlir::fx

#endif
