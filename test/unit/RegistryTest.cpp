//===- RegistryTest.cpp - Schemas, binding and reference kernels ----------===//
#include "fxmlir/Ops/Registry.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

using namespace fxmlir;

static PyValue call(const std::string &opcode, const std::string &target,
                    std::vector<PyValue> args,
                    std::vector<std::pair<std::string, PyValue>> kwargs = {}) {
  const OpInfo *info = Registry::get().lookupOp(opcode, target);
  if (!info)
    throw OpError("no op " + target);
  return info->kernel(bindArguments(info->schema, args, kwargs));
}

static Tensor iota(Shape shape, DType dtype = DType::F32) {
  Tensor t(shape, dtype);
  for (int64_t i = 0; i < t.numel(); ++i)
    t[i] = (double)i;
  return t;
}

TEST(Schema, ParsesTorchStyleSignatures) {
  Schema s = Schema::parse("torch.sum(Tensor input, int[]? dim=None, bool keepdim=False, *, "
                           "ScalarType? dtype=None) -> Tensor");
  ASSERT_EQ(s.params.size(), 4u);
  EXPECT_EQ(s.name, "torch.sum");
  EXPECT_FALSE(s.params[0].hasDefault);
  EXPECT_TRUE(s.params[1].defaultValue.isNone());
  EXPECT_FALSE(s.params[2].defaultValue.toBool());
  EXPECT_TRUE(s.params[3].kwargOnly);
  EXPECT_EQ(s.returns, "Tensor");
}

