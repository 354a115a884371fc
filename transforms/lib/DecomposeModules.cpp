//===- DecomposeModules.cpp - fx-decompose-modules ------------------------===//
//
// Builds, for each call_module of a registered module type, the function calls the registry's
// decomposition describes (the same description the interpreter executes).
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Dialect/FX/GraphEditing.h"
#include "fxmlir/Dialect/FX/Naming.h"
#include "fxmlir/Bridge/Values.h"
#include "fxmlir/Ops/Registry.h"
#include "fxmlir/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"

namespace mlir::fx {
#define GEN_PASS_DEF_FXDECOMPOSEMODULES
#include "fxmlir/Transforms/Passes.h.inc"
} // namespace mlir::fx

using namespace mlir;
using namespace mlir::fx;

namespace {
/// Whether an argument tree holds no node values (literals, lists and tuples of them).
static bool isConstant(const fx::Arg &a) {
  if (a.getKind() == fx::Arg::Kind::Value)
    return false;
  if (a.getKind() == fx::Arg::Kind::Literal)
    return true;
  return llvm::all_of(a.getElements(), isConstant);
}

using fxmlir::OpError;
using fxmlir::PyValue;

/// What a handle names while a decomposition is built: an fx argument (a node, a literal, or a
/// tuple of them) and what it takes to know its shape and dtype before running it.
struct Item {
  explicit Item(fx::Arg arg) : arg(std::move(arg)) {}
  fx::Arg arg;
  /// A node the builder made: its target and arguments, to evaluate on stand-ins.
  std::string target;
  std::vector<fxmlir::ModuleBuilder::Arg> args;
  std::vector<std::pair<std::string, fxmlir::ModuleBuilder::Arg>> kwargs;
  /// A tuple the builder made (or packed from variadic arguments): its elements' handles.
  std::vector<fxmlir::ModuleBuilder::Handle> elements;
  bool isTuple = false;
  /// A zero-filled stand-in of the value's shape and dtype (a literal's own value), computed
  /// the first time a decomposition asks (most never do).
  std::optional<PyValue> example;
  bool evaluated = false;
};

/// The stand-in of an argument read from the IR: zeros of a static tensor type, the value of a
/// literal, tuples and lists of those; nothing for what the IR does not tell.
std::optional<PyValue> exampleOf(const fx::Arg &arg) {
  switch (arg.getKind()) {
  case fx::Arg::Kind::Value: {
    auto type = dyn_cast<RankedTensorType>(arg.getValue().getType());
    fxmlir::DType dtype;
    if (!type || !type.hasStaticShape() || !dtypeFromElementType(type.getElementType(), dtype))
      return std::nullopt;
    return PyValue(
        fxmlir::Tensor(fxmlir::Shape(type.getShape().begin(), type.getShape().end()), dtype));
  }
  case fx::Arg::Kind::Literal:
    try {
      unsigned next = 0;
      return literalToPyValue(arg.getLiteral(), {}, next);
    } catch (const OpError &) {
      return std::nullopt;
    }
  case fx::Arg::Kind::Tuple:
  case fx::Arg::Kind::List: {
    std::vector<PyValue> items;
    for (const fx::Arg &e : arg.getElements()) {
      std::optional<PyValue> v = exampleOf(e);
      if (!v)
        return std::nullopt;
      items.push_back(std::move(*v));
    }
    return arg.getKind() == fx::Arg::Kind::Tuple ? PyValue::tuple(std::move(items))
                                                 : PyValue::list(std::move(items));
  }
  default:
    return std::nullopt;
  }
}

/// Emits the decomposition as fx nodes before the call_module. A child's decomposition
/// (callChild) is built by a builder of its own that shares the handles.
class IRModuleBuilder : public fxmlir::ModuleBuilder {
public:
  /// `path`: the module's qualified name in the graph module, which its get_attr nodes use.
  IRModuleBuilder(CallModuleOp call, SubmoduleOp module, std::string path,
                  const fxmlir::ModuleInfo &info, NodeNamespace &names, std::vector<Item> &pool)
      : callOp(call), module(module), path(std::move(path)), info(info), builder(call),
        names(names), pool(pool), hypers(bindHyperparameters(module, info)) {}

  /// Binds forward arguments (handles) to the module's forward signature.
  void bindInputs(const std::vector<Handle> &args,
                  const std::vector<std::pair<std::string, Handle>> &kwargs) {
    auto isSequence = [&](size_t i) {
      fx::Arg::Kind k = pool[args[i]].arg.getKind();
      return k == fx::Arg::Kind::Tuple || k == fx::Arg::Kind::List;
    };
    auto fromDefault = [&](const PyValue &v) { return addLiteral(v); };
    auto pack = [&](std::vector<Handle> items) { return makeTuple(std::move(items)); };
    inputs = fxmlir::bindValues(info.forward, args, kwargs, isSequence, fromDefault, pack);
  }

