//===- FXContainers.cpp - graph_module, submodule, declarations, graph ----===//
#include "fxmlir/Dialect/FX/FXOps.h"
#include "fxmlir/Dialect/FX/LiteralSyntax.h"
#include "CustomDirectives.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"

using namespace mlir;
using namespace mlir::fx;

//===----------------------------------------------------------------------===//
// Qualified names
//===----------------------------------------------------------------------===//

Operation *mlir::fx::lookupQualifiedName(Operation *owner, StringRef qualifiedName,
                                         std::string *missing) {
  Operation *current = owner;
  StringRef rest = qualifiedName, resolved;
  while (current) {
    auto [atom, tail] = rest.split('.');
    Operation *next = current->getNumRegions() == 1 && !current->getRegion(0).empty()
                          ? SymbolTable::lookupSymbolIn(current, atom)
                          : nullptr;
    if (!next || (!tail.empty() && !isa<SubmoduleOp>(next))) {
      if (missing) {
        // torch.fx's wording: "references nonexistent attribute {atom} of {qualname}".
        std::string of = resolved.empty() ? "the root module" : resolved.str();
        *missing = (atom + " of " + of).str();
      }
      return nullptr;
    }
    if (tail.empty())
      return next;
    resolved = qualifiedName.take_front(atom.end() - qualifiedName.begin());
    rest = tail;
    current = next;
  }
  return nullptr;
}

//===----------------------------------------------------------------------===//
// GraphModuleOp
//===----------------------------------------------------------------------===//

void GraphModuleOp::build(OpBuilder &builder, OperationState &state, StringRef name) {
  state.addAttribute(getSymNameAttrName(state.name), builder.getStringAttr(name));
  state.addRegion()->emplaceBlock();
}

GraphOp GraphModuleOp::getForward() {
  return dyn_cast_or_null<GraphOp>(mlir::SymbolTable::lookupSymbolIn(*this, StringRef("forward")));
}

//===----------------------------------------------------------------------===//
// SubmoduleOp
//===----------------------------------------------------------------------===//

void SubmoduleOp::build(OpBuilder &builder, OperationState &state, StringRef name,
                        StringRef moduleType, DictAttr hyperparameters) {
  if (!hyperparameters)
    hyperparameters =
        DictAttr::get(builder.getContext(), builder.getArrayAttr({}), builder.getArrayAttr({}));
  state.addAttribute(getSymNameAttrName(state.name), builder.getStringAttr(name));
  state.addAttribute(getModuleTypeAttrName(state.name), builder.getStringAttr(moduleType));
  state.addAttribute(getHyperparametersAttrName(state.name), hyperparameters);
  state.addRegion()->emplaceBlock();
}

/// A module's body; one that owns nothing (a ReLU) prints without braces.
ParseResult mlir::fx::parseModuleBody(OpAsmParser &parser, Region &body) {
  OptionalParseResult parsed = parser.parseOptionalRegion(body);
  if (parsed.has_value() && failed(*parsed))
    return failure();
  if (body.empty())
    body.emplaceBlock();
  return success();
}

void mlir::fx::printModuleBody(OpAsmPrinter &p, Operation *, Region &body) {
  if (body.empty() || body.front().empty())
    return;
  p << ' ';
  p.printRegion(body, /*printEntryBlockArgs=*/false, /*printBlockTerminators=*/false);
}

LogicalResult SubmoduleOp::verify() {
  if (getModuleType().empty())
    return emitOpError("needs a module type (e.g. \"torch.nn.Conv2d\")");
  std::string why;
  DictAttr hp = getHyperparameters();
  for (auto [k, v] : llvm::zip(hp.getKeys(), hp.getValues())) {
    if (!isa<StringAttr>(k))
      return emitOpError("hyper-parameter names must be strings, got ") << k;
    if (!isLiteral(v, &why))
      return emitOpError("hyper-parameter '")
             << cast<StringAttr>(k).getValue() << "' is malformed: " << why;
    if (countOperandRefs(v))
      return emitOpError("hyper-parameters are literals and may not refer to SSA values");
  }
  return success();
}

/// Hyper-parameters print as keyword arguments: `(in_features = 4, bias = True)`.
ParseResult mlir::fx::parseHyperparameters(OpAsmParser &parser, DictAttr &hyperparameters) {
  MLIRContext *ctx = parser.getContext();
  Builder b(ctx);
  hyperparameters = DictAttr::get(ctx, b.getArrayAttr({}), b.getArrayAttr({}));
  llvm::SMLoc loc = parser.getCurrentLocation();
  if (failed(parser.parseOptionalLParen()) || succeeded(parser.parseOptionalRParen()))
    return success();
  SmallVector<Attribute> keys, values;
  SmallVector<OpAsmParser::UnresolvedOperand> operands;
  auto parseEntry = [&]() -> ParseResult {
    StringRef key;
    Attribute value;
    if (parser.parseKeyword(&key) || parser.parseEqual() ||
        parseLiteral(parser, value, operands))
      return failure();
    keys.push_back(b.getStringAttr(key));
    values.push_back(value);
    return success();
  };
  if (parser.parseCommaSeparatedList(parseEntry) || parser.parseRParen())
    return failure();
  if (!operands.empty())
    return parser.emitError(loc, "hyper-parameters are literals and may not refer to SSA values");
  hyperparameters = DictAttr::get(ctx, b.getArrayAttr(keys), b.getArrayAttr(values));
  return success();
}

