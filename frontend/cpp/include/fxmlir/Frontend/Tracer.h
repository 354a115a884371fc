//===- Tracer.h - torch.fx's symbolic tracing in C++ -------------*- C++ -*-===//
//
//   fx::Tracer tracer(&context);
//   mlir::OwningOpRef<mlir::ModuleOp> ir = tracer.trace(model);   // fx.graph_module @<Class>
//
// The hooks are torch.fx's, as virtual methods: isLeafModule, callModule, createProxy,
// createNode, createArg, getattr, pathOfModule. A failed trace throws TraceError and leaves
// nothing behind.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_FRONTEND_TRACER_H
#define FXMLIR_FRONTEND_TRACER_H

#include "fxmlir/Dialect/FX/FXOps.h"
#include "fxmlir/Dialect/FX/Naming.h"
#include "fxmlir/Frontend/Module.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

#include <map>
#include <set>

namespace fx {

/// Marks a concrete argument that stays a placeholder (torch.fx's PH).
Obj PH();

struct TraceOptions {
  /// Concrete values for forward parameters, by name; PH() leaves inside keep placeholders.
  std::map<std::string, Obj> concreteArgs;
  /// Types of the placeholders in order (`tensor<1x3x224x224xf32>`); !fx.any otherwise.
  std::vector<mlir::Type> inputTypes;
  /// Parameter values in the IR (dense_resource); false declares them only.
  bool withWeights = true;
};

class Tracer {
public:
  /// paramShapesConstant: a parameter's shape/size()/dim() are concrete values instead of
  /// nodes. (Autowrapping needs no list here: `fx::math::*` and `fx::call` record a node when
  /// a proxy is among the arguments and compute the value otherwise.)
  explicit Tracer(mlir::MLIRContext *context, bool paramShapesConstant = false);
  virtual ~Tracer();

  /// Traces root's forward into a new module holding one fx.graph_module.
  mlir::OwningOpRef<mlir::ModuleOp> trace(Module &root, const TraceOptions &options = {});

  // torch.fx's hooks.
  virtual bool isLeafModule(Module &m, const std::string &qualifiedName);
  virtual Obj callModule(Module &m, const std::function<Obj(const std::vector<Obj> &)> &forward,
                         const std::vector<Obj> &args);
  virtual Proxy createProxy(const std::string &opcode, const std::string &target,
                            const std::vector<Obj> &args, const Kwargs &kwargs = {},
                            const std::string &name = "");
  virtual mlir::Operation *createNode(const std::string &opcode, const std::string &target,
                                      const std::vector<mlir::fx::Arg> &args,
                                      const std::vector<std::pair<std::string, mlir::fx::Arg>> &kwargs,
                                      const std::string &name);
  virtual mlir::fx::Arg createArg(const Obj &value);
  /// `module.param(name)`: one cached get_attr proxy per parameter or buffer.
  virtual Obj getattr(Module &owner, const std::string &name);
  virtual std::string pathOfModule(Module &m);

  /// A call_function, or for autowrapped / wrapped functions the node only when a proxy is
  /// among the arguments.
  Obj callFunction(const std::string &target, const std::vector<Obj> &args,
                   const Kwargs &kwargs = {}, bool wrapped = false);

  /// The tracer of the trace in progress (null outside one).
  static Tracer *current();
  mlir::MLIRContext *getContext() const { return context; }
  /// The module stack (qualified names) while tracing through modules.
  const std::vector<std::string> &moduleStack() const { return stack; }

protected:
  mlir::MLIRContext *context;
  bool paramShapesConstant;

private:
  friend class Proxy;
  mlir::Type typeOf(const std::string &opcode, const std::string &target);
  void buildContainers(Module &m, mlir::Block &body, const std::string &prefix);
  std::vector<Obj> placeholders(Module &root, const TraceOptions &options);

  Module *root = nullptr;
  mlir::fx::GraphModuleOp graphModule;
  mlir::fx::GraphOp graph;
  mlir::OpBuilder builder;
  mlir::fx::NodeNamespace names;
  std::map<std::string, Proxy> attrCache;
  std::map<const fxmlir::Tensor *, std::string> constants;
  std::vector<std::pair<std::string, fxmlir::Tensor>> newConstants;
  std::vector<std::string> stack;
  std::map<const Module *, std::string> modulePaths;
  bool withWeights = true;
};

/// torch.fx.symbolic_trace: trace with the default tracer.
mlir::OwningOpRef<mlir::ModuleOp> symbolicTrace(mlir::MLIRContext *context, Module &root,
                                                const TraceOptions &options = {});

/// torch.fx.wrap: a user function recorded as one call_function node when a proxy is among its
/// arguments, and called normally otherwise.
///   static auto scaleBy = fx::wrap("my_lib.scale_by", +[](Obj x, Obj s) { return x * s; });
class WrappedFunction {
public:
  WrappedFunction(std::string name, std::function<Obj(const std::vector<Obj> &)> impl)
      : name(std::move(name)), impl(std::move(impl)) {}
  template <typename... Args>
  Obj operator()(Args &&...args) const {
    return call({Obj(std::forward<Args>(args))...});
  }
  Obj call(const std::vector<Obj> &args) const;

private:
  std::string name;
  std::function<Obj(const std::vector<Obj> &)> impl;
};
template <typename F>
WrappedFunction wrap(std::string name, F fn) {
  return WrappedFunction(std::move(name), [fn](const std::vector<Obj> &a) -> Obj {
    if constexpr (std::is_invocable_v<F, Obj>)
      return fn(a.at(0));
    else if constexpr (std::is_invocable_v<F, Obj, Obj>)
      return fn(a.at(0), a.at(1));
    else
      return fn(a.at(0), a.at(1), a.at(2));
  });
}

} // namespace fx

#endif
