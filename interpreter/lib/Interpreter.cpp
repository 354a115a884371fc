//===- Interpreter.cpp - Run fx graphs with reference kernels -------------===//
#include "fxmlir/Interpreter/Interpreter.h"
#include "fxmlir/Bridge/Values.h"
#include "fxmlir/Ops/Registry.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"

using namespace mlir;
using namespace mlir::fx;
using fxmlir::DType;
using fxmlir::OpError;
using fxmlir::PyValue;
using fxmlir::Tensor;

namespace {

std::string describeNode(NodeOpInterface node) {
  return ("%" + node.getNodeName() + " = " + node.getOpcode() + "[target=" + node.getTargetName() +
          "]")
      .str();
}

class GraphInterpreter;

/// Runs a module's decomposition eagerly: handles index computed values.
class EagerModuleBuilder : public fxmlir::ModuleBuilder {
public:
  EagerModuleBuilder(GraphInterpreter &interp, SubmoduleOp module, std::string qualName,
                     const fxmlir::ModuleInfo &info, std::vector<PyValue> forwardArgs);
  Handle input(size_t i) override;
  Handle param(const std::string &name) override;
  bool hasParam(const std::string &name) override;
  const PyValue &hyper(const std::string &name) override;
  Handle call(const std::string &target, std::vector<Arg> args,
              std::vector<std::pair<std::string, Arg>> kwargs) override;
  std::string childType(const std::string &path) override;
  PyValue childHyper(const std::string &path, const std::string &name) override;
  Handle callChild(const std::string &path, std::vector<Arg> args,
                   std::vector<std::pair<std::string, Arg>> kwargs) override;
  TensorSpec spec(Handle h) override;
  std::optional<PyValue> literal(Handle h) override;
  Handle tuple(std::vector<Arg> elements) override;
  Handle item(Handle tuple, size_t i) override;
  const PyValue &value(Handle h) const { return values[h]; }

  /// Runs the decomposition of `module` (registered as `info`, qualified name `qualName` with
  /// a trailing dot) on forward arguments bound to its forward signature.
  static PyValue run(GraphInterpreter &interp, SubmoduleOp module, std::string qualName,
                     const fxmlir::ModuleInfo &info, const std::vector<PyValue> &args,
                     const std::vector<std::pair<std::string, PyValue>> &kwargs);

private:
  Handle add(PyValue v) {
    values.push_back(std::move(v));
    return (Handle)values.size() - 1;
  }
  PyValue resolve(const Arg &a) const { return a.handle >= 0 ? values[a.handle] : a.literal; }
  /// Positional and keyword arguments as values.
  std::pair<std::vector<PyValue>, std::vector<std::pair<std::string, PyValue>>>
  resolveAll(const std::vector<Arg> &args,
             const std::vector<std::pair<std::string, Arg>> &kwargs) const {
    std::vector<PyValue> a;
    for (const Arg &x : args)
      a.push_back(resolve(x));
    std::vector<std::pair<std::string, PyValue>> kw;
    for (const auto &[k, x] : kwargs)
      kw.emplace_back(k, resolve(x));
    return {a, kw};
  }

  GraphInterpreter &interp;
  SubmoduleOp module;
  std::string qualName;
  fxmlir::BoundArgs hypers;
  std::vector<PyValue> inputs;
  std::vector<PyValue> values;
};

class GraphInterpreter {
public:
  GraphInterpreter(GraphModuleOp root, NodeObserver observer, bool zeroFill)
      : root(root), observer(observer), zeroFill(zeroFill) {}

