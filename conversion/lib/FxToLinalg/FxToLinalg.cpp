//===- FxToLinalg.cpp - fx-to-linalg --------------------------------------===//
//
// Each fx.graph becomes a func.func on tensors. Nodes are lowered in order by the lowering
// their target's registry entry names (`fxmlir::OpInfo::lowering`, a LoweringTable key), with
// arguments bound to the entry's schema. Calls whose arguments are all known at compile time run the reference kernel
// instead, so Python-level arithmetic and constant tensors cost nothing at run time.
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Bridge/Values.h"
#include "fxmlir/Conversion/FxToLinalg/Lowering.h"
#include "fxmlir/Conversion/Passes.h"
#include "fxmlir/Dialect/FX/GraphEditing.h"
#include "fxmlir/Ops/Registry.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AttrTypeSubElements.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"

namespace mlir::fx {
#define GEN_PASS_DEF_FXTOLINALG
#include "fxmlir/Conversion/Passes.h.inc"
} // namespace mlir::fx

using namespace mlir;
using namespace mlir::fx;
using fxmlir::Lowered;
using fxmlir::OpError;
using fxmlir::PyValue;

namespace {

bool containsTensor(const Lowered &v) {
  if (v.isTensor())
    return true;
  return llvm::any_of(v.items(), containsTensor);
}

PyValue toPyValue(const Lowered &v) {
  if (!v.isLiteral())
    throw OpError("internal: a run-time value where a compile-time one is needed");
  return v.literal();
}

/// A tuple or list of lowered values: a Python value when all are known, else a sequence.
Lowered combine(std::vector<Lowered> items, bool isList) {
  if (llvm::all_of(items, [](const Lowered &l) { return l.isLiteral(); })) {
    std::vector<PyValue> values;
    for (const Lowered &l : items)
      values.push_back(l.literal());
    return isList ? PyValue::list(values) : PyValue::tuple(values);
  }
  return Lowered::sequence(std::move(items));
}

/// Containers of lowered values, for decodeLiteral: Python values when everything inside is
/// known at compile time, sequences of lowered values otherwise.
struct LoweredContainers {
  Lowered tuple(std::vector<Lowered> items) const { return combine(std::move(items), false); }
  Lowered list(std::vector<Lowered> items) const { return combine(std::move(items), true); }
  Lowered slice(std::vector<Lowered> parts) const {
    return PyValue::slice(toPyValue(parts[0]), toPyValue(parts[1]), toPyValue(parts[2]));
  }
  /// A dict known at compile time stays a Python dict; one holding tensors (a segmentation
  /// model's `{"out": ..., "aux": ...}`) becomes the sequence of its values in order, which is
  /// how outputs are flattened (as the interpreter and the importer flatten them).
  Lowered dict(std::vector<Lowered> keys, std::vector<Lowered> values) const {
    bool literal = std::all_of(values.begin(), values.end(),
                               [](const Lowered &v) { return v.isLiteral(); });
    if (!literal)
      return Lowered::sequence(std::move(values));
    std::vector<PyValue> k, v;
    for (const Lowered &key : keys)
      k.push_back(toPyValue(key));
    for (const Lowered &value : values)
      v.push_back(value.literal());
    return PyValue::dict(k, v);
  }
};

/// A node argument (a literal tree with operand markers) as a lowered value.
Lowered decode(Attribute attr, ArrayRef<Lowered> operands, unsigned &next) {
  return decodeLiteral(attr, operands, next, LoweredContainers());
}

/// Binds lowered arguments to a schema as Python would (fxmlir::bindValues, as for values).
fxmlir::LoweredArgs bindLowered(const fxmlir::Schema &schema, const std::vector<Lowered> &args,
                                const std::vector<std::pair<std::string, Lowered>> &kwargs) {
  auto isSequence = [&](size_t i) {
    return args[i].isSequence() || (args[i].isLiteral() && args[i].literal().isSequence());
  };
  auto fromDefault = [](const PyValue &v) { return Lowered(v); };
  auto asTuple = [](std::vector<Lowered> items) { return combine(std::move(items), false); };
  return fxmlir::LoweredArgs(
      schema, fxmlir::bindValues(schema, args, kwargs, isSequence, fromDefault, asTuple));
}

/// The static tensor types a node produces: its own, or its tuple's elements.
std::vector<RankedTensorType> tensorTypesOf(Type type) {
  std::vector<RankedTensorType> out;
  if (auto t = dyn_cast<RankedTensorType>(type)) {
    if (t.hasStaticShape())
      out.push_back(t);
  } else if (auto tuple = dyn_cast<fx::TupleType>(type)) {
    for (Type e : tuple.getElementTypes())
      if (auto t = dyn_cast<RankedTensorType>(e); t && t.hasStaticShape())
        out.push_back(t);
  }
  return out;
}

/// A Python number the graph returns, as the 0-d tensor torch.fx's users get from
/// fxmlir::flattenTensors (int: i64, bool: i1, float: f64), so that every backend returns the
/// same outputs.
Value numberAsTensor(OpBuilder &b, Location loc, const PyValue &number) {
  Type element = number.kind() == PyValue::Kind::Int    ? Type(b.getI64Type())
                 : number.kind() == PyValue::Kind::Bool ? Type(b.getI1Type())
                                                        : Type(b.getF64Type());
  fxmlir::LoweringContext ctx(b, loc, {});
  return ctx.constant(fxmlir::tensorType({}, element), {number.toElement()});
}

/// The graph's outputs in pytree order: tensors, and Python numbers as 0-d tensors; None is
/// skipped (as fxmlir::flattenTensors does).
void flattenOutputs(OpBuilder &b, Location loc, const Lowered &v, SmallVectorImpl<Value> &out) {
  if (v.isTensor()) {
    out.push_back(v.tensor());
    return;
  }
  if (v.isSequence()) {
    for (const Lowered &item : v.items())
      flattenOutputs(b, loc, item, out);
    return;
  }
  const PyValue &literal = v.literal();
  switch (literal.kind()) {
  case PyValue::Kind::None:
    return;
  case PyValue::Kind::Int: case PyValue::Kind::Bool: case PyValue::Kind::Float:
    out.push_back(numberAsTensor(b, loc, literal));
    return;
  case PyValue::Kind::Tuple: case PyValue::Kind::List:
    for (const PyValue &item : literal.items())
      flattenOutputs(b, loc, item, out);
    return;
  default:
    throw OpError("the graph returns " + v.describe() +
                  "; compiled graphs return tensors, numbers and sequences of them");
  }
}

/// How a tensor crosses the compiled function's boundary. A zero-element tensor has no data, and
/// its identity-layout memref (`memref<3x0xf32>`) has no strides the bare-pointer convention
/// accepts; it crosses as `tensor<0xT>`, a pointer never dereferenced, while the signature keeps
/// its real shape.
RankedTensorType boundaryType(RankedTensorType t) {
  if (t.getNumElements() != 0 || t.getRank() == 1)
    return t;
  return RankedTensorType::get({0}, t.getElementType());
}

/// The value a boundary argument of type `real` stands for inside the function.
Value fromBoundary(OpBuilder &b, Location loc, Value arg, RankedTensorType real) {
  if (arg.getType() == real)
    return arg;
  return tensor::EmptyOp::create(b, loc, real.getShape(), real.getElementType());
}

/// What the function returns for a result of type `real`.
Value toBoundary(OpBuilder &b, Location loc, Value result) {
  auto real = cast<RankedTensorType>(result.getType());
  RankedTensorType type = boundaryType(real);
  if (type == real)
    return result;
  return tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
}

bool hasNoElements(Type type) {
  auto t = dyn_cast<RankedTensorType>(type);
  return t && t.hasStaticShape() && t.getNumElements() == 0;
}

/// Zero-element values carry no data: each becomes a `tensor.empty`, so that no constant,
/// kernel or vector of a zero size reaches codegen (LLVM cannot translate a zero-element global;
/// vector types have no zero dims). A linalg op that iterates over nothing returns its inits
/// unchanged (a matmul with K = 0, a sum over an empty dim).
void foldZeroElementValues(func::FuncOp func) {
  SmallVector<Operation *> ops;
  func.walk([&](Operation *op) { ops.push_back(op); });
  OpBuilder b(func.getContext());
  for (Operation *op : ops) {
    if (isa<tensor::EmptyOp>(op))
      continue;
    b.setInsertionPoint(op);
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
    bool iteratesOverNothing = linalgOp && linalgOp.hasPureTensorSemantics() &&
                               llvm::is_contained(linalgOp.getStaticLoopRanges(), 0);
    for (OpResult r : op->getResults()) {
      if (hasNoElements(r.getType())) {
        auto t = cast<RankedTensorType>(r.getType());
        r.replaceAllUsesWith(
            tensor::EmptyOp::create(b, op->getLoc(), t.getShape(), t.getElementType()));
      } else if (iteratesOverNothing) {
        r.replaceAllUsesWith(linalgOp.getDpsInitOperand(r.getResultNumber())->get());
      }
    }
  }
}

/// The lowerings build on the fx element types, picking unsigned ops (divui, cmpi ult, extui,
/// uitofp) for `ui8`; arith takes signless integers only, so the function's types, constants and
/// block arguments then become signless (`ui8` -> `i8`, the same bits). The signature keeps `ui8`.
void makeSignless(func::FuncOp func) {
  AttrTypeReplacer replacer;
  replacer.addReplacement([](IntegerType t) -> std::optional<Type> {
    if (t.isSignless())
      return std::nullopt;
    return IntegerType::get(t.getContext(), t.getWidth());
  });
  replacer.recursivelyReplaceElementsIn(func, /*replaceAttrs=*/true, /*replaceLocs=*/false,
                                        /*replaceTypes=*/true);
}

std::string typeSpec(RankedTensorType t) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << t.getElementType() << "[";
  llvm::interleave(t.getShape(), os, ",");
  os << "]";
  return s;
}