void mlir::fx::printHyperparameters(OpAsmPrinter &p, Operation *, DictAttr hyperparameters) {
  if (!hyperparameters || hyperparameters.size() == 0)
    return;
  printArgumentList(p, ArrayAttr::get(hyperparameters.getContext(), {}), hyperparameters, {});
}

//===----------------------------------------------------------------------===//
// Parameter, buffer and tensor-constant declarations
//===----------------------------------------------------------------------===//

/// `= <value>` after the declared type; the value's type is elided when it matches.
ParseResult mlir::fx::parseTensorValue(OpAsmParser &parser, TypeAttr type, ElementsAttr &value) {
  if (failed(parser.parseOptionalEqual()))
    return success();
  Attribute attr;
  llvm::SMLoc loc = parser.getCurrentLocation();
  if (parser.parseAttribute(attr, type.getValue()))
    return failure();
  value = dyn_cast<ElementsAttr>(attr);
  if (!value)
    return parser.emitError(loc, "expected a tensor value (dense<...> or dense_resource<...>)");
  return success();
}

void mlir::fx::printTensorValue(OpAsmPrinter &p, Operation *, TypeAttr type, ElementsAttr value) {
  if (!value)
    return;
  p << " = ";
  if (value.getType() == type.getValue())
    p.printAttributeWithoutType(value);
  else
    p.printAttribute(value);
}

template <typename DeclOp>
static LogicalResult verifyTensorDecl(DeclOp op) {
  if (std::optional<ElementsAttr> value = op.getValue())
    if (value->getType() != op.getType())
      return op.emitOpError("value of type ")
             << value->getType() << " does not match the declared type " << op.getType();
  return success();
}

LogicalResult ParameterOp::verify() { return verifyTensorDecl(*this); }
LogicalResult BufferOp::verify() { return verifyTensorDecl(*this); }
LogicalResult TensorConstantOp::verify() { return verifyTensorDecl(*this); }

//===----------------------------------------------------------------------===//
// GraphOp
//===----------------------------------------------------------------------===//

void GraphOp::build(OpBuilder &builder, OperationState &state, StringRef name) {
  state.addAttribute(getSymNameAttrName(state.name), builder.getStringAttr(name));
  state.addRegion()->emplaceBlock();
}

OutputOp GraphOp::getOutput() {
  if (getBody().empty() || getBodyBlock().empty())
    return {};
  return dyn_cast<OutputOp>(getBodyBlock().back());
}

SmallVector<PlaceholderOp> mlir::fx::getPlaceholders(GraphOp graph) {
  SmallVector<PlaceholderOp> result;
  for (Operation &op : graph.getBodyBlock()) {
    auto ph = dyn_cast<PlaceholderOp>(op);
    if (!ph)
      break;
    result.push_back(ph);
  }
  return result;
}

/// torch.fx's Graph.lint(), for what MLIR's own verification does not already cover
/// (topological order is SSA dominance; terminators are checked by the Terminator trait).
LogicalResult GraphOp::verifyRegions() {
  Block &block = getBodyBlock();
  if (block.empty() || !isa<OutputOp>(block.back()))
    return emitOpError("graph must end with an fx.output node");
  llvm::StringMap<Operation *> names;
  Operation *firstNonPlaceholder = nullptr;
  for (Operation &op : block) {
    auto node = dyn_cast<NodeOpInterface>(op);
    if (!node)
      return op.emitOpError("is not an fx node; an fx.graph holds only fx.placeholder, "
                            "fx.get_attr, fx.call_function, fx.call_method, fx.call_module and "
                            "fx.output");
    if (isa<PlaceholderOp>(op)) {
      if (firstNonPlaceholder)
        return (op.emitOpError("placeholder '")
                << node.getNodeName() << "' must come before all other nodes")
                   .attachNote(firstNonPlaceholder->getLoc())
               << "first non-placeholder node is here";
    } else if (!firstNonPlaceholder) {
      firstNonPlaceholder = &op;
    }
    if (isa<OutputOp>(op))
      continue;
    auto [it, inserted] = names.try_emplace(node.getNodeName(), &op);
    if (!inserted)
      return (op.emitOpError("Node redefined name ") << node.getNodeName() << "!")
                 .attachNote(it->second->getLoc())
             << "previous definition is here";
  }
  return success();
}