  FailureOr<PyValue> run(GraphOp graph, Operation *owner, StringRef prefix,
                         ArrayRef<PyValue> inputs) {
    llvm::DenseMap<Value, PyValue> env;
    auto placeholders = getPlaceholders(graph);
    if (inputs.size() > placeholders.size())
      return graph.emitError("graph takes ")
             << placeholders.size() << " inputs but " << inputs.size() << " were given";
    size_t nextInput = 0;
    for (Operation &op : graph.getBodyBlock()) {
      auto node = cast<NodeOpInterface>(op);
      try {
        if (auto ph = dyn_cast<PlaceholderOp>(op)) {
          if (nextInput < inputs.size()) {
            env[ph.getResult()] = inputs[nextInput++];
          } else if (Attribute def = ph.getDefaultValueAttr()) {
            unsigned next = 0;
            env[ph.getResult()] = literalToPyValue(def, {}, next);
          } else {
            return op.emitError("Expected positional argument for parameter ")
                   << ph.getTarget() << ", but one was not passed in!";
          }
          if (observesNodes(owner))
            observer(&op, env[ph.getResult()]);
          continue;
        }
        std::vector<PyValue> operands;
        for (Value v : op.getOperands())
          operands.push_back(env.lookup(v));
        if (auto out = dyn_cast<OutputOp>(op)) {
          unsigned next = 0;
          return literalToPyValue(out.getArgs()[0], operands, next);
        }
        FailureOr<PyValue> result = execute(node, owner, prefix, operands);
        if (failed(result))
          return failure();
        if (observesNodes(owner))
          observer(&op, *result);
        env[op.getResult(0)] = std::move(*result);
      } catch (const OpError &e) {
        return op.emitError("while executing ") << describeNode(node) << ": " << e.what();
      }
    }
    return graph.emitError("graph has no output");
  }

  /// A parameter/buffer/constant by its qualified path under `owner`.
  PyValue attribute(Operation *owner, StringRef prefix, StringRef path) {
    std::string key = (prefix + path).str();
    auto it = tensors.find(key);
    if (it != tensors.end())
      return it->second;
    Operation *decl = lookupQualifiedName(owner, path);
    if (!decl || !isa<ParameterOp, BufferOp, TensorConstantOp>(decl))
      throw OpError("no parameter, buffer or constant '" + key + "'");
    if (zeroFill && !decl->getAttr("value")) {
      auto type = cast<TensorType>(decl->getAttrOfType<TypeAttr>("type").getValue());
      DType dtype;
      if (type.hasStaticShape() && dtypeFromElementType(type.getElementType(), dtype)) {
        tensors[key] = Tensor(fxmlir::Shape(type.getShape().begin(), type.getShape().end()), dtype);
        return tensors[key];
      }
    }
    FailureOr<Tensor> t = tensorFromDeclaration(decl);
    if (failed(t))
      throw OpError("cannot read '" + key + "' (see the error above)");
    tensors[key] = *t;
    return *t;
  }

private:
  FailureOr<PyValue> execute(NodeOpInterface node, Operation *owner, StringRef prefix,
                             const std::vector<PyValue> &operands) {
    Operation *op = node.getOperation();
    if (isa<GetAttrOp>(op))
      return attribute(owner, prefix, node.getTargetName());
    if (callsFunctionBody(op))
      return callFunctionBody(cast<CallFunctionOp>(op), owner, prefix, operands);
    CallArguments call = callArguments(node, operands);
    if (auto callModuleOp = dyn_cast<CallModuleOp>(op))
      return callModule(callModuleOp, owner, prefix, call.args, call.kwargs);
    return fxmlir::callTarget(node.getOpcode().str(), node.getTargetName().str(), call.args,
                              call.kwargs);
  }

