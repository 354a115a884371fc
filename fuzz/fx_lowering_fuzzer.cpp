//===- fx_lowering_fuzzer.cpp - fx-to-linalg and the CPU pipeline on odd shapes -===//
//
// A structured fuzzer: the input bytes choose a registered op that has a lowering, one of its
// sample calls (OpInfo::samples) and a spelling, then rewrite the sample's tensors (zero-size
// dims, rank 0, other dtypes, with FX_FUZZ_HUGE_DIMS=1 huge dims) and integer arguments. The
// one-node graph goes through fx-lower-to-cpu (shape propagation, fx-to-linalg, ... the LLVM
// dialect), each pass of which fails with an error or leaves IR the verifier accepts.
//
//===----------------------------------------------------------------------===//
#include "FuzzSupport.h"

#include "fxmlir/Bridge/Values.h"
#include "fxmlir/Codegen/CPU/Pipeline.h"
#include "fxmlir/Codegen/Driver/Compiler.h"
#include "fxmlir/Ops/Registry.h"

#include "mlir/Pass/PassManager.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cctype>
#include <sstream>

namespace {
struct FuzzTensor {
  std::vector<int64_t> shape;
  fxmlir::DType dtype = fxmlir::DType::F32;
};

/// The ops fx-to-linalg claims to lower, with their samples.
const std::vector<const fxmlir::OpInfo *> &loweredOps() {
  static const std::vector<const fxmlir::OpInfo *> ops = [] {
    std::vector<const fxmlir::OpInfo *> result;
    for (const auto &op : fxmlir::Registry::get().ops())
      if (!op->lowering.empty() && !op->samples.empty())
        result.push_back(op.get());
    return result;
  }();
  return ops;
}

bool isIdentifierChar(char c) { return std::isalnum((unsigned char)c) || c == '_' || c == '.'; }

/// Rewrites a sample call (Python argument syntax, `T(2, 3, dtype='i64')` for tensors) into the
/// fx literal syntax, tensors becoming operands %t0, %t1, ... with shapes, dtypes and integer
/// arguments changed as `fuzz` decides.
class SampleTranslator {
public:
  SampleTranslator(FuzzedDataProvider &fuzz, bool hugeDims) : fuzz(fuzz), hugeDims(hugeDims) {}

  std::string translate(const std::string &sample) {
    std::string out;
    size_t i = 0;
    while (i < sample.size()) {
      char c = sample[i];
      bool wordStart = i == 0 || !isIdentifierChar(sample[i - 1]);
      if (wordStart && sample.compare(i, 2, "T(") == 0) {
        size_t close = sample.find(')', i);
        out += tensorOperand(sample.substr(i + 2, close - i - 2));
        i = close + 1;
      } else if (wordStart && sample.compare(i, 6, "slice(") == 0) {
        size_t close = sample.find(')', i);
        out += slice(sample.substr(i + 6, close - i - 6));
        i = close + 1;
      } else if (c == '\'') {
        size_t close = sample.find('\'', i + 1);
        out += '"' + sample.substr(i + 1, close - i - 1) + '"';
        i = close + 1;
      } else if (wordStart && (std::isdigit((unsigned char)c) ||
                               (c == '-' && std::isdigit((unsigned char)sample[i + 1])))) {
        size_t end = i + 1;
        while (end < sample.size() &&
               (std::isalnum((unsigned char)sample[end]) || sample[end] == '.' ||
                ((sample[end] == '-' || sample[end] == '+') &&
                 (sample[end - 1] == 'e' || sample[end - 1] == 'E'))))
          ++end;
        out += number(sample.substr(i, end - i));
        i = end;
      } else {
        out += c;
        ++i;
      }
    }
    return out;
  }

  const std::vector<FuzzTensor> &tensors() const { return operands; }

private:
  /// `T(...)`'s arguments: the shape, then keyword arguments (dtype; value ranges are moot, shape
  /// propagation runs on zeros).
  std::string tensorOperand(const std::string &args) {
    FuzzTensor tensor;
    std::stringstream stream(args);
    std::string item;
    while (std::getline(stream, item, ',')) {
      item.erase(0, item.find_first_not_of(' '));
      if (item.rfind("dtype=", 0) == 0)
        tensor.dtype = dtypeOfShortName(item.substr(7, item.size() - 8), tensor.dtype);
      else if (!item.empty() && item.find('=') == std::string::npos)
        tensor.shape.push_back(std::stoll(item));
    }
    mutateTensor(tensor);
    operands.push_back(tensor);
    return "%t" + std::to_string(operands.size() - 1);
  }

  static fxmlir::DType dtypeOfShortName(const std::string &name, fxmlir::DType otherwise) {
    static const std::pair<const char *, fxmlir::DType> kNames[] = {
        {"bool", fxmlir::DType::Bool}, {"u8", fxmlir::DType::U8},     {"i8", fxmlir::DType::I8},
        {"i16", fxmlir::DType::I16},   {"i32", fxmlir::DType::I32},   {"i64", fxmlir::DType::I64},
        {"f16", fxmlir::DType::F16},   {"bf16", fxmlir::DType::BF16}, {"f32", fxmlir::DType::F32},
        {"f64", fxmlir::DType::F64}};
    for (auto [short_, dtype] : kNames)
      if (name == short_)
        return dtype;
    return otherwise;
  }

