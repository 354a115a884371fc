//===- TracerTest.cpp - The C++ tracer against torch.fx's behaviour -------===//
//
// Categories of PyTorch's test/test_fx.py that the C++ API can express; each test asserts on
// the graph torch.fx would print for the same program written in Python.
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Export/Export.h"
#include "fxmlir/Frontend/Functional.h"
#include "fxmlir/Frontend/Tracer.h"
#include "fxmlir/Frontend/nn.h"

#include "mlir/IR/Verifier.h"

#include <gtest/gtest.h>

using namespace fx;

namespace {
/// A module whose forward is a lambda, with a chosen signature.
struct Fn : Module {
  Fn(std::function<Obj(const std::vector<Obj> &)> f, std::vector<ForwardParam> sig = {{"x", std::nullopt}})
      : Module("test.Fn"), f(std::move(f)), sig(std::move(sig)) {}
  std::vector<ForwardParam> signature() const override { return sig; }
  Obj forwardArgs(const std::vector<Obj> &a) override { return f(a); }
  std::function<Obj(const std::vector<Obj> &)> f;
  std::vector<ForwardParam> sig;
};

std::string graphText(Module &m, const TraceOptions &options = {}, Tracer *tracer = nullptr) {
  static mlir::MLIRContext context;
  Tracer defaultTracer(&context);
  Tracer &t = tracer ? *tracer : defaultTracer;
  mlir::OwningOpRef<mlir::ModuleOp> module = t.trace(m, options);
  EXPECT_TRUE(mlir::succeeded(mlir::verify(*module)));
  auto gm = *module->getBody()->getOps<mlir::fx::GraphModuleOp>().begin();
  std::string s;
  llvm::raw_string_ostream os(s);
  mlir::fx::printGraphText(gm.getForward(), os);
  return s;
}
std::string traceError(Module &m, const TraceOptions &options = {}) {
  try {
    graphText(m, options);
  } catch (const TraceError &e) {
    return e.what();
  }
  return "no error";
}
#define EXPECT_HAS(text, piece) EXPECT_NE((text).find(piece), std::string::npos) << (text)
} // namespace

TEST(TracerOperators, ArithmeticComparisonBitwiseAndReflected) {
  Fn m([](const std::vector<Obj> &a) -> Obj {
    const Proxy &x = a[0].proxy();
    Proxy y = (x + 1) * 2.5 - x / x;
    Proxy z = (1.0 / y) % 3;
    Proxy s = (x << 1) >> 2;
    Proxy b = (x & 1) | (x ^ 3);
    Proxy c = (x == 0) != (x < 1);
    return Obj::tuple({Obj(z), Obj(s), Obj(b), Obj(c), Obj(floordiv(-x, 2)), Obj(~x),
                       Obj(matmul(x, x)), Obj(pow(x, 2))});
  });
  std::string g = graphText(m);
  EXPECT_HAS(g, "%add : [num_users=1] = call_function[target=operator.add](args = (%x, 1), kwargs = {})");
  EXPECT_HAS(g, "%mul : [num_users=1] = call_function[target=operator.mul](args = (%add, 2.5), kwargs = {})");
  EXPECT_HAS(g, "call_function[target=operator.truediv](args = (1.0, %sub), kwargs = {})");
  EXPECT_HAS(g, "%mod : [num_users=1] = call_function[target=operator.mod](args = (%truediv_1, 3), kwargs = {})");
  EXPECT_HAS(g, "call_function[target=operator.lshift](args = (%x, 1), kwargs = {})");
  EXPECT_HAS(g, "call_function[target=operator.rshift]");
  EXPECT_HAS(g, "%and_ : [num_users=1] = call_function[target=operator.and_]");
  EXPECT_HAS(g, "%or_ : [num_users=1] = call_function[target=operator.or_](args = (%and_, %xor), kwargs = {})");
  EXPECT_HAS(g, "%ne : [num_users=1] = call_function[target=operator.ne](args = (%eq, %lt), kwargs = {})");
  EXPECT_HAS(g, "%neg : [num_users=1] = call_function[target=operator.neg](args = (%x,), kwargs = {})");
  EXPECT_HAS(g, "%floordiv : [num_users=1] = call_function[target=operator.floordiv](args = (%neg, 2), kwargs = {})");
  EXPECT_HAS(g, "%invert : [num_users=1] = call_function[target=operator.invert]");
  EXPECT_HAS(g, "%matmul : [num_users=1] = call_function[target=operator.matmul](args = (%x, %x), kwargs = {})");
  EXPECT_HAS(g, "%pow_1 : [num_users=1] = call_function[target=operator.pow](args = (%x, 2), kwargs = {})");
  EXPECT_HAS(g, "return (mod, rshift, or_, ne, floordiv, invert, matmul, pow_1)");
}

