//===- FXOps.cpp - Node ops of the fx dialect -----------------------------===//
//
// The six torch.fx opcodes. A node's name is its SSA result name in the custom syntax (kept in
// the `name` attribute), its target a string, its arguments a literal tree (LiteralSyntax.h).
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Dialect/FX/FXOps.h"
#include "fxmlir/Dialect/FX/LiteralSyntax.h"
#include "fxmlir/Dialect/FX/Naming.h"
#include "fxmlir/Dialect/FX/Purity.h"
#include "CustomDirectives.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::fx;

#include "fxmlir/Dialect/FX/FXInterfaces.cpp.inc"

#define GET_OP_CLASSES
#include "fxmlir/Dialect/FX/FXOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Shared parsing, printing and verification of nodes
//===----------------------------------------------------------------------===//

/// Reads the node name from the SSA name the result is bound to (`%add_1 = ...`).
static ParseResult parseNodeName(OpAsmParser &parser, OperationState &result,
                                 StringRef nameAttrName) {
  llvm::SMLoc loc = parser.getNameLoc();
  auto [name, number] = parser.getResultName(0);
  if (name.empty())
    return parser.emitError(loc, "an fx node must bind its result to an SSA name: the name is "
                                 "the node's name (e.g. `%add = fx.call_function ...`)");
  if (!isValidNodeName(name))
    return parser.emitError(loc, "node name '")
           << name << "' is not a valid Python identifier; fx nodes take their names from "
           << "their SSA names";
  result.addAttribute(nameAttrName, parser.getBuilder().getStringAttr(name));
  return success();
}

static LogicalResult verifyNodeName(Operation *op, StringRef name) {
  if (!isValidNodeName(name))
    return op->emitOpError("node name '") << name << "' is not a valid Python identifier";
  return success();
}

static LogicalResult verifyTarget(Operation *op, StringRef target) {
  if (target.empty())
    return op->emitOpError("has an empty target");
  return success();
}

/// Checks that `args`/`kwargs` are literal trees whose operand markers match the operands.
static LogicalResult verifyArguments(Operation *op, ArrayAttr args, DictAttr kwargs,
                                     unsigned numOperands) {
  std::string why;
  for (auto [i, a] : llvm::enumerate(args))
    if (!isLiteral(a, &why))
      return op->emitOpError("argument ") << i << " is malformed: " << why;
  unsigned refs = countOperandRefs(args);
  if (kwargs) {
    for (auto [k, v] : llvm::zip(kwargs.getKeys(), kwargs.getValues())) {
      auto key = dyn_cast<StringAttr>(k);
      if (!key || !isValidNodeName(key.getValue()))
        return op->emitOpError("keyword argument names must be Python identifiers, got ") << k;
      if (!isLiteral(v, &why))
        return op->emitOpError("keyword argument '")
               << key.getValue() << "' is malformed: " << why;
    }
    refs += countOperandRefs(kwargs.getValues());
  }
  if (refs != numOperands)
    return op->emitOpError("arguments refer to ")
           << refs << " SSA values but the op has " << numOperands << " operands";
  return success();
}

static void populateNodeResultName(Operation *op, StringRef name,
                                   OpAsmSetValueNameFn setNameFn) {
  if (op->getNumResults() == 1)
    setNameFn(op->getResult(0), name);
}

//===----------------------------------------------------------------------===//
// PlaceholderOp
//===----------------------------------------------------------------------===//

ParseResult PlaceholderOp::parse(OpAsmParser &parser, OperationState &result) {
  std::string target;
  Type type;
  if (parseNodeName(parser, result, getNameAttrName(result.name)) ||
      parser.parseString(&target))
    return failure();
  result.addAttribute(getTargetAttrName(result.name), parser.getBuilder().getStringAttr(target));
  if (succeeded(parser.parseOptionalKeyword("default"))) {
    Attribute value;
    SmallVector<OpAsmParser::UnresolvedOperand> operands;
    llvm::SMLoc loc = parser.getCurrentLocation();
    if (parseLiteral(parser, value, operands))
      return failure();
    if (!operands.empty())
      return parser.emitError(loc, "a placeholder's default must be a literal");
    result.addAttribute(getDefaultValueAttrName(result.name), value);
  }
  if (parser.parseOptionalAttrDict(result.attributes) || parser.parseColonType(type))
    return failure();
  result.addTypes(type);
  return success();
}

