//===- Tracer.cpp - torch.fx's symbolic tracing in C++ --------------------===//
#include "fxmlir/Frontend/Tracer.h"
#include "fxmlir/Dialect/FX/LiteralSyntax.h"
#include "fxmlir/Bridge/Values.h"


#include <mutex>

namespace fx {

using mlir::fx::Arg;

static thread_local Tracer *currentTracer = nullptr;

namespace {
/// Per-MLIRContext cache of what does not change between traces of the same modules (their
/// hyper-parameter attributes), kept in a dialect so that it lives and dies with the context.
class TracerCacheDialect : public mlir::Dialect {
public:
  explicit TracerCacheDialect(mlir::MLIRContext *context)
      : mlir::Dialect(getDialectNamespace(), context, mlir::TypeID::get<TracerCacheDialect>()) {}
  static llvm::StringRef getDialectNamespace() { return "fx_tracer_cache"; }
  /// Traces in one context may run on several threads.
  mlir::fx::DictAttr lookup(uint64_t id) {
    std::lock_guard<std::mutex> lock(mutex);
    return hyperparameters.lookup(id);
  }
  void insert(uint64_t id, mlir::fx::DictAttr attr) {
    std::lock_guard<std::mutex> lock(mutex);
    hyperparameters[id] = attr;
  }

private:
  std::mutex mutex;
  llvm::DenseMap<uint64_t, mlir::fx::DictAttr> hyperparameters;
};
} // namespace
} // namespace fx
MLIR_DECLARE_EXPLICIT_TYPE_ID(::fx::TracerCacheDialect)
MLIR_DEFINE_EXPLICIT_TYPE_ID(::fx::TracerCacheDialect)
namespace fx {
Tracer *Tracer::current() { return currentTracer; }

Obj PH() { return Obj::tuple({Obj("__fx_PH__")}); }
static bool isPH(const Obj &o) {
  return o.getKind() == Obj::Kind::Tuple && o.getItems().size() == 1 &&
         o.getItems()[0].getKind() == Obj::Kind::Str && o.getItems()[0].str() == "__fx_PH__";
}

Tracer::Tracer(mlir::MLIRContext *context, bool paramShapesConstant)
    : context(context), paramShapesConstant(paramShapesConstant), builder(context) {
  context->loadDialect<mlir::fx::FXDialect>();
}
Tracer::~Tracer() = default;

mlir::OwningOpRef<mlir::ModuleOp> symbolicTrace(mlir::MLIRContext *context, Module &root,
                                                const TraceOptions &options) {
  Tracer tracer(context);
  return tracer.trace(root, options);
}

bool Tracer::isLeafModule(Module &m, const std::string &) {
  const std::string &t = m.getTypeName();
  bool library = t.rfind("torch.nn.", 0) == 0 || t.rfind("torch.ao.nn.", 0) == 0;
  return library && t != "torch.nn.Sequential";
}

std::string Tracer::pathOfModule(Module &m) {
  // Paths are recorded once per trace, while the containers are built.
  auto it = modulePaths.find(&m);
  if (it == modulePaths.end())
    throw TraceError("module is not installed as a submodule");
  return it->second;
}

Obj Tracer::callModule(Module &m, const std::function<Obj(const std::vector<Obj> &)> &forward,
                       const std::vector<Obj> &args) {
  std::string path = pathOfModule(m);
  if (isLeafModule(m, path))
    return createProxy("call_module", path, args);
  stack.push_back(path);
  Obj result = forward(args);
  stack.pop_back();
  return result;
}

Obj Tracer::getattr(Module &owner, const std::string &name) {
  std::string prefix = pathOfModule(owner);
  std::string path = prefix.empty() ? name : prefix + "." + name;
  auto it = attrCache.find(path);
  if (it != attrCache.end())
    return Obj(it->second);
  const Module::Tensor *entry = nullptr;
  for (const Module::Tensor &t : owner.tensors())
    if (t.name == name)
      entry = &t;
  if (!entry)
    throw TraceError("parameter is not a member of this module");
  if (!entry->value)
    return Obj::none();
  Proxy p = createProxy("get_attr", path, {});
  if (paramShapesConstant && !entry->isBuffer)
    p.concreteShape = entry->value->shape();
  attrCache.emplace(path, p);
  return Obj(p);
}

mlir::Type Tracer::typeOf(const std::string &opcode, const std::string &target) {
  if (opcode == "get_attr")
    if (mlir::Operation *decl = mlir::fx::lookupQualifiedName(graphModule, target))
      return decl->getAttrOfType<mlir::TypeAttr>("type").getValue();
  return mlir::fx::AnyType::get(context);
}

Arg Tracer::createArg(const Obj &v) {
  mlir::Builder b(context);
  auto all = [&](const std::vector<Obj> &items) {
    std::vector<Arg> out;
    for (const Obj &o : items)
      out.push_back(createArg(o));
    return out;
  };
  switch (v.getKind()) {
  case Obj::Kind::Proxy:
    if (v.proxy().getTracer() != this)
      throw TraceError("Found multiple different tracers while trying to trace a call");
    return Arg(mlir::Value::getFromOpaquePointer(v.proxy().getValue()));
  case Obj::Kind::None: return Arg(mlir::fx::NoneAttr::get(context));
  case Obj::Kind::Bool: return Arg(b.getBoolAttr(v.toInt() != 0));
  case Obj::Kind::Int: return Arg(b.getI64IntegerAttr(v.toInt()));
  case Obj::Kind::Float: return Arg(b.getF64FloatAttr(v.toDouble()));
  case Obj::Kind::Str: return Arg(b.getStringAttr(v.str()));
  case Obj::Kind::Ellipsis: return Arg(mlir::fx::EllipsisAttr::get(context));
  case Obj::Kind::DType: return Arg(mlir::fx::DTypeAttr::get(context, v.str()));
  case Obj::Kind::Tuple: return Arg::tuple(all(v.getItems()));
  case Obj::Kind::List: return Arg::list(all(v.getItems()));
  case Obj::Kind::Slice: {
    auto parts = all(v.getItems());
    return Arg::slice(parts[0], parts[1], parts[2]);
  }
  case Obj::Kind::Dict: {
    std::vector<std::pair<mlir::Attribute, Arg>> entries;
    for (size_t i = 0; i < v.getKeys().size(); ++i) {
      llvm::SmallVector<mlir::Value> none;
      mlir::Attribute key = mlir::fx::encodeArg(context, createArg(v.getKeys()[i]), none);
      entries.emplace_back(key, createArg(v.getItems()[i]));
    }
    return Arg::dict(entries);
  }
  case Obj::Kind::Tensor: {
    // Any other tensor met while tracing becomes an attribute `_tensor_constantN`.
    const fxmlir::Tensor *key = &v.getTensor();
    auto it = constants.find(key);
    std::string name;
    if (it != constants.end()) {
      name = it->second;
    } else {
      name = "_tensor_constant" + std::to_string(constants.size());
      constants[key] = name;
      newConstants.emplace_back(name, v.getTensor());
      mlir::OpBuilder declBuilder(graph);
      mlir::ElementsAttr value;
      if (withWeights)
        value = mlir::fx::tensorToElementsAttr(context, v.getTensor(), name);
      auto type = mlir::RankedTensorType::get(
          v.getTensor().shape(), mlir::fx::elementTypeOf(context, v.getTensor().dtype()));
      mlir::fx::TensorConstantOp::create(declBuilder, graph.getLoc(), name, type, value);
    }
    return Arg(mlir::Value::getFromOpaquePointer(createProxy("get_attr", name, {}).getValue()));
  }
  }
  throw TraceError("argument of unsupported type");
}

mlir::Operation *Tracer::createNode(const std::string &opcode, const std::string &target,
                                   const std::vector<Arg> &args,
                                   const std::vector<std::pair<std::string, Arg>> &kwargs,
                                   const std::string &name) {
  std::string nodeName =
      names.createName(name.empty() ? mlir::fx::nameForTarget(opcode, target) : name);
  mlir::Location loc = builder.getUnknownLoc();
  mlir::Type type = typeOf(opcode, target);
  if (opcode == "placeholder") {
    llvm::SmallVector<mlir::Value> none;
    mlir::Attribute def = args.empty() ? mlir::Attribute() : mlir::fx::encodeArg(context, args[0], none);
    return mlir::fx::PlaceholderOp::create(builder, loc, type, nodeName, target, def);
  }
  if (opcode == "get_attr")
    return mlir::fx::GetAttrOp::create(builder, loc, type, nodeName, target);
  if (opcode == "call_function")
    return mlir::fx::CallFunctionOp::create(builder, loc, type, nodeName, target, args, kwargs);
  if (opcode == "call_method")
    return mlir::fx::CallMethodOp::create(builder, loc, type, nodeName, target, args, kwargs);
  if (opcode == "call_module")
    return mlir::fx::CallModuleOp::create(builder, loc, type, nodeName, target, args, kwargs);
  throw TraceError("unknown opcode " + opcode);
}

Proxy Tracer::createProxy(const std::string &opcode, const std::string &target,
                          const std::vector<Obj> &args, const Kwargs &kwargs,
                          const std::string &name) {
  std::vector<Arg> a;
  for (const Obj &o : args)
    a.push_back(createArg(o));
  std::vector<std::pair<std::string, Arg>> kw;
  for (const auto &[k, o] : kwargs)
    kw.emplace_back(k, createArg(o));
  mlir::Operation *op = createNode(opcode, target, a, kw, name);
  return Proxy(this, op->getResult(0).getAsOpaquePointer());
}

Obj Tracer::callFunction(const std::string &target, const std::vector<Obj> &args,
                         const Kwargs &kwargs, bool wrapped) {
  Proxy p = createProxy("call_function", target, args, kwargs);
  if (wrapped)
    mlir::Value::getFromOpaquePointer(p.getValue())
        .getDefiningOp()
        ->setAttr("fx.wrapped", mlir::UnitAttr::get(context));
  return Obj(p);
}

Obj WrappedFunction::call(const std::vector<Obj> &args) const {
  bool proxy = false;
  for (const Obj &a : args)
    proxy |= a.containsProxy();
  if (!proxy)
    return impl(args);
  Tracer *t = Tracer::current();
  return t->callFunction(name, args, {}, /*wrapped=*/true);
}

void Tracer::buildContainers(Module &m, mlir::Block &body, const std::string &prefix) {
  auto *cache = context->getOrLoadDialect<TracerCacheDialect>();
  modulePaths.emplace(&m, prefix.empty() ? "" : prefix.substr(0, prefix.size() - 1));
  mlir::OpBuilder b = mlir::OpBuilder::atBlockEnd(&body);
  mlir::Location loc = b.getUnknownLoc();
  for (const Module::Tensor &t : m.tensors()) {
    if (!t.value)
      continue;
    auto type = mlir::RankedTensorType::get(t.value->shape(),
                                            mlir::fx::elementTypeOf(context, t.value->dtype()));
    mlir::ElementsAttr value;
    if (withWeights)
      value = mlir::fx::tensorToElementsAttr(context, *t.value, prefix + t.name);
    if (t.isBuffer)
      mlir::fx::BufferOp::create(b, loc, t.name, type, value);
    else
      mlir::fx::ParameterOp::create(b, loc, t.name, type, value);
  }
  for (auto &[name, child] : m.children()) {
    mlir::fx::DictAttr hp = cache->lookup(child->getId());
    if (!hp) {
      std::vector<mlir::Attribute> keys, values;
      for (const auto &[k, v] : child->cachedHyperparameters()) {
        keys.push_back(b.getStringAttr(k));
        llvm::SmallVector<mlir::Value> none;
        values.push_back(mlir::fx::encodeArg(context, createArg(v), none));
      }
      hp = mlir::fx::DictAttr::get(context, b.getArrayAttr(keys), b.getArrayAttr(values));
      cache->insert(child->getId(), hp);
    }
    auto sub = mlir::fx::SubmoduleOp::create(b, loc, name, child->getTypeName(), hp);
    buildContainers(*child, sub.getBodyBlock(), prefix + name + ".");
  }
}

std::vector<Obj> Tracer::placeholders(Module &root, const TraceOptions &options) {
  std::vector<Obj> args;
  size_t typeIndex = 0;
  auto nextType = [&]() -> mlir::Type {
    return typeIndex < options.inputTypes.size() ? options.inputTypes[typeIndex++]
                                                 : mlir::fx::AnyType::get(context);
  };
  auto placeholder = [&](const ForwardParam &param, const std::string &name,
                         const std::optional<Obj> &def) {
    std::vector<Obj> defaults;
    if (def)
      defaults.push_back(*def);
    Proxy p = createProxy("placeholder", name, defaults, {}, name);
    mlir::Value value = mlir::Value::getFromOpaquePointer(p.getValue());
    value.setType(nextType());
    if (!param.annotation.empty())
      value.getDefiningOp()->setAttr("fx.type", mlir::StringAttr::get(context, param.annotation));
    return p;
  };
  for (const ForwardParam &param : root.signature()) {
    auto concrete = options.concreteArgs.find(param.name);
    if (concrete == options.concreteArgs.end()) {
      args.push_back(Obj(placeholder(param, param.name, param.defaultValue)));
      continue;
    }
    // torch.fx: each leaf becomes `<name>_<n>`; PH stays symbolic, a value is asserted.
    int count = 0;
    std::function<Obj(const Obj &)> replace = [&](const Obj &leaf) -> Obj {
      if (isPH(leaf))
        return Obj(placeholder(param, param.name + "_" + std::to_string(++count),
                               param.defaultValue));
      if (leaf.getKind() == Obj::Kind::Dict) {
        std::vector<std::pair<Obj, Obj>> entries;
        for (size_t i = 0; i < leaf.getKeys().size(); ++i)
          entries.emplace_back(leaf.getKeys()[i], replace(leaf.getItems()[i]));
        return Obj::dict(entries);
      }
      if (leaf.getKind() == Obj::Kind::Tuple || leaf.getKind() == Obj::Kind::List) {
        std::vector<Obj> items;
        for (const Obj &o : leaf.getItems())
          items.push_back(replace(o));
        return leaf.getKind() == Obj::Kind::Tuple ? Obj::tuple(items) : Obj::list(items);
      }
      Proxy ph = placeholder(param, param.name + "_" + std::to_string(++count), param.defaultValue);
      std::string shown = leaf.isNone() ? "None"
                          : leaf.getKind() == Obj::Kind::Bool ? (leaf.toInt() ? "True" : "False")
                          : leaf.getKind() == Obj::Kind::Str ? leaf.str()
                          : leaf.getKind() == Obj::Kind::Float ? mlir::fx::formatPythonFloat(leaf.toDouble())
                                                               : std::to_string(leaf.toInt());
      std::string message = param.name + " has been specialized to have value " + shown +
                            " but got another value";
      if (leaf.isNone())
        callFunction("torch.fx._symbolic_trace._assert_is_none", {Obj(ph), Obj(message)});
      else
        callFunction("torch._assert", {Obj(ph == leaf), Obj(message)});
      return leaf;
    };
    args.push_back(replace(concrete->second));
  }
  return args;
}

namespace {
/// Makes `tracer` the current one for the duration of a trace.
struct CurrentTracerScope {
  explicit CurrentTracerScope(Tracer *t) {
    if (currentTracer)
      throw TraceError("Found multiple different tracers: a trace is already in progress");
    currentTracer = t;
  }
  ~CurrentTracerScope() { currentTracer = nullptr; }
};
} // namespace

mlir::OwningOpRef<mlir::ModuleOp> Tracer::trace(Module &rootModule, const TraceOptions &options) {
  root = &rootModule;
  withWeights = options.withWeights;
  names = mlir::fx::NodeNamespace();
  attrCache.clear();
  constants.clear();
  newConstants.clear();
  stack.clear();
  modulePaths.clear();
  mlir::OwningOpRef<mlir::ModuleOp> module = mlir::ModuleOp::create(builder.getUnknownLoc());
  builder.setInsertionPointToEnd(module->getBody());
  graphModule = mlir::fx::GraphModuleOp::create(builder, builder.getUnknownLoc(),
                                                rootModule.className());
  buildContainers(rootModule, graphModule.getBodyBlock(), "");
  builder.setInsertionPointToEnd(&graphModule.getBodyBlock());
  graph = mlir::fx::GraphOp::create(builder, builder.getUnknownLoc(), "forward");
  builder.setInsertionPointToEnd(&graph.getBodyBlock());
  // A failed trace throws; `module` then goes away with everything built so far.
  CurrentTracerScope scope(this);
  std::vector<Obj> args = placeholders(rootModule, options);
  Obj result = rootModule.forwardArgs(args);
  auto out = mlir::fx::OutputOp::create(builder, builder.getUnknownLoc(), createArg(result));
  if (!rootModule.returnAnnotation().empty())
    out->setAttr("fx.type", mlir::StringAttr::get(context, rootModule.returnAnnotation()));
  return module;
}

} // namespace fx
