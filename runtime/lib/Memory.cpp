//===- Memory.cpp - Checking allocations sized by the input ---------------===//
#include "fxmlir/Runtime/Memory.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <limits>
#include <string>
#include <sys/resource.h>
#include <unistd.h>

namespace fxmlir {

static constexpr uint64_t kUnknown = std::numeric_limits<uint64_t>::max();

/// The values of `keys` (in kB) in a /proc file such as /proc/meminfo, in bytes, summed;
/// kUnknown if the file or a key is missing.
static uint64_t sumProcFields(const char *path, std::initializer_list<const char *> keys) {
  std::ifstream in(path);
  uint64_t total = 0;
  size_t found = 0;
  for (std::string key; in >> key;) {
    uint64_t kb;
    if (std::find_if(keys.begin(), keys.end(), [&](const char *k) { return key == k; }) !=
            keys.end() &&
        in >> kb) {
      total += kb * 1024;
      ++found;
    }
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return found == keys.size() ? total : kUnknown;
}

/// A number from a one-line file (cgroup limits; "max" is unlimited); kUnknown if none.
static uint64_t readNumber(const char *path) {
  std::ifstream in(path);
  uint64_t value;
  return in >> value ? value : kUnknown;
}

/// What is left of a limit once `used` bytes are taken; kUnknown for no limit.
static uint64_t remaining(uint64_t limit, uint64_t used) {
  if (limit == kUnknown || limit == (uint64_t)RLIM_INFINITY)
    return kUnknown;
  return used == kUnknown ? limit : limit - std::min(limit, used);
}

static uint64_t rlimit(int resource) {
  struct rlimit limit;
  return getrlimit(resource, &limit) == 0 ? (uint64_t)limit.rlim_cur : kUnknown;
}

uint64_t availableMemory() {
  uint64_t system = sumProcFields("/proc/meminfo", {"MemAvailable:", "SwapFree:"});
  if (system == kUnknown) // not Linux: the physical memory
    system = (uint64_t)sysconf(_SC_PHYS_PAGES) * (uint64_t)sysconf(_SC_PAGESIZE);
  uint64_t cgroupV2 = remaining(readNumber("/sys/fs/cgroup/memory.max"),
                                readNumber("/sys/fs/cgroup/memory.current"));
  uint64_t cgroupV1 = remaining(readNumber("/sys/fs/cgroup/memory/memory.limit_in_bytes"),
                                readNumber("/sys/fs/cgroup/memory/memory.usage_in_bytes"));
  uint64_t addressSpace =
      remaining(rlimit(RLIMIT_AS), sumProcFields("/proc/self/status", {"VmSize:"}));
  uint64_t data = remaining(rlimit(RLIMIT_DATA), sumProcFields("/proc/self/status", {"VmData:"}));
  return std::min({system, cgroupV2, cgroupV1, addressSpace, data});
}

static std::string gib(uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f GiB", (double)bytes / (1ull << 30));
  return text;
}

int64_t checkedNumElements(const Shape &shape, DType dtype, uint64_t bytesPerElement) {
  auto tensorName = [&] {
    std::string name = "tensor<";
    for (int64_t d : shape)
      name += std::to_string(d) + "x";
    return name + dtypeName(dtype) + ">";
  };
  uint64_t elements = 1, bytes = bytesPerElement;
  bool overflow = false;
  for (int64_t d : shape) {
    if (d < 0)
      throw OpError("cannot allocate " + tensorName() + ": negative dimension");
    overflow |= __builtin_mul_overflow(elements, (uint64_t)d, &elements);
    overflow |= __builtin_mul_overflow(bytes, (uint64_t)d, &bytes);
  }
  if (!overflow && elements > (uint64_t)std::numeric_limits<int64_t>::max())
    overflow = true;
  if (overflow)
    throw OpError("cannot allocate " + tensorName() + ": it needs more than 2^64 bytes");
  // Small tensors are always fine: skip reading /proc for them.
  if (bytes < (64u << 20))
    return (int64_t)elements;
  uint64_t available = availableMemory();
  if (bytes > available)
    throw OpError("cannot allocate " + tensorName() + ": it needs " + std::to_string(bytes) +
                  " bytes (" + gib(bytes) + "), more than the " + gib(available) +
                  " of memory available");
  return (int64_t)elements;
}

} // namespace fxmlir
