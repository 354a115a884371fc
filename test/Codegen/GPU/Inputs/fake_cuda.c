/* A stand-in for the CUDA driver (libcuda.so.1) that checks how compiled libraries use it, on
 * machines without a GPU. Kernels do not run (outputs are garbage); everything else is checked
 * as strictly as the driver would, or more:
 *   - modules must be fatbins/cubins/PTX, and kernels looked up by name must be in them;
 *   - launches need a live function and stream and a sane configuration;
 *   - device memory is real memory mapped twice: the pointers handed out are PROT_NONE, so any
 *     host access to device memory crashes here as it would on a GPU machine, while copies go
 *     through a second, writable mapping and are bounds-checked against their allocation;
 *   - frees must match allocations, streams must be live.
 * When unloaded it prints one line of counts (FAKE-CUDA: ...) that tests check. */
#define _GNU_SOURCE
#include <cuda.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAX_ALLOCS 65536
#define MAX_STREAMS 1024

struct allocation {
  char *device; /* PROT_NONE: what the program sees */
  char *shadow; /* the same pages, writable: what copies use */
  size_t size, mapped;
};

static struct allocation allocs[MAX_ALLOCS];
static int numAllocs;
static void *streams[MAX_STREAMS];
static int numStreams;
static long launches, modulesLoaded, modulesUnloaded, functions, streamsCreated,
    streamsDestroyed, allocations, frees, copies;
static int initialized, contextCurrent;
static int dummyContext, dummyEvent;

static void fail(const char *what) {
  fprintf(stderr, "FAKE-CUDA error: %s\n", what);
  fflush(stderr);
  abort();
}

static struct allocation *find(const void *p, size_t n) {
  for (int i = 0; i < numAllocs; ++i)
    if ((const char *)p >= allocs[i].device && (const char *)p < allocs[i].device + allocs[i].size) {
      if ((const char *)p + n > allocs[i].device + allocs[i].size)
        fail("copy or memset past the end of a device allocation");
      return &allocs[i];
    }
  return NULL;
}

static char *shadowOf(const void *p, size_t n) {
  struct allocation *a = find(p, n);
  return a ? a->shadow + ((const char *)p - a->device) : NULL;
}

static void requireContext(void) {
  if (!initialized || !contextCurrent)
    fail("driver call without cuInit and a current context");
}

static void requireStream(CUstream s) {
  if (!s)
    return; /* the default stream */
  for (int i = 0; i < numStreams; ++i)
    if (streams[i] == s)
      return;
  fail("unknown or destroyed stream");
}

static void report(void) {
  long live = 0;
  for (int i = 0; i < numAllocs; ++i)
    live += allocs[i].device != NULL;
  fprintf(stderr,
          "FAKE-CUDA: modules %ld (%ld unloaded), functions %ld, launches %ld, allocations %ld, "
          "frees %ld, live device buffers %ld, copies %ld, streams %ld created %ld destroyed\n",
          modulesLoaded, modulesUnloaded, functions, launches, allocations, frees, live, copies,
          streamsCreated, streamsDestroyed);
}

/* After the compiled library's destructors (modules unloaded, resident weights freed): this
 * library is finalized after the ones that depend on it. */
__attribute__((destructor)) static void reportAtUnload(void) {
  if (initialized)
    report();
}

CUresult cuInit(unsigned int flags) {
  initialized = 1;
  return CUDA_SUCCESS;
}

CUresult cuDeviceGet(CUdevice *device, int ordinal) {
  if (!initialized)
    fail("cuDeviceGet before cuInit");
  *device = ordinal;
  return CUDA_SUCCESS;
}

CUresult cuDevicePrimaryCtxRetain(CUcontext *context, CUdevice device) {
  *context = (CUcontext)&dummyContext;
  return CUDA_SUCCESS;
}

CUresult cuCtxSetCurrent(CUcontext context) {
  contextCurrent = context == (CUcontext)&dummyContext;
  return CUDA_SUCCESS;
}

CUresult cuGetErrorName(CUresult error, const char **name) {
  *name = "FAKE_ERROR";
  return CUDA_SUCCESS;
}

