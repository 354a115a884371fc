//===- Registry.h - One description per torch target and module type -*- C++ -*-===//
//
// Every torch function, Tensor method and torch.nn module the project understands is described
// once, here: its signature (with defaults), its aliases, its reference kernel and the name of
// its lowering to linalg. Module types are described by their constructor signature and a
// decomposition into function calls, which the interpreter runs and the fx-decompose-modules
// pass writes into the IR.
//
// This library builds without MLIR: kernels, schemas and the rules kernels and lowerings share
// (ShapeRules.h) are plain C++. The lowerings themselves build IR, so they live with the
// conversion (conversion/lib/FxToLinalg, one file per op family) in a table keyed by the name
// an entry gives with `.lowerWith("name")`; a unit test checks that every name resolves.
// Side effects are torch.fx's notion, defined on targets (fx::isImpureCall in the dialect).
//
// Adding an op: one `registry.addOp(...)` in the file of its category (ops/lib/*.cpp), with
// `.lowerWith("name")` and the lowering under that name in the conversion's file of the same
// category when it can be compiled.
//
//===----------------------------------------------------------------------===//
#ifndef FXMLIR_OPS_REGISTRY_H
#define FXMLIR_OPS_REGISTRY_H

#include "fxmlir/Ops/Schema.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fxmlir {

using Kernel = std::function<PyValue(const BoundArgs &)>;

struct OpInfo {
  /// Canonical target and signature, e.g. "torch.conv2d(Tensor input, ...) -> Tensor".
  Schema schema;
  /// Every target that means this op: "torch.nn.functional.relu", "method:relu", ...
  /// (`method:` marks a Tensor method; its first parameter is self).
  std::vector<std::string> aliases;
  Kernel kernel;
  /// The name of its lowering in fx-to-linalg's table (fxmlir::LoweringTable); empty where it
  /// cannot be compiled yet.
  std::string lowering;

  /// Sample calls, in the manner of PyTorch's OpInfo sample inputs: Python argument lists in
  /// which `T(*shape, dtype="f32", low=None, high=None)` is a tensor drawn from the seed, e.g.
  /// "T(2, 3), T(3)" or "T(4, 5), dim=-1, keepdim=True". The op sweep (test/Ops/sweep.py) runs
  /// each in every spelling on every backend against PyTorch eager and writes docs/ops.md.
  std::vector<std::string> samples;

  OpInfo &lowerWith(std::string name) {
    lowering = std::move(name);
    return *this;
  }
  OpInfo &withSamples(std::vector<std::string> calls) {
    samples = std::move(calls);
    return *this;
  }
};

/// How a module's forward maps to function calls. The interpreter implements it by running
/// kernels; a pass implements it by building fx ops. Handles name values inside the builder.
class ModuleBuilder {
public:
  using Handle = int;
  struct Arg {
    Arg(Handle h) : handle(h) {}
    Arg(PyValue literal) : literal(std::move(literal)) {}
    Handle handle = -1;
    PyValue literal;
  };
  /// What a decomposition may know of a tensor before running it: decompositions branch on
  /// ranks, dtypes and static sizes, never on values.
  struct TensorSpec {
    Shape shape;
    DType dtype;
    int64_t rank() const { return (int64_t)shape.size(); }
  };
  virtual ~ModuleBuilder() = default;
  /// Forward argument `i` (after self).
  virtual Handle input(size_t i) = 0;
  /// A parameter or buffer of the module or of a descendant, by torch's dotted path ("weight",
  /// "out_proj.bias", "layers.0.linear1.weight"); throws OpError if there is none.
  virtual Handle param(const std::string &path) = 0;
  virtual bool hasParam(const std::string &path) = 0;
  /// A constructor argument (hyper-parameter), defaults from the module's signature.
  virtual const PyValue &hyper(const std::string &name) = 0;
  virtual Handle call(const std::string &target, std::vector<Arg> args,
                      std::vector<std::pair<std::string, Arg>> kwargs = {}) = 0;