TEST(TracerOperators, IndexingMethodsAndAttributes) {
  Fn m([](const std::vector<Obj> &a) -> Obj {
    const Proxy &x = a[0].proxy();
    Obj i = x[Obj::tuple({Obj::slice(Obj(), Obj()), Obj(0), Obj::ellipsis(), Obj()})];
    Obj n = x.size(1);
    Proxy v = x.view({Obj(-1), n}).transpose(0, 1).relu();
    Obj shape = x.shape();
    return Obj::tuple({i, Obj(v), shape[0]});
  });
  std::string g = graphText(m);
  EXPECT_HAS(g, "call_function[target=operator.getitem](args = (%x, (slice(None, None, None), 0, Ellipsis, None)), kwargs = {})");
  EXPECT_HAS(g, "%size : [num_users=1] = call_method[target=size](args = (%x, 1), kwargs = {})");
  EXPECT_HAS(g, "%view : [num_users=1] = call_method[target=view](args = (%x, -1, %size), kwargs = {})");
  EXPECT_HAS(g, "%relu : [num_users=1] = call_method[target=relu](args = (%transpose,), kwargs = {})");
  EXPECT_HAS(g, "%getattr_1 : [num_users=1] = call_function[target=builtins.getattr](args = (%x, shape), kwargs = {})");
  EXPECT_HAS(g, "%getitem_1 : [num_users=1] = call_function[target=operator.getitem](args = (%getattr_1, 0), kwargs = {})");
}

TEST(TracerFunctions, TorchFunctionsAutowrapAndWrap) {
  static WrappedFunction scaleBy =
      wrap("my_lib.scale_by", [](Obj x, Obj s) -> Obj { return x * s; });
  Fn m([](const std::vector<Obj> &a) -> Obj {
    Obj x = a[0];
    Obj f = torch::flatten(x, 1);
    Obj c = torch::cat({f, f}, 1);
    Obj r = math::sqrt(x.proxy().size(1)); // proxy: recorded
    Obj k = math::sqrt(Obj(16));            // no proxy: computed
    Obj w = scaleBy(c, k);                  // proxy: one call_function
    Obj plain = scaleBy(Obj(2), Obj(3));    // no proxy: a normal call
    return Obj::tuple({w, r, plain, F::relu(c)});
  });
  std::string g = graphText(m);
  EXPECT_HAS(g, "%flatten : [num_users=1] = call_function[target=torch.flatten](args = (%x, 1), kwargs = {})");
  EXPECT_HAS(g, "%cat : [num_users=2] = call_function[target=torch.cat](args = ([%flatten, %flatten], 1), kwargs = {})");
  EXPECT_HAS(g, "%sqrt : [num_users=1] = call_function[target=math.sqrt](args = (%size,), kwargs = {})");
  EXPECT_HAS(g, "%scale_by : [num_users=1] = call_function[target=my_lib.scale_by](args = (%cat, 4.0), kwargs = {})");
  EXPECT_HAS(g, "%relu : [num_users=1] = call_function[target=torch.nn.functional.relu](args = (%cat,), kwargs = {inplace: False})");
  EXPECT_HAS(g, "return (scale_by, sqrt, 6, relu)");
}

struct Block : Module {
  Block() : Module("test.Block") {
    registerModule("conv1", std::make_shared<nn::Conv2d>(3, 3, 1));
    registerModule("relu", nn::ReLU());
  }
  Obj forward(const Obj &x) override {
    Obj y = (*child("relu"))((*child("conv1"))(x));
    return (*child("relu"))(y);
  }
};
struct Net : Module {
  Net() : Module("test.Net") {
    auto layers = std::make_shared<Sequential>(std::vector<std::shared_ptr<Module>>{std::make_shared<Block>()});
    addModule("layer1", layers);
    auto list = std::make_shared<ModuleList>(std::vector<std::shared_ptr<Module>>{nn::Sigmoid()});
    addModule("heads", list);
    auto dict = std::make_shared<ModuleDict>();
    dict->insert("tanh", nn::Tanh());
    addModule("acts", dict);
    registerParameter("scale", fxmlir::Tensor({3}, fxmlir::DType::F32, 2.0));
  }
  Obj forward(const Obj &x) override {
    Obj y = (*child("layer1"))(x);
    y = static_cast<ModuleList &>(*child("heads"))[0](y);
    y = static_cast<ModuleDict &>(*child("acts"))["tanh"](y);
    Obj s = torch::sum(y, 1);
    Obj t = s + param("scale") + Obj(fxmlir::Tensor({3}, fxmlir::DType::F32, 1.0));
    return Obj::dict({{Obj("out"), t}, {Obj("pair"), Obj::tuple({s, Obj()})}});
  }
};

