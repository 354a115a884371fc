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

namespace mlir::fx {
#define GEN_PASS_DEF_FXDECOMPOSEMODULES
#include "fxmlir/Transforms/Passes.h.inc"
} // namespace mlir::fx

using namespace mlir;
using namespace mlir::fx;

namespace {
/// Emits the decomposition as fx nodes before the call_module.
class IRModuleBuilder : public fxmlir::ModuleBuilder {
public:
  IRModuleBuilder(CallModuleOp call, SubmoduleOp module, const fxmlir::ModuleInfo &info,
                  NodeNamespace &names)
      : callOp(call), module(module), builder(call), names(names),
        hypers(bindHyperparameters(module, info)) {
    std::vector<fx::Arg> args = getArgs(call);
    auto isSequence = [&](size_t i) {
      return args[i].getKind() == fx::Arg::Kind::Tuple || args[i].getKind() == fx::Arg::Kind::List;
    };
    auto fromDefault = [&](const fxmlir::PyValue &v) { return fx::Arg(toLiteral(v)); };
    inputs = fxmlir::bindValues(info.forward, args, getKwargs(call), isSequence, fromDefault,
                                fx::Arg::tuple);
  }

  Handle input(size_t i) override { return add(inputs.at(i)); }

  bool hasParam(const std::string &name) override {
    Operation *decl = mlir::SymbolTable::lookupSymbolIn(module, StringRef(name));
    return decl && isa<ParameterOp, BufferOp, TensorConstantOp>(decl);
  }

  Handle param(const std::string &name) override {
    if (!hasParam(name))
      throw fxmlir::OpError("module '" + callOp.getTarget().str() + "' has no parameter '" + name +
                            "'");
    Operation *decl = mlir::SymbolTable::lookupSymbolIn(module, StringRef(name));
    std::string target = (callOp.getTarget() + "." + name).str();
    Type type = decl->getAttrOfType<TypeAttr>("type").getValue();
    auto op = GetAttrOp::create(builder, callOp.getLoc(), type,
                                names.createName(nameForTarget("get_attr", target)), target);
    return add(fx::Arg(op.getResult()));
  }

  const fxmlir::PyValue &hyper(const std::string &name) override { return hypers[name]; }

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
    return add(fx::Arg(op.getResult()));
  }

  const fx::Arg &value(Handle h) const { return handles[h]; }

private:
  Handle add(fx::Arg a) {
    handles.push_back(std::move(a));
    return (Handle)handles.size() - 1;
  }
  Attribute toLiteral(const fxmlir::PyValue &v) {
    Attribute a = pyValueToLiteral(module.getContext(), v);
    if (!a)
      throw fxmlir::OpError("value " + v.describe() + " has no literal form");
    return a;
  }
  fx::Arg resolve(const ModuleBuilder::Arg &x) {
    return x.handle >= 0 ? handles[x.handle] : fx::Arg(toLiteral(x.literal));
  }

  CallModuleOp callOp;
  SubmoduleOp module;
  OpBuilder builder;
  NodeNamespace &names;
  fxmlir::BoundArgs hypers;
  std::vector<fx::Arg> inputs;
  std::vector<fx::Arg> handles;
};

struct DecomposeModules : mlir::fx::impl::FxDecomposeModulesBase<DecomposeModules> {
  void runOnOperation() override {
    GraphOp graph = getOperation().getForward();
    if (!graph)
      return;
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
        IRModuleBuilder builder(call, module, *info, names);
        const fx::Arg &result = builder.value(info->decompose(builder));
        if (result.getKind() != fx::Arg::Kind::Value) {
          call.emitError("decomposition of ") << module.getModuleType() << " is not a value";
          return signalPassFailure();
        }
        Value v = result.getValue();
        // The last node computes what the module did: it takes the module call's type.
        if (Operation *def = v.getDefiningOp(); def && isa<AnyType>(v.getType()))
          v.setType(call.getType());
        call.getResult().replaceAllUsesWith(v);
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
