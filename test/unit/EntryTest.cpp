//===- EntryTest.cpp - Calling compiled entries on host and device buffers ===//
#include "fxmlir/Runtime/Entry.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <set>

using namespace fxmlir;

namespace {

/// A stand-in for device memory: host blocks the entry may only see through these functions.
std::set<void *> live;
int uploads = 0, downloads = 0;
void *fakeAlloc(size_t bytes) {
  void *p = std::malloc(bytes);
  live.insert(p);
  return p;
}
void fakeFree(void *p) {
  ASSERT_EQ(live.erase(p), 1u) << "freed a buffer that was not allocated";
  std::free(p);
}
void fakeToDevice(void *dst, const void *src, size_t bytes) {
  ++uploads;
  std::memcpy(dst, src, bytes);
}
void fakeToHost(void *dst, const void *src, size_t bytes) {
  ++downloads;
  std::memcpy(dst, src, bytes);
}

/// out = x * 2 + 1 over 3 floats; checks that it runs on "device" buffers when asked to.
bool expectDevice = false;
void affineEntry(void **buffers) {
  if (expectDevice) {
    EXPECT_TRUE(live.count(buffers[0]) && live.count(buffers[1]));
  }
  auto *x = static_cast<const float *>(buffers[0]);
  auto *out = static_cast<float *>(buffers[1]);
  for (int i = 0; i < 3; ++i)
    out[i] = x[i] * 2 + 1;
}

} // namespace

TEST(Entry, HostBuffers) {
  EntrySignature sig = EntrySignature::parse("x:f32[3]->output0:f32[3]");
  std::vector<double> seconds;
  expectDevice = false;
  std::vector<Tensor> out =
      callEntry(affineEntry, sig, {Tensor({3}, DType::F32, {1, 2, 3})}, 2, seconds);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0][2], 7.0);
  EXPECT_EQ(seconds.size(), 2u);
}

TEST(Entry, DeviceBuffersAreCopiedOnceAroundAllRuns) {
  EntrySignature sig = EntrySignature::parse("x:f32[3]->output0:f32[3]");
  DeviceMemory device;
  device.alloc = fakeAlloc;
  device.free = fakeFree;
  device.toDevice = fakeToDevice;
  device.toHost = fakeToHost;
  std::vector<double> seconds;
  expectDevice = true;
  uploads = downloads = 0;
  std::vector<Tensor> out =
      callEntry(affineEntry, sig, {Tensor({3}, DType::F32, {1, 2, 3})}, 5, seconds, &device);
  EXPECT_EQ(out[0][0], 3.0);
  EXPECT_EQ(out[0][2], 7.0);
  EXPECT_EQ(seconds.size(), 5u);
  EXPECT_EQ(uploads, 1);   // the input, once
  EXPECT_EQ(downloads, 1); // the output, once
  EXPECT_TRUE(live.empty()) << "device buffers leaked";
}

TEST(Entry, ShapeMismatchIsAnError) {
  EntrySignature sig = EntrySignature::parse("x:f32[3]->output0:f32[3]");
  std::vector<double> seconds;
  EXPECT_THROW(callEntry(affineEntry, sig, {Tensor({4}, DType::F32)}, 1, seconds), OpError);
}

TEST(Entry, OutputLargerThanMemoryIsAnErrorNamingIt) {
  // 10^11 float32 outputs: checked before anything is allocated, and the entry never runs.
  EntrySignature sig = EntrySignature::parse("x:f32[3]->big:f32[100000,1000000]");
  std::vector<double> seconds;
  try {
    callEntry([](void **) { FAIL() << "the entry ran"; }, sig, {Tensor({3}, DType::F32)}, 1,
              seconds);
    FAIL() << "no error";
  } catch (const OpError &e) {
    EXPECT_NE(std::string(e.what()).find("output 'big' of the compiled graph: cannot allocate "
                                         "tensor<100000x1000000xfloat32>: it needs"),
              std::string::npos)
        << e.what();
  }
}
