//===- fx-exec.cpp - Run a compiled model without MLIR or LLVM ------------===//
//
//   fx-exec libmodel.so [--input a.npy | --input 1x3x224x224xf32]... [--seed N] [--repeat N]
//           [--output-dir D] [--compare ref0.npy]... [--rtol R] [--atol A] [--normalize]
//           [--weights DIR]     (libraries compiled with --weights-as-inputs: DIR/<name>.npy)
//           [--device-buffers]  (CUDA libraries: inputs, weights and outputs stay in device
//                                memory across the runs; times exclude host<->GPU copies)
//
// What `fx-run libmodel.so` does, as a small program that needs only libc and libstdc++: it
// goes where the libraries from fx-compile go (the GPU machines have no LLVM or MLIR).
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Runtime/PyValue.h"
#include "fxmlir/Runtime/Runner.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <new>

using namespace fxmlir;

static const char kUsage[] =
    "usage: fx-exec LIB.so [--input X]... [--seed N] [--repeat N] [--output-dir D]"
    " [--compare R]... [--rtol R] [--atol A] [--normalize] [--weights DIR] [--device-buffers]\n";

namespace {
/// What the command line asks for.
struct Options {
  std::string library, weights;
  std::vector<std::string> inputs;
  ReportOptions report;
  unsigned seed = 0;
  int repeat = 1;
  bool deviceBuffers = false;
  bool help = false;
};
} // namespace

/// Parses the command line into `o`; an error message, empty if there is none.
static std::string parseArgs(int argc, char **argv, Options &o) {
  static const char *const withValue[] = {"--input", "--compare", "--output-dir", "--rtol",
                                          "--atol",  "--repeat",  "--seed",       "--weights"};
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    bool takesValue =
        std::find(std::begin(withValue), std::end(withValue), arg) != std::end(withValue);
    if (takesValue && i + 1 == argc)
      return "missing value for " + arg;
    const char *v = takesValue ? argv[++i] : nullptr;
    if (arg == "--help" || arg == "-h")
      o.help = true;
    else if (arg == "--normalize")
      o.report.normalize = true;
    else if (arg == "--device-buffers")
      o.deviceBuffers = true;
    else if (arg == "--input")
      o.inputs.push_back(v);
    else if (arg == "--compare")
      o.report.compare.push_back(v);
    else if (arg == "--output-dir")
      o.report.outputDir = v;
    else if (arg == "--rtol" || arg == "--atol") {
      (arg == "--rtol" ? o.report.rtol : o.report.atol) = std::atof(v);
      o.report.toleranceGiven = true; // integers are then compared within it too
    }
    else if (arg == "--repeat")
      o.repeat = std::atoi(v);
    else if (arg == "--weights")
      o.weights = v;
    else if (arg == "--seed")
      o.seed = (unsigned)std::atoi(v);
    else if (arg.rfind("--", 0) == 0)
      return "unknown option " + arg;
    else if (o.library.empty())
      o.library = arg;
    else
      return "more than one library given";
  }
  return o.library.empty() && !o.help ? "no library given" : "";
}

/// Opens the library, reads or generates the inputs and calls the entry --repeat times,
/// printing the run times; the outputs. Throws OpError.
static std::vector<Tensor> run(const Options &o) {
  CompiledLibrary lib = CompiledLibrary::open(o.library);
  std::vector<std::string> names;
  for (const TensorSpec &input : lib.signature.inputs)
    names.push_back(input.name);
  std::vector<Tensor> args = loadInputs(o.inputs, o.seed, names);
  appendWeights(lib.signature, args, o.weights);
  if (o.deviceBuffers && !lib.deviceEntry)
    throw OpError("--device-buffers: '" + o.library + "' has no " + lib.name +
                  "_device entry (only fx-compile --target=cuda libraries do)");
  std::vector<double> seconds;
  std::vector<Tensor> outputs =
      o.deviceBuffers
          ? callEntry(lib.deviceEntry, lib.signature, args, o.repeat, seconds, &lib.device)
          : callEntry(lib.entry, lib.signature, args, o.repeat, seconds);
  std::cout << "library " << lib.name << (o.deviceBuffers ? " (device buffers)" : "") << ": "
            << describeRunTimes(seconds) << "\n";
  return outputs;
}

int main(int argc, char **argv) {
  Options options;
  std::string error = parseArgs(argc, argv, options);
  if (!error.empty()) {
    std::cerr << "fx-exec: error: " << error << "\n" << kUsage;
    return 2;
  }
  if (options.help) {
    std::cout << kUsage;
    return 0;
  }
  keepFreedMemory();
  std::vector<Tensor> outputs;
  try {
    outputs = run(options);
  } catch (const std::bad_alloc &) { // what Memory.h's checks could not foresee
    std::cerr << "fx-exec: error: out of memory\n";
    return 1;
  } catch (const std::exception &e) {
    std::cerr << "fx-exec: error: " << e.what() << "\n";
    return 1;
  }
  return reportOutputs(outputs, options.report, std::cout, std::cerr, "fx-exec");
}
