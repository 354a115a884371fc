//===- fx_interpreter_fuzzer.cpp - The reference interpreter on small graphs -===//
//
// Text in: a module that parses, verifies and is small (FuzzSupport.h) is functionalized (as
// fx-run does) and its first graph module interpreted on inputs generated for its
// placeholders' types: tensors of ordinary and extreme values, ints, floats and bools, seeded
// by the input. Any error is fine; a crash is not.
//
//===----------------------------------------------------------------------===//
#include "FuzzSupport.h"

#include "fxmlir/Bridge/Values.h"
#include "fxmlir/Interpreter/Interpreter.h"
#include "fxmlir/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/Hashing.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

using fxmlir::PyValue;

/// The values an integer dtype holds (doubles: int64's ends are approximate).
static std::pair<double, double> integerRange(fxmlir::DType dtype) {
  switch (dtype) {
  case fxmlir::DType::U8:
    return {0, 255};
  case fxmlir::DType::I8:
    return {-128, 127};
  case fxmlir::DType::I16:
    return {-32768, 32767};
  case fxmlir::DType::I32:
    return {-2147483648.0, 2147483647.0};
  default:
    return {-9.2e18, 9.2e18};
  }
}

/// A value of `dtype` drawn from small numbers and the edges kernels must handle.
static double generateElement(fxmlir::DType dtype, std::mt19937_64 &rng) {
  static const double kFloatEdges[] = {0.0,
                                       -0.0,
                                       1.0,
                                       -1.0,
                                       1e-30,
                                       65504.0,
                                       3.4e38,
                                       std::numeric_limits<double>::infinity(),
                                       -std::numeric_limits<double>::infinity(),
                                       std::nan("")};
  static const double kIntEdges[] = {0,   1,     -1,           127,           -128,
                                     255, 65535, 2147483647.0, -2147483648.0, 9007199254740993.0};
  bool edge = rng() % 4 == 0;
  if (dtype == fxmlir::DType::Bool)
    return double(rng() % 2);
  if (fxmlir::isFloating(dtype))
    return edge ? kFloatEdges[rng() % std::size(kFloatEdges)]
                : std::uniform_real_distribution<double>(-4, 4)(rng);
  double v = edge ? kIntEdges[rng() % std::size(kIntEdges)] : double(int64_t(rng() % 9) - 4);
  auto [low, high] = integerRange(dtype);
  return std::clamp(v, low, high);
}

/// An input for a placeholder of `type`; nullopt where none can be made (the placeholder then
/// takes its default, or the interpreter reports the missing argument).
static std::optional<PyValue> generateInput(mlir::Type type, std::mt19937_64 &rng) {
  if (auto tensor = llvm::dyn_cast<mlir::RankedTensorType>(type)) {
    fxmlir::DType dtype;
    if (!tensor.hasStaticShape() || !mlir::fx::dtypeFromElementType(tensor.getElementType(), dtype))
      return std::nullopt;
    fxmlir::Tensor t(fxmlir::Shape(tensor.getShape().begin(), tensor.getShape().end()), dtype);
    for (int64_t i = 0; i < t.numel(); ++i)
      t[i] = generateElement(dtype, rng);
    return PyValue(t);
  }
  if (llvm::isa<mlir::fx::IntType>(type))
    return PyValue::integer(int64_t(rng() % 7) - 2);
  if (llvm::isa<mlir::fx::FloatType>(type))
    return PyValue::floating(generateElement(fxmlir::DType::F64, rng));
  if (llvm::isa<mlir::fx::BoolType>(type))
    return PyValue::boolean(rng() % 2);
  return std::nullopt;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::MLIRContext &context = fxfuzz::getContext();
  fxfuzz::QuietDiagnostics diags(context);
  mlir::OwningOpRef<mlir::ModuleOp> module = fxfuzz::parseModule(data, size, context);
  if (!module || !fxfuzz::isSmallEnoughToRun(*module))
    return 0;
  auto modules = module->getBody()->getOps<mlir::fx::GraphModuleOp>();
  if (modules.empty())
    return 0;
  mlir::fx::GraphModuleOp graphModule = *modules.begin();
  auto pm = mlir::PassManager::on<mlir::ModuleOp>(&context);
  pm.nest<mlir::fx::GraphModuleOp>().addNestedPass<mlir::fx::GraphOp>(
      mlir::fx::createFxFunctionalize());
  if (mlir::failed(pm.run(*module)))
    return 0;
  mlir::fx::GraphOp forward = graphModule.getForward();
  if (!forward)
    return 0;
  std::mt19937_64 rng(llvm::hash_value(llvm::StringRef((const char *)data, size)));
  std::vector<PyValue> inputs;
  for (mlir::fx::PlaceholderOp placeholder : mlir::fx::getPlaceholders(forward)) {
    std::optional<PyValue> input = generateInput(placeholder.getType(), rng);
    if (!input)
      break;
    inputs.push_back(std::move(*input));
  }
  (void)mlir::fx::interpretGraphModule(graphModule, inputs);
  return 0;
}