void PlaceholderOp::print(OpAsmPrinter &p) {
  p << ' ';
  p.printString(getTarget());
  if (Attribute def = getDefaultValueAttr()) {
    p << " default ";
    unsigned next = 0;
    printLiteral(p.getStream(), def, LiteralStyle::Mlir, [](raw_ostream &, unsigned, LiteralStyle) {}, next);
  }
  p.printOptionalAttrDict((*this)->getAttrs(), {getNameAttrName(), getTargetAttrName(),
                                                getDefaultValueAttrName()});
  p << " : " << getType();
}

LogicalResult PlaceholderOp::verify() {
  if (failed(verifyNodeName(*this, getName())) || failed(verifyTarget(*this, getTarget())))
    return failure();
  std::string why;
  if (Attribute def = getDefaultValueAttr()) {
    if (!isLiteral(def, &why))
      return emitOpError("default value is malformed: ") << why;
    if (countOperandRefs(def))
      return emitOpError("default value may not refer to SSA values");
  }
  return success();
}

void PlaceholderOp::getAsmResultNames(OpAsmSetValueNameFn setNameFn) {
  populateNodeResultName(*this, getName(), setNameFn);
}
StringRef PlaceholderOp::getNodeName() { return getName(); }
StringRef PlaceholderOp::getOpcode() { return "placeholder"; }
StringRef PlaceholderOp::getTargetName() { return getTarget(); }
ArrayAttr PlaceholderOp::getNodeArgs() {
  Builder b(getContext());
  if (Attribute def = getDefaultValueAttr())
    return b.getArrayAttr({def});
  return b.getArrayAttr({});
}
Attribute PlaceholderOp::getNodeKwargs() { return {}; }

//===----------------------------------------------------------------------===//
// GetAttrOp
//===----------------------------------------------------------------------===//

ParseResult GetAttrOp::parse(OpAsmParser &parser, OperationState &result) {
  std::string target;
  Type type;
  if (parseNodeName(parser, result, getNameAttrName(result.name)) ||
      parser.parseString(&target) || parser.parseOptionalAttrDict(result.attributes) ||
      parser.parseColonType(type))
    return failure();
  result.addAttribute(getTargetAttrName(result.name), parser.getBuilder().getStringAttr(target));
  result.addTypes(type);
  return success();
}

void GetAttrOp::print(OpAsmPrinter &p) {
  p << ' ';
  p.printString(getTarget());
  p.printOptionalAttrDict((*this)->getAttrs(), {getNameAttrName(), getTargetAttrName()});
  p << " : " << getType();
}

LogicalResult GetAttrOp::verify() {
  if (failed(verifyNodeName(*this, getName())) || failed(verifyTarget(*this, getTarget())))
    return failure();
  return success();
}

LogicalResult GetAttrOp::verifySymbolUses(SymbolTableCollection &) {
  auto graph = (*this)->getParentOfType<GraphOp>();
  std::string missing;
  Operation *decl = lookupQualifiedName(graph.getOwner(), getTarget(), &missing);
  if (!decl)
    return emitOpError("node ") << getName() << " target " << getTarget()
                                << " references nonexistent attribute " << missing;
  if (!isa<ParameterOp, BufferOp, TensorConstantOp>(decl))
    return emitOpError("target '")
           << getTarget() << "' names a '" << decl->getName()
           << "', not a parameter, buffer or tensor constant";
  Type declared = decl->getAttrOfType<TypeAttr>("type").getValue();
  if (getType() != declared && !isa<AnyType>(getType()))
    return emitOpError("result type ")
           << getType() << " differs from the declared type " << declared << " of '"
           << getTarget() << "'";
  return success();
}

void GetAttrOp::getAsmResultNames(OpAsmSetValueNameFn setNameFn) {
  populateNodeResultName(*this, getName(), setNameFn);
}
StringRef GetAttrOp::getNodeName() { return getName(); }
StringRef GetAttrOp::getOpcode() { return "get_attr"; }
StringRef GetAttrOp::getTargetName() { return getTarget(); }
ArrayAttr GetAttrOp::getNodeArgs() { return Builder(getContext()).getArrayAttr({}); }
Attribute GetAttrOp::getNodeKwargs() { return {}; }

//===----------------------------------------------------------------------===//
// Call ops
//===----------------------------------------------------------------------===//

