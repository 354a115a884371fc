//===- LiteralSyntaxTest.cpp - Python float repr and literal printing -----===//
#include "fxmlir/Dialect/FX/FXOps.h"
#include "fxmlir/Dialect/FX/LiteralSyntax.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

using namespace mlir;
using namespace mlir::fx;

TEST(PythonFloat, MatchesPythonRepr) {
  // Expected strings are what CPython 3.11's repr() prints.
  EXPECT_EQ(formatPythonFloat(0.0), "0.0");
  EXPECT_EQ(formatPythonFloat(-0.0), "-0.0");
  EXPECT_EQ(formatPythonFloat(1.0), "1.0");
  EXPECT_EQ(formatPythonFloat(2.5), "2.5");
  EXPECT_EQ(formatPythonFloat(0.1), "0.1");
  EXPECT_EQ(formatPythonFloat(1e-05), "1e-05");
  EXPECT_EQ(formatPythonFloat(0.0001), "0.0001");
  EXPECT_EQ(formatPythonFloat(1.5e-7), "1.5e-07");
  EXPECT_EQ(formatPythonFloat(1e16), "1e+16");
  EXPECT_EQ(formatPythonFloat(123456789012345.6), "123456789012345.6");
  EXPECT_EQ(formatPythonFloat(1e15), "1000000000000000.0");
  EXPECT_EQ(formatPythonFloat(1.0 / 3.0), "0.3333333333333333");
  EXPECT_EQ(formatPythonFloat(INFINITY), "inf");
  EXPECT_EQ(formatPythonFloat(-INFINITY), "-inf");
  EXPECT_EQ(formatPythonFloat(NAN), "nan");
  EXPECT_EQ(formatPythonFloat(1.7976931348623157e308), "1.7976931348623157e+308");
}

TEST(PythonFloat, RoundTripsEveryDigit) {
  // Whatever the layout, the text reads back to the same double.
  unsigned state = 12345;
  for (int i = 0; i < 2000; ++i) {
    state = state * 1103515245u + 12345u;
    double v = std::ldexp(double(state % 1000003) / 997.0, int(state % 80) - 40);
    EXPECT_EQ(std::strtod(formatPythonFloat(v).c_str(), nullptr), v);
  }
}

namespace {
struct LiteralPrinting : ::testing::Test {
  LiteralPrinting() { ctx.loadDialect<FXDialect>(); }
  std::string print(Attribute a, LiteralStyle style) {
    std::string s;
    llvm::raw_string_ostream os(s);
    unsigned next = 0;
    printLiteral(
        os, a, style,
        [](raw_ostream &o, unsigned i, LiteralStyle st) {
          o << (st == LiteralStyle::FxFormatArg ? "%" : "") << "v" << i;
        },
        next);
    return s;
  }
  MLIRContext ctx;
  Builder b{&ctx};
};
} // namespace

TEST_F(LiteralPrinting, ThreeStyles) {
  Attribute str = b.getStringAttr("it's");
  EXPECT_EQ(print(str, LiteralStyle::Mlir), "\"it's\"");
  EXPECT_EQ(print(str, LiteralStyle::FxFormatArg), "it's");
  EXPECT_EQ(print(str, LiteralStyle::PythonRepr), "\"it's\"");
  EXPECT_EQ(print(b.getStringAttr("ab"), LiteralStyle::PythonRepr), "'ab'");

  Attribute dev = DeviceAttr::get(&ctx, "cuda:0");
  EXPECT_EQ(print(dev, LiteralStyle::Mlir), "device(\"cuda:0\")");
  EXPECT_EQ(print(dev, LiteralStyle::FxFormatArg), "cuda:0");
  EXPECT_EQ(print(dev, LiteralStyle::PythonRepr), "device(type='cuda', index=0)");

  Attribute ref = OperandRefAttr::get(&ctx);
  Attribute slice = SliceAttr::get(&ctx, b.getI64IntegerAttr(1), ref, NoneAttr::get(&ctx));
  Attribute tuple = TupleAttr::get(&ctx, b.getArrayAttr({slice, EllipsisAttr::get(&ctx)}));
  // Inside a slice torch.fx's str() falls back to repr: no '%'.
  EXPECT_EQ(print(tuple, LiteralStyle::FxFormatArg), "(slice(1, v0, None), Ellipsis)");
  EXPECT_EQ(print(tuple, LiteralStyle::Mlir), "(slice(1, v0, None), ...)");
  EXPECT_EQ(print(TupleAttr::get(&ctx, b.getArrayAttr({ref})), LiteralStyle::FxFormatArg),
            "(%v0,)");
  EXPECT_EQ(print(b.getF64FloatAttr(1e-5), LiteralStyle::Mlir), "1.0e-05");
  EXPECT_EQ(print(b.getF64FloatAttr(1e-5), LiteralStyle::PythonRepr), "1e-05");
  EXPECT_EQ(print(DTypeAttr::get(&ctx, "float32"), LiteralStyle::PythonRepr), "torch.float32");
}

TEST_F(LiteralPrinting, IsLiteral) {
  std::string why;
  EXPECT_TRUE(isLiteral(b.getI64IntegerAttr(3), &why));
  EXPECT_FALSE(isLiteral(b.getI32IntegerAttr(3), &why));
  EXPECT_EQ(why, "integer literals must be i64 (or i1 for bool)");
  EXPECT_FALSE(isLiteral(b.getArrayAttr({b.getF32FloatAttr(1.0f)}), &why));
  EXPECT_EQ(countOperandRefs(b.getArrayAttr(
                {OperandRefAttr::get(&ctx),
                 TupleAttr::get(&ctx, b.getArrayAttr({OperandRefAttr::get(&ctx)}))})),
            2u);
}