class GraphLowering {
public:
  GraphLowering(GraphModuleOp module, GraphOp graph, bool weightsAsInputs)
      : module(module), graph(graph), weightsAsInputs(weightsAsInputs) {}

  /// Builds the func after `module`; returns failure after reporting an error.
  LogicalResult run(OpBuilder &b, StringRef funcName) {
    for (PlaceholderOp p : getPlaceholders(graph)) {
      auto t = dyn_cast<RankedTensorType>(p.getResult().getType());
      if (!t || !t.hasStaticShape())
        return p.emitError("placeholder '")
               << p.getNodeName() << "' has type " << p.getResult().getType()
               << "; lowering needs a statically shaped tensor (import with --input, or run "
                  "fx-shape-prop with input-types)";
      inputTypes.push_back(t);
      inputNames.push_back(p.getNodeName().str());
    }
    SmallVector<Type> argumentTypes;
    for (Type t : inputTypes)
      argumentTypes.push_back(boundaryType(cast<RankedTensorType>(t)));
    auto func =
        func::FuncOp::create(b, graph.getLoc(), funcName, b.getFunctionType(argumentTypes, {}));
    entry = func.addEntryBlock();
    OpBuilder body = OpBuilder::atBlockEnd(entry);
    unsigned arg = 0;
    SmallVector<Value> results;
    for (Operation &op : graph.getBodyBlock()) {
      auto node = dyn_cast<NodeOpInterface>(op);
      if (!node)
        continue;
      try {
        if (isa<PlaceholderOp>(op)) {
          values[op.getResult(0)] = Lowered(fromBoundary(body, op.getLoc(), entry->getArgument(arg),
                                                         cast<RankedTensorType>(inputTypes[arg])));
          ++arg;
        } else if (auto getAttr = dyn_cast<GetAttrOp>(op)) {
          if (failed(lowerGetAttr(body, getAttr)))
            return failure();
        } else if (isa<OutputOp>(op)) {
          unsigned next = 0;
          std::vector<Lowered> operands = operandsOf(op);
          flattenOutputs(body, op.getLoc(), decode(node.getNodeArgs()[0], operands, next),
                         results);
        } else if (auto call = dyn_cast<CallModuleOp>(op)) {
          return op.emitError("call_module '")
                 << node.getTargetName()
                 << "' must be decomposed into function calls first (run fx-decompose-modules)";
        } else if (failed(lowerCall(body, node))) {
          return failure();
        }
      } catch (const OpError &e) {
        return op.emitError("cannot lower %")
               << node.getNodeName() << " = " << node.getOpcode() << "[target="
               << node.getTargetName() << "]: " << e.what();
      }
    }
    SmallVector<Value> returned;
    for (Value r : results)
      returned.push_back(toBoundary(body, graph.getLoc(), r));
    func::ReturnOp::create(body, graph.getLoc(), returned);
    foldZeroElementValues(func);
    func.setType(b.getFunctionType(entry->getArgumentTypes(), TypeRange(ValueRange(returned))));
    // What a runner needs to call it: names, element types and shapes, in order.
    std::string signature;
    for (size_t i = 0; i < inputTypes.size(); ++i)
      signature += (i ? ";" : "") + inputNames[i] + ":" +
                   typeSpec(cast<RankedTensorType>(inputTypes[i]));
    signature += "->";
    for (size_t i = 0; i < results.size(); ++i)
      signature += (i ? ";output" : "output") + std::to_string(i) + ":" +
                   typeSpec(cast<RankedTensorType>(results[i].getType()));
    func->setAttr("fx.signature", b.getStringAttr(signature));
    makeSignless(func);
    return success();
  }

private:
  std::vector<Lowered> operandsOf(Operation &op) {
    std::vector<Lowered> operands;
    for (Value v : op.getOperands())
      operands.push_back(values.lookup(v));
    return operands;
  }