  FailureOr<PyValue> callModule(CallModuleOp call, Operation *owner, StringRef prefix,
                                std::vector<PyValue> args,
                                const std::vector<std::pair<std::string, PyValue>> &kwargs) {
    auto module = dyn_cast_or_null<SubmoduleOp>(lookupQualifiedName(owner, call.getTarget()));
    if (!module)
      throw OpError("no submodule '" + call.getTarget().str() + "'");
    std::string qualName = (prefix + call.getTarget() + ".").str();
    // A traced submodule (split_module's submod_N) runs its own graph.
    if (auto graph = dyn_cast_or_null<GraphOp>(
            mlir::SymbolTable::lookupSymbolIn(module, StringRef("forward")))) {
      if (!kwargs.empty())
        throw OpError("keyword arguments to a traced submodule are not supported");
      return run(graph, module, qualName, args);
    }
    const fxmlir::ModuleInfo *info =
        fxmlir::Registry::get().lookupModule(module.getModuleType().str());
    if (!info)
      throw OpError("no reference implementation for module type '" +
                    module.getModuleType().str() + "'");
    return EagerModuleBuilder::run(*this, module, qualName, *info, args, kwargs);
  }

  /// A call of a `torch.fx.wrap`ped function runs the body the importer recorded, its
  /// placeholders bound to the node's operands in order (positional, then keyword arguments;
  /// literal arguments are constants of the body).
  FailureOr<PyValue> callFunctionBody(CallFunctionOp call, Operation *owner, StringRef prefix,
                                      const std::vector<PyValue> &operands) {
    std::string unrecorded = getUnrecordedBodyMessage(call);
    if (!unrecorded.empty())
      throw OpError(unrecorded);
    GraphOp body = getFunctionBody(call);
    if (!body)
      throw OpError("the body of wrapped function " + call.getTarget().str() +
                    " is not in the graph module");
    if (bodyDepth >= kMaxFunctionBodyDepth)
      throw OpError("bodies of wrapped functions nest more than " +
                    std::to_string(kMaxFunctionBodyDepth) + " deep (do they call each other?)");
    // Bodies are looked up from the caller's module outwards: its own, else the root.
    StringRef bodyPrefix = body.getOwner() == owner ? prefix : StringRef();
    ++bodyDepth;
    FailureOr<PyValue> result = run(body, body.getOwner(), bodyPrefix, operands);
    --bodyDepth;
    if (failed(result))
      throw OpError("in the recorded body of wrapped function " + call.getTarget().str() +
                    " (see the error above)");
    return result;
  }

  /// Whether the observer sees the nodes of a graph of `owner`: ShapeProp types the top-level
  /// graph only, not the bodies of the functions it calls.
  bool observesNodes(Operation *owner) {
    return observer && owner == root.getOperation() && bodyDepth == 0;
  }

  GraphModuleOp root;
  NodeObserver observer;
  bool zeroFill;
  llvm::StringMap<PyValue> tensors;
  unsigned bodyDepth = 0;
};

} // namespace

