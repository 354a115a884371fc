//===- Module.cpp - torch.nn.Module in C++ --------------------------------===//
#include "fxmlir/Frontend/Module.h"
#include "fxmlir/Frontend/Tracer.h"

#include <atomic>
#include <cmath>
#include <random>

namespace fx {

static std::mt19937_64 &generator() {
  static std::mt19937_64 g(0);
  return g;
}
void manualSeed(uint64_t seed) { generator().seed(seed); }
double uniform(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(generator()); }
double normal(double mean, double stddev) {
  return std::normal_distribution<double>(mean, stddev)(generator());
}
fxmlir::Tensor uniformTensor(fxmlir::Shape shape, double bound) {
  fxmlir::Tensor t(std::move(shape), fxmlir::DType::F32);
  for (int64_t i = 0; i < t.numel(); ++i)
    t[i] = uniform(-bound, bound);
  return t.round();
}
fxmlir::Tensor normalTensor(fxmlir::Shape shape, double stddev) {
  fxmlir::Tensor t(std::move(shape), fxmlir::DType::F32);
  for (int64_t i = 0; i < t.numel(); ++i)
    t[i] = normal(0, stddev);
  return t.round();
}

Module::Module(std::string typeName) : typeName(std::move(typeName)) {
  static std::atomic<uint64_t> nextId{1};
  id = nextId++;
}

std::string Module::className() const {
  size_t dot = typeName.rfind('.');
  return dot == std::string::npos ? typeName : typeName.substr(dot + 1);
}

Obj Module::forward(const Obj &) {
  throw TraceError("module " + typeName + " has no forward");
}

Obj Module::forwardArgs(const std::vector<Obj> &args) {
  if (args.empty())
    throw TraceError(typeName + ".forward() missing required argument");
  return forward(args[0]);
}

Obj Module::operator()(const Obj &x) { return (*this)(std::vector<Obj>{x}); }

Obj Module::operator()(const std::vector<Obj> &args) {
  Tracer *t = Tracer::current();
  if (!t)
    throw TraceError("C++ modules run only while tracing; trace them with fx::symbolicTrace and "
                     "execute the graph with fx-run");
  return t->callModule(*this, [this](const std::vector<Obj> &a) { return forwardArgs(a); }, args);
}

void Module::addModule(const std::string &name, std::shared_ptr<Module> m) {
  for (auto &entry : childList)
    if (entry.first == name) {
      entry.second = std::move(m);
      return;
    }
  childList.emplace_back(name, std::move(m));
}

fxmlir::Tensor &Module::registerParameter(const std::string &name, fxmlir::Tensor t) {
  tensorList.push_back({name, std::make_shared<fxmlir::Tensor>(std::move(t)), false});
  return *tensorList.back().value;
}

fxmlir::Tensor &Module::registerBuffer(const std::string &name, fxmlir::Tensor t) {
  tensorList.push_back({name, std::make_shared<fxmlir::Tensor>(std::move(t)), true});
  return *tensorList.back().value;
}

void Module::setParameterNone(const std::string &name) {
  tensorList.push_back({name, nullptr, false});
}

void Module::tieParameter(const std::string &name, Module &owner, const std::string &ownerName) {
  for (const Tensor &t : owner.tensorList)
    if (t.name == ownerName)
      for (Tensor &mine : tensorList)
        if (mine.name == name)
          mine.value = t.value;
}

Obj Module::param(const std::string &name) {
  Tracer *t = Tracer::current();
  if (!t)
    throw TraceError("parameters are read through a trace");
  return t->getattr(*this, name);
}

Module *Module::child(const std::string &name) const {
  for (auto &[n, m] : childList)
    if (n == name)
      return m.get();
  return nullptr;
}

Sequential::Sequential(std::vector<std::shared_ptr<Module>> modules)
    : Module("torch.nn.Sequential") {
  for (auto &m : modules)
    append(m);
}
void Sequential::append(std::shared_ptr<Module> m) {
  addModule(std::to_string(children().size()), std::move(m));
}
Obj Sequential::forward(const Obj &x) {
  Obj v = x;
  for (auto &[name, m] : children())
    v = (*m)(v);
  return v;
}

ModuleList::ModuleList(std::vector<std::shared_ptr<Module>> modules) : Module("torch.nn.ModuleList") {
  for (auto &m : modules)
    append(m);
}
void ModuleList::append(std::shared_ptr<Module> m) {
  addModule(std::to_string(children().size()), std::move(m));
}
Module &ModuleList::operator[](size_t i) const {
  if (i >= children().size())
    throw TraceError("index " + std::to_string(i) + " is out of range");
  return *children()[i].second;
}
Module &ModuleDict::operator[](const std::string &key) const {
  Module *m = child(key);
  if (!m)
    throw TraceError("KeyError: '" + key + "'");
  return *m;
}

} // namespace fx
