//===- CudaRuntime.cpp - The runtime of compiled CUDA graphs --------------===//
//
// MLIR's gpu-to-llvm lowering turns kernel launches, device allocations and copies into calls
// to `mgpu*` functions. Debian's MLIR ships no library providing them, so this is the
// project's own, on the CUDA driver API only: it is linked statically into every library
// fx-compile --target=cuda writes, which then needs nothing but libcuda (the driver) at run
// time. Written without the C++ runtime (no exceptions, no STL) for the same reason.
//
// The functions cannot return errors to the compiled code: a failing driver call prints the
// call and the driver's error name and aborts.
//
//===----------------------------------------------------------------------===//
#include <cuda.h>

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

namespace {

void check(CUresult result, const char *call) {
  if (result == CUDA_SUCCESS)
    return;
  const char *name = nullptr;
  cuGetErrorName(result, &name);
  fprintf(stderr, "fx CUDA runtime: %s failed: %s\n", call, name ? name : "unknown error");
  abort();
}

#define FX_CUDA_CHECK(call) check(call, #call)

CUcontext primaryContext;
pthread_once_t contextOnce = PTHREAD_ONCE_INIT;

void initContext() {
  FX_CUDA_CHECK(cuInit(0));
  CUdevice device;
  FX_CUDA_CHECK(cuDeviceGet(&device, 0));
  FX_CUDA_CHECK(cuDevicePrimaryCtxRetain(&primaryContext, device));
}

/// The primary context of device 0, current on the calling thread.
void ensureContext() {
  pthread_once(&contextOnce, initContext);
  FX_CUDA_CHECK(cuCtxSetCurrent(primaryContext));
}

struct CachedFunction {
  void *module;
  const char *name;
  CUfunction function;
};
constexpr size_t kFunctionCacheSize = 4096;
CachedFunction functionCache[kFunctionCacheSize];
pthread_mutex_t functionCacheLock = PTHREAD_MUTEX_INITIALIZER;

void forgetFunctions() {
  pthread_mutex_lock(&functionCacheLock);
  for (CachedFunction &entry : functionCache)
    entry = {nullptr, nullptr, nullptr};
  pthread_mutex_unlock(&functionCacheLock);
}

// Constants (weights embedded in the library) on the device: host address -> device copy, an
// open-addressing table that doubles when half full.
struct Resident {
  const void *host;
  void *device;
};
Resident *residents;
size_t residentCapacity, numResidents;
pthread_mutex_t residentLock = PTHREAD_MUTEX_INITIALIZER;

Resident *findResident(const void *host) {
  size_t slot = (reinterpret_cast<uintptr_t>(host) >> 4) & (residentCapacity - 1);
  while (residents[slot].host && residents[slot].host != host)
    slot = (slot + 1) & (residentCapacity - 1);
  return &residents[slot];
}

void growResidents() {
  Resident *old = residents;
  size_t oldCapacity = residentCapacity;
  residentCapacity = oldCapacity ? oldCapacity * 2 : 256;
  residents = static_cast<Resident *>(calloc(residentCapacity, sizeof(Resident)));
  if (!residents) {
    fprintf(stderr, "fx CUDA runtime: out of host memory\n");
    abort();
  }
  for (size_t i = 0; i < oldCapacity; ++i)
    if (old[i].host)
      *findResident(old[i].host) = old[i];
  free(old);
}

// At unload: the device copies go (errors ignored: the driver may be shutting down too).
__attribute__((destructor)) void releaseResidents() {
  for (size_t i = 0; i < residentCapacity; ++i)
    if (residents[i].host)
      cuMemFree(reinterpret_cast<CUdeviceptr>(residents[i].device));
  free(residents);
  residents = nullptr;
  residentCapacity = numResidents = 0;
}

constexpr int kStreamPoolSize = 8;
void *streamPool[kStreamPoolSize];
int numPooledStreams = 0;
pthread_mutex_t streamPoolLock = PTHREAD_MUTEX_INITIALIZER;

} // namespace