  Handle input(size_t i) override { return inputs.at(i); }

  bool hasParam(const std::string &name) override {
    Operation *decl = lookupQualifiedName(module, name);
    return decl && isa<ParameterOp, BufferOp, TensorConstantOp>(decl);
  }

  Handle param(const std::string &name) override {
    if (!hasParam(name))
      throw OpError("module '" + path + "' has no parameter '" + name + "'");
    Operation *decl = lookupQualifiedName(module, name);
    std::string target = path + "." + name;
    Type type = decl->getAttrOfType<TypeAttr>("type").getValue();
    auto op = GetAttrOp::create(builder, callOp.getLoc(), type,
                                names.createName(nameForTarget("get_attr", target)), target);
    return add(Item(op.getResult()));
  }

  const PyValue &hyper(const std::string &name) override { return hypers[name]; }

  Handle call(const std::string &target, std::vector<ModuleBuilder::Arg> args,
              std::vector<std::pair<std::string, ModuleBuilder::Arg>> kwargs) override {
    std::vector<fx::Arg> a;
    for (const auto &x : args)
      a.push_back(resolve(x));
    std::vector<std::pair<std::string, fx::Arg>> kw;
    for (const auto &[k, x] : kwargs)
      kw.emplace_back(k, resolve(x));
    auto op = CallFunctionOp::create(builder, callOp.getLoc(), AnyType::get(module.getContext()),
                                     names.createName(nameForTarget("call_function", target)),
                                     target, a, kw);
    Item item(op.getResult());
    item.target = target;
    item.args = std::move(args);
    item.kwargs = std::move(kwargs);
    return add(std::move(item));
  }

  std::string childType(const std::string &childPath) override {
    auto child = dyn_cast_or_null<SubmoduleOp>(lookupQualifiedName(module, childPath));
    return child ? child.getModuleType().str() : "";
  }

  PyValue childHyper(const std::string &childPath, const std::string &name) override {
    auto [child, childInfo] = registeredChild(childPath);
    return bindHyperparameters(child, *childInfo)[name];
  }

  Handle callChild(const std::string &childPath, std::vector<ModuleBuilder::Arg> args,
                   std::vector<std::pair<std::string, ModuleBuilder::Arg>> kwargs) override {
    auto [child, childInfo] = registeredChild(childPath);
    IRModuleBuilder inner(callOp, child, path + "." + childPath, *childInfo, names, pool);
    std::vector<Handle> a;
    for (const ModuleBuilder::Arg &x : args)
      a.push_back(toHandle(x));
    std::vector<std::pair<std::string, Handle>> kw;
    for (const auto &[k, x] : kwargs)
      kw.emplace_back(k, toHandle(x));
    inner.bindInputs(a, kw);
    return childInfo->decompose(inner);
  }

  TensorSpec spec(Handle h) override {
    const std::optional<PyValue> &v = example(h);
    if (!v || !v->isTensor())
      throw OpError("the decomposition needs the shape and dtype of a tensor the IR does not "
                    "type statically (give the module's inputs static tensor types)");
    return {v->tensor().shape(), v->tensor().dtype()};
  }

  std::optional<PyValue> literal(Handle h) override {
    if (pool[h].isTuple || !pool[h].target.empty() || !isConstant(pool[h].arg))
      return std::nullopt;
    return example(h);
  }

  Handle tuple(std::vector<ModuleBuilder::Arg> elements) override {
    std::vector<Handle> items;
    for (const ModuleBuilder::Arg &e : elements)
      items.push_back(toHandle(e));
    return makeTuple(std::move(items));
  }

  Handle item(Handle tuple, size_t i) override {
    const Item &t = pool[tuple];
    if (t.isTuple) {
      if (i >= t.elements.size())
        throw OpError("tuple index " + std::to_string(i) + " out of range");
      return t.elements[i];
    }
    fx::Arg::Kind kind = t.arg.getKind();
    if (kind == fx::Arg::Kind::Tuple || kind == fx::Arg::Kind::List) {
      if (i >= t.arg.getElements().size())
        throw OpError("tuple index " + std::to_string(i) + " out of range");
      return add(Item(t.arg.getElements()[i]));
    }
    return call("operator.getitem", {ModuleBuilder::Arg(tuple), PyValue::integer((int64_t)i)}, {});
  }

