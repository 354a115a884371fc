//===- Registry.cpp - Registered models -----------------------------------===//
#include "fxmlir/Frontend/Zoo.h"

std::map<std::string, fx::ModelFactory> &fx::modelRegistry() {
  static std::map<std::string, ModelFactory> models;
  return models;
}