static ParseResult parseCallNode(OpAsmParser &parser, OperationState &result,
                                 StringRef nameAttr, StringRef targetAttr, StringRef argsAttr,
                                 StringRef kwargsAttr) {
  std::string target;
  ArrayAttr args;
  Attribute kwargs;
  SmallVector<OpAsmParser::UnresolvedOperand> operands;
  FunctionType fnType;
  if (parseNodeName(parser, result, nameAttr) || parser.parseString(&target) ||
      parseArgumentList(parser, args, kwargs, operands) ||
      parser.parseOptionalAttrDict(result.attributes))
    return failure();
  llvm::SMLoc typeLoc = parser.getCurrentLocation();
  if (parser.parseColonType(fnType))
    return failure();
  if (fnType.getNumResults() != 1)
    return parser.emitError(typeLoc, "an fx node has exactly one result, got ")
           << fnType.getNumResults();
  if (parser.resolveOperands(operands, fnType.getInputs(), typeLoc, result.operands))
    return failure();
  Builder &b = parser.getBuilder();
  result.addAttribute(targetAttr, b.getStringAttr(target));
  result.addAttribute(argsAttr, args);
  result.addAttribute(kwargsAttr, kwargs);
  result.addTypes(fnType.getResults());
  return success();
}

template <typename CallOp>
static void printCallNode(OpAsmPrinter &p, CallOp op) {
  p << ' ';
  p.printString(op.getTarget());
  printArgumentList(p, op.getArgs(), op.getKwargs(), op.getInputs());
  p.printOptionalAttrDict(op->getAttrs(), {op.getNameAttrName(), op.getTargetAttrName(),
                                           op.getArgsAttrName(), op.getKwargsAttrName()});
  p << " : ";
  p.printFunctionalType(op.getInputs().getTypes(), op->getResultTypes());
}

template <typename CallOp>
static LogicalResult verifyCallNode(CallOp op) {
  if (failed(verifyNodeName(op, op.getName())) || failed(verifyTarget(op, op.getTarget())))
    return failure();
  return verifyArguments(op, op.getArgs(), op.getKwargs(), op.getInputs().size());
}

template <typename CallOp>
static void getCallEffects(
    CallOp op, SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>> &effects) {
  if (isImpureCall(op.getOpcode(), op.getTarget())) {
    effects.emplace_back(MemoryEffects::Read::get());
    effects.emplace_back(MemoryEffects::Write::get());
  }
}

#define FX_DEFINE_CALL_OP(OP, OPCODE)                                                            \
  ParseResult OP::parse(OpAsmParser &parser, OperationState &result) {                          \
    return parseCallNode(parser, result, getNameAttrName(result.name),                          \
                         getTargetAttrName(result.name), getArgsAttrName(result.name),          \
                         getKwargsAttrName(result.name));                                       \
  }                                                                                              \
  void OP::print(OpAsmPrinter &p) { printCallNode(p, *this); }                                  \
  LogicalResult OP::verify() { return verifyCallNode(*this); }                                  \
  void OP::getEffects(                                                                           \
      SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>> &effects) {            \
    getCallEffects(*this, effects);                                                              \
  }                                                                                              \
  void OP::getAsmResultNames(OpAsmSetValueNameFn setNameFn) {                                    \
    populateNodeResultName(*this, getName(), setNameFn);                                        \
  }                                                                                              \
  StringRef OP::getNodeName() { return getName(); }                                              \
  StringRef OP::getOpcode() { return OPCODE; }                                                   \
  StringRef OP::getTargetName() { return getTarget(); }                                          \
  ArrayAttr OP::getNodeArgs() { return getArgs(); }                                              \
  Attribute OP::getNodeKwargs() { return getKwargs(); }

FX_DEFINE_CALL_OP(CallFunctionOp, "call_function")
FX_DEFINE_CALL_OP(CallMethodOp, "call_method")
FX_DEFINE_CALL_OP(CallModuleOp, "call_module")
#undef FX_DEFINE_CALL_OP

SubmoduleOp CallModuleOp::getCallee() {
  auto graph = (*this)->getParentOfType<GraphOp>();
  return dyn_cast_or_null<SubmoduleOp>(lookupQualifiedName(graph.getOwner(), getTarget()));
}

LogicalResult CallModuleOp::verifySymbolUses(SymbolTableCollection &) {
  auto graph = (*this)->getParentOfType<GraphOp>();
  std::string missing;
  Operation *decl = lookupQualifiedName(graph.getOwner(), getTarget(), &missing);
  if (!decl)
    return emitOpError("node ") << getName() << " target " << getTarget()
                                << " references nonexistent attribute " << missing;
  if (!isa<SubmoduleOp>(decl))
    return emitOpError("target '") << getTarget() << "' names a '" << decl->getName()
                                   << "', not a submodule";
  return success();
}