  /// Usually keeps the sample's tensor (so that most calls stay valid; running out of bytes
  /// keeps it too); otherwise changes its dtype, its rank or some of its dimensions.
  void mutateTensor(FuzzTensor &tensor) {
    switch (fuzz.ConsumeIntegralInRange(0, 7)) {
    case 4:
      tensor.dtype = fuzz.PickValueInArray(
          {fxmlir::DType::Bool, fxmlir::DType::U8, fxmlir::DType::I8, fxmlir::DType::I16,
           fxmlir::DType::I32, fxmlir::DType::I64, fxmlir::DType::F16, fxmlir::DType::BF16,
           fxmlir::DType::F32, fxmlir::DType::F64});
      break;
    case 5:
      tensor.shape.clear();
      break;
    case 2:
      if (!tensor.shape.empty())
        tensor.shape.pop_back();
      else
        tensor.shape.push_back(1);
      break;
    case 3:
      for (int64_t &dim : tensor.shape)
        if (fuzz.ConsumeBool())
          dim = fuzz.PickValueInArray<int64_t>({0, 1, 2, 3, 5});
      break;
    case 6:
      if (hugeDims && !tensor.shape.empty())
        tensor.shape[fuzz.ConsumeIntegralInRange<size_t>(0, tensor.shape.size() - 1)] =
            fuzz.PickValueInArray<int64_t>({1LL << 31, 1LL << 40, 100000000000LL});
      break;
    default:
      break;
    }
  }

  /// Python's `slice(stop)` and `slice(start, stop)` in the fx syntax, which spells all three.
  std::string slice(const std::string &args) {
    std::vector<std::string> parts;
    std::stringstream stream(args);
    std::string part;
    while (std::getline(stream, part, ','))
      parts.push_back(translate(part.substr(part.find_first_not_of(' '))));
    if (parts.size() == 1)
      parts.insert(parts.begin(), "None");
    while (parts.size() < 3)
      parts.push_back("None");
    return "slice(" + parts[0] + ", " + parts[1] + ", " + parts[2] + ")";
  }

  /// Integer literals are sometimes replaced (dims, sizes, counts out of range); floats are
  /// written as the fx literal syntax wants them (`1e-05` as `1.0e-05`).
  std::string number(std::string text) {
    bool isInteger = text.find_first_of(".eE") == std::string::npos;
    if (isInteger) {
      if (fuzz.ConsumeIntegralInRange(0, 5) == 5)
        return std::to_string(fuzz.PickValueInArray<int64_t>({0, 1, -1, 2, -3, 7, 1000}));
      return text;
    }
    size_t exponent = text.find_first_of("eE");
    if (exponent != std::string::npos && text.find('.') == std::string::npos)
      text.insert(exponent, ".0");
    return text;
  }

  FuzzedDataProvider &fuzz;
  bool hugeDims;
  std::vector<FuzzTensor> operands;
};

/// The one-node graph module calling `target` (a `method:` spelling is a call_method).
std::string buildGraphModule(mlir::MLIRContext &context, const std::string &target,
                             const std::string &arguments, const std::vector<FuzzTensor> &tensors) {
  std::string text = "fx.graph_module @fuzz {\n  fx.graph @forward {\n";
  std::string operandTypes;
  for (size_t i = 0; i < tensors.size(); ++i) {
    std::string type;
    llvm::raw_string_ostream(type) << mlir::RankedTensorType::get(
        tensors[i].shape, mlir::fx::elementTypeOf(&context, tensors[i].dtype));
    text += "    %t" + std::to_string(i) + " = fx.placeholder \"t" + std::to_string(i) +
            "\" : " + type + "\n";
    operandTypes += (i ? ", " : "") + type;
  }
  bool method = target.rfind("method:", 0) == 0;
  text += std::string("    %result = ") + (method ? "fx.call_method \"" : "fx.call_function \"") +
          (method ? target.substr(7) : target) + "\"(" + arguments + ") : (" + operandTypes +
          ") -> !fx.any\n    fx.output %result : !fx.any\n  }\n}\n";
  return text;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static bool hugeDims = std::getenv("FX_FUZZ_HUGE_DIMS") != nullptr;
  mlir::MLIRContext &context = fxfuzz::getContext(mlir::fx::registerCompilerDialects);
  FuzzedDataProvider fuzz(data, size);
  const std::vector<const fxmlir::OpInfo *> &ops = loweredOps();
  const fxmlir::OpInfo &op = *ops[fuzz.ConsumeIntegralInRange<size_t>(0, ops.size() - 1)];
  std::string sample = op.samples[fuzz.ConsumeIntegralInRange<size_t>(0, op.samples.size() - 1)];
  std::string target = op.schema.name;
  if (sample.rfind("<", 0) == 0) { // "<spelling> args": that spelling only
    size_t close = sample.find('>');
    target = sample.substr(1, close - 1);
    sample = sample.substr(close + 1);
  } else if (fuzz.ConsumeBool() && !op.aliases.empty()) {
    target = op.aliases[fuzz.ConsumeIntegralInRange<size_t>(0, op.aliases.size() - 1)];
  }
  SampleTranslator translator(fuzz, hugeDims);
  std::string arguments = translator.translate(sample);
  std::string text = buildGraphModule(context, target, arguments, translator.tensors());

  fxfuzz::QuietDiagnostics diags(context);
  mlir::ParserConfig config(&context);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(text, config, "fuzz-graph");
  if (std::getenv("FX_FUZZ_PRINT_GRAPH"))
    llvm::errs() << text;
  if (!module)
    fxfuzz::fuzzFailure("the generated graph does not parse (a bug in this fuzzer)", nullptr,
                        diags);
  auto pm = mlir::PassManager::on<mlir::ModuleOp>(&context);
  mlir::fx::buildLowerToCpuPipeline(pm, mlir::fx::LowerToCpuOptions());
  fxfuzz::runCheckedPipeline(pm, *module, diags);
  return 0;
}