TEST(TracerModules, LeavesContainersNamesParametersAndConstants) {
  Net net;
  std::string g = graphText(net);
  EXPECT_HAS(g, "%layer1_0_conv1 : [num_users=1] = call_module[target=layer1.0.conv1](args = (%x,), kwargs = {})");
  EXPECT_HAS(g, "%layer1_0_relu : [num_users=1] = call_module[target=layer1.0.relu]");
  EXPECT_HAS(g, "%layer1_0_relu_1 : [num_users=1] = call_module[target=layer1.0.relu](args = (%layer1_0_relu,), kwargs = {})");
  EXPECT_HAS(g, "%heads_0 : [num_users=1] = call_module[target=heads.0]");
  EXPECT_HAS(g, "%acts_tanh : [num_users=1] = call_module[target=acts.tanh]");
  // `sum` would shadow a builtin.
  EXPECT_HAS(g, "%sum_1 : [num_users=2] = call_function[target=torch.sum](args = (%acts_tanh, 1), kwargs = {})");
  EXPECT_HAS(g, "%scale : [num_users=1] = get_attr[target=scale]");
  EXPECT_HAS(g, "%_tensor_constant0 : [num_users=1] = get_attr[target=_tensor_constant0]");
  EXPECT_HAS(g, "return {'out': add_1, 'pair': (sum_1, None)}");
}

struct TraceThroughLinear : Tracer {
  using Tracer::Tracer;
  bool isLeafModule(Module &m, const std::string &name) override {
    return m.getTypeName() != "torch.nn.Linear" && Tracer::isLeafModule(m, name);
  }
};

TEST(TracerHooks, LeafOverrideAndParamShapesConstant) {
  struct M : Module {
    M() : Module("test.M") { registerModule("fc", std::make_shared<nn::Linear>(4, 2)); }
    Obj forward(const Obj &x) override { return (*child("fc"))(x); }
  } m;
  mlir::MLIRContext ctx;
  TraceThroughLinear tracer(&ctx);
  std::string g = graphText(m, {}, &tracer);
  EXPECT_HAS(g, "%fc_weight : [num_users=1] = get_attr[target=fc.weight]");
  EXPECT_HAS(g, "%linear : [num_users=1] = call_function[target=torch._C._nn.linear](args = (%x, %fc_weight, %fc_bias), kwargs = {})");

  struct P : Module {
    P() : Module("test.P") { registerParameter("w", fxmlir::Tensor({3, 5}, fxmlir::DType::F32)); }
    Obj forward(const Obj &x) override { return x.proxy().view({param("w").proxy().size(1), Obj(-1)}); }
  } p;
  Tracer constant(&ctx, /*paramShapesConstant=*/true);
  EXPECT_HAS(graphText(p, {}, &constant), "call_method[target=view](args = (%x, 5, -1), kwargs = {})");
  Tracer symbolic(&ctx);
  EXPECT_HAS(graphText(p, {}, &symbolic), "call_method[target=size](args = (%w, 1), kwargs = {})");
}

TEST(TracerInputs, DefaultsConcreteArgsAndPH) {
  Fn m([](const std::vector<Obj> &a) -> Obj { return a[0] * a[1]; },
       {{"x", std::nullopt}, {"scale", Obj(2.0)}});
  EXPECT_HAS(graphText(m), "%scale : [num_users=1] = placeholder[target=scale](default=2.0)");

  TraceOptions options;
  options.concreteArgs["scale"] = Obj(3);
  std::string g = graphText(m, options);
  EXPECT_HAS(g, "%scale_1 : [num_users=1] = placeholder[target=scale_1](default=2.0)");
  EXPECT_HAS(g, "%eq : [num_users=1] = call_function[target=operator.eq](args = (%scale_1, 3), kwargs = {})");
  EXPECT_HAS(g, "call_function[target=torch._assert](args = (%eq, scale has been specialized to have value 3 but got another value), kwargs = {})");
  EXPECT_HAS(g, "%mul : [num_users=1] = call_function[target=operator.mul](args = (%x, 3), kwargs = {})");

  TraceOptions ph;
  ph.concreteArgs["scale"] = PH();
  EXPECT_HAS(graphText(m, ph), "call_function[target=operator.mul](args = (%x, %scale_1), kwargs = {})");

  // Nested inputs: each PH leaf of a structure becomes a placeholder; the output keeps its shape.
  Fn nested([](const std::vector<Obj> &a) -> Obj {
    const Obj &in = a[0];
    return Obj::tuple({in.getItems()[0] + in.getItems()[1]["w"], in.getItems()[1]});
  });
  TraceOptions structured;
  structured.concreteArgs["x"] = Obj::tuple({PH(), Obj::dict({{Obj("w"), PH()}})});
  std::string g2 = graphText(nested, structured);
  EXPECT_HAS(g2, "%x_1 : [num_users=1] = placeholder[target=x_1]");
  EXPECT_HAS(g2, "%x_2 : [num_users=2] = placeholder[target=x_2]");
  EXPECT_HAS(g2, "%add : [num_users=1] = call_function[target=operator.add](args = (%x_1, %x_2), kwargs = {})");
  EXPECT_HAS(g2, "return (add, {'w': x_2})");
}