  /// Adds an argument read from the IR (the call_module's own arguments).
  Handle addArg(fx::Arg a) { return add(Item(std::move(a))); }

  const fx::Arg &value(Handle h) const { return pool[h].arg; }

private:
  Handle add(Item item) {
    pool.push_back(std::move(item));
    return (Handle)pool.size() - 1;
  }
  Handle addLiteral(const PyValue &v) {
    Item item(toLiteral(v));
    item.example = v;
    item.evaluated = true;
    return add(std::move(item));
  }
  Handle makeTuple(std::vector<Handle> items) {
    std::vector<fx::Arg> args;
    for (Handle h : items)
      args.push_back(pool[h].arg);
    Item item(fx::Arg::tuple(std::move(args)));
    item.elements = std::move(items);
    item.isTuple = true;
    return add(std::move(item));
  }
  Handle toHandle(const ModuleBuilder::Arg &x) {
    return x.handle >= 0 ? x.handle : addLiteral(x.literal);
  }
  Attribute toLiteral(const PyValue &v) {
    Attribute a = pyValueToLiteral(module.getContext(), v);
    if (!a)
      throw OpError("value " + v.describe() + " has no literal form");
    return a;
  }
  fx::Arg resolve(const ModuleBuilder::Arg &x) {
    return x.handle >= 0 ? pool[x.handle].arg : fx::Arg(toLiteral(x.literal));
  }

  /// The stand-in of handle `h`: from the IR's types for arguments and parameters, by running
  /// the reference kernel on stand-ins for the nodes the builder made (as fx-shape-prop does).
  const std::optional<PyValue> &example(Handle h) {
    if (pool[h].evaluated)
      return pool[h].example;
    std::optional<PyValue> result;
    if (pool[h].isTuple) {
      std::vector<PyValue> items;
      for (Handle e : std::vector<Handle>(pool[h].elements))
        if (const std::optional<PyValue> &v = example(e))
          items.push_back(*v);
      if (items.size() == pool[h].elements.size())
        result = PyValue::tuple(std::move(items));
    } else if (!pool[h].target.empty()) {
      result = evaluate(pool[h].target, pool[h].args, pool[h].kwargs);
    } else {
      result = exampleOf(pool[h].arg);
    }
    pool[h].example = std::move(result);
    pool[h].evaluated = true;
    return pool[h].example;
  }
  std::optional<PyValue> evaluate(std::string target, std::vector<ModuleBuilder::Arg> args,
                                  std::vector<std::pair<std::string, ModuleBuilder::Arg>> kwargs) {
    auto exampleArg = [&](const ModuleBuilder::Arg &x) -> std::optional<PyValue> {
      return x.handle >= 0 ? example(x.handle) : std::optional<PyValue>(x.literal);
    };
    std::vector<PyValue> a;
    std::vector<std::pair<std::string, PyValue>> kw;
    for (const ModuleBuilder::Arg &x : args) {
      std::optional<PyValue> v = exampleArg(x);
      if (!v)
        return std::nullopt;
      a.push_back(std::move(*v));
    }
    for (const auto &[k, x] : kwargs) {
      std::optional<PyValue> v = exampleArg(x);
      if (!v)
        return std::nullopt;
      kw.emplace_back(k, std::move(*v));
    }
    try {
      return fxmlir::callTarget("call_function", target, a, kw);
    } catch (const OpError &) {
      return std::nullopt; // what zeros cannot run tells nothing of the real call
    }
  }

  std::pair<SubmoduleOp, const fxmlir::ModuleInfo *> registeredChild(const std::string &childPath) {
    auto child = dyn_cast_or_null<SubmoduleOp>(lookupQualifiedName(module, childPath));
    if (!child)
      throw OpError("module '" + path + "' has no submodule '" + childPath + "'");
    const fxmlir::ModuleInfo *childInfo =
        fxmlir::Registry::get().lookupModule(child.getModuleType().str());
    if (!childInfo)
      throw OpError("submodule '" + path + "." + childPath + "' has type " +
                    child.getModuleType().str() + ", which has no registered decomposition");
    return {child, childInfo};
  }