extern "C" {

void *mgpuModuleLoad(void *data, size_t /*size*/) {
  ensureContext();
  CUmodule module;
  FX_CUDA_CHECK(cuModuleLoadData(&module, data));
  return module;
}

void mgpuModuleUnload(void *module) {
  forgetFunctions();
  FX_CUDA_CHECK(cuModuleUnload(static_cast<CUmodule>(module)));
}

// Compiled code looks its kernel up before every launch: cached by (module, name pointer),
// the name being a constant of the library.
void *mgpuModuleGetFunction(void *module, const char *name) {
  pthread_mutex_lock(&functionCacheLock);
  size_t slot = (reinterpret_cast<uintptr_t>(module) * 31 + reinterpret_cast<uintptr_t>(name)) %
                kFunctionCacheSize;
  for (size_t probe = 0; probe < kFunctionCacheSize; ++probe) {
    CachedFunction &entry = functionCache[(slot + probe) % kFunctionCacheSize];
    if (entry.module == module && entry.name == name) {
      pthread_mutex_unlock(&functionCacheLock);
      return entry.function;
    }
    if (!entry.module) {
      CUfunction function;
      FX_CUDA_CHECK(cuModuleGetFunction(&function, static_cast<CUmodule>(module), name));
      entry = {module, name, function};
      pthread_mutex_unlock(&functionCacheLock);
      return function;
    }
  }
  pthread_mutex_unlock(&functionCacheLock);
  CUfunction function; // the cache is full
  FX_CUDA_CHECK(cuModuleGetFunction(&function, static_cast<CUmodule>(module), name));
  return function;
}

void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY, intptr_t gridZ,
                      intptr_t blockX, intptr_t blockY, intptr_t blockZ, int32_t sharedMemory,
                      void *stream, void **params, void **extra, size_t /*paramsCount*/) {
  ensureContext();
  FX_CUDA_CHECK(cuLaunchKernel(static_cast<CUfunction>(function), gridX, gridY, gridZ, blockX,
                               blockY, blockZ, sharedMemory, static_cast<CUstream>(stream),
                               params, extra));
}

// Compiled graphs create a stream per call and destroy it after synchronizing; destroyed
// streams are kept for reuse instead (creating one costs microseconds on every call).
void *mgpuStreamCreate() {
  ensureContext();
  pthread_mutex_lock(&streamPoolLock);
  void *stream = numPooledStreams ? streamPool[--numPooledStreams] : nullptr;
  pthread_mutex_unlock(&streamPoolLock);
  if (stream)
    return stream;
  CUstream created;
  FX_CUDA_CHECK(cuStreamCreate(&created, CU_STREAM_NON_BLOCKING));
  return created;
}

void mgpuStreamDestroy(void *stream) {
  pthread_mutex_lock(&streamPoolLock);
  bool pooled = numPooledStreams < kStreamPoolSize;
  if (pooled)
    streamPool[numPooledStreams++] = stream;
  pthread_mutex_unlock(&streamPoolLock);
  if (!pooled)
    FX_CUDA_CHECK(cuStreamDestroy(static_cast<CUstream>(stream)));
}

void mgpuStreamSynchronize(void *stream) {
  FX_CUDA_CHECK(cuStreamSynchronize(static_cast<CUstream>(stream)));
}

void mgpuStreamWaitEvent(void *stream, void *event) {
  FX_CUDA_CHECK(cuStreamWaitEvent(static_cast<CUstream>(stream), static_cast<CUevent>(event), 0));
}

void *mgpuEventCreate() {
  ensureContext();
  CUevent event;
  FX_CUDA_CHECK(cuEventCreate(&event, CU_EVENT_DISABLE_TIMING));
  return event;
}

void mgpuEventDestroy(void *event) { FX_CUDA_CHECK(cuEventDestroy(static_cast<CUevent>(event))); }

