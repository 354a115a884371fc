//===- Runner.cpp - Inputs, outputs and compiled libraries for the runners ------===//
#include "fxmlir/Runtime/Runner.h"
#include "fxmlir/Runtime/LibrarySignature.h"
#include "fxmlir/Runtime/Npy.h"
#include "fxmlir/Runtime/PyValue.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cerrno>
#include <cstring>
#include <dlfcn.h>
#include <elf.h>
#include <fstream>
#include <filesystem>
#include <map>
#include <malloc.h>
#include <ostream>
#include <regex>

namespace fxmlir {

static std::string format(const char *fmt, double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, fmt, v);
  return buffer;
}

Tensor loadOrGenerateInput(const std::string &spec, std::mt19937_64 &rng) {
  if (spec.size() > 4 && spec.compare(spec.size() - 4, 4, ".npy") == 0)
    return readNpy(spec);
  static const std::regex pattern("((?:[0-9]+x)*)(f16|bf16|f32|f64|i1|i8|i16|i32|i64|ui8)");
  std::smatch m;
  if (!std::regex_match(spec, m, pattern))
    throw OpError("bad --input '" + spec +
                  "': expected a .npy file or a type like 1x3x224x224xf32");
  Shape shape;
  std::string dims = m[1];
  for (size_t p = 0; p < dims.size();) {
    size_t x = dims.find('x', p);
    shape.push_back(std::stoll(dims.substr(p, x - p)));
    p = x + 1;
  }
  static const std::map<std::string, DType> types = {
      {"f16", DType::F16}, {"bf16", DType::BF16}, {"f32", DType::F32}, {"f64", DType::F64},
      {"i1", DType::Bool}, {"i8", DType::I8},     {"i16", DType::I16}, {"i32", DType::I32},
      {"i64", DType::I64}, {"ui8", DType::U8}};
  DType dtype = types.at(m[2]);
  Tensor t(shape, dtype);
  std::normal_distribution<double> normal;
  std::uniform_int_distribution<int> uniform(0, dtype == DType::Bool ? 1 : 99);
  for (int64_t i = 0; i < t.numel(); ++i)
    t[i] = isFloating(dtype) ? normal(rng) : uniform(rng);
  return t.round();
}

std::vector<Tensor> loadInputs(const std::vector<std::string> &specs, unsigned seed,
                               const std::vector<std::string> &names) {
  std::mt19937_64 rng(seed);
  std::vector<Tensor> inputs;
  for (size_t i = 0; i < specs.size(); ++i) {
    try {
      inputs.push_back(loadOrGenerateInput(specs[i], rng));
    } catch (const OpError &e) {
      throw OpError("input " + std::to_string(i) + (i < names.size() ? " '" + names[i] + "'" : "") +
                    ": " + e.what());
    }
  }
  return inputs;
}

/// Whether an output of `dtype` matches a reference of `reference`'s: .npy has no bfloat16,
/// so a bfloat16 output is written and compared as float32.
static bool sameDType(DType dtype, DType reference) {
  return dtype == reference || (dtype == DType::BF16 && reference == DType::F32);
}

/// Integers in full (all 64 bits), floats in 6 significant digits.
static std::string formatElement(Element v, DType dtype) {
  if (isFloating(dtype))
    return format("%.6g", (double)v);
  if (dtype == DType::Bool)
    return v != 0 ? "True" : "False";
  return std::to_string((int64_t)v);
}

std::string summarize(const Tensor &t) {
  std::string s = "tensor<";
  for (int64_t d : t.shape())
    s += std::to_string(d) + "x";
  s += std::string(dtypeName(t.dtype())) + "> [";
  for (int64_t i = 0; i < std::min<int64_t>(t.numel(), 5); ++i)
    s += (i ? ", " : "") + formatElement(t[i], t.dtype());
  if (t.numel() > 5)
    s += ", ...";
  return s + "]";
}