  /// The type of the child module at dotted `path` ("torch.nn.LayerNorm"), "" if there is none.
  virtual std::string childType(const std::string &path) = 0;
  /// A hyper-parameter of the child at `path`, bound to its registered type's constructor.
  virtual PyValue childHyper(const std::string &path, const std::string &name) = 0;
  /// Runs the registered decomposition of the child at `path` on forward arguments, so that a
  /// module made of modules (TransformerEncoder > TransformerEncoderLayer > MultiheadAttention)
  /// states each one's logic once. Throws OpError for a child of an unregistered type.
  virtual Handle callChild(const std::string &path, std::vector<Arg> args,
                           std::vector<std::pair<std::string, Arg>> kwargs = {}) = 0;

  /// Shape and dtype of a tensor value; throws OpError where they are unknown (the pass knows
  /// them from the types of the module's inputs).
  virtual TensorSpec spec(Handle h) = 0;
  /// The value of `h` where it is known before running (a literal argument, a default); null
  /// for a value computed at run time.
  virtual std::optional<PyValue> literal(Handle h) = 0;
  bool isNone(Handle h) {
    std::optional<PyValue> v = literal(h);
    return v && v->isNone();
  }
  /// A tuple of values and literals (None: `Arg(PyValue::none())`): a result `(out, (h, c))`.
  virtual Handle tuple(std::vector<Arg> elements) = 0;
  /// Element `i` of a tuple, one built by `tuple` or one a call returned (torch.split's).
  virtual Handle item(Handle tuple, size_t i) = 0;
};

/// A module sample: Python argument lists for the constructor and for forward, in the notation
/// of OpInfo::samples, e.g. {"3, 4, 2, stride=2", "T(2, 3, 8)"}.
struct ModuleSample {
  std::string constructor;
  std::string forward;
};

struct ModuleInfo {
  std::string type;   // "torch.nn.Conv2d"
  Schema constructor; // "Conv2d(int in_channels, ..., int groups=1, bool bias=True)"
  Schema forward;     // "forward(Tensor input)"
  std::function<ModuleBuilder::Handle(ModuleBuilder &)> decompose;
  /// Instances and inputs the module sweep (test/Ops/sweep.py --modules) runs in eval mode on
  /// every backend against PyTorch eager.
  std::vector<ModuleSample> samples;

  ModuleInfo &withSamples(std::vector<ModuleSample> s) {
    samples = std::move(s);
    return *this;
  }
};

class Registry {
public:
  /// The registry with every op and module of ops/lib registered.
  static const Registry &get();

  /// `opcode` is "call_function" or "call_method"; returns null for an unknown target.
  const OpInfo *lookupOp(const std::string &opcode, const std::string &target) const;
  const ModuleInfo *lookupModule(const std::string &type) const;
  const std::vector<std::unique_ptr<OpInfo>> &ops() const { return opList; }

  /// Registers an op; chain `.lowerWith("name")` to name its lowering.
  OpInfo &addOp(const std::string &schema, std::vector<std::string> aliases, Kernel kernel);
  /// Registers a module type; chain `.withSamples({...})`.
  ModuleInfo &addModule(const std::string &type, const std::string &constructor,
                        const std::string &forward,
                        std::function<ModuleBuilder::Handle(ModuleBuilder &)> decompose);
  const std::map<std::string, std::unique_ptr<ModuleInfo>> &moduleTypes() const { return modules; }

private:
  std::vector<std::unique_ptr<OpInfo>> opList;
  std::map<std::string, const OpInfo *> byTarget;
  std::map<std::string, std::unique_ptr<ModuleInfo>> modules;
};

/// Runs the kernel of a registered function or method ("call_function"/"call_method") on
/// Python values; throws OpError for an unknown target or what the kernel rejects.
PyValue callTarget(const std::string &opcode, const std::string &target,
                   const std::vector<PyValue> &args,
                   const std::vector<std::pair<std::string, PyValue>> &kwargs);

// One registration function per category file.
void registerElementwiseOps(Registry &r);
void registerLinearAlgebraOps(Registry &r);
void registerConvolutionAndPoolingOps(Registry &r);
void registerNormalizationOps(Registry &r);
void registerShapeOps(Registry &r);
void registerReductionAndCreationOps(Registry &r);
void registerIndexingOps(Registry &r);
void registerModules(Registry &r);
void registerSequenceModules(Registry &r);

} // namespace fxmlir

#endif
