//===- Module.h - torch.nn.Module in C++ ------------------------*- C++ -*-===//
//
// A module owns named parameters, buffers and submodules (in registration order, like
// torch's), and a forward. Calling a module while tracing goes through Tracer::callModule,
// which records a call_module for leaves and traces through the others.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_FRONTEND_MODULE_H
#define FXMLIR_FRONTEND_MODULE_H

#include "fxmlir/Frontend/Proxy.h"

#include <functional>
#include <map>
#include <memory>

namespace fx {

/// A forward parameter: its name and, optionally, its default.
struct ForwardParam {
  std::string name;
  std::optional<Obj> defaultValue;
  /// The Python annotation torch.fx records as the placeholder's type (`torch.Tensor`).
  std::string annotation = "";
};

class Module : public std::enable_shared_from_this<Module> {
public:
  /// `typeName` is the qualified class name (`torch.nn.Conv2d`, `my_models.Block`).
  explicit Module(std::string typeName);
  virtual ~Module() = default;

  const std::string &getTypeName() const { return typeName; }
  /// Unique for the life of the process (never reused): keys per-module caches.
  uint64_t getId() const { return id; }
  /// The class name without its module path (the GraphModule's name for a root).
  std::string className() const;

  /// forward's parameters after self (default: one, `x`).
  virtual std::vector<ForwardParam> signature() const { return {{"x", std::nullopt}}; }
  /// The forward of most modules: one input.
  virtual Obj forward(const Obj &x);
  /// The general forward, one Obj per signature entry; defaults to forward(args[0]).
  virtual Obj forwardArgs(const std::vector<Obj> &args);
  /// forward's return annotation (`torch.Tensor`), or "".
  virtual std::string returnAnnotation() const { return ""; }
  /// Constructor arguments kept as attributes (the fx.submodule's hyper-parameters).
  virtual Kwargs hyperparameters() const { return {}; }
  /// hyperparameters(), computed once (they do not change after construction).
  const Kwargs &cachedHyperparameters() const {
    if (!hyperCache)
      hyperCache = hyperparameters();
    return *hyperCache;
  }

  /// Calls the module: recorded or traced through by the current tracer.
  Obj operator()(const Obj &x);
  Obj operator()(const std::vector<Obj> &args);

  template <typename M>
  std::shared_ptr<M> registerModule(const std::string &name, std::shared_ptr<M> m) {
    addModule(name, m);
    return m;
  }
  void addModule(const std::string &name, std::shared_ptr<Module> m);
  fxmlir::Tensor &registerParameter(const std::string &name, fxmlir::Tensor t);
  fxmlir::Tensor &registerBuffer(const std::string &name, fxmlir::Tensor t);
  /// Shares a parameter with another module (a tied LM head).
  void tieParameter(const std::string &name, Module &owner, const std::string &ownerName);
  void setParameterNone(const std::string &name);

  /// `self.weight` inside forward: a get_attr proxy (parameters and buffers).
  Obj param(const std::string &name);

  const std::vector<std::pair<std::string, std::shared_ptr<Module>>> &children() const {
    return childList;
  }
  struct Tensor {
    std::string name;
    std::shared_ptr<fxmlir::Tensor> value; // null for `register_parameter(name, None)`
    bool isBuffer;
  };
  const std::vector<Tensor> &tensors() const { return tensorList; }
  Module *child(const std::string &name) const;
  bool training = false;

private:
  std::string typeName;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> childList;
  std::vector<Tensor> tensorList;
  mutable std::optional<Kwargs> hyperCache;
  uint64_t id;
};

/// torch.nn.Sequential: traced through, its children called in order.
class Sequential : public Module {
public:
  Sequential(std::vector<std::shared_ptr<Module>> modules = {});
  void append(std::shared_ptr<Module> m);
  Obj forward(const Obj &x) override;
};

/// torch.nn.ModuleList / ModuleDict: containers, never called themselves.
class ModuleList : public Module {
public:
  ModuleList(std::vector<std::shared_ptr<Module>> modules = {});
  void append(std::shared_ptr<Module> m);
  Module &operator[](size_t i) const;
  size_t size() const { return children().size(); }
};
class ModuleDict : public Module {
public:
  ModuleDict() : Module("torch.nn.ModuleDict") {}
  void insert(const std::string &key, std::shared_ptr<Module> m) { addModule(key, m); }
  Module &operator[](const std::string &key) const;
};

/// The generator that parameter initialisation draws from (torch.manual_seed's role).
void manualSeed(uint64_t seed);
double uniform(double lo, double hi);
double normal(double mean, double stddev);
fxmlir::Tensor uniformTensor(fxmlir::Shape shape, double bound);
fxmlir::Tensor normalTensor(fxmlir::Shape shape, double stddev);

} // namespace fx

#endif