  LogicalResult lowerGetAttr(OpBuilder &b, GetAttrOp op) {
    StringRef target = op.getTarget();
    auto cached = constants.find(target);
    if (cached != constants.end()) {
      values[op.getResult()] = Lowered(cached->second);
      return success();
    }
    Operation *decl = lookupQualifiedName(module, target);
    auto type = decl ? dyn_cast_or_null<TypeAttr>(decl->getAttr("type")) : TypeAttr();
    auto tensorType = type ? dyn_cast<RankedTensorType>(type.getValue()) : RankedTensorType();
    if (!tensorType)
      return op.emitError("get_attr '") << target << "' does not name a tensor; only "
                                                      "parameters, buffers and constants lower";
    if (Value arg = weightArgument(op, decl, tensorType))
      return bind(op, arg);
    auto value = decl->getAttrOfType<ElementsAttr>("value");
    if (!value)
      return op.emitError("'") << target << "' is declared without a value; compiling needs "
                                            "the weights (import without --no-weights, or "
                                            "compile with weights as inputs)";
    fxmlir::LoweringContext ctx(b, op.getLoc(), {});
    return bind(op, ctx.constantTensor(value, tensorType));
  }

  /// With weights-as-inputs: a parameter or buffer becomes an argument after the
  /// placeholders, named by its qualified name.
  Value weightArgument(GetAttrOp op, Operation *decl, RankedTensorType type) {
    if (!weightsAsInputs || !isa<ParameterOp, BufferOp>(decl))
      return {};
    inputTypes.push_back(type);
    inputNames.push_back(op.getTarget().str());
    OpBuilder b = OpBuilder::atBlockBegin(entry);
    return fromBoundary(b, op.getLoc(), entry->addArgument(boundaryType(type), op.getLoc()), type);
  }

