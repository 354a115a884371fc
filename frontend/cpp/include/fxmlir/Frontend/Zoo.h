//===- Zoo.h - Registered models --------------------------------*- C++ -*-===//
//
// Models register by name with one macro, in the project's zoo or in a user's shared library
// (loaded with `fx-trace --load-models libmine.so`):
//
//   FX_REGISTER_MODEL(MyModel, [] { return std::make_shared<MyModel>(); })
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_FRONTEND_ZOO_H
#define FXMLIR_FRONTEND_ZOO_H

#include "fxmlir/Frontend/Module.h"

#include <functional>
#include <map>

namespace fx {

using ModelFactory = std::function<std::shared_ptr<Module>()>;

/// Every registered model, by name.
std::map<std::string, ModelFactory> &modelRegistry();

struct ModelRegistration {
  ModelRegistration(const std::string &name, ModelFactory factory) {
    modelRegistry()[name] = std::move(factory);
  }
};

} // namespace fx

#define FX_REGISTER_MODEL_CONCAT(a, b) a##b
#define FX_REGISTER_MODEL_NAME(a, b) FX_REGISTER_MODEL_CONCAT(a, b)
#define FX_REGISTER_MODEL(NAME, FACTORY)                                                          \
  static ::fx::ModelRegistration FX_REGISTER_MODEL_NAME(fxModelRegistration_, __LINE__)(#NAME,  \
                                                                                        FACTORY);

#endif
