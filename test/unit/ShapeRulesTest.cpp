//===- ShapeRulesTest.cpp - What kernels and lowerings agree on -----------===//
//
// The shape rules are plain C++ (no MLIR), and so is this test: it links the registry only.
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Ops/ShapeRules.h"

#include <gtest/gtest.h>

using namespace fxmlir;

static PyValue ints(std::vector<int64_t> values) {
  std::vector<PyValue> items;
  for (int64_t v : values)
    items.push_back(PyValue::integer(v));
  return PyValue::tuple(items);
}

TEST(ShapeRules, ReductionDimsWrapSortAndDefaultToAll) {
  EXPECT_EQ(reductionDims(ints({-1, 0}), 3), (std::vector<int64_t>{0, 2}));
  EXPECT_EQ(reductionDims(PyValue::none(), 2), (std::vector<int64_t>{0, 1}));
}

TEST(ShapeRules, ReshapeInfersOneDimension) {
  EXPECT_EQ(inferReshape({-1, 4}, 12), (Shape{3, 4}));
  EXPECT_THROW(inferReshape({-1, -1}, 12), OpError);
  EXPECT_THROW(inferReshape({5, -1}, 12), OpError);
}

TEST(ShapeRules, PoolingCeilModeDropsAWindowStartingInThePadding) {
  // torch: max_pool2d(5x5, kernel 2, stride 2, ceil_mode=True) -> 3x3.
  PoolWindow window = poolWindow(2, ints({2, 2}), ints({2, 2}), ints({0, 0}), ints({1, 1}),
                                 /*ceilMode=*/true);
  EXPECT_EQ(poolOutputShape("max_pool2d", {1, 1, 5, 5}, window), (Shape{1, 1, 3, 3}));
  EXPECT_THROW(poolOutputShape("max_pool2d", {5, 5}, window), OpError);
}

TEST(ShapeRules, ConvolutionChecksTheWeightRankFirst) {
  ConvParams params = convParams(2, PyValue::integer(1), PyValue::integer(0),
                                 PyValue::integer(1), PyValue::integer(1));
  EXPECT_EQ(convOutputShape("conv2d", {1, 3, 8, 8}, {4, 3, 3, 3}, std::nullopt, params),
            (Shape{1, 4, 6, 6}));
  try {
    convOutputShape("conv2d", {1, 3, 8, 8}, {4, 3}, std::nullopt, params);
    FAIL() << "a 2-D weight was accepted";
  } catch (const OpError &e) {
    EXPECT_NE(std::string(e.what()).find("weight must be 4-D"), std::string::npos) << e.what();
  }
}

TEST(ShapeRules, TransposedConvolutionSizesAndOutputPadding) {
  // torch: conv_transpose2d(1x4x5x5, weight 4x3x3x3, stride 2, padding 1, output_padding 1).
  ConvParams params = convParams(2, PyValue::integer(2), PyValue::integer(1), PyValue::integer(1),
                                 PyValue::integer(1), PyValue::integer(1));
  EXPECT_EQ(
      convTransposeOutputShape("conv_transpose2d", {1, 4, 5, 5}, {4, 3, 3, 3}, Shape{3}, params),
      (Shape{1, 3, 10, 10}));
  // Groups multiply the weight's output channels; the weight's first dim is the input's.
  params.groups = 2;
  EXPECT_EQ(convTransposeOutputShape("conv_transpose2d", {1, 4, 5, 5}, {4, 3, 3, 3}, std::nullopt,
                                     params),
            (Shape{1, 6, 10, 10}));
  EXPECT_THROW(convTransposeOutputShape("conv_transpose2d", {1, 3, 5, 5}, {4, 3, 3, 3},
                                        std::nullopt, params),
               OpError);
  // output_padding must stay below the stride or the dilation.
  ConvParams tooMuch = convParams(1, PyValue::integer(2), PyValue::integer(0), PyValue::integer(1),
                                  PyValue::integer(1), PyValue::integer(2));
  EXPECT_THROW(
      convTransposeOutputShape("conv_transpose1d", {1, 1, 4}, {1, 1, 3}, std::nullopt, tooMuch),
      OpError);
  // Padding beyond the dilated kernel still leaves an output: (1 - 1) - 4 + 0 + 4 + 1.
  ConvParams cropped = convParams(1, PyValue::integer(1), PyValue::integer(2), PyValue::integer(5),
                                  PyValue::integer(1), PyValue::integer(4));
  EXPECT_EQ(
      convTransposeOutputShape("conv_transpose1d", {1, 1, 1}, {1, 1, 1}, std::nullopt, cropped),
      (Shape{1, 1, 1}));
  // ConvTranspose2d's forward(output_size=...): spatial sizes or the whole shape.
  ConvParams module = convParams(2, PyValue::integer(2), PyValue::integer(1), PyValue::integer(1),
                                 PyValue::integer(1));
  EXPECT_EQ(convTransposeOutputPadding({1, 3, 4, 4}, ints({1, 2, 8, 7}), {3, 3}, module),
            (std::vector<int64_t>{1, 0}));
  EXPECT_THROW(convTransposeOutputPadding({1, 3, 4, 4}, ints({9, 7}), {3, 3}, module), OpError);
}