  /// The value of a get_attr target, shared by every get_attr of it.
  LogicalResult bind(GetAttrOp op, Value c) {
    constants[op.getTarget()] = c;
    values[op.getResult()] = Lowered(c);
    return success();
  }

  LogicalResult lowerCall(OpBuilder &b, NodeOpInterface node) {
    Operation *op = node.getOperation();
    std::vector<Lowered> operands = operandsOf(*op);
    NodeArguments<Lowered> call =
        decodeNodeArguments<Lowered>(node, operands, LoweredContainers());
    const std::vector<Lowered> &args = call.args;
    const std::vector<std::pair<std::string, Lowered>> &kwargs = call.kwargs;
    std::string opcode = node.getOpcode().str(), target = node.getTargetName().str();
    const fxmlir::OpInfo *info = fxmlir::Registry::get().lookupOp(opcode, target);
    if (!info)
      return op->emitError("fx-to-linalg: unknown ")
             << opcode << " target '" << target << "' (node %" << node.getNodeName() << ")";
    bool runtime = llvm::any_of(args, containsTensor) ||
                   llvm::any_of(kwargs, [](const auto &kw) { return containsTensor(kw.second); });
    if (!runtime)
      return foldCall(b, node, args, kwargs);
    const fxmlir::Lowering *lower =
        info->lowering.empty() ? nullptr : fxmlir::LoweringTable::get().lookup(info->lowering);
    if (!lower)
      return op->emitError("fx-to-linalg: no lowering for ")
             << opcode << " target '" << target << "' (node %" << node.getNodeName() << ")";
    Type resultType = op->getNumResults() ? op->getResult(0).getType() : Type();
    fxmlir::LoweringContext ctx(b, op->getLoc(), resultType ? tensorTypesOf(resultType)
                                                            : std::vector<RankedTensorType>{});
    Lowered result = (*lower)(ctx, bindLowered(info->schema, args, kwargs));
    if (result.isTensor() && ctx.resultTypes.size() == 1 &&
        result.tensor().getType() != ctx.resultTypes[0])
      return op->emitError("internal error: lowering of '")
             << target << "' built " << result.tensor().getType()
             << " where shape propagation says " << ctx.resultTypes[0];
    if (op->getNumResults())
      values[op->getResult(0)] = result;
    return success();
  }