void mgpuEventSynchronize(void *event) {
  FX_CUDA_CHECK(cuEventSynchronize(static_cast<CUevent>(event)));
}

void mgpuEventRecord(void *event, void *stream) {
  FX_CUDA_CHECK(cuEventRecord(static_cast<CUevent>(event), static_cast<CUstream>(stream)));
}

void *mgpuMemAlloc(uint64_t size, void *stream, bool isHostShared) {
  ensureContext();
  CUdeviceptr ptr = 0;
  if (size == 0)
    return nullptr;
  if (isHostShared)
    FX_CUDA_CHECK(cuMemAllocManaged(&ptr, size, CU_MEM_ATTACH_GLOBAL));
  else
    FX_CUDA_CHECK(cuMemAllocAsync(&ptr, size, static_cast<CUstream>(stream)));
  return reinterpret_cast<void *>(ptr);
}

void mgpuMemFree(void *ptr, void *stream) {
  if (ptr)
    FX_CUDA_CHECK(cuMemFreeAsync(reinterpret_cast<CUdeviceptr>(ptr), static_cast<CUstream>(stream)));
}

void mgpuMemcpy(void *dst, void *src, size_t size, void *stream) {
  FX_CUDA_CHECK(cuMemcpyAsync(reinterpret_cast<CUdeviceptr>(dst),
                              reinterpret_cast<CUdeviceptr>(src), size,
                              static_cast<CUstream>(stream)));
}

void mgpuMemset32(void *dst, unsigned int value, size_t count, void *stream) {
  FX_CUDA_CHECK(cuMemsetD32Async(reinterpret_cast<CUdeviceptr>(dst), value, count,
                                 static_cast<CUstream>(stream)));
}

void mgpuMemset16(void *dst, unsigned short value, size_t count, void *stream) {
  FX_CUDA_CHECK(cuMemsetD16Async(reinterpret_cast<CUdeviceptr>(dst), value, count,
                                 static_cast<CUstream>(stream)));
}

// The device copy of constant `host` (`bytes` long), uploaded on first use: compiled graphs
// call it for their weights (fx-define-device-constants).
void *fx_cuda_resident(const void *host, uint64_t bytes) {
  ensureContext();
  pthread_mutex_lock(&residentLock);
  if (2 * (numResidents + 1) > residentCapacity)
    growResidents();
  Resident *entry = findResident(host);
  if (!entry->host) {
    CUdeviceptr device = 0;
    FX_CUDA_CHECK(cuMemAlloc(&device, bytes ? bytes : 1));
    FX_CUDA_CHECK(cuMemcpyHtoD(device, host, bytes));
    *entry = {host, reinterpret_cast<void *>(device)};
    ++numResidents;
  }
  void *device = entry->device;
  pthread_mutex_unlock(&residentLock);
  return device;
}

// Device buffers for callers of the `<graph>_device` entries (declared in the generated
// header), synchronous.

void *fx_cuda_alloc(size_t bytes) {
  ensureContext();
  CUdeviceptr ptr = 0;
  FX_CUDA_CHECK(cuMemAlloc(&ptr, bytes ? bytes : 1));
  return reinterpret_cast<void *>(ptr);
}

void fx_cuda_free(void *device) {
  if (device)
    FX_CUDA_CHECK(cuMemFree(reinterpret_cast<CUdeviceptr>(device)));
}

void fx_cuda_copy_to_device(void *device, const void *host, size_t bytes) {
  ensureContext();
  FX_CUDA_CHECK(cuMemcpyHtoD(reinterpret_cast<CUdeviceptr>(device), host, bytes));
}

void fx_cuda_copy_to_host(void *host, const void *device, size_t bytes) {
  ensureContext();
  FX_CUDA_CHECK(cuMemcpyDtoH(host, reinterpret_cast<CUdeviceptr>(device), bytes));
}

} // extern "C"