namespace {

EagerModuleBuilder::EagerModuleBuilder(GraphInterpreter &interp, SubmoduleOp module,
                                       std::string qualName, const fxmlir::ModuleInfo &info,
                                       std::vector<PyValue> forwardArgs)
    : interp(interp), module(module), qualName(std::move(qualName)),
      hypers(bindHyperparameters(module, info)), inputs(std::move(forwardArgs)) {}

fxmlir::ModuleBuilder::Handle EagerModuleBuilder::input(size_t i) { return add(inputs.at(i)); }

bool EagerModuleBuilder::hasParam(const std::string &name) {
  Operation *decl = lookupQualifiedName(module, name);
  return decl && isa<ParameterOp, BufferOp, TensorConstantOp>(decl);
}

fxmlir::ModuleBuilder::Handle EagerModuleBuilder::param(const std::string &name) {
  if (!hasParam(name))
    throw OpError("module '" + qualName.substr(0, qualName.size() - 1) + "' of type " +
                  module.getModuleType().str() + " has no parameter or buffer '" + name + "'");
  return add(interp.attribute(module, qualName, name));
}

const PyValue &EagerModuleBuilder::hyper(const std::string &name) { return hypers[name]; }

fxmlir::ModuleBuilder::Handle
EagerModuleBuilder::call(const std::string &target, std::vector<Arg> args,
                         std::vector<std::pair<std::string, Arg>> kwargs) {
  auto [a, kw] = resolveAll(args, kwargs);
  return add(fxmlir::callTarget("call_function", target, a, kw));
}

PyValue EagerModuleBuilder::run(GraphInterpreter &interp, SubmoduleOp module, std::string qualName,
                                const fxmlir::ModuleInfo &info, const std::vector<PyValue> &args,
                                const std::vector<std::pair<std::string, PyValue>> &kwargs) {
  fxmlir::BoundArgs fwd = fxmlir::bindArguments(info.forward, args, kwargs);
  std::vector<PyValue> forwardArgs;
  for (size_t i = 0; i < fwd.size(); ++i)
    forwardArgs.push_back(fwd.at(i));
  EagerModuleBuilder builder(interp, module, std::move(qualName), info, forwardArgs);
  return builder.value(info.decompose(builder));
}

std::string EagerModuleBuilder::childType(const std::string &path) {
  auto child = dyn_cast_or_null<SubmoduleOp>(lookupQualifiedName(module, path));
  return child ? child.getModuleType().str() : "";
}

/// The child submodule at `path` of `module` and its registry entry; throws OpError naming
/// what is missing.
static std::pair<SubmoduleOp, const fxmlir::ModuleInfo *> registeredChild(SubmoduleOp module,
                                                                          const std::string &path) {
  auto child = dyn_cast_or_null<SubmoduleOp>(lookupQualifiedName(module, path));
  if (!child)
    throw OpError("module of type " + module.getModuleType().str() + " has no submodule '" + path +
                  "'");
  const fxmlir::ModuleInfo *info =
      fxmlir::Registry::get().lookupModule(child.getModuleType().str());
  if (!info)
    throw OpError("submodule '" + path + "' has type " + child.getModuleType().str() +
                  ", which has no registered decomposition");
  return {child, info};
}

PyValue EagerModuleBuilder::childHyper(const std::string &path, const std::string &name) {
  auto [child, info] = registeredChild(module, path);
  return bindHyperparameters(child, *info)[name];
}

fxmlir::ModuleBuilder::Handle
EagerModuleBuilder::callChild(const std::string &path, std::vector<Arg> args,
                              std::vector<std::pair<std::string, Arg>> kwargs) {
  auto [child, info] = registeredChild(module, path);
  auto [a, kw] = resolveAll(args, kwargs);
  return add(run(interp, child, qualName + path + ".", *info, a, kw));
}

fxmlir::ModuleBuilder::TensorSpec EagerModuleBuilder::spec(Handle h) {
  const Tensor &t = values[h].tensor();
  return {t.shape(), t.dtype()};
}

std::optional<PyValue> EagerModuleBuilder::literal(Handle h) {
  if (values[h].isTensor())
    return std::nullopt;
  return values[h];
}

fxmlir::ModuleBuilder::Handle EagerModuleBuilder::tuple(std::vector<Arg> elements) {
  std::vector<PyValue> items;
  for (const Arg &e : elements)
    items.push_back(resolve(e));
  return add(PyValue::tuple(std::move(items)));
}

fxmlir::ModuleBuilder::Handle EagerModuleBuilder::item(Handle tuple, size_t i) {
  const std::vector<PyValue> &items = values[tuple].items();
  if (i >= items.size())
    throw OpError("tuple index " + std::to_string(i) + " out of range");
  return add(items[i]);
}

} // namespace

FailureOr<PyValue> mlir::fx::interpretGraphModule(GraphModuleOp module,
                                                  ArrayRef<PyValue> inputs,
                                                  NodeObserver observer,
                                                  bool zeroFillDeclarations) {
  GraphOp graph = module.getForward();
  if (!graph)
    return module.emitError("fx.graph_module @") << module.getSymName() << " has no @forward graph";
  GraphInterpreter interp(module, observer, zeroFillDeclarations);
  return interp.run(graph, module, "", inputs);
}