std::string describeRunTimes(std::vector<double> seconds) {
  std::sort(seconds.begin(), seconds.end());
  if (seconds.size() == 1)
    return "run " + format("%.3f", seconds[0] * 1e3) + " ms";
  return "run min " + format("%.3f", seconds.front() * 1e3) + " ms, median " +
         format("%.3f", seconds[seconds.size() / 2] * 1e3) + " ms (" +
         std::to_string(seconds.size()) + " runs)";
}

int reportOutputs(const std::vector<Tensor> &outputs, const ReportOptions &options,
                  std::ostream &out, std::ostream &err, const std::string &tool) {
  auto fail = [&](const std::string &msg) {
    err << tool << ": error: " << msg << "\n";
    return 1;
  };
  if (!options.compare.empty() && options.compare.size() != outputs.size())
    return fail(std::to_string(options.compare.size()) + " --compare files for " +
                std::to_string(outputs.size()) + " outputs");
  if (!options.outputDir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(options.outputDir, ec);
    if (ec)
      return fail("cannot create '" + options.outputDir + "': " + ec.message());
  }
  bool mismatch = false;
  try {
    for (size_t i = 0; i < outputs.size(); ++i) {
      const Tensor &o = outputs[i];
      out << "output" << i << ": " << summarize(o) << "\n";
      if (!options.outputDir.empty())
        writeNpy((std::filesystem::path(options.outputDir) /
                  ("output" + std::to_string(i) + ".npy"))
                     .string(),
                 o);
      if (options.compare.empty())
        continue;
      Tensor ref = readNpy(options.compare[i]);
      if (!sameDType(o.dtype(), ref.dtype())) {
        out << "  MISMATCH: dtype " << dtypeName(o.dtype()) << " vs reference "
            << dtypeName(ref.dtype()) << "\n";
        mismatch = true;
        continue;
      }
      if (ref.numel() != o.numel() ||
          (ref.shape() != o.shape() && !(ref.numel() == 1 && o.numel() == 1))) {
        out << "  MISMATCH: shape " << shapeToString(o.shape()) << " vs reference "
            << shapeToString(ref.shape()) << "\n";
        mismatch = true;
        continue;
      }
      bool exact = !isFloating(o.dtype()) && !options.toleranceGiven;
      double rtol = exact ? 0 : options.rtol, atol = exact ? 0 : options.atol;
      Element maxAbs = 0, maxRel = 0, scale = 1;
      if (options.normalize) {
        Element largest = 0;
        for (int64_t k = 0; k < ref.numel(); ++k)
          if (std::isfinite(ref[k]))
            largest = std::max(largest, std::fabs(ref[k]));
        scale = largest > 0 ? largest : 1;
      }
      int64_t bad = 0;
      for (int64_t k = 0; k < o.numel(); ++k) {
        Element a = o[k] / scale, b = ref[k] / scale;
        if (std::isnan(a) && std::isnan(b))
          continue;
        Element e = a == b ? 0 : std::fabs(a - b); // a == b covers equal infinities
        maxAbs = std::max(maxAbs, e);
        if (b != 0)
          maxRel = std::max(maxRel, e / std::fabs(b));
        if (!(e <= atol + rtol * std::fabs(b)))
          ++bad;
      }
      out << "  vs " << options.compare[i] << ": max abs error " << format("%.3g", (double)maxAbs)
          << ", max rel error " << format("%.3g", (double)maxRel)
          << (options.normalize ? " (normalized by " + format("%g", (double)scale) + ")" : "")
          << (bad ? ", MISMATCH in " : ", ok");
      if (bad)
        out << bad << " of " << o.numel() << " elements ("
            << (exact ? "integers compared exactly"
                      : "rtol " + format("%g", rtol) + ", atol " + format("%g", atol))
            << ")";
      out << "\n";
      mismatch |= bad > 0;
    }
  } catch (const OpError &e) {
    return fail(e.what());
  }
  out.flush();
  return mismatch ? 1 : 0;
}

