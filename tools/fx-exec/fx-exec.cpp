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
#include "fxmlir/Runtime/Runner.h"
#include "fxmlir/Runtime/PyValue.h"

#include <cstdlib>
#include <cstring>
#include <iostream>

using namespace fxmlir;

static int usage(const char *message) {
  std::cerr << "fx-exec: error: " << message
            << "\nusage: fx-exec LIB.so [--input X]... [--seed N] [--repeat N] [--output-dir D]"
               " [--compare R]... [--rtol R] [--atol A] [--normalize] [--weights DIR]"
               " [--device-buffers]\n";
  return 2;
}

int main(int argc, char **argv) {
  std::string library, weights;
  std::vector<std::string> inputs;
  ReportOptions report;
  unsigned seed = 0;
  int repeat = 1;
  bool deviceBuffers = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> const char * { return i + 1 < argc ? argv[++i] : nullptr; };
    const char *v = nullptr;
    if (arg == "--normalize") {
      report.normalize = true;
      continue;
    }
    if (arg == "--device-buffers") {
      deviceBuffers = true;
      continue;
    }
    static const char *const withValue[] = {"--input", "--compare", "--output-dir", "--rtol",
                                            "--atol",  "--repeat",  "--seed", "--weights"};
    bool takesValue = false;
    for (const char *o : withValue)
      takesValue |= arg == o;
    if (takesValue && !(v = value()))
      return usage(("missing value for " + arg).c_str());
    if (arg == "--input")
      inputs.push_back(v);
    else if (arg == "--compare")
      report.compare.push_back(v);
    else if (arg == "--output-dir")
      report.outputDir = v;
    else if (arg == "--rtol")
      report.rtol = std::atof(v);
    else if (arg == "--atol")
      report.atol = std::atof(v);
    else if (arg == "--repeat")
      repeat = std::atoi(v);
    else if (arg == "--weights")
      weights = v;
    else if (arg == "--seed")
      seed = (unsigned)std::atoi(v);
    else if (arg.rfind("--", 0) == 0)
      return usage(("unknown option " + arg).c_str());
    else if (library.empty())
      library = arg;
    else
      return usage("more than one library given");
  }
  if (library.empty())
    return usage("no library given");
  keepFreedMemory();
  std::vector<Tensor> outputs;
  try {
    CompiledLibrary lib = CompiledLibrary::open(library);
    std::mt19937_64 rng(seed);
    std::vector<Tensor> args;
    for (const std::string &spec : inputs)
      args.push_back(loadOrGenerateInput(spec, rng));
    appendWeights(lib.signature, args, weights);
    if (deviceBuffers && !lib.deviceEntry)
      throw OpError("--device-buffers: '" + library + "' has no " + lib.name +
                    "_device entry (only fx-compile --target=cuda libraries do)");
    std::vector<double> seconds;
    outputs = deviceBuffers ? callEntry(lib.deviceEntry, lib.signature, args, repeat, seconds,
                                        &lib.device)
                            : callEntry(lib.entry, lib.signature, args, repeat, seconds);
    std::cout << "library " << lib.name << (deviceBuffers ? " (device buffers)" : "") << ": "
              << describeRunTimes(seconds) << "\n";
  } catch (const OpError &e) {
    std::cerr << "fx-exec: error: " << e.what() << "\n";
    return 1;
  }
  return reportOutputs(outputs, report, std::cout, std::cerr, "fx-exec");
}