  CallModuleOp callOp;
  SubmoduleOp module;
  std::string path;
  const fxmlir::ModuleInfo &info;
  OpBuilder builder;
  NodeNamespace &names;
  std::vector<Item> &pool;
  fxmlir::BoundArgs hypers;
  std::vector<Handle> inputs;
};

/// Replaces the uses of `old` (the call_module, or an element of its tuple) by `replacement`:
/// a node, a literal, or a tuple whose elements replace the operator.getitem nodes that index
/// it; other users (fx.output, a call taking the tuple) take the tuple of elements.
void replaceResult(Value old, const fx::Arg &replacement) {
  switch (replacement.getKind()) {
  case fx::Arg::Kind::Value: {
    Value v = replacement.getValue();
    // The last node computes what the module did: it takes the module call's type.
    if (Operation *def = v.getDefiningOp(); def && isa<AnyType>(v.getType()))
      v.setType(old.getType());
    old.replaceAllUsesWith(v);
    return;
  }
  case fx::Arg::Kind::Literal:
    replaceAllUsesWithLiteral(old, replacement.getLiteral());
    return;
  case fx::Arg::Kind::Tuple:
  case fx::Arg::Kind::List: {
    const std::vector<fx::Arg> &elements = replacement.getElements();
    for (Operation *user : llvm::make_early_inc_range(old.getUsers())) {
      auto getitem = dyn_cast<CallFunctionOp>(user);
      std::vector<fx::Arg> args;
      if (getitem && getitem.getTarget() == "operator.getitem")
        args = getArgs(getitem);
      std::optional<PyValue> index;
      if (args.size() == 2 && args[0].getKind() == fx::Arg::Kind::Value &&
          args[0].getValue() == old)
        index = exampleOf(args[1]);
      if (!index || index->kind() != PyValue::Kind::Int)
        continue;
      int64_t i = index->toInt(), n = (int64_t)elements.size();
      if (i < -n || i >= n)
        throw OpError("tuple index " + std::to_string(i) + " out of range");
      replaceResult(getitem.getResult(), elements[i < 0 ? i + n : i]);
      getitem.erase();
    }
    replaceAllUsesWithArg(old, replacement);
    return;
  }
  default:
    throw OpError("its decomposition is neither a value nor a tuple");
  }
}

struct DecomposeModules : mlir::fx::impl::FxDecomposeModulesBase<DecomposeModules> {
  /// Whether a registered module is called on a value of unknown type (an untraced graph,
  /// e.g. fx-trace's) while every placeholder's type is known, so shape propagation can type it.
  static bool canPropagateMissingTypes(GraphOp graph) {
    auto untyped = [](Value v) { return isa<AnyType>(v.getType()); };
    auto callsOnUntyped = [&](CallModuleOp call) {
      SubmoduleOp module = call.getCallee();
      return module && fxmlir::Registry::get().lookupModule(module.getModuleType().str()) &&
             llvm::any_of(call->getOperands(), untyped);
    };
    return llvm::any_of(graph.getBodyBlock().getOps<CallModuleOp>(), callsOnUntyped) &&
           llvm::none_of(getPlaceholders(graph),
                         [&](PlaceholderOp p) { return untyped(p.getResult()); });
  }

  void runOnOperation() override {
    GraphOp graph = getOperation().getForward();
    if (!graph)
      return;
    // Decompositions read their inputs' shapes and dtypes (attention's head split, a
    // recurrent layer's sequence length): type an untraced graph first.
    if (canPropagateMissingTypes(graph)) {
      OpPassManager shapes(GraphModuleOp::getOperationName());
      shapes.addPass(createFxShapeProp());
      if (failed(runPipeline(shapes, getOperation())))
        return signalPassFailure();
    }
    NodeNamespace names;
    for (Operation &op : graph.getBodyBlock())
      if (auto n = dyn_cast<NodeOpInterface>(op))
        names.reserve(n.getNodeName());
    for (auto call : llvm::make_early_inc_range(graph.getBodyBlock().getOps<CallModuleOp>())) {
      SubmoduleOp module = call.getCallee();
      const fxmlir::ModuleInfo *info =
          module ? fxmlir::Registry::get().lookupModule(module.getModuleType().str()) : nullptr;
      if (!info)
        continue;
      try {
        std::vector<Item> pool;
        IRModuleBuilder builder(call, module, call.getTarget().str(), *info, names, pool);
        std::vector<IRModuleBuilder::Handle> args;
        for (const fx::Arg &a : getArgs(call))
          args.push_back(builder.addArg(a));
        std::vector<std::pair<std::string, IRModuleBuilder::Handle>> kwargs;
        for (const auto &[k, a] : getKwargs(call))
          kwargs.emplace_back(k, builder.addArg(a));
        builder.bindInputs(args, kwargs);
        replaceResult(call.getResult(), builder.value(info->decompose(builder)));
        call.erase();
      } catch (const fxmlir::OpError &e) {
        call.emitError("cannot decompose %")
            << call.getName() << " = call_module[target=" << call.getTarget() << "] ("
            << module.getModuleType() << "): " << e.what();
        return signalPassFailure();
      }
    }
  }
};
} // namespace