void appendWeights(const EntrySignature &signature, std::vector<Tensor> &inputs,
                   const std::string &dir) {
  for (size_t i = inputs.size(); i < signature.inputs.size(); ++i) {
    if (dir.empty())
      throw OpError("the graph takes " + std::to_string(signature.inputs.size()) +
                    " inputs (weights included), got " + std::to_string(inputs.size()) +
                    "; give the weights with --weights DIR");
    inputs.push_back(
        readNpy((std::filesystem::path(dir) / (signature.inputs[i].name + ".npy")).string()));
  }
}

/// Throws unless `path` is a whole 64-bit ELF shared object: dlopen maps the file's segments
/// as they are declared, and touching a page past the end of a truncated copy is a SIGBUS, not
/// an error. Every loadable segment and the section header table must lie inside the file.
static void checkWholeElfFile(const std::string &path) {
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  if (!file)
    throw OpError("cannot load '" + path + "': " + std::strerror(errno));
  uint64_t size = (uint64_t)file.tellg();
  auto incomplete = [&](const std::string &why) {
    return OpError("'" + path + "' is not a complete shared library (" + why + ", " +
                   std::to_string(size) + " bytes); was it copied or written in full?");
  };
  Elf64_Ehdr header;
  file.seekg(0);
  if (size < sizeof(header) || !file.read((char *)&header, sizeof(header)))
    throw incomplete("shorter than an ELF header");
  if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 || header.e_ident[EI_CLASS] != ELFCLASS64 ||
      header.e_type != ET_DYN)
    throw OpError("'" + path + "' is not a 64-bit ELF shared library");
  uint64_t sectionsEnd = header.e_shoff + (uint64_t)header.e_shnum * header.e_shentsize;
  if (header.e_phoff + (uint64_t)header.e_phnum * sizeof(Elf64_Phdr) > size || sectionsEnd > size)
    throw incomplete("truncated: its headers extend to byte " + std::to_string(sectionsEnd));
  file.seekg(header.e_phoff);
  for (unsigned i = 0; i < header.e_phnum; ++i) {
    Elf64_Phdr segment;
    if (!file.read((char *)&segment, sizeof(segment)))
      throw incomplete("unreadable program header");
    if (segment.p_type == PT_LOAD && segment.p_offset + segment.p_filesz > size)
      throw incomplete("truncated: a segment extends to byte " +
                       std::to_string(segment.p_offset + segment.p_filesz));
  }
}

CompiledLibrary CompiledLibrary::open(const std::string &path) {
  checkWholeElfFile(path);
  checkLibrarySignature(path);
  void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    throw OpError("cannot load '" + path + "': " + dlerror());
  auto *entries = (const char *)dlsym(handle, "fx_entries");
  if (!entries)
    throw OpError("'" + path + "' is not a library from fx-compile (no fx_entries)");
  CompiledLibrary lib;
  lib.name = std::string(entries).substr(0, std::string(entries).find(','));
  auto *signature = (const char *)dlsym(handle, (lib.name + "_signature").c_str());
  lib.entry = (PackedEntry)dlsym(handle, (lib.name + "_packed").c_str());
  if (!signature || !lib.entry)
    throw OpError("'" + path + "' lacks " + lib.name + "_signature or " + lib.name + "_packed");
  lib.signature = EntrySignature::parse(signature);
  lib.deviceEntry = (PackedEntry)dlsym(handle, (lib.name + "_device_packed").c_str());
  lib.device.alloc = (void *(*)(size_t))dlsym(handle, "fx_cuda_alloc");
  lib.device.free = (void (*)(void *))dlsym(handle, "fx_cuda_free");
  lib.device.toDevice = (void (*)(void *, const void *, size_t))dlsym(handle, "fx_cuda_copy_to_device");
  lib.device.toHost = (void (*)(void *, const void *, size_t))dlsym(handle, "fx_cuda_copy_to_host");
  if (!lib.device.alloc || !lib.device.free || !lib.device.toDevice || !lib.device.toHost)
    lib.deviceEntry = nullptr;
  return lib;
}

void keepFreedMemory() {
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
}

} // namespace fxmlir