TEST(TracerErrors, TorchFxMessages) {
  Fn branch([](const std::vector<Obj> &a) -> Obj {
    if (a[0].proxy())
      return a[0];
    return Obj();
  });
  EXPECT_EQ(traceError(branch), "symbolically traced variables cannot be used as inputs to control flow");
  Fn loop([](const std::vector<Obj> &a) -> Obj {
    for (const Obj &v : a[0].proxy())
      (void)v;
    return a[0];
  });
  EXPECT_EQ(traceError(loop).rfind("Proxy object cannot be iterated.", 0), 0u);
  Fn length([](const std::vector<Obj> &a) -> Obj { return Obj(len(a[0].proxy())); });
  EXPECT_EQ(traceError(length), "'len' is not supported in symbolic tracing by default. If you want "
                                "this call to be recorded, please call torch.fx.wrap('len') at module scope");
  auto stray = nn::ReLU();
  Fn notInstalled([stray](const std::vector<Obj> &a) -> Obj { return (*stray)(a[0]); });
  EXPECT_EQ(traceError(notInstalled), "module is not installed as a submodule");
  struct Q : Module {
    Q() : Module("test.Q") {}
    Obj forward(const Obj &) override { return param("missing"); }
  } q;
  EXPECT_EQ(traceError(q), "parameter is not a member of this module");
  // A failed trace leaves no tracer behind: the next trace works.
  Fn fine([](const std::vector<Obj> &a) -> Obj { return a[0]; });
  EXPECT_HAS(graphText(fine), "return x");
  // Calling a module outside a trace is refused.
  EXPECT_THROW((*stray)(Obj(1)), TraceError);
}

// Overriding createNode to tag nodes, and createArg to rewrite arguments (test_fx's
// "node tagging" and "custom create_arg" tests).
struct TaggingTracer : Tracer {
  using Tracer::Tracer;
  mlir::Operation *createNode(const std::string &opcode, const std::string &target,
                              const std::vector<mlir::fx::Arg> &args,
                              const std::vector<std::pair<std::string, mlir::fx::Arg>> &kwargs,
                              const std::string &name) override {
    mlir::Operation *op = Tracer::createNode(opcode, target, args, kwargs, name);
    op->setAttr("tag", mlir::StringAttr::get(op->getContext(), "foo"));
    return op;
  }
  mlir::fx::Arg createArg(const Obj &value) override {
    if (value.getKind() == Obj::Kind::Int && value.toInt() == 7)
      return Tracer::createArg(Obj(8)); // every literal 7 becomes 8
    return Tracer::createArg(value);
  }
};

TEST(TracerHooks, NodeTaggingAndCustomCreateArg) {
  Fn m([](const std::vector<Obj> &a) -> Obj { return a[0] + 7; });
  mlir::MLIRContext ctx;
  TaggingTracer tracer(&ctx);
  mlir::OwningOpRef<mlir::ModuleOp> module = tracer.trace(m);
  int tagged = 0;
  module->walk([&](mlir::fx::NodeOpInterface node) {
    if (!mlir::isa<mlir::fx::OutputOp>(node.getOperation()))
      tagged += node->getAttrOfType<mlir::StringAttr>("tag").getValue() == "foo";
  });
  EXPECT_EQ(tagged, 2);
  auto gm = *module->getBody()->getOps<mlir::fx::GraphModuleOp>().begin();
  std::string s;
  llvm::raw_string_ostream os(s);
  mlir::fx::printGraphText(gm.getForward(), os);
  EXPECT_HAS(s, "call_function[target=operator.add](args = (%x, 8), kwargs = {})");
}