  /// Runs the reference kernel on compile-time arguments.
  LogicalResult foldCall(OpBuilder &b, NodeOpInterface node, const std::vector<Lowered> &args,
                         const std::vector<std::pair<std::string, Lowered>> &kwargs) {
    std::vector<PyValue> pyArgs;
    for (const Lowered &a : args)
      pyArgs.push_back(toPyValue(a));
    std::vector<std::pair<std::string, PyValue>> pyKwargs;
    for (const auto &kw : kwargs)
      pyKwargs.emplace_back(kw.first, toPyValue(kw.second));
    PyValue v = fxmlir::callTarget(node.getOpcode().str(), node.getTargetName().str(), pyArgs, pyKwargs);
    Operation *op = node.getOperation();
    if (v.isTensor()) {
      MLIRContext *ctx = b.getContext();
      ElementsAttr attr = tensorToElementsAttr(ctx, v.tensor(), node.getNodeName());
      fxmlir::LoweringContext lowering(b, op->getLoc(), {});
      values[op->getResult(0)] =
          Lowered(lowering.constantTensor(attr, cast<RankedTensorType>(attr.getType())));
    } else if (op->getNumResults()) {
      values[op->getResult(0)] = Lowered(v);
    }
    return success();
  }

  GraphModuleOp module;
  GraphOp graph;
  bool weightsAsInputs;
  Block *entry = nullptr;
  /// The inputs' types as the signature gives them (the function takes their boundaryType).
  SmallVector<Type> inputTypes;
  std::vector<std::string> inputNames;
  llvm::DenseMap<Value, Lowered> values;
  llvm::StringMap<Value> constants;
};

struct FxToLinalg : mlir::fx::impl::FxToLinalgBase<FxToLinalg> {
  using Base::Base;
  void runOnOperation() override {
    ModuleOp top = getOperation();
    SmallVector<GraphModuleOp> modules(top.getOps<GraphModuleOp>());
    for (GraphModuleOp module : modules) {
      OpBuilder b(module);
      for (GraphOp graph : module.getBodyBlock().getOps<GraphOp>()) {
        std::string name = (module.getSymName() + "_" + graph.getSymName()).str();
        for (char &ch : name)
          if (!std::isalnum((unsigned char)ch))
            ch = '_';
        GraphLowering lowering(module, graph, weightsAsInputs);
        if (failed(lowering.run(b, name)))
          return signalPassFailure();
      }
      module.erase();
    }
  }
};

} // namespace