/* The image's size: fatbin header (magic, version, header size, payload size), ELF, or PTX. */
static size_t imageSize(const void *image) {
  const unsigned char *p = image;
  uint32_t magic;
  memcpy(&magic, p, 4);
  if (magic == 0xBA55ED50u) {
    uint16_t header;
    uint64_t payload;
    memcpy(&header, p + 6, 2);
    memcpy(&payload, p + 8, 8);
    return header + payload;
  }
  if (!memcmp(p, "\x7f" "ELF", 4)) {
    uint64_t sectionHeaders;
    uint16_t entrySize, count;
    memcpy(&sectionHeaders, p + 0x28, 8);
    memcpy(&entrySize, p + 0x3a, 2);
    memcpy(&count, p + 0x3c, 2);
    return sectionHeaders + (uint64_t)entrySize * count;
  }
  if (strstr((const char *)p, ".version"))
    return strlen((const char *)p);
  return 0;
}

struct module {
  const char *image;
  size_t size;
};

CUresult cuModuleLoadData(CUmodule *module, const void *image) {
  requireContext();
  size_t size = imageSize(image);
  if (!size)
    fail("cuModuleLoadData: not a fatbin, cubin or PTX image");
  struct module *m = malloc(sizeof *m);
  m->image = image;
  m->size = size;
  *module = (CUmodule)m;
  ++modulesLoaded;
  return CUDA_SUCCESS;
}

CUresult cuModuleUnload(CUmodule module) {
  ++modulesUnloaded;
  free(module);
  return CUDA_SUCCESS;
}

CUresult cuModuleGetFunction(CUfunction *function, CUmodule module, const char *name) {
  struct module *m = (struct module *)module;
  if (!memmem(m->image, m->size, name, strlen(name) + 1))
    fail("cuModuleGetFunction: no kernel of that name in the module");
  *function = (CUfunction)module;
  ++functions;
  return CUDA_SUCCESS;
}

CUresult cuLaunchKernel(CUfunction f, unsigned gx, unsigned gy, unsigned gz, unsigned bx,
                        unsigned by, unsigned bz, unsigned sharedBytes, CUstream stream,
                        void **params, void **extra) {
  requireContext();
  requireStream(stream);
  if (!f || !gx || !gy || !gz || !bx || !by || !bz || (uint64_t)bx * by * bz > 1024 ||
      gy > 65535 || gz > 65535)
    fail("cuLaunchKernel: invalid function or launch configuration");
  if (!params && !extra)
    fail("cuLaunchKernel: no parameters");
  ++launches;
  return CUDA_SUCCESS;
}

CUresult cuStreamCreate(CUstream *stream, unsigned int flags) {
  requireContext();
  if (numStreams == MAX_STREAMS)
    fail("too many live streams");
  *stream = (CUstream)malloc(1);
  streams[numStreams++] = *stream;
  ++streamsCreated;
  return CUDA_SUCCESS;
}

CUresult cuStreamDestroy(CUstream stream) {
  requireStream(stream);
  for (int i = 0; i < numStreams; ++i)
    if (streams[i] == stream)
      streams[i] = streams[--numStreams];
  free(stream);
  ++streamsDestroyed;
  return CUDA_SUCCESS;
}

CUresult cuStreamSynchronize(CUstream stream) {
  requireStream(stream);
  return CUDA_SUCCESS;
}

CUresult cuStreamWaitEvent(CUstream stream, CUevent event, unsigned int flags) {
  requireStream(stream);
  return CUDA_SUCCESS;
}

CUresult cuEventCreate(CUevent *event, unsigned int flags) {
  *event = (CUevent)&dummyEvent;
  return CUDA_SUCCESS;
}
CUresult cuEventDestroy(CUevent event) { return CUDA_SUCCESS; }
CUresult cuEventSynchronize(CUevent event) { return CUDA_SUCCESS; }
CUresult cuEventRecord(CUevent event, CUstream stream) {
  requireStream(stream);
  return CUDA_SUCCESS;
}

