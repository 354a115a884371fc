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
