//===- Registry.cpp - The op and module registry --------------------------===//
#include "fxmlir/Ops/Registry.h"

namespace fxmlir {

const Registry &Registry::get() {
  static const Registry *registry = [] {
    auto *r = new Registry();
    registerElementwiseOps(*r);
    registerLinearAlgebraOps(*r);
    registerConvolutionAndPoolingOps(*r);
    registerNormalizationOps(*r);
    registerShapeOps(*r);
    registerReductionAndCreationOps(*r);
    registerIndexingOps(*r);
    registerModules(*r);
    registerSequenceModules(*r);
    return r;
  }();
  return *registry;
}

OpInfo &Registry::addOp(const std::string &schema, std::vector<std::string> aliases,
                        Kernel kernel) {
  auto info = std::make_unique<OpInfo>();
  info->schema = Schema::parse(schema);
  info->aliases = std::move(aliases);
  info->kernel = std::move(kernel);
  auto key = [](const std::string &target) {
    return target.rfind("method:", 0) == 0 ? "call_method:" + target.substr(7)
                                           : "call_function:" + target;
  };
  byTarget[key(info->schema.name)] = info.get();
  for (const std::string &a : info->aliases)
    byTarget[key(a)] = info.get();
  opList.push_back(std::move(info));
  return *opList.back();
}

ModuleInfo &Registry::addModule(const std::string &type, const std::string &constructor,
                                const std::string &forward,
                                std::function<ModuleBuilder::Handle(ModuleBuilder &)> decompose) {
  auto info = std::make_unique<ModuleInfo>();
  info->type = type;
  info->constructor = Schema::parse(constructor);
  info->forward = Schema::parse(forward);
  info->decompose = std::move(decompose);
  ModuleInfo &result = *info;
  modules[type] = std::move(info);
  return result;
}

const OpInfo *Registry::lookupOp(const std::string &opcode, const std::string &target) const {
  auto it = byTarget.find(opcode + ":" + target);
  return it == byTarget.end() ? nullptr : it->second;
}

const ModuleInfo *Registry::lookupModule(const std::string &type) const {
  auto it = modules.find(type);
  return it == modules.end() ? nullptr : it->second.get();
}

PyValue callTarget(const std::string &opcode, const std::string &target,
                   const std::vector<PyValue> &args,
                   const std::vector<std::pair<std::string, PyValue>> &kwargs) {
  const OpInfo *info = Registry::get().lookupOp(opcode, target);
  if (!info)
    throw OpError("no reference kernel for " + opcode + " target '" + target + "'");
  return info->kernel(bindArguments(info->schema, args, kwargs));
}

} // namespace fxmlir