static CUresult allocate(CUdeviceptr *ptr, size_t size) {
  requireContext();
  if (numAllocs == MAX_ALLOCS)
    fail("too many device allocations");
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  size_t mapped = (size ? size + page - 1 : page) / page * page;
  int fd = memfd_create("fake-cuda", 0);
  if (fd < 0 || ftruncate(fd, (off_t)mapped))
    fail("memfd");
  char *device = mmap(NULL, mapped, PROT_NONE, MAP_SHARED, fd, 0);
  char *shadow = mmap(NULL, mapped, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  if (device == MAP_FAILED || shadow == MAP_FAILED)
    fail("mmap");
  allocs[numAllocs++] = (struct allocation){device, shadow, size, mapped};
  *ptr = (CUdeviceptr)device;
  ++allocations;
  return CUDA_SUCCESS;
}

static CUresult release(CUdeviceptr ptr) {
  for (int i = 0; i < numAllocs; ++i)
    if (allocs[i].device == (char *)ptr) {
      munmap(allocs[i].device, allocs[i].mapped);
      munmap(allocs[i].shadow, allocs[i].mapped);
      allocs[i] = allocs[--numAllocs];
      ++frees;
      return CUDA_SUCCESS;
    }
  fail("free of a pointer that is not a live device allocation");
  return CUDA_ERROR_INVALID_VALUE;
}

CUresult cuMemAlloc(CUdeviceptr *ptr, size_t size) { return allocate(ptr, size); }
CUresult cuMemAllocAsync(CUdeviceptr *ptr, size_t size, CUstream stream) {
  requireStream(stream);
  return allocate(ptr, size);
}
CUresult cuMemAllocManaged(CUdeviceptr *ptr, size_t size, unsigned int flags) {
  fail("managed memory: compiled graphs should not use it");
  return CUDA_ERROR_NOT_SUPPORTED;
}
CUresult cuMemFree(CUdeviceptr ptr) { return release(ptr); }
CUresult cuMemFreeAsync(CUdeviceptr ptr, CUstream stream) {
  requireStream(stream);
  return release(ptr);
}

/* Copies between any two of host and device memory; at least one side must be device memory. */
static void copy(void *dst, const void *src, size_t n) {
  char *d = shadowOf(dst, n);
  const char *s = shadowOf(src, n);
  if (!d && !s)
    fail("copy between two host buffers through the driver");
  memcpy(d ? d : dst, s ? s : src, n);
  ++copies;
}

CUresult cuMemcpyAsync(CUdeviceptr dst, CUdeviceptr src, size_t n, CUstream stream) {
  requireContext();
  requireStream(stream);
  copy((void *)dst, (const void *)src, n);
  return CUDA_SUCCESS;
}

CUresult cuMemcpyHtoD(CUdeviceptr dst, const void *src, size_t n) {
  requireContext();
  if (!shadowOf((void *)dst, n) || shadowOf(src, n))
    fail("cuMemcpyHtoD: destination must be device memory, source host memory");
  copy((void *)dst, src, n);
  return CUDA_SUCCESS;
}

CUresult cuMemcpyDtoH(void *dst, CUdeviceptr src, size_t n) {
  requireContext();
  if (!shadowOf((void *)src, n) || shadowOf(dst, n))
    fail("cuMemcpyDtoH: source must be device memory, destination host memory");
  copy(dst, (const void *)src, n);
  return CUDA_SUCCESS;
}

/* n elements of `width` bytes, each the low bytes of `value`, into device memory. */
static CUresult set(CUdeviceptr dst, uint32_t value, size_t n, size_t width, CUstream stream) {
  requireContext();
  requireStream(stream);
  char *p = shadowOf((void *)dst, n * width);
  if (!p)
    fail("memset of memory that is not a device allocation");
  for (size_t i = 0; i < n; ++i)
    memcpy(p + i * width, &value, width); /* little-endian: the low bytes */
  return CUDA_SUCCESS;
}

CUresult cuMemsetD32Async(CUdeviceptr dst, unsigned int value, size_t n, CUstream stream) {
  return set(dst, value, n, 4, stream);
}

CUresult cuMemsetD16Async(CUdeviceptr dst, unsigned short value, size_t n, CUstream stream) {
  return set(dst, value, n, 2, stream);
}