TEST(Schema, BindsLikePython) {
  Schema s = Schema::parse("f(Tensor a, int b=2, *, float c=1.5)");
  BoundArgs b = bindArguments(s, {PyValue::integer(1)}, {{"c", PyValue::floating(3.0)}});
  EXPECT_EQ(b.toInt("a"), 1);
  EXPECT_EQ(b.toInt("b"), 2);
  EXPECT_EQ(b.toDouble("c"), 3.0);
  auto message = [&](std::vector<PyValue> args, std::vector<std::pair<std::string, PyValue>> kw) {
    try {
      bindArguments(s, args, kw);
    } catch (const OpError &e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message({}, {}), "f() missing required argument 'a'");
  EXPECT_EQ(message({PyValue::integer(1)}, {{"d", PyValue::none()}}),
            "f() got an unexpected keyword argument 'd'");
  EXPECT_EQ(message({PyValue::integer(1), PyValue::integer(2), PyValue::integer(3)}, {}),
            "f() takes 2 positional arguments but 3 were given");
  EXPECT_EQ(message({PyValue::integer(1)}, {{"a", PyValue::none()}}),
            "f() got multiple values for argument 'a'");
}

TEST(Schema, VariadicTakesBothSpellings) {
  Schema s = Schema::parse("method:view(Tensor self, *int size)");
  BoundArgs spread = bindArguments(s, {PyValue(iota({6})), PyValue::integer(2), PyValue::integer(3)}, {});
  BoundArgs whole = bindArguments(
      s, {PyValue(iota({6})), PyValue::tuple({PyValue::integer(2), PyValue::integer(3)})}, {});
  EXPECT_EQ(spread["size"].toIntList(), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(whole["size"].toIntList(), (std::vector<int64_t>{2, 3}));
}

TEST(Registry, AliasesShareOneEntry) {
  const Registry &r = Registry::get();
  const OpInfo *relu = r.lookupOp("call_function", "torch.nn.functional.relu");
  ASSERT_NE(relu, nullptr);
  EXPECT_EQ(r.lookupOp("call_function", "torch.relu"), relu);
  EXPECT_EQ(r.lookupOp("call_method", "relu"), relu);
  EXPECT_EQ(r.lookupOp("call_function", "torch._C._nn.gelu"),
            r.lookupOp("call_function", "torch.nn.functional.gelu"));
  EXPECT_EQ(r.lookupOp("call_function", "no.such.op"), nullptr);
  EXPECT_NE(r.lookupModule("torch.nn.Conv2d"), nullptr);
}

TEST(Kernels, Conv2dByHand) {
  // 1x1x3x3 input 0..8, 2x2 kernel of ones, stride 1: each output is a 2x2 window sum.
  Tensor x = iota({1, 1, 3, 3}), w({1, 1, 2, 2}, DType::F32, 1.0);
  Tensor y = call("call_function", "torch.conv2d", {x, w}).tensor();
  ASSERT_EQ(y.shape(), (Shape{1, 1, 2, 2}));
  EXPECT_EQ(y[0], 0 + 1 + 3 + 4);
  EXPECT_EQ(y[3], 4 + 5 + 7 + 8);
  // padding 1, stride 2, with a bias.
  Tensor b({1}, DType::F32, 0.5);
  Tensor z = call("call_function", "torch.conv2d", {x, w, b, PyValue::integer(2), PyValue::integer(1)}).tensor();
  ASSERT_EQ(z.shape(), (Shape{1, 1, 2, 2}));
  EXPECT_EQ(z[0], 0 + 0.5);
  EXPECT_EQ(z[3], 4 + 5 + 7 + 8 + 0.5);
}

TEST(Kernels, MaxPoolCeilMode) {
  // torch: max_pool2d(5x5, kernel 2, stride 2, ceil_mode) -> 3x3; the last window is clipped.
  Tensor x = iota({1, 1, 5, 5});
  Tensor y = call("call_function", "torch.nn.functional.max_pool2d",
                  {x, PyValue::integer(2), PyValue::integer(2)}, {{"ceil_mode", PyValue::boolean(true)}})
                 .tensor();
  ASSERT_EQ(y.shape(), (Shape{1, 1, 3, 3}));
  EXPECT_EQ(y[8], 24);
  EXPECT_EQ(y[2], 9);
}

TEST(Kernels, SoftmaxAndLayerNorm) {
  Tensor x({1, 3}, DType::F32, std::vector<Element>{1, 2, 3});
  Tensor s = call("call_function", "torch.nn.functional.softmax", {x}, {{"dim", PyValue::integer(-1)}}).tensor();
  double sum = s[0] + s[1] + s[2];
  EXPECT_NEAR(sum, 1.0, 1e-6);
  EXPECT_NEAR(s[2], std::exp(3.0) / (std::exp(1.0) + std::exp(2.0) + std::exp(3.0)), 1e-6);
  Tensor n = call("call_function", "torch.nn.functional.layer_norm",
                  {x, PyValue::list({PyValue::integer(3)})}).tensor();
  EXPECT_NEAR(n[0], -std::sqrt(1.5), 1e-4);
  EXPECT_NEAR(n[1], 0.0, 1e-6);
}

TEST(Kernels, PythonScalarsStayPython) {
  EXPECT_EQ(call("call_function", "operator.floordiv", {PyValue::integer(-7), PyValue::integer(2)}).toInt(), -4);
  PyValue q = call("call_function", "operator.truediv", {PyValue::integer(1), PyValue::integer(4)});
  EXPECT_EQ(q.kind(), PyValue::Kind::Float);
  EXPECT_EQ(q.toDouble(), 0.25);
  // int tensor * float scalar promotes to float32, as in torch.
  Tensor i({2}, DType::I64, std::vector<Element>{1, 2});
  EXPECT_EQ(call("call_function", "operator.mul", {i, PyValue::floating(0.5)}).tensor().dtype(), DType::F32);
  EXPECT_EQ(call("call_function", "operator.mul", {i, PyValue::integer(3)}).tensor().dtype(), DType::I64);
}

TEST(Kernels, IndexingAndErrors) {
  Tensor x = iota({2, 3, 4});
  PyValue idx = PyValue::tuple({PyValue::slice(PyValue::none(), PyValue::none(), PyValue::none()),
                                PyValue::integer(-1), PyValue::ellipsis(), PyValue::none()});
  Tensor y = call("call_function", "operator.getitem", {x, idx}).tensor();
  ASSERT_EQ(y.shape(), (Shape{2, 4, 1}));
  EXPECT_EQ(y[0], 8);
  EXPECT_EQ(y[4], 20);
  EXPECT_THROW(call("call_method", "view", {x, PyValue::integer(5), PyValue::integer(-1)}), OpError);
  EXPECT_THROW(call("call_function", "torch.matmul", {iota({2, 3}), iota({2, 3})}), OpError);
}

// Every op the registry knows can be compiled, except those listed here with the reason (they
// run on the interpreter; docs/ops.md shows "—" for the compiled backends). An op added without
// `.lowerWith("name")` shows up here by name.
TEST(Registry, EveryOpHasALowering) {
  static const std::set<std::string> interpreterOnly = {};
  std::vector<std::string> missing;
  for (const auto &op : Registry::get().ops())
    if (op->lowering.empty() && !interpreterOnly.count(op->schema.name))
      missing.push_back(op->schema.name);
  EXPECT_TRUE(missing.empty()) << "ops without a lowering: " << ::testing::PrintToString(missing);
}
