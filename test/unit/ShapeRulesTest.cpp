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