TEST(ShapeRules, SamePaddingPutsTheOddElementAfter) {
  // torch: conv2d(1x3x6x7, weight 4x3x4x3, padding='same') pads H by (1, 2) and W by (1, 1).
  ConvParams same = convParams(2, PyValue::integer(1), PyValue::str("same"), PyValue::integer(1),
                               PyValue::integer(1), PyValue::none(), {4, 3, 4, 3});
  EXPECT_EQ(same.padding, (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(same.paddingAfter(0), 2);
  EXPECT_EQ(same.paddingAfter(1), 1);
  EXPECT_EQ(convOutputShape("conv2d", {1, 3, 6, 7}, {4, 3, 4, 3}, std::nullopt, same),
            (Shape{1, 4, 6, 7}));
  // Dilation scales the total: 2 * (3 - 1) = 4, even.
  ConvParams dilated = convParams(1, PyValue::integer(1), PyValue::str("same"),
                                  PyValue::integer(2), PyValue::integer(1), PyValue::none(),
                                  {2, 2, 3});
  EXPECT_EQ(dilated.padding, (std::vector<int64_t>{2}));
  EXPECT_EQ(dilated.paddingAfter(0), 2);
  ConvParams valid = convParams(1, PyValue::integer(2), PyValue::str("valid"), PyValue::integer(1),
                                PyValue::integer(1), PyValue::none(), {2, 2, 3});
  EXPECT_EQ(valid.padding, (std::vector<int64_t>{0}));
  EXPECT_THROW(convParams(1, PyValue::integer(2), PyValue::str("same"), PyValue::integer(1),
                          PyValue::integer(1), PyValue::none(), {2, 2, 3}),
               OpError);
  EXPECT_THROW(convParams(1, PyValue::integer(1), PyValue::str("full"), PyValue::integer(1),
                          PyValue::integer(1), PyValue::none(), {2, 2, 3}),
               OpError);
}

TEST(ShapeRules, MaxPoolingTapsAndAdaptiveBins) {
  PoolWindow window = poolWindow(1, ints({3}), ints({2}), ints({1}), ints({2}), false);
  PoolTaps taps = maxPoolTaps(window, 0, 3);
  EXPECT_EQ(taps.begin, 5); // 3 * 2 - 1
  EXPECT_EQ(taps.step, 2);
  EXPECT_EQ(taps.count, 3);
  // torch: adaptive pooling of 7 into 3 bins: [0, 3), [2, 5), [4, 7).
  PoolTaps bin = adaptivePoolTaps(1, 3, 7);
  EXPECT_EQ(bin.begin, 2);
  EXPECT_EQ(bin.count, 3);
  EXPECT_EQ(adaptivePoolOutputShape("adaptive_max_pool2d", 2, {2, 5, 7},
                                    PyValue::tuple({PyValue::integer(3), PyValue::none()})),
            (Shape{2, 3, 7}));
}

TEST(ShapeRules, MaxUnpoolSizesFollowTorch) {
  PoolWindow window = poolWindow(2, ints({2, 3}), ints({2, 2}), ints({0, 1}), ints({1, 1}), false);
  EXPECT_EQ(maxUnpoolOutputShape(2, {1, 2, 3, 3}, {1, 2, 3, 3}, window, PyValue::none()),
            (Shape{1, 2, 6, 5}));
  EXPECT_EQ(maxUnpoolOutputShape(2, {1, 2, 3, 3}, {1, 2, 3, 3}, window, ints({1, 2, 5, 4})),
            (Shape{1, 2, 5, 4}));
  EXPECT_THROW(maxUnpoolOutputShape(2, {1, 2, 3, 3}, {1, 2, 3, 3}, window, ints({8, 5})),
               OpError);
  EXPECT_THROW(maxUnpoolOutputShape(2, {1, 2, 3, 3}, {1, 2, 3}, window, PyValue::none()),
               OpError);
}

TEST(ShapeRules, UnfoldAndFoldCountSlidingBlocks) {
  // torch: F.unfold(1x2x7x6, (3, 2), dilation=2, padding=1, stride=(2, 1)) -> 1x12x18.
  BlockParams p = blockParams(ints({3, 2}), PyValue::integer(2), PyValue::integer(1),
                              ints({2, 1}));
  EXPECT_EQ(unfoldShape({1, 2, 7, 6}, p), (Shape{1, 12, 18}));
  EXPECT_EQ(unfoldShape({2, 7, 6}, p), (Shape{12, 18}));
  EXPECT_EQ(foldShape({1, 12, 18}, ints({7, 6}), p), (Shape{1, 2, 7, 6}));
  EXPECT_THROW(foldShape({1, 12, 17}, ints({7, 6}), p), OpError);
  EXPECT_THROW(foldShape({1, 11, 18}, ints({7, 6}), p), OpError);
  EXPECT_THROW(unfoldShape({1, 1, 2, 2}, blockParams(PyValue::integer(3), PyValue::integer(1),
                                                     PyValue::integer(0), PyValue::integer(1))),
               OpError);
  // Block 1's element 0 along H: 1 * 2 - 1 + 0 * 2 = 1; block 0's element 0 is padding.
  EXPECT_EQ(blockSource(p, 0, 1, 0, 7), 1);
  EXPECT_EQ(blockSource(p, 0, 0, 0, 7), -1);
}

TEST(ShapeRules, PreluBilinearAndEmbeddingBagShapes) {
  EXPECT_TRUE(preluPerChannel({2, 3, 4}, {3}));
  EXPECT_FALSE(preluPerChannel({2, 3, 4}, {1}));
  EXPECT_FALSE(preluPerChannel({5}, {}));
  EXPECT_THROW(preluPerChannel({4}, {4}), OpError); // a 1-D input has one channel
  EXPECT_THROW(preluPerChannel({2, 3}, {1, 3}), OpError);
  EXPECT_EQ(bilinearShape({2, 3, 4}, {2, 3, 5}, {6, 4, 5}, Shape{6}), (Shape{2, 3, 6}));
  EXPECT_THROW(bilinearShape({2, 4}, {3, 5}, {6, 4, 5}, std::nullopt), OpError);
  EXPECT_THROW(bilinearShape({2, 4}, {2, 5}, {6, 4, 5}, Shape{5}), OpError);
  EXPECT_EQ(embeddingBagCount({3, 4}, std::nullopt, {10, 5}, BagMode::Mean, std::nullopt, false),
            3);
  EXPECT_EQ(embeddingBagCount({7}, Shape{3}, {10, 5}, BagMode::Sum, Shape{7}, true), 2);
  EXPECT_THROW(embeddingBagCount({7}, Shape{3}, {10, 5}, BagMode::Max, Shape{7}, false), OpError);
  EXPECT_THROW(embeddingBagCount({7}, std::nullopt, {10, 5}, BagMode::Sum, std::nullopt, false),
               OpError);
  EXPECT_EQ(embeddingBagPaddingIdx(PyValue::integer(-1), 10), 9);
  EXPECT_THROW(embeddingBagPaddingIdx(PyValue::integer(10), 10), OpError);
  EXPECT_EQ(bagMode(PyValue::integer(2)), BagMode::Max);
  EXPECT_THROW(bagMode(PyValue::str("median")), OpError);
}

TEST(ShapeRules, SizesOfZeroDimTensorsAndShortExpandsAreErrors) {
  EXPECT_THROW(sizeOf({}, PyValue::integer(0)), OpError);
  EXPECT_THROW(expandedShape({2, 3}, {3}), OpError);
  EXPECT_EQ(expandedShape({1, 3}, {2, -1, 3}), (Shape{2, 1, 3}));
}

TEST(ShapeRules, MatmulBroadcastsBatchesAndLiftsVectors) {
  EXPECT_EQ(matmulShape({2, 1, 3, 4}, {5, 4, 6}).result(), (Shape{2, 5, 3, 6}));
  EXPECT_EQ(matmulShape({4}, {4, 6}).result(), (Shape{6}));
  EXPECT_THROW(matmulShape({3, 4}, {5, 6}), OpError);
}