GraphOp mlir::fx::getFunctionBody(CallFunctionOp call) {
  auto ref = call->getAttrOfType<FlatSymbolRefAttr>(kFunctionBodyAttrName);
  if (!ref)
    return {};
  // Bodies live in the graph module; a graph nested in a submodule (split_module's) looks out.
  for (Operation *table = SymbolTable::getNearestSymbolTable(call); table;
       table = isa<GraphModuleOp>(table) ? nullptr
                                         : SymbolTable::getNearestSymbolTable(table->getParentOp()))
    if (auto body = dyn_cast_or_null<GraphOp>(SymbolTable::lookupSymbolIn(table, ref.getAttr())))
      return body;
  return {};
}

bool mlir::fx::callsFunctionBody(Operation *op) {
  return isa<CallFunctionOp>(op) &&
         (op->hasAttr(kFunctionBodyAttrName) || op->hasAttr(kFunctionBodyErrorAttrName));
}

std::string mlir::fx::getUnrecordedBodyMessage(CallFunctionOp call) {
  auto reason = call->getAttrOfType<StringAttr>(kFunctionBodyErrorAttrName);
  if (!reason)
    return "";
  return ("the body of wrapped function " + call.getTarget() +
          " could not be recorded: " + reason.getValue())
      .str();
}

LogicalResult CallFunctionOp::verifySymbolUses(SymbolTableCollection &) {
  auto ref = (*this)->getAttrOfType<FlatSymbolRefAttr>(kFunctionBodyAttrName);
  if (!ref)
    return success();
  GraphOp body = getFunctionBody(*this);
  if (!body)
    return emitOpError("node ") << getName() << " names the body " << ref << " of " << getTarget()
                                << ", but its graph module has no such fx.graph";
  if (body == (*this)->getParentOfType<GraphOp>())
    return emitOpError("node ") << getName() << " calls the body " << ref
                                << " it is part of; recursive bodies cannot be run or inlined";
  size_t placeholders = getPlaceholders(body).size();
  if (placeholders != getInputs().size())
    return emitOpError("node ") << getName() << " passes " << getInputs().size()
                                << " values to the body " << ref << ", which has " << placeholders
                                << " placeholders (one per value argument, in order)";
  return success();
}

//===----------------------------------------------------------------------===//
// OutputOp
//===----------------------------------------------------------------------===//

ParseResult OutputOp::parse(OpAsmParser &parser, OperationState &result) {
  Attribute value;
  SmallVector<OpAsmParser::UnresolvedOperand> operands;
  SmallVector<Type> types;
  if (parseLiteral(parser, value, operands) || parser.parseOptionalAttrDict(result.attributes))
    return failure();
  llvm::SMLoc typeLoc = parser.getCurrentLocation();
  if (succeeded(parser.parseOptionalColon()) && parser.parseTypeList(types))
    return failure();
  if (parser.resolveOperands(operands, types, typeLoc, result.operands))
    return failure();
  result.addAttribute(getArgsAttrName(result.name), parser.getBuilder().getArrayAttr({value}));
  return success();
}

void OutputOp::print(OpAsmPrinter &p) {
  p << ' ';
  unsigned next = 0;
  ValueRange operands = getInputs();
  if (getArgs().size() == 1)
    printLiteral(p.getStream(), getArgs()[0], LiteralStyle::Mlir,
                 [&](raw_ostream &, unsigned i, LiteralStyle) { p.printOperand(operands[i]); },
                 next);
  p.printOptionalAttrDict((*this)->getAttrs(), {getArgsAttrName()});
  if (!operands.empty()) {
    p << " : ";
    llvm::interleaveComma(operands.getTypes(), p);
  }
}

LogicalResult OutputOp::verify() {
  if (getArgs().size() != 1)
    return emitOpError("takes exactly one argument (the returned value), got ")
           << getArgs().size();
  return verifyArguments(*this, getArgs(), DictAttr(), getInputs().size());
}

StringRef OutputOp::getNodeName() { return "output"; }
StringRef OutputOp::getOpcode() { return "output"; }
StringRef OutputOp::getTargetName() { return "output"; }
ArrayAttr OutputOp::getNodeArgs() { return getArgs(); }
Attribute OutputOp::getNodeKwargs() { return {}; }
